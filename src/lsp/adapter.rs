//! The one place the server touches pm's core: checking a buffer with the
//! settings `pm check` would use for the file and the team's pm.toml, and
//! the core's types the other modules of `lsp` read, re-exported here. When
//! the core's API moves, only this file does.

use crate::check::{self, Settings};
use crate::config::{Config, Found};
use chrono::NaiveDate;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

// What a check gives: the normalised text, the incident, the findings.
pub use crate::check::Checked;
pub use crate::diagnostic::{Applicability, Diagnostic, Severity, Span};
pub use crate::rules::Rule;
// The format: its keys and names, its schema (for key documentation).
pub use crate::incident::schema::schema;
pub use crate::incident::{Incident, Time, format, keys};
// Times and zones, for hovers and completion.
pub use crate::time::{
    Problem, abbreviation_at, human_duration, parse as parse_time, resolve as resolve_time,
};
pub use crate::zones::{CANONICAL as CANONICAL_ZONES, is_canonical as is_canonical_zone};
// The YAML tree with spans, for hovers on keys and the outline.
pub use crate::yaml::{Key, Node, Value, parse as parse_yaml};

/// pm.toml's file name, whose save reloads the settings.
pub const CONFIG_FILE: &str = crate::config::FILE_NAME;

/// The text as pm checks it: without a BOM, with LF line breaks.
pub fn normalised(text: &str) -> String {
    crate::source::Source::new("", text).text.to_string()
}

/// pm.toml as found from a folder upward, remembered per folder until a
/// save may have changed it.
#[derive(Debug, Default)]
pub struct Configs {
    by_dir: HashMap<PathBuf, Loaded>,
}

#[derive(Clone, Debug)]
pub enum Loaded {
    None,
    Found(Box<Found>),
    /// pm.toml exists but cannot be used: the check runs on the defaults,
    /// and the error is shown to the user.
    Broken(String),
}

impl Configs {
    pub fn for_dir(&mut self, dir: &Path) -> &Loaded {
        self.by_dir
            .entry(dir.to_path_buf())
            .or_insert_with(|| match Config::discover(dir) {
                Ok(Some(found)) => Loaded::Found(Box::new(found)),
                Ok(None) => Loaded::None,
                Err(err) => Loaded::Broken(err.to_string()),
            })
    }

    /// Forgets every folder's pm.toml (one was saved, or watched files changed).
    pub fn clear(&mut self) {
        self.by_dir.clear();
    }
}

/// The settings `pm check` would use: today, and the team's policy.
pub fn settings(today: NaiveDate, config: &Loaded) -> Settings {
    let mut settings = Settings::new(today);
    if let Loaded::Found(found) = config {
        found.config.apply(&mut settings);
    }
    settings
}

/// Checks the buffer's text (not the file on disk) as `pm check` checks a file.
pub fn check(name: &str, text: &str, settings: &Settings) -> Checked {
    check::check_bytes(name, text.as_bytes(), settings)
}
