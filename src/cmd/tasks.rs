//! `pm tasks`: every follow-up across the postmortems.

use super::Env;
use super::fleet::{scan, table};
use crate::cli::{TasksArgs, TasksFormat};
use crate::fleet::tasks::{Filter, Tally, TaskRow, rows, sort};
use anyhow::Result;
use std::io::Write;
use std::process::ExitCode;

pub fn run(args: &TasksArgs, env: &Env) -> Result<ExitCode> {
    let dir = env.dir(args.dir.as_deref());
    // `--open` is the default; `--all` adds done tasks.
    let filter = Filter {
        all: args.all,
        overdue: args.overdue,
        owner: args.owner.clone(),
    };
    let mut listed: Vec<TaskRow> = Vec::new();
    // Every task of the owner asked for, listed or not, for the summary.
    let mut tally = Tally::default();
    let scan = scan(&dir, &env.settings(), |_, checked| {
        if let Some(incident) = &checked.incident {
            for row in rows(&checked.source.name, incident, env.today) {
                if filter.owns(&row) {
                    tally.add(&row);
                }
                if filter.keeps(&row) {
                    listed.push(row);
                }
            }
        }
        Ok(())
    })?;
    sort(&mut listed);
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    match args.format {
        TasksFormat::Table => write_table(&mut out, &listed, tally, filter.all)?,
        TasksFormat::Json => {
            serde_json::to_writer_pretty(&mut out, &listed)?;
            writeln!(out)?;
        }
        TasksFormat::Csv => write_csv(&mut out, &listed)?,
    }
    out.flush()?;
    scan.warn_errors("so its tasks may be missing or incomplete");
    Ok(ExitCode::from(scan.exit_code()))
}

fn write_table(out: &mut impl Write, listed: &[TaskRow], tally: Tally, all: bool) -> Result<()> {
    if !listed.is_empty() {
        let mut cells = vec![
            ["DUE", "STATE", "OWNER", "FILE", "TASK"]
                .map(str::to_owned)
                .to_vec(),
        ];
        for row in listed {
            cells.push(vec![
                row.due.map_or_else(|| "-".to_owned(), |d| d.to_string()),
                row.state.to_owned(),
                row.owner
                    .as_deref()
                    .map_or_else(|| "-".to_owned(), one_line),
                crate::sanitize::visible(&row.file).into_owned(),
                one_line(&row.task),
            ]);
        }
        out.write_all(table(&cells).as_bytes())?;
        writeln!(out)?;
    }
    let task = |n: usize| if n == 1 { "task" } else { "tasks" };
    write!(
        out,
        "{} {}: {} open ({} overdue), {} done",
        tally.open + tally.done,
        task(tally.open + tally.done),
        tally.open,
        tally.overdue,
        tally.done,
    )?;
    if !all && tally.done > 0 {
        write!(out, "; `--all` lists the done ones too")?;
    }
    writeln!(out)?;
    Ok(())
}

fn write_csv(out: &mut impl Write, listed: &[TaskRow]) -> Result<()> {
    let mut writer = csv::Writer::from_writer(out);
    writer.write_record(["file", "incident", "task", "owner", "due", "state"])?;
    for row in listed {
        writer.write_record([
            row.file.as_str(),
            row.incident.as_str(),
            row.task.as_str(),
            row.owner.as_deref().unwrap_or(""),
            &row.due.map(|d| d.to_string()).unwrap_or_default(),
            row.state,
        ])?;
    }
    writer.flush()?;
    Ok(())
}

/// A task written over several lines, on one table row, with invisible
/// characters shown (JSON and CSV keep the data as it is).
fn one_line(text: &str) -> String {
    crate::sanitize::visible(&crate::sanitize::one_line(text)).into_owned()
}
