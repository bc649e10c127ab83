//! Findings about a postmortem, positioned in its source.

use serde::Serialize;

/// A position in the source, from the parser's spans.
///
/// `line` and `column` are 1-based, the column counted in characters as
/// editors do; `len` is the length in characters that a snippet underlines.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize)]
pub struct Span {
    pub line: u32,
    pub column: u32,
    pub len: u32,
}

impl Span {
    /// The very start of the document, for findings about what is absent.
    pub const DOCUMENT: Span = Span {
        line: 1,
        column: 1,
        len: 0,
    };
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// One finding. The rule says what kind; the message says what, in the user's terms.
#[derive(Clone, Debug)]
pub struct Diagnostic {
    pub rule: &'static Rule,
    pub severity: Severity,
    pub message: String,
    pub span: Span,
    /// Text under the caret, when it adds to the message.
    pub label: Option<String>,
    pub help: Option<String>,
    /// Other places that explain this one ("the entry before is here").
    pub related: Vec<(Span, String)>,
    /// The help's concrete text as an edit a tool can apply (`--fix`, the
    /// language server's quick fixes).
    pub fix: Option<Fix>,
}

/// Whether a fix keeps what the author evidently meant (ruff's model).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Applicability {
    /// Keeps the meaning the author evidently intended: applied by `--fix`.
    Safe,
    /// Chooses between meanings: applied only with `--unsafe-fixes`.
    Unsafe,
}

/// Replace what `span` covers (in the decoded text: no BOM, LF line breaks)
/// with `text`. A span of no length inserts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Edit {
    pub span: Span,
    pub text: String,
}

/// A machine-applicable suggestion: edits that apply together.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fix {
    pub applicability: Applicability,
    pub edits: Vec<Edit>,
}

impl Fix {
    pub fn safe(span: Span, text: impl Into<String>) -> Self {
        Fix {
            applicability: Applicability::Safe,
            edits: vec![Edit {
                span,
                text: text.into(),
            }],
        }
    }

    pub fn unsafe_(span: Span, text: impl Into<String>) -> Self {
        Fix {
            applicability: Applicability::Unsafe,
            ..Fix::safe(span, text)
        }
    }
}

impl Diagnostic {
    /// A finding at the rule's default severity.
    pub fn new(rule: &'static Rule, span: Span, message: impl Into<String>) -> Self {
        Diagnostic {
            rule,
            severity: rule.severity,
            message: shorten_quotes(message.into()),
            span,
            label: None,
            help: None,
            related: Vec::new(),
            fix: None,
        }
    }

    #[must_use]
    pub fn severity(mut self, severity: Severity) -> Self {
        self.severity = severity;
        self
    }

    #[must_use]
    pub fn label(mut self, label: impl Into<String>) -> Self {
        self.label = Some(shorten_quotes(label.into()));
        self
    }

    #[must_use]
    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(shorten_quotes(help.into()));
        self
    }

    #[must_use]
    pub fn related(mut self, span: Span, label: impl Into<String>) -> Self {
        self.related.push((span, shorten_quotes(label.into())));
        self
    }

    #[must_use]
    pub fn fix(mut self, fix: Fix) -> Self {
        self.fix = Some(fix);
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// A rule's identity and documentation. Ids are a public interface: CI
/// configs refer to them, so they never change once released.
#[derive(Debug)]
pub struct Rule {
    pub id: &'static str,
    pub severity: Severity,
    /// One line for `pm rules`.
    pub summary: &'static str,
    /// The full documentation for `pm check --explain`.
    pub docs: RuleDocs,
}

#[derive(Debug)]
pub struct RuleDocs {
    pub what: &'static str,
    pub why: &'static str,
    /// A YAML fragment that triggers the rule.
    pub example: &'static str,
    pub fix: &'static str,
    /// The fixes the rule's findings carry, which are safe and which
    /// unsafe, and why (ruff's model); empty when it proposes none.
    pub fixes: &'static str,
}

impl PartialEq for Rule {
    fn eq(&self, other: &Self) -> bool {
        self.id == other.id
    }
}

impl Rule {
    /// The documentation as `pm check --explain` prints it (Markdown).
    pub fn explain(&self) -> String {
        let RuleDocs {
            what,
            why,
            example,
            fix,
            fixes,
        } = &self.docs;
        let fixes = if fixes.is_empty() {
            String::new()
        } else {
            format!("\n## Fixes (`pm check --fix`)\n\n{fixes}\n")
        };
        format!(
            "# {id}\n\nDefault severity: {severity}.\n\n## What it checks\n\n{what}\n\n## Why\n\n{why}\n\n## Example\n\n```yaml\n{example}\n```\n\n## How to fix it\n\n{fix}\n{fixes}",
            id = self.id,
            severity = self.severity.as_str(),
            example = example.trim_end(),
        )
    }
}

/// Quoted values longer than this are shortened in messages.
const LONGEST_QUOTE: usize = 60;

/// Shortens long `quoted` values in a message: the message quotes what the
/// user wrote, which in a hostile file can be megabytes long.
fn shorten_quotes(text: String) -> String {
    // Bidi controls and zero-width characters quoted from the file are
    // shown as code points in every format.
    let text = crate::sanitize::visible_owned(text);
    if text.len() <= 2 * LONGEST_QUOTE {
        return text;
    }
    let mut out = String::with_capacity(text.len().min(4 * LONGEST_QUOTE));
    for (index, part) in text.split('`').enumerate() {
        if index > 0 {
            out.push('`');
        }
        // Odd parts are inside backticks.
        let count = part.chars().count();
        if index % 2 == 1 && count > LONGEST_QUOTE {
            out.extend(part.chars().take(LONGEST_QUOTE - 11));
            out.push('…');
            out.extend(part.chars().skip(count - 10));
        } else {
            out.push_str(part);
        }
    }
    out
}

/// Sorts findings by position, then rule, so output is stable whatever order checks ran in.
pub fn sort(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by(|a, b| {
        (a.span.line, a.span.column, a.rule.id).cmp(&(b.span.line, b.span.column, b.rule.id))
    });
}

#[cfg(test)]
mod tests {
    use super::shorten_quotes;

    #[test]
    fn long_quotes_are_shortened_and_short_ones_kept() {
        let short = "`16:5` is not a time".to_owned();
        assert_eq!(shorten_quotes(short.clone()), short);
        let long = format!(
            "`{}` is not a time; write `HH:MM`, such as `16:40`",
            "9".repeat(5000)
        );
        let shortened = shorten_quotes(long);
        assert_eq!(
            shortened,
            format!(
                "`{}…{}` is not a time; write `HH:MM`, such as `16:40`",
                "9".repeat(49),
                "9".repeat(10)
            )
        );
    }
}
