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
    /// Write a Markdown index of all postmortems, newest first, with totals.
    Index(IndexArgs),
    /// List every follow-up task across the postmortems.
    Tasks(TasksArgs),
    /// Aggregate figures by month and by severity: count, impact time, MTTD, MTTR.
    Stats(StatsArgs),
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Files or folders to check (folders recursively for *.yaml and *.yml); `-` reads stdin.
    /// Default: `[defaults] dir` of pm.toml, else the current folder.
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    /// How to print findings.
    #[arg(long, value_enum, default_value_t = OutputFormat::Human)]
    pub format: OutputFormat,

    /// Fail (exit 1) on warnings too.
    #[arg(long)]
    pub strict: bool,

    /// Print the documentation of a rule and exit.
    #[arg(long, value_name = "RULE", exclusive = true)]
    pub explain: Option<String>,
}

#[derive(Debug, Args)]
pub struct IndexArgs {
    /// The folder of postmortems. Default: `[defaults] dir` of pm.toml, else the current folder.
    #[arg(value_name = "DIR")]
    pub dir: Option<PathBuf>,

    /// Write the index to this file instead of stdout (links are relative to its folder).
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Replace the output file even if pm did not generate it.
    #[arg(long, requires = "output")]
    pub force: bool,

    /// A Tera template to use instead of the built-in one (default: `[index] template` of pm.toml).
    #[arg(long, value_name = "PATH")]
    pub template: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct TasksArgs {
    /// The folder of postmortems. Default: `[defaults] dir` of pm.toml, else the current folder.
    #[arg(value_name = "DIR")]
    pub dir: Option<PathBuf>,

    /// Only tasks not done.
    #[arg(long)]
    pub open: bool,

    /// Only tasks not done and past their due date.
    #[arg(long)]
    pub overdue: bool,

    /// Only tasks of this owner (case does not matter).
    #[arg(long, value_name = "NAME")]
    pub owner: Option<String>,

    /// How to print the tasks.
    #[arg(long, value_enum, default_value_t = TasksFormat::Table)]
    pub format: TasksFormat,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum TasksFormat {
    /// Aligned columns for a terminal.
    Table,
    /// One JSON array.
    Json,
    /// CSV with a header row.
    Csv,
}

#[derive(Debug, Args)]
pub struct StatsArgs {
    /// The folder of postmortems. Default: `[defaults] dir` of pm.toml, else the current folder.
    #[arg(value_name = "DIR")]
    pub dir: Option<PathBuf>,

    /// How to print the figures.
    #[arg(long, value_enum, default_value_t = StatsFormat::Table)]
    pub format: StatsFormat,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum StatsFormat {
    /// Aligned columns for a terminal.
    Table,
    /// One JSON object.
    Json,
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
