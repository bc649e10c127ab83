//! `pm stats`: the spread of each duration, a histogram of each, the figures
//! by month and by severity, and counts by tag, service and factor kind.

use super::Env;
use super::fleet::{scan, table};
use crate::cli::{StatsArgs, StatsFormat};
use crate::fleet::Length;
use crate::fleet::stats::{Count, FEW, Figures, Group, Report, Spread, Stats};
use anyhow::Result;
use std::io::Write;
use std::process::ExitCode;

/// The widest bar of a histogram, in characters.
const BAR: usize = 24;

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
        StatsFormat::Table => out.write_all(text(&report).as_bytes())?,
    }
    out.flush()?;
    scan.warn_errors("so it is left out of the figures");
    Ok(ExitCode::from(scan.exit_code()))
}

/// The table output: spreads, histograms, groups, counts.
fn text(report: &Report) -> String {
    let total = &report.total;
    let mut out = format!(
        "{} {}{}\n\n",
        total.count,
        if total.count == 1 {
            "incident"
        } else {
            "incidents"
        },
        if total.few {
            format!(" (fewer than {FEW}, so read these figures as examples, not rates)")
        } else {
            String::new()
        },
    );
    let measures = [
        ("time to detect", &total.time_to_detect),
        ("time to resolve", &total.time_to_resolve),
        ("duration", &total.duration),
    ];
    let mut cells = vec![
        ["MEASURE", "COUNT", "MEDIAN", "P90", "RANGE", "(MEAN)"]
            .map(str::to_owned)
            .to_vec(),
    ];
    for (name, spread) in measures {
        cells.push(spread_row(name, spread));
    }
    out.push_str(&table(&cells));
    for (name, spread) in measures {
        out.push('\n');
        out.push_str(&histogram(name, spread));
    }
    let mut cells = Vec::new();
    section(&mut cells, "MONTH", &report.by_month);
    cells.push(Vec::new());
    section(&mut cells, "SEVERITY", &report.by_severity);
    out.push('\n');
    out.push_str(&table(&cells));
    for (title, counts) in [
        ("SERVICE", &report.by_service),
        ("TAG", &report.by_tag),
        ("FACTOR KIND", &report.by_factor_kind),
    ] {
        if counts.is_empty() {
            continue;
        }
        out.push('\n');
        out.push_str(&table(&count_rows(title, counts)));
    }
    out
}

fn length(length: Option<&Length>) -> String {
    length.map_or_else(|| "-".to_owned(), |l| l.text.clone())
}

fn spread_row(name: &str, spread: &Spread) -> Vec<String> {
    let range = match (&spread.min, &spread.max) {
        (Some(min), Some(max)) => format!("{} – {}", min.text, max.text),
        _ => "-".to_owned(),
    };
    vec![
        name.to_owned(),
        spread.count.to_string(),
        length(spread.median.as_ref()),
        length(spread.p90.as_ref()),
        range,
        length(spread.mean.as_ref()),
    ]
}

/// One line per bucket: its label, its count, and `█` per incident (scaled
/// when the largest bucket is wider than [`BAR`]).
fn histogram(name: &str, spread: &Spread) -> String {
    let largest = spread.histogram.iter().map(|b| b.count).max().unwrap_or(0);
    let digits = largest.to_string().len();
    let mut out = format!("{name}\n");
    for bucket in &spread.histogram {
        let width = if largest <= BAR {
            bucket.count
        } else {
            // Scaled, but a bucket with any incident shows at least one block.
            (bucket.count * BAR).div_ceil(largest)
        };
        let line = format!(
            "  {:<10} {:>digits$} {}",
            bucket.label,
            bucket.count,
            "█".repeat(width)
        );
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

fn section(cells: &mut Vec<Vec<String>>, title: &str, groups: &[Group]) {
    cells.push(
        [
            title,
            "COUNT",
            "IMPACT",
            "DETECT MEDIAN",
            "RESOLVE MEDIAN",
            "DURATION MEDIAN",
        ]
        .map(str::to_owned)
        .to_vec(),
    );
    for group in groups {
        cells.push(row(&group.key, &group.figures));
    }
}

fn row(key: &str, figures: &Figures) -> Vec<String> {
    vec![
        crate::sanitize::visible(&crate::sanitize::one_line(key)).into_owned(),
        figures.count.to_string(),
        length(figures.impact.as_ref()),
        length(figures.time_to_detect.median.as_ref()),
        length(figures.time_to_resolve.median.as_ref()),
        length(figures.duration.median.as_ref()),
    ]
}

fn count_rows(title: &str, counts: &[Count]) -> Vec<Vec<String>> {
    let mut cells = vec![vec![title.to_owned(), "INCIDENTS".to_owned()]];
    for count in counts {
        cells.push(vec![
            crate::sanitize::visible(&crate::sanitize::one_line(&count.key)).into_owned(),
            count.count.to_string(),
        ]);
    }
    cells
}
