//! `pm schema`: print the JSON Schema of the incident format, or with
//! `--export` that of `pm export`'s output.

use super::exit;
use crate::cli::SchemaArgs;
use crate::incident::schema;
use anyhow::Result;
use std::io::Write;
use std::process::ExitCode;

pub fn run(args: &SchemaArgs) -> Result<ExitCode> {
    let schema = if args.export {
        crate::export::schema()
    } else {
        schema::schema()
    };
    let mut out = std::io::stdout().lock();
    // Through io::Error, so a closed pipe is recognised as one.
    serde_json::to_writer_pretty(&mut out, &schema).map_err(std::io::Error::from)?;
    writeln!(out)?;
    out.flush()?;
    Ok(ExitCode::from(exit::OK))
}
