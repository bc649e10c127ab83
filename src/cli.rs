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
    /// Print the JSON Schema of the postmortem format, for editors and validators.
    Schema,
    /// List every rule with its default severity and a one-line summary.
    Rules(RulesArgs),
    /// Print a shell completion script.
    ///
    /// For example `pm completions bash > ~/.local/share/bash-completion/completions/pm`,
    /// or `pm completions zsh > ~/.zfunc/_pm`.
    Completions(CompletionsArgs),
    /// Print a man page in roff.
    ///
    /// For example `pm man > pm.1 && man ./pm.1`. `pm man check` prints pm-check(1).
    Man(ManArgs),
}

#[derive(Debug, Args)]
pub struct ManArgs {
    /// The subcommand to document, such as `check`; pm itself when left out.
    #[arg(value_name = "SUBCOMMAND")]
    pub subcommand: Option<String>,
}

#[derive(Debug, Args)]
pub struct RulesArgs {
    /// How to print the rules.
    #[arg(long, value_enum, default_value_t = RulesFormat::Table)]
    pub format: RulesFormat,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum RulesFormat {
    /// One rule a line: id, default severity, summary.
    Table,
    /// A JSON array with each rule's documentation.
    Json,
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to complete for.
    pub shell: clap_complete::Shell,
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
    /// SARIF 2.1.0, for GitHub code scanning and other SARIF viewers.
    Sarif,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}
