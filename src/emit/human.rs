//! rustc-style diagnostics with source snippets.

use super::{Emitter, Totals, plural};
use crate::check::Checked;
use crate::diagnostic::Severity;
use annotate_snippets::renderer::DecorStyle;
use annotate_snippets::{AnnotationKind, Level, Renderer, Snippet};
use std::io::{self, Write};

pub struct Human {
    renderer: Renderer,
    color: bool,
}

impl Human {
    pub fn new(color: bool) -> Self {
        let renderer = if color {
            Renderer::styled()
        } else {
            Renderer::plain()
        };
        Human {
            renderer: renderer.decor_style(DecorStyle::Ascii),
            color,
        }
    }

    fn bold(&self, text: &str, code: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_owned()
        }
    }
}

impl Emitter for Human {
    fn file(&mut self, out: &mut dyn Write, checked: &Checked) -> io::Result<()> {
        let source = &checked.source;
        for diagnostic in &checked.diagnostics {
            let level = match diagnostic.severity {
                Severity::Error => Level::ERROR,
                Severity::Warning => Level::WARNING,
            };
            let mut primary =
                AnnotationKind::Primary.span(source.first_line_range(diagnostic.span));
            if let Some(label) = &diagnostic.label {
                primary = primary.label(label.as_str());
            }
            let mut snippet = Snippet::source(source.text.as_str())
                .path(source.name.as_str())
                .annotation(primary);
            for (span, label) in &diagnostic.related {
                snippet = snippet.annotation(
                    AnnotationKind::Context
                        .span(source.first_line_range(*span))
                        .label(label.as_str()),
                );
            }
            let mut group = level
                .primary_title(diagnostic.message.as_str())
                .id(diagnostic.rule.id)
                .element(snippet);
            if let Some(help) = &diagnostic.help {
                group = group.element(Level::HELP.message(help.as_str()));
            }
            writeln!(out, "{}\n", self.renderer.render(&[group]))?;
        }
        Ok(())
    }

    fn finish(&mut self, out: &mut dyn Write, totals: &Totals) -> io::Result<()> {
        let files = plural(totals.files, "file");
        if totals.errors + totals.warnings == 0 {
            return writeln!(
                out,
                "{}: {files} checked, no problems found",
                self.bold("ok", "1;32")
            );
        }
        let mut found = Vec::new();
        if totals.errors > 0 {
            found.push(plural(totals.errors, "error"));
        }
        if totals.warnings > 0 {
            found.push(plural(totals.warnings, "warning"));
        }
        let verdict = if totals.errors > 0 {
            self.bold("failed", "1;31")
        } else {
            self.bold("passed with warnings", "1;33")
        };
        writeln!(
            out,
            "{verdict}: {} in {} of {files} checked",
            found.join(" and "),
            totals.files_with_findings
        )
    }
}
