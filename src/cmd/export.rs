//! `pm export`: print the resolved model of postmortems as JSON, for tools
//! and dashboards (docs/export.md). Files with errors are reported as
//! `pm render` reports them, and left out.

use super::{Env, exit};
use crate::check::{self, Checked};
use crate::cli::{ExportArgs, ExportFormat};
use crate::emit::{Format, Totals};
use crate::export;
use crate::files;
use anyhow::Result;
use std::io::Write;
use std::process::ExitCode;

pub fn run(args: &ExportArgs, env: &Env) -> Result<ExitCode> {
    let default_dir;
    let paths: &[std::path::PathBuf] = if args.paths.is_empty() {
        default_dir = [env.dir(None)];
        &default_dir
    } else {
        &args.paths
    };
    let inputs = files::discover(paths)?;
    let settings = env.settings();
    let mut documents = Vec::with_capacity(inputs.len());
    let mut failed: Vec<Checked> = Vec::new();
    let mut totals = Totals::default();
    check::check_each(&inputs, &settings, |_, result| -> Result<()> {
        let checked = result?;
        totals.add(&checked);
        match &checked.incident {
            Some(incident) if checked.errors() == 0 => {
                documents.push(export::document(&checked.source.name, incident));
            }
            _ => failed.push(checked),
        }
        Ok(())
    })?;
    if inputs.is_empty() {
        eprintln!("pm: warning: no postmortems (*.yaml, *.yml) found");
    }

    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    // Through io::Error, so a closed pipe is recognised as one.
    match args.format {
        ExportFormat::Json => {
            serde_json::to_writer_pretty(&mut out, &documents).map_err(std::io::Error::from)?;
            writeln!(out)?;
        }
        ExportFormat::Jsonl => {
            for document in &documents {
                serde_json::to_writer(&mut out, document).map_err(std::io::Error::from)?;
                writeln!(out)?;
            }
        }
    }
    out.flush()?;

    if failed.is_empty() {
        return Ok(ExitCode::from(exit::OK));
    }
    report_findings(&failed, &totals, env)?;
    let count = failed.len();
    let files = if count == 1 { "file" } else { "files" };
    eprintln!(
        "pm: error: {count} {files} with errors not exported; fix the errors above and run `pm export` again"
    );
    Ok(ExitCode::from(exit::FINDINGS))
}

/// Prints findings as `pm check` (and `pm render`) does, on stderr.
/// Only the files with errors are shown; the totals count every file.
fn report_findings(checked: &[Checked], totals: &Totals, env: &Env) -> Result<()> {
    let mut emitter = Format::Human.emitter(env.color_stderr);
    let stderr = std::io::stderr();
    let mut err = stderr.lock();
    for file in checked {
        emitter.file(&mut err, file)?;
    }
    emitter.finish(&mut err, totals)?;
    err.flush()?;
    Ok(())
}
