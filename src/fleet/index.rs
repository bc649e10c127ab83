//! The Markdown index of postmortems, through a Tera template (built in,
//! or the user's). Its context is documented in docs/index.md.
//!
//! It renders through `crate::template`, like reports: the built-in template
//! passes every value through `inline`, so a title stays one line and its
//! punctuation is never markup.

use super::stats::{Count, Figures, Group, Stats};
use super::{Invalid, Length, local_start};
use crate::check::Checked;
use crate::incident::Incident;
use crate::template::filters::inline_text;
use crate::template::{self, Escape, INDEX, Templates};
use chrono::{DateTime, FixedOffset, NaiveDate};
use serde::Serialize;
use std::path::{Path, PathBuf};

/// One postmortem in the table.
#[derive(Clone, Debug, Serialize)]
pub struct Row {
    /// The YAML file, as found.
    pub file: String,
    /// Link to the rendered report (`<stem>.md` beside the YAML), relative to
    /// the index and percent-encoded, when the report exists.
    pub report: Option<String>,
    /// The title, or the file name when the title is missing (drafts).
    pub title: String,
    /// The local date of the start (`YYYY-MM-DD`) in the document's zone.
    pub date: Option<String>,
    /// The month of the start (`YYYY-MM`).
    pub month: Option<String>,
    /// The start with its offset, RFC 3339.
    pub start: Option<String>,
    pub severity: Option<String>,
    pub service: Option<String>,
    pub status: &'static str,
    pub duration: Option<Length>,
    pub time_to_detect: Option<Length>,
    pub time_to_resolve: Option<Length>,
    /// Share of users affected, 0-100.
    pub affected: Option<f64>,
    /// The same as text: `20%`, `12.5%`.
    pub affected_text: Option<String>,
    pub tasks: usize,
    pub open_tasks: usize,
    pub overdue_tasks: usize,
    #[serde(skip)]
    sort_start: Option<DateTime<FixedOffset>>,
}

impl Row {
    pub fn new(file: &str, report: Option<String>, incident: &Incident, today: NaiveDate) -> Self {
        let metrics = incident.metrics();
        let start = local_start(incident);
        let affected = incident.summary.affected.as_ref().map(|a| &a.value);
        Row {
            file: file.to_owned(),
            report,
            title: incident.title().map_or_else(
                || {
                    Path::new(file)
                        .file_name()
                        .map_or_else(|| file.to_owned(), |n| n.to_string_lossy().into_owned())
                },
                |t| t.value.clone(),
            ),
            date: start.map(|(_, date)| date.format("%Y-%m-%d").to_string()),
            month: start.map(|(_, date)| date.format("%Y-%m").to_string()),
            start: start.map(|(at, _)| at.to_rfc3339()),
            severity: incident.severity().map(|s| s.value.clone()),
            service: incident.summary.service().map(|s| s.value.clone()),
            status: incident.status.as_str(),
            duration: metrics.duration.map(Length::of),
            time_to_detect: metrics.time_to_detect.map(Length::of),
            time_to_resolve: metrics.time_to_resolve.map(Length::of),
            affected: affected.and_then(crate::incident::Affected::share),
            affected_text: affected.map(crate::incident::Affected::describe),
            tasks: incident.tasks.len(),
            open_tasks: incident.tasks.iter().filter(|t| !t.done).count(),
            overdue_tasks: incident
                .tasks
                .iter()
                .filter(|t| t.is_overdue(today))
                .count(),
            sort_start: start.map(|(at, _)| at),
        }
    }
}

/// An index being gathered, file by file.
#[derive(Debug)]
pub struct Index {
    /// The folder links are relative to: the index file's folder.
    link_base: PathBuf,
    today: NaiveDate,
    rows: Vec<Row>,
    invalid: Vec<Invalid>,
    stats: Stats,
}

/// Everything a template sees.
#[derive(Serialize)]
struct TemplateContext<'a> {
    /// What was indexed, as given (`postmortems`).
    source: &'a str,
    /// Newest first.
    incidents: &'a [Row],
    /// Files with errors, in the order found.
    invalid: &'a [Invalid],
    totals: &'a Figures,
    by_severity: &'a [Group],
    by_month: &'a [Group],
    by_tag: &'a [Count],
    by_service: &'a [Count],
    by_factor_kind: &'a [Count],
}

#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct TemplateError(String);

