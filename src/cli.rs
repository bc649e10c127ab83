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
// Each subcommand's arguments are built only when it runs (or when help,
// completions or the man page need them): building them all was a tenth of
// checking one file.
#[command(defer = true)]
pub enum Command {
    /// Validate postmortems: required sections, and timelines consistent across zones and DST.
    Check(CheckArgs),
    /// Scaffold a postmortem: every section, with guidance and placeholders to fill in.
    New(NewArgs),
    /// Add a timeline entry during a live incident, in time order, keeping the
    /// file's formatting.
    Log(LogArgs),
    /// Render postmortems as Markdown reports through Tera templates.
    Render(RenderArgs),
    /// Turn Markdown or plain-text postmortems into pm drafts, marking every guess.
    Import(ImportArgs),
    /// Write a Markdown index of all postmortems, newest first, with totals.
    Index(IndexArgs),
    /// Write a static HTML site of all postmortems: index, a page each, follow-ups, figures, search.
    ///
    /// The pages need no server and no network: open `OUT/index.html` from
    /// disk or put the folder on any static host. See docs/site.md.
    Site(SiteArgs),
    /// List the open follow-up tasks across the postmortems, overdue first (`--all` adds done ones).
    Tasks(TasksArgs),
    /// Figures: median, 90th percentile, range and histogram of each duration; by month, severity, service, tag.
    Stats(StatsArgs),
    /// Print the resolved postmortems as JSON, for tools and dashboards.
    ///
    /// Every field, each time with its instant in the document's zone and in
    /// UTC, and computed lengths in seconds. See docs/export.md; `pm schema
    /// --export` prints the output's JSON Schema.
    Export(ExportArgs),
    /// Print the JSON Schema of the postmortem format, for editors and validators.
    Schema(SchemaArgs),
    /// List every rule with its default severity and a one-line summary.
    Rules(RulesArgs),
    /// Run the language server (LSP over stdio), for editors: diagnostics,
    /// hovers, quick fixes, completion and an outline.
    ///
    /// See docs/editors.md for the configuration of Neovim, Helix, Zed and VS Code.
    Lsp,
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
pub struct ExportArgs {
    /// Files or folders to export (folders recursively for *.yaml and *.yml); `-` reads stdin.
    /// Default: `[defaults] dir` of pm.toml, else the current folder.
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    /// How to print the documents.
    #[arg(long, value_enum, default_value_t = ExportFormat::Json)]
    pub format: ExportFormat,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    /// One JSON array of documents.
    Json,
    /// One document a line (JSON Lines).
    Jsonl,
}

#[derive(Debug, Args)]
pub struct SchemaArgs {
    /// Print the JSON Schema of `pm export`'s output instead.
    #[arg(long)]
    pub export: bool,
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
// Flags of a command line are booleans.
#[allow(clippy::struct_excessive_bools)]
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

    /// Refuse files larger than this, unread (`file-too-large`): bytes, or a
    /// number with K, M or G (powers of 1024) [default: `[check] max_file_size`
    /// of pm.toml, else 1M].
    #[arg(long, value_name = "SIZE", value_parser = crate::files::parse_size)]
    pub max_file_size: Option<u64>,

    /// Print the documentation of a rule and exit.
    #[arg(long, value_name = "RULE", exclusive = true)]
    pub explain: Option<String>,

    /// Apply the safe fixes in place (stdin: print the fixed text), then
    /// print what was fixed and what remains. See docs/fix.md.
    #[arg(long)]
    pub fix: bool,

    /// With --fix or --diff: apply the unsafe fixes too (they choose
    /// between meanings; review them).
    #[arg(long)]
    pub unsafe_fixes: bool,

    /// Print the fixes as a unified diff and write nothing.
    #[arg(long)]
    pub diff: bool,
}

#[derive(Debug, Args)]
pub struct LogArgs {
    /// The postmortem to add to.
    #[arg(value_name = "FILE")]
    pub file: PathBuf,

    /// What happened, the entry's `text`.
    #[arg(value_name = "TEXT")]
    pub text: String,

    /// When: any form the format takes (`16:40`, `2024-03-01 16:40`,
    /// `16:40 CET`, `~16:40`...) [default: now, in the document's zone].
    #[arg(long, value_name = "TIME")]
    pub at: Option<String>,

    /// The entry's kind: trigger, detected, action, misleading, escalated,
    /// mitigated, resolved, note, impact-start, impact-end, communication.
    #[arg(long, value_name = "KIND", default_value = "note")]
    pub kind: String,

    /// Who did or saw it.
    #[arg(long, value_name = "NAME")]
    pub by: Option<String>,
}

#[derive(Debug, Args)]
pub struct NewArgs {
    /// The incident's title; it also names the file. Asked for on a terminal when left out.
    pub title: Option<String>,

    /// The incident's date, YYYY-MM-DD [default: today in the zone].
    #[arg(long)]
    pub date: Option<String>,

