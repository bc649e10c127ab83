//! One module per subcommand, over the core.

pub mod check;
pub mod completions;
pub mod export;
mod fix;
mod fleet;
pub mod import;
pub mod index;
pub mod log;
pub mod lsp;
pub mod man;
pub mod new;
pub mod render;
pub mod rules;
pub mod schema;
pub mod site;
pub mod stats;
pub mod tasks;

use crate::check::Settings;
use crate::cli::{Cli, ColorChoice, Command};
use crate::config::{Config, Found};
use anyhow::{Context as _, Result};
use chrono::NaiveDate;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// What the commands take from the environment, gathered in one place so
/// tests can inject it.
#[derive(Clone, Debug)]
pub struct Env {
    /// "Today": `PM_TODAY` (YYYY-MM-DD) if set, else the local date.
    pub today: NaiveDate,
    /// `today` came from `PM_TODAY`, not the clock.
    pub today_injected: bool,
    pub color_stdout: bool,
    pub color_stderr: bool,
    /// The nearest pm.toml, from the current folder up.
    pub config: Option<Found>,
}

impl Env {
    pub fn detect(color: ColorChoice) -> Result<Self> {
        let (today, today_injected) = match std::env::var("PM_TODAY") {
            Ok(text) => (
                NaiveDate::parse_from_str(&text, "%Y-%m-%d")
                    .with_context(|| format!("PM_TODAY=`{text}` is not a date YYYY-MM-DD"))?,
                true,
            ),
            Err(_) => (chrono::Local::now().date_naive(), false),
        };
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        let wants = |terminal: bool| match color {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => terminal && !no_color,
        };
        Ok(Env {
            today,
            today_injected,
            color_stdout: wants(std::io::stdout().is_terminal()),
            color_stderr: wants(std::io::stderr().is_terminal()),
            config: Config::discover(Path::new("."))?,
        })
    }

    /// The team's config, or the defaults when there is no pm.toml.
    pub fn config(&self) -> Config {
        self.config
            .as_ref()
            .map(|found| found.config.clone())
            .unwrap_or_default()
    }

    /// The settings of a check: today, and the policy of pm.toml.
    pub fn settings(&self) -> Settings {
        let mut settings = Settings::new(self.today);
        if let Some(found) = &self.config {
            found.config.apply(&mut settings);
        }
        settings
    }

    /// The folder to work on: the one given, else `[defaults] dir`, else
    /// the current folder.
    pub fn dir(&self, given: Option<&Path>) -> PathBuf {
        given
            .map(Path::to_path_buf)
            .or_else(|| {
                self.config
                    .as_ref()
                    .and_then(|found| found.config.defaults.dir.clone())
            })
            .unwrap_or_else(|| PathBuf::from("."))
    }
}

impl Env {
    /// Today's date in a zone: the injected one if any, else the clock's.
    pub fn today_in(&self, zone: chrono_tz::Tz) -> NaiveDate {
        if self.today_injected {
            self.today
        } else {
            chrono::Utc::now().with_timezone(&zone).date_naive()
        }
    }
}

impl Env {
    /// Now: `PM_NOW` (RFC 3339, such as `2024-03-01T16:40:00Z`) if set, so
    /// tests can fix the clock as `PM_TODAY` fixes the date; else the clock.
    pub fn now() -> Result<chrono::DateTime<chrono::Utc>> {
        match std::env::var("PM_NOW") {
            Ok(text) => chrono::DateTime::parse_from_rfc3339(&text)
                .map(|at| at.with_timezone(&chrono::Utc))
                .with_context(|| {
                    format!("PM_NOW=`{text}` is not an RFC 3339 time such as 2024-03-01T16:40:00Z")
                }),
            Err(_) => Ok(chrono::Utc::now()),
        }
    }
}

/// Exit codes: 0 fine, 1 findings, 2 pm could not run.
pub mod exit {
    pub const OK: u8 = 0;
    pub const FINDINGS: u8 = 1;
    pub const CANNOT_RUN: u8 = 2;
}

pub fn dispatch(cli: Cli) -> Result<ExitCode> {
    // The language server reads pm.toml per document, from each one's
    // folder: a broken one in the current folder must not stop it.
    if let Command::Lsp = cli.command {
        return lsp::run();
    }
    let env = Env::detect(cli.color)?;
    match cli.command {
        Command::Check(args) => check::run(&args, &env),
        Command::New(args) => new::run(&args, &env),
        Command::Render(args) => render::run(&args, &env),
        Command::Import(args) => import::run(&args, &env),
        Command::Export(args) => export::run(&args, &env),
        Command::Schema(args) => schema::run(&args),
        Command::Rules(args) => rules::run(&args),
        Command::Lsp => lsp::run(),
        Command::Completions(args) => completions::run(&args),
        Command::Man(args) => man::run(&args),
        Command::Index(args) => index::run(&args, &env),
        Command::Site(args) => site::run(&args, &env),
        Command::Tasks(args) => tasks::run(&args, &env),
        Command::Stats(args) => stats::run(&args, &env),
        Command::Log(args) => log::run(&args, &env),
    }
}
