//! `pm stats`: the index's figures by month and by severity.

use super::Env;
use super::fleet::{scan, table};
use crate::cli::{StatsArgs, StatsFormat};
use crate::fleet::Length;
use crate::fleet::stats::{Figures, Group, Stats};
use anyhow::Result;
use std::io::Write;
use std::process::ExitCode;

pub fn run(args: &StatsArgs, env: &Env) -> Result<ExitCode> {
    let dir = env.dir(args.dir.as_deref());
    let mut stats = Stats::default();
    let scan = scan(&dir, &env.settings(), |_, checked| {
        if checked.errors() == 0
            && let Some(incident) = &checked.incident
        {
            stats.add(incident);
        }
        Ok(())
    })?;
    let config = env.config();
    let report = stats.report(config.check.severities.as_deref());
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    match args.format {
        StatsFormat::Json => {
            serde_json::to_writer_pretty(&mut out, &report)?;
            writeln!(out)?;
        }
        StatsFormat::Table => {
            let mut cells = Vec::new();
            section(&mut cells, "MONTH", &report.by_month);
            cells.push(Vec::new());
            section(&mut cells, "SEVERITY", &report.by_severity);
            cells.push(Vec::new());
            section(
                &mut cells,
                "ALL",
                &[Group {
                    key: "all".to_owned(),
                    figures: report.total.clone(),
                }],
            );
            out.write_all(table(&cells).as_bytes())?;
        }
    }
    out.flush()?;
    scan.warn_errors("so it is left out of the figures");
    Ok(ExitCode::from(scan.exit_code()))
}

fn section(cells: &mut Vec<Vec<String>>, title: &str, groups: &[Group]) {
    cells.push(
        [
            title,
            "COUNT",
            "IMPACT",
            "MTTD MEAN",
            "MTTD MEDIAN",
            "MTTR MEAN",
            "MTTR MEDIAN",
        ]
        .map(str::to_owned)
        .to_vec(),
    );
    for group in groups {
        cells.push(row(&group.key, &group.figures));
    }
}

fn row(key: &str, figures: &Figures) -> Vec<String> {
    let text = |length: Option<&Length>| length.map_or_else(|| "-".to_owned(), |l| l.text.clone());
    vec![
        key.to_owned(),
        figures.count.to_string(),
        text(figures.impact.as_ref()),
        text(figures.mttd.mean.as_ref()),
        text(figures.mttd.median.as_ref()),
        text(figures.mttr.mean.as_ref()),
        text(figures.mttr.median.as_ref()),
    ]
}