    /// IANA zone the times are written in, such as Africa/Lagos [default: the machine's].
    #[arg(long, value_name = "ZONE")]
    pub timezone: Option<String>,

    /// When impact began: HH:MM, or YYYY-MM-DD HH:MM [default: a placeholder].
    #[arg(long, value_name = "TIME")]
    pub start: Option<String>,

    /// Severity on the team's scale, such as SEV2.
    #[arg(long, value_name = "S")]
    pub severity: Option<String>,

    /// The service that was down or slow.
    #[arg(long, value_name = "NAME")]
    pub service: Option<String>,

    /// Folder to write in [default: the current one].
    #[arg(long, value_name = "DIR")]
    pub dir: Option<PathBuf>,

    /// Print the scaffold instead of writing a file.
    #[arg(long)]
    pub stdout: bool,

    /// Replace the file if it exists.
    #[arg(long, conflicts_with = "stdout")]
    pub force: bool,

    /// Never prompt, even on a terminal.
    #[arg(long)]
    pub no_input: bool,
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// Markdown or text postmortems to import; `-` reads stdin.
    #[arg(value_name = "FILE", required = true)]
    pub paths: Vec<PathBuf>,

    /// Folder to write the drafts in, named as `pm new` names them [default:
    /// `[defaults] dir` of pm.toml, else the current folder].
    #[arg(short, long, value_name = "DIR")]
    pub output: Option<PathBuf>,

    /// Print the drafts instead of writing files.
    #[arg(long, conflicts_with = "output")]
    pub stdout: bool,

    /// IANA zone for documents that name none, such as Africa/Lagos.
    #[arg(long, value_name = "ZONE")]
    pub timezone: Option<String>,

    /// How to read dates such as 04/05/2024 when the document does not settle it.
    #[arg(long, value_enum, value_name = "ORDER")]
    pub date_order: Option<DateOrderArg>,

    /// Replace files that exist.
    #[arg(long, conflicts_with = "stdout")]
    pub force: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum DateOrderArg {
    /// Day first: 04/05/2024 is 4 May.
    Dmy,
    /// Month first: 04/05/2024 is April 5.
    Mdy,
}

#[derive(Debug, Args)]
pub struct RenderArgs {
    /// Postmortems to render (folders: every *.yaml and *.yml in them); `-` reads stdin.
    #[arg(value_name = "FILE", required_unless_present = "list_templates")]
    pub paths: Vec<PathBuf>,

    /// Write the report to PATH instead of stdout. With several inputs (or
    /// when PATH is a folder), PATH is a folder that gets one `<stem>.md` per input.
    #[arg(short, long, value_name = "PATH")]
    pub output: Option<PathBuf>,

    /// A template name (a built-in one, or one from --templates; see
    /// --list-templates), or the path of your own Tera file, which may
    /// `{% extends "readme" %}` [default: `[defaults] template` of pm.toml,
    /// else readme].
    #[arg(short, long, value_name = "NAME|PATH")]
    pub template: Option<String>,

    /// A folder of templates: each file overrides the built-in of the same
    /// name (`readme.md` overrides `readme`) and can be picked with --template.
    #[arg(long, value_name = "DIR")]
    pub templates: Option<PathBuf>,

    /// Replace output files even if pm did not generate them.
    #[arg(long)]
    pub force: bool,

    /// Print the names of the templates --template can pick (the built-in
    /// ones, and those of --templates), one a line, and exit.
    #[arg(long, conflicts_with_all = ["paths", "output", "template", "force"])]
    pub list_templates: bool,
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
pub struct SiteArgs {
    /// The folder of postmortems. Default: `[defaults] dir` of pm.toml, else the current folder.
    #[arg(value_name = "DIR")]
    pub dir: Option<PathBuf>,

    /// The folder to write the site to (created if missing).
    #[arg(short, long, value_name = "OUT")]
    pub output: PathBuf,

    /// Replace files in OUT even if pm did not generate them.
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Args)]
pub struct TasksArgs {
    /// The folder of postmortems. Default: `[defaults] dir` of pm.toml, else the current folder.
    #[arg(value_name = "DIR")]
    pub dir: Option<PathBuf>,

    /// Done tasks too (by default only open ones, overdue among them, are listed).
    #[arg(long, conflicts_with_all = ["open", "overdue"])]
    pub all: bool,

    /// Only tasks not done (the default; kept for scripts).
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

/// `pm check --format`: the emitters' own list, so a new emitter is offered
/// without a second enum to keep in step.
pub use crate::emit::Format as OutputFormat;

impl ValueEnum for OutputFormat {
    fn value_variants<'a>() -> &'a [Self] {
        OutputFormat::ALL
    }

    fn to_possible_value(&self) -> Option<clap::builder::PossibleValue> {
        Some(clap::builder::PossibleValue::new(self.name()).help(self.describe()))
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}
