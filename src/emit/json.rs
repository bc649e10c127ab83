//! One JSON array of findings, for scripts.

use super::{Emitter, Totals};
use crate::check::Checked;
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
            }));
        Ok(())
    }

    fn finish(&mut self, out: &mut dyn Write, _totals: &Totals) -> io::Result<()> {
        serde_json::to_writer_pretty(&mut *out, &self.findings)?;
        writeln!(out)
    }
}
