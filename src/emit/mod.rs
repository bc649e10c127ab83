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

/// The formats `pm check --format` offers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Human,
    Json,
    Github,
    Sarif,
}

impl Format {
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
