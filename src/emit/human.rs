//! rustc-style diagnostics with source snippets.

use super::{Emitter, Totals, plural};
use crate::check::Checked;
use crate::diagnostic::{Applicability, Fix, Severity};
use crate::source::Source;
use annotate_snippets::renderer::DecorStyle;
use annotate_snippets::{AnnotationKind, Level, Patch, Renderer, Snippet};
use std::io::{self, Write};
use std::ops::Range;

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

/// A finding's message as its one header line: a line break inside a value
/// it quotes (`\r\n` in a key) is written as `\r` and `\n`, so the header
/// stays one line and the reader still sees the break was there.
fn header_line(message: &str) -> std::borrow::Cow<'_, str> {
    if !message.contains(['\r', '\n']) {
        return std::borrow::Cow::Borrowed(message);
    }
    std::borrow::Cow::Owned(message.replace('\r', "\\r").replace('\n', "\\n"))
}

/// A fix shown as rustc shows a suggestion: the lines it changes, with the
/// replacement in place. Only fixes within lines are shown so; the others
/// are still in `--format json` and `--diff`.
fn suggestion<'a>(source: &'a Source, fix: &'a Fix) -> Option<annotate_snippets::Group<'a>> {
    let ranges = crate::fix::ranges(source, fix);
    let text = source.text.as_str();
    let single_line = fix
        .edits
        .iter()
        .zip(&ranges)
        .all(|(edit, range)| !edit.text.contains('\n') && !text[range.clone()].contains('\n'));
    if ranges.is_empty() || !single_line {
        return None;
    }
    let first = ranges.iter().map(|r| r.start).min()?;
    let last = ranges.iter().map(|r| r.end).max()?;
    let start = source.line_start(first);
    let end = text[last..]
        .find('\n')
        .map_or(text.len(), |newline| last + newline);
    let title = match fix.applicability {
        Applicability::Safe => "safe fix, applied by `pm check --fix`",
        Applicability::Unsafe => "unsafe fix, applied by `pm check --fix --unsafe-fixes`",
    };
    let mut snippet = Snippet::source(&text[start..end])
        .line_start(source.span_of(start..start).line as usize)
        .path(source.name.as_str());
    for (edit, range) in fix.edits.iter().zip(ranges) {
        snippet = snippet.patch(Patch::new(
            range.start - start..range.end - start,
            edit.text.as_str(),
        ));
    }
    Some(Level::HELP.secondary_title(title).element(snippet))
}

/// One underlined place in a snippet.
struct Mark<'a> {
    range: Range<usize>,
    label: Option<&'a str>,
    primary: bool,
}

/// Places closer than this many lines share a snippet; farther ones get
/// their own. Each snippet then holds only the lines it shows, so a finding
/// costs the same in a 1 MiB file as in a short one.
const CLUSTER_GAP: u32 = 50;

/// Groups marks by nearness, the primary mark's group first.
fn clusters<'a>(source: &Source, mut marks: Vec<Mark<'a>>) -> Vec<Vec<Mark<'a>>> {
    marks.sort_by_key(|m| (m.range.start, !m.primary));
    let mut groups: Vec<Vec<Mark<'a>>> = Vec::new();
    let mut last_line: u32 = 0;
    for mark in marks {
        let line = source.span_of(mark.range.start..mark.range.start).line;
        let end_line = source.span_of(mark.range.end..mark.range.end).line;
        match groups.last_mut() {
            Some(group) if line <= last_line.saturating_add(CLUSTER_GAP) => group.push(mark),
            _ => groups.push(vec![mark]),
        }
        last_line = last_line.max(end_line);
    }
    if let Some(primary) = groups.iter().position(|g| g.iter().any(|m| m.primary)) {
        let group = groups.remove(primary);
        groups.insert(0, group);
    }
    groups
}

/// The byte range of the whole lines a group of marks covers.
fn cluster_lines(text: &str, cluster: &[Mark]) -> (usize, usize) {
    let first = cluster.iter().map(|m| m.range.start).min().unwrap_or(0);
    let last = cluster.iter().map(|m| m.range.end).max().unwrap_or(0);
    let start = text[..first].rfind('\n').map_or(0, |i| i + 1);
    let end = text[last..].find('\n').map_or(text.len(), |i| last + i);
    (start, end)
}

impl Emitter for Human {
    fn file(&mut self, out: &mut dyn Write, checked: &Checked) -> io::Result<()> {
        let source = &checked.source;
        // Secrets and personal data never reach a terminal or a CI log whole.
        let masked = crate::rules::secrets::masked_text(source, &checked.diagnostics);
        let text = masked.as_deref().unwrap_or(&source.text);
        let shown = crate::sanitize::mark_invisible(text);
        let text: &str = &shown;
        for diagnostic in &checked.diagnostics {
            let level = match diagnostic.severity {
                Severity::Error => Level::ERROR,
                Severity::Warning => Level::WARNING,
            };
            let mut marks = vec![Mark {
                range: source.first_line_range(diagnostic.span),
                label: diagnostic.label.as_deref(),
                primary: true,
            }];
            marks.extend(diagnostic.related.iter().map(|(span, label)| Mark {
                range: source.first_line_range(*span),
                label: Some(label.as_str()),
                primary: false,
            }));
            let snippets = clusters(source, marks).into_iter().map(|cluster| {
                let (start, end) = cluster_lines(text, &cluster);
                let mut snippet = Snippet::source(&text[start..end])
                    .line_start(source.span_of(start..start).line as usize)
                    .path(source.name.as_str());
                for mark in cluster {
                    let range = mark.range.start - start..mark.range.end - start;
                    let kind = if mark.primary {
                        AnnotationKind::Primary
                    } else {
                        AnnotationKind::Context
                    };
                    let mut annotation = kind.span(range);
                    if let Some(label) = mark.label {
                        annotation = annotation.label(label);
                    }
                    snippet = snippet.annotation(annotation);
                }
                snippet
            });
            let mut group = level
                .primary_title(header_line(&diagnostic.message))
                .id(diagnostic.rule.id)
                .elements(snippets);
            if let Some(help) = &diagnostic.help {
                group = group.element(Level::HELP.message(help.as_str()));
            }
            let suggestion = diagnostic
                .fix
                .as_ref()
                .filter(|_| masked.is_none() && text == source.text.as_str())
                .and_then(|fix| suggestion(source, fix));
            let mut groups = vec![group];
            groups.extend(suggestion);
            writeln!(out, "{}\n", self.renderer.render(&groups))?;
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
