//! `pm completions SHELL`: print a completion script.

use super::exit;
use crate::cli::{Cli, CompletionsArgs};
use anyhow::Result;
use clap::CommandFactory;
use std::io::Write;
use std::process::ExitCode;

pub fn run(args: &CompletionsArgs) -> Result<ExitCode> {
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    clap_complete::generate(args.shell, &mut Cli::command(), "pm", &mut out);
    out.flush()?;
    Ok(ExitCode::from(exit::OK))
}
