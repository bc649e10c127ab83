//! The pipeline from a file's text to its incident and findings.

use crate::diagnostic::{self, Diagnostic, Severity, Span};
use crate::files::{self, Input, Loaded};
use crate::incident::{self, Incident};
use crate::ordered;
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
}

impl Settings {
    pub fn new(today: NaiveDate) -> Self {
        Settings {
            today,
            overrides: HashMap::new(),
        }
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
            diagnostics.push(
                Diagnostic::new(&YAML_SYNTAX, err.span, err.message)
                    .help("fix the YAML here; quote text that contains `: ` or starts with a special character"),
            );
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

/// How many files may be checked ahead of the one being printed: enough to
/// keep every core busy past a slow file, few enough that memory stays flat
/// however many files there are.
const WINDOW: usize = 64;

/// Checks inputs on every core and hands each result to `emit` in input
/// order. Results are dropped once emitted, so memory does not grow with the
/// number of files; the first error `emit` returns stops the run.
pub fn check_each<E>(
    inputs: &[Input],
    settings: &Settings,
    emit: impl FnMut(&Input, Result<Checked, files::Error>) -> Result<(), E>,
) -> Result<(), E> {
    ordered::for_each(inputs, WINDOW, |input| check_input(input, settings), emit)
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

#[cfg(test)]
mod tests {
    use super::*;

    fn settings() -> Settings {
        Settings::new(NaiveDate::from_ymd_opt(2024, 1, 1).expect("a date"))
    }

    /// Files whose only finding names them (an unknown field `f<i>`).
    fn inputs(dir: &std::path::Path, count: usize) -> Vec<Input> {
        (0..count)
            .map(|i| {
                let path = dir.join(format!("{i}.yaml"));
                std::fs::write(&path, format!("f{i}: 1\n")).expect("write");
                Input::File(path)
            })
            .collect()
    }

    fn first_message(checked: &Checked) -> &str {
        checked
            .diagnostics
            .iter()
            .find(|d| d.rule.id == "unknown-field")
            .map_or("", |d| d.message.as_str())
    }

    #[test]
    fn check_each_keeps_input_order_past_the_window() {
        let dir = tempfile::tempdir().expect("temporary folder");
        let inputs = inputs(dir.path(), WINDOW * 3 + 5);
        let mut seen = Vec::new();
        check_each(&inputs, &settings(), |input, result| {
            let checked = result.expect("readable");
            assert_eq!(checked.source.name, input.name());
            seen.push(first_message(&checked).to_owned());
            Ok::<_, ()>(())
        })
        .expect("no emit error");
        let expected: Vec<String> = (0..inputs.len())
            .map(|i| format!("unknown field `f{i}` in a postmortem"))
            .collect();
        assert_eq!(seen, expected);
    }

    #[test]
    fn check_each_reports_unreadable_inputs_in_their_place() {
        let dir = tempfile::tempdir().expect("temporary folder");
        let mut inputs = inputs(dir.path(), 3);
        inputs.insert(1, Input::File(dir.path().join("gone.yaml")));
        let mut outcomes = Vec::new();
        check_each(&inputs, &settings(), |input, result| {
            outcomes.push((input.name(), result.is_ok()));
            Ok::<_, ()>(())
        })
        .expect("no emit error");
        let oks: Vec<bool> = outcomes.iter().map(|(_, ok)| *ok).collect();
        assert_eq!(oks, [true, false, true, true]);
        assert!(outcomes[1].0.ends_with("gone.yaml"));
    }
}