impl Index {
    pub fn new(link_base: &Path, today: NaiveDate) -> Self {
        Index {
            link_base: link_base.to_path_buf(),
            today,
            rows: Vec::new(),
            invalid: Vec::new(),
            stats: Stats::default(),
        }
    }

    /// Adds a checked file: a row if it has no errors, else an entry in the
    /// list of files with errors. `path` is where it was read from.
    pub fn add(&mut self, checked: &Checked, path: Option<&Path>) {
        if let Some(invalid) = Invalid::of(checked) {
            self.invalid.push(invalid);
            return;
        }
        let Some(incident) = &checked.incident else {
            return;
        };
        let report = path
            .map(|p| p.with_extension("md"))
            .filter(|md| md.is_file())
            .and_then(|md| crate::paths::relative_link(&self.link_base, &md));
        self.rows
            .push(Row::new(&checked.source.name, report, incident, self.today));
        self.stats.add(incident);
    }

    /// Files with errors so far.
    pub fn invalid(&self) -> &[Invalid] {
        &self.invalid
    }

    /// Renders the index through the built-in template, or `user` (its name
    /// for messages, and its text). `source` names what was indexed.
    pub fn render(
        mut self,
        source: &str,
        user: Option<(&str, &str)>,
        severities: Option<&[String]>,
    ) -> Result<String, TemplateError> {
        // Newest first; undated last, by file name.
        self.rows.sort_by(|a, b| {
            b.sort_start
                .is_some()
                .cmp(&a.sort_start.is_some())
                .then(b.sort_start.cmp(&a.sort_start))
                .then_with(|| a.file.cmp(&b.file))
        });
        let report = self.stats.report(severities);
        let context = TemplateContext {
            source,
            incidents: &self.rows,
            invalid: &self.invalid,
            totals: &report.total,
            by_severity: &report.by_severity,
            by_month: &report.by_month,
            by_tag: &report.by_tag,
            by_service: &report.by_service,
            by_factor_kind: &report.by_factor_kind,
        };
        let mut templates = Templates::new(Escape::Markdown);
        let (name, text) = user.unwrap_or((INDEX.name, INDEX.text));
        let describe = |e: template::Error| TemplateError(e.0.trim_end().to_owned());
        templates.add(name, text).map_err(describe)?;
        let body = templates.render(name, &context).map_err(describe)?;
        Ok(format!("{}\n{}", crate::output::marker(source), body))
    }
}

/// Text with `code` in backticks (as pm's messages are written) as
/// Markdown: code spans kept, since nothing inside them is interpreted, and
/// the text between them escaped. Unbalanced backticks are escaped too.
pub(crate) fn inline_markdown(text: &str) -> String {
    let parts: Vec<&str> = text.split('`').collect();
    if parts.len().is_multiple_of(2) {
        return inline_text(text);
    }
    let mut out = String::with_capacity(text.len());
    for (i, part) in parts.iter().enumerate() {
        let code = i % 2 == 1;
        if code && !part.trim().is_empty() {
            out.push('`');
            out.push_str(&part.replace(['\n', '\r'], " "));
            out.push('`');
        } else if code {
            out.push_str("\\`");
            out.push_str(&inline_text(part));
            out.push_str("\\`");
        } else {
            out.push_str(&inline_text(part));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_is_escaped() {
        assert_eq!(
            inline_text("a|b <script> [x](y) *c*\nd"),
            r"a\|b \<script\> \[x\](y) \*c\* d"
        );
    }

    #[test]
    fn messages_keep_their_code_spans() {
        assert_eq!(
            inline_markdown("unknown field `root_caus` in a <b>"),
            r"unknown field `root_caus` in a \<b\>"
        );
        assert_eq!(inline_markdown("a ` b_c"), r"a \` b\_c");
        assert_eq!(inline_markdown("empty `` here"), r"empty \`\` here");
    }

    #[test]
    fn shares_print_without_trailing_zeros() {
        use crate::incident::Affected;
        assert_eq!(Affected::Share(20.0).describe(), "20%");
        assert_eq!(Affected::Share(12.5).describe(), "12.5%");
        assert_eq!(Affected::Share(0.25).describe(), "0.25%");
        let count = Affected::Count {
            count: 31,
            unit: Some("services".into()),
            of: Some(140),
        };
        assert_eq!(count.describe(), "31 of 140 services");
    }
}
