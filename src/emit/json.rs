//! One JSON array of findings, for scripts.

use super::{Emitter, Totals};
use crate::check::Checked;
use crate::diagnostic::Applicability;
use serde::Serialize;
use std::io::{self, Write};

#[derive(Default)]
pub struct Json {
    findings: Vec<Finding>,
}

#[derive(Serialize)]
struct Finding {
    file: String,
    line: u32,
    column: u32,
    severity: &'static str,
    rule: &'static str,
    message: String,
    /// What the human format prints under the caret.
    #[serde(skip_serializing_if = "Option::is_none")]
    label: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    help: Option<String>,
    /// The help as edits a tool can apply (`pm check --fix` does).
    #[serde(skip_serializing_if = "Option::is_none")]
    fix: Option<FixOut>,
}

#[derive(Serialize)]
struct FixOut {
    applicability: Applicability,
    edits: Vec<EditOut>,
}

/// An edit's start and exclusive end, 1-based, columns in characters.
#[derive(Serialize)]
struct EditOut {
    line: u32,
    column: u32,
    end_line: u32,
    end_column: u32,
    text: String,
}

impl Emitter for Json {
    fn file(&mut self, _out: &mut dyn Write, checked: &Checked) -> io::Result<()> {
        self.findings
            .extend(checked.diagnostics.iter().map(|d| Finding {
                file: checked.source.name.clone(),
                line: d.span.line,
                column: d.span.column,
                severity: d.severity.as_str(),
                rule: d.rule.id,
                message: d.message.clone(),
                label: d.label.clone(),
                help: d.help.clone(),
                fix: d.fix.as_ref().map(|fix| {
                    FixOut {
                        applicability: fix.applicability,
                        edits: crate::fix::positions(&checked.source, fix)
                            .into_iter()
                            .map(|p| EditOut {
                                line: p.line,
                                column: p.column,
                                end_line: p.end_line,
                                end_column: p.end_column,
                                text: p.text,
                            })
                            .collect(),
                    }
                }),
            }));
        Ok(())
    }

    fn finish(&mut self, out: &mut dyn Write, _totals: &Totals) -> io::Result<()> {
        serde_json::to_writer_pretty(&mut *out, &self.findings)?;
        writeln!(out)
    }
}
