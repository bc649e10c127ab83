//! The pipeline from a file's text to its incident and findings.

use crate::diagnostic::{self, Diagnostic, Severity, Span};
use crate::files::{self, Input, Loaded};
use crate::incident::{self, Incident};
use crate::rules::{self, Context, YAML_SYNTAX};
use crate::source::Source;
use crate::yaml;
use chrono::NaiveDate;
use std::collections::HashMap;

/// What a check needs from outside the file.
#[derive(Clone, Debug)]
pub struct Settings {
    /// "Today", injected so output never depends on the clock.
    pub today: NaiveDate,
    /// Severity overrides by rule id; `None` turns the rule off.
    pub overrides: HashMap<&'static str, Option<Severity>>,
    /// The severities a postmortem may have (`unknown-severity`); `None`
    /// allows any.
    pub severities: Option<Vec<String>>,
    /// Inclusive bounds on the words of the prose (`word-count`); `None`
    /// checks no length.
    pub words: Option<(usize, usize)>,
    /// Optional parts of the format that the team requires.
    pub require: Vec<Require>,
}

impl Settings {
    pub fn new(today: NaiveDate) -> Self {
        Settings {
            today,
            overrides: HashMap::new(),
            severities: None,
            words: None,
            require: Vec::new(),
        }
    }
}

/// An optional part of the format that `[check] require` makes required.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Require {
    Severity,
    Authors,
    Lessons,
    /// Every task has a `due` date.
    TaskDue,
}

impl Require {
    pub const NAMES: &[&str] = &["severity", "authors", "lessons", "tasks.due"];

    pub fn from_name(name: &str) -> Option<Self> {
        match name {
            "severity" => Some(Require::Severity),
            "authors" => Some(Require::Authors),
            "lessons" => Some(Require::Lessons),
            "tasks.due" => Some(Require::TaskDue),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        Self::NAMES[self as usize]
    }
}

/// A checked file: its source, the incident if the YAML parsed, and findings
/// sorted by position.
#[derive(Debug)]
pub struct Checked {
    pub source: Source,
    pub incident: Option<Incident>,
    pub diagnostics: Vec<Diagnostic>,
}

impl Checked {
    pub fn errors(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.is_error()).count()
    }

    pub fn warnings(&self) -> usize {
        self.diagnostics.len() - self.errors()
    }
}

/// Reads, decodes, resolves and checks one postmortem.
pub fn check(source: Source, settings: &Settings) -> Checked {
    let mut diagnostics = Vec::new();
    let incident = match yaml::parse(&source.text) {
        Err(err) => {
            let help = err.help();
            diagnostics.push(Diagnostic::new(&YAML_SYNTAX, err.span, err.message).help(help));
            None
        }
        Ok(tree) => {
            let mut incident = incident::decode(&tree, &source, &mut diagnostics);
            rules::time::resolve(&mut incident, &mut diagnostics);
            let ctx = Context {
                incident: &incident,
                tree: &tree,
                source: &source,
                today: settings.today,
                settings,
            };
            rules::check(&ctx, &mut diagnostics);
            Some(incident)
        }
    };
    apply_overrides(&mut diagnostics, settings);
    diagnostic::sort(&mut diagnostics);
    Checked {
        source,
        incident,
        diagnostics,
    }
}

fn apply_overrides(diagnostics: &mut Vec<Diagnostic>, settings: &Settings) {
    if settings.overrides.is_empty() {
        return;
    }
    diagnostics.retain_mut(|d| match settings.overrides.get(d.rule.id) {
        None => true,
        Some(None) => false,
        Some(Some(severity)) => {
            d.severity = *severity;
            true
        }
    });
}

/// Reads and checks one input. Text that is not UTF-8 is a finding about the
/// file; only failing to read it at all is an error.
pub fn check_input(input: &Input, settings: &Settings) -> Result<Checked, files::Error> {
    match files::read(input)? {
        Loaded::Text(source) => Ok(check(source, settings)),
        Loaded::NotText { name, valid } => {
            let line = valid.matches('\n').count() + 1;
            let column = valid.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
            let span = Span {
                line: u32::try_from(line).unwrap_or(u32::MAX),
                column: u32::try_from(column).unwrap_or(u32::MAX),
                len: 0,
            };
            let mut diagnostics = vec![
                Diagnostic::new(&YAML_SYNTAX, span, "the file is not UTF-8 text")
                    .label("the first byte that is not UTF-8")
                    .help("save the postmortem as UTF-8 text; binary files are not postmortems"),
            ];
            apply_overrides(&mut diagnostics, settings);
            Ok(Checked {
                source: Source::new(name, &valid),
                incident: None,
                diagnostics,
            })
        }
    }
}
