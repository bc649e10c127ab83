//! The command line, as clap types. Nothing past `cmd` sees these.

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "pm",
    version,
    about = "Incident postmortems as typed YAML: scaffold, check and render them",
    long_about = None,
    propagate_version = true,
)]
pub struct Cli {
    /// When to use colour: auto uses it on a terminal unless `NO_COLOR` is set.
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Validate postmortems: required sections, and timelines consistent across zones and DST.
    Check(CheckArgs),
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Files or folders to check (folders recursively for *.yaml and *.yml); `-` reads stdin.
    #[arg(value_name = "PATH", default_value = ".")]
    pub paths: Vec<PathBuf>,

    /// How to print findings.
    #[arg(long, value_enum, default_value_t = OutputFormat::Human)]
    pub format: OutputFormat,

    /// Fail (exit 1) on warnings too.
    #[arg(long)]
    pub strict: bool,

    /// Refuse files larger than this, unread (`file-too-large`): bytes, or a number with K, M or G (powers of 1024).
    #[arg(long, value_name = "SIZE", default_value = "1M", value_parser = crate::files::parse_size)]
    pub max_file_size: u64,

    /// Print the documentation of a rule and exit.
    #[arg(long, value_name = "RULE", exclusive = true)]
    pub explain: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    /// rustc-style messages with source snippets.
    Human,
    /// One JSON array of findings.
    Json,
    /// GitHub Actions workflow commands (annotations on the pull request).
    Github,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}
