//! Output formats for findings: one trait, one implementation per format.

mod github;
mod human;
mod json;
mod sarif;

pub use github::Github;
pub use human::Human;
pub use json::Json;
pub use sarif::Sarif;

use crate::check::Checked;
use std::io::{self, Write};

/// Counts over a whole run, for the closing line.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Totals {
    pub files: usize,
    pub files_with_findings: usize,
    pub errors: usize,
    pub warnings: usize,
}

impl Totals {
    pub fn add(&mut self, checked: &Checked) {
        self.files += 1;
        let (errors, warnings) = (checked.errors(), checked.warnings());
        self.errors += errors;
        self.warnings += warnings;
        if errors + warnings > 0 {
            self.files_with_findings += 1;
        }
    }
}

/// Writes the findings of each checked file, then whatever closes the run.
pub trait Emitter {
    fn file(&mut self, out: &mut dyn Write, checked: &Checked) -> io::Result<()>;
    fn finish(&mut self, out: &mut dyn Write, totals: &Totals) -> io::Result<()>;
}

/// The formats `pm check --format` offers: one emitter each.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Human,
    Json,
    Github,
    Sarif,
}

impl Format {
    /// Every format, in the order `--help` lists them.
    pub const ALL: &[Format] = &[Format::Human, Format::Json, Format::Github, Format::Sarif];

    pub fn name(self) -> &'static str {
        match self {
            Format::Human => "human",
            Format::Json => "json",
            Format::Github => "github",
            Format::Sarif => "sarif",
        }
    }

    /// One line for `--help`.
    pub fn describe(self) -> &'static str {
        match self {
            Format::Human => "rustc-style messages with source snippets",
            Format::Json => "One JSON array of findings",
            Format::Github => "GitHub Actions workflow commands (annotations on the pull request)",
            Format::Sarif => "SARIF 2.1.0, for GitHub code scanning and other SARIF viewers",
        }
    }

    pub fn emitter(self, color: bool) -> Box<dyn Emitter> {
        match self {
            Format::Human => Box::new(Human::new(color)),
            Format::Json => Box::new(Json::default()),
            Format::Github => Box::new(Github),
            Format::Sarif => Box::new(Sarif::default()),
        }
    }
}

fn plural(count: usize, word: &str) -> String {
    if count == 1 {
        format!("1 {word}")
    } else {
        format!("{count} {word}s")
    }
}
