//! `pm site`: every postmortem as a static website, gathered one checked
//! file at a time like the index, then written as pages (docs/site.md).
//!
//! Pages render through the one Tera wrapper (`templates/site/`, HTML
//! escaping); the charts are SVG drawn by `svg`. Files with errors get no
//! page but are listed, with their errors, on the index page.

pub mod svg;

use crate::check::Checked;
use crate::fleet::index::Row;
use crate::fleet::stats::{Count, Spread, Stats};
use crate::fleet::tasks::{self, Tally, TaskRow};
use crate::fleet::{Invalid, local_start, severity_of};
use crate::incident::Incident;
use crate::render::context::{self, Document};
use crate::template::{self, Templates};
use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use std::collections::BTreeSet;
use svg::{Bar, Clock, Mark, Timeline};

/// The folder of the site that holds one page per postmortem. `pm site`
/// removes the pages there that it wrote for a postmortem that is gone.
pub const INCIDENT_PAGES: &str = "incidents";

/// One file of the site: its path under the output folder, `/`-separated.
#[derive(Clone, Debug)]
pub struct Page {
    pub path: String,
    pub contents: String,
}

/// A postmortem with a page.
#[derive(Debug, Serialize)]
struct Listed {
    /// `incidents/<slug>.html`, relative to the site's root.
    href: String,
    row: Row,
    /// The year of the start in the document's zone, for the filter.
    year: Option<String>,
    tags: Vec<String>,
    /// `SEV2`, or `unspecified`: the filter's value.
    severity_key: String,
    /// The start as a Unix time, for sorting by date across zones.
    start_unix: Option<i64>,
    /// What the search looks in, besides the title.
    #[serde(skip)]
    text: String,
    #[serde(skip)]
    document: Document,
    #[serde(skip)]
    timeline: Option<String>,
    /// The same chart laid out for a phone: the page shows one or the other.
    #[serde(skip)]
    timeline_narrow: Option<String>,
    #[serde(skip)]
    sort: (bool, Option<DateTime<Utc>>),
}

/// A follow-up task, with the page of its incident.
#[derive(Debug, Serialize)]
struct FollowUp {
    #[serde(flatten)]
    row: TaskRow,
    href: String,
}

/// A site being gathered, file by file.
#[derive(Debug)]
pub struct Site {
    today: NaiveDate,
    incidents: Vec<Listed>,
    invalid: Vec<Invalid>,
    stats: Stats,
    follow_ups: Vec<FollowUp>,
    slugs: BTreeSet<String>,
}

/// What every page sees.
#[derive(Serialize)]
struct Common<'a> {
    /// What the site was made from, as given.
    source: &'a str,
    /// The way back to the site's root from the page: empty, or `../`.
    root: &'static str,
    /// The page, for the navigation's `aria-current`.
    page: &'static str,
    css: &'static str,
    js: &'static str,
}

impl Site {
    pub fn new(today: NaiveDate) -> Self {
        Site {
            today,
            incidents: Vec::new(),
            invalid: Vec::new(),
            stats: Stats::default(),
            follow_ups: Vec::new(),
            slugs: BTreeSet::new(),
        }
    }

    /// Adds a checked file: a page if it has no errors, else an entry in
    /// the list of files with errors.
    pub fn add(&mut self, checked: &Checked) {
        if let Some(invalid) = Invalid::of(checked) {
            self.invalid.push(invalid);
            return;
        }
        let Some(incident) = &checked.incident else {
            return;
        };
        let file = checked.source.name.as_str();
        let href = format!("{INCIDENT_PAGES}/{}.html", self.slug_for(file));
        let row = Row::new(file, Some(href.clone()), incident, self.today);
        let document = context::build(incident);
        let start = local_start(incident);
        let chart = timeline_of(incident, &document, &row.title);
        let timeline = chart.as_ref().and_then(|t| t.svg("timeline", &svg::WIDE));
        let timeline_narrow = chart
            .as_ref()
            .and_then(|t| t.svg("timeline-narrow", &svg::NARROW));
        for task in tasks::rows(file, incident, self.today) {
            self.follow_ups.push(FollowUp {
                row: task,
                href: href.clone(),
            });
        }
        self.stats.add(incident);
        self.incidents.push(Listed {
            year: start.map(|(_, date)| date.format("%Y").to_string()),
            tags: unique(&document.tags),
            start_unix: start.map(|(at, _)| at.timestamp()),
            severity_key: severity_of(incident),
            text: search_text(&document),
            sort: (start.is_none(), start.map(|(at, _)| at.to_utc())),
            href,
            row,
            document,
            timeline,
            timeline_narrow,
        });
    }

    /// A page name from the file's stem, unique in the site.
    fn slug_for(&mut self, file: &str) -> String {
        let stem = std::path::Path::new(file)
            .file_stem()
            .map_or_else(|| file.to_owned(), |s| s.to_string_lossy().into_owned());
        let base = crate::scaffold::slug(&stem);
        let mut slug = base.clone();
        let mut n = 2;
        while !self.slugs.insert(slug.clone()) {
            slug = format!("{base}-{n}");
            n += 1;
        }
        slug
    }

    /// Every file of the site, sorted by path. `source` names what the site
    /// was made from; `severities` is the configured order of severities.
    pub fn pages(
        mut self,
        source: &str,
        severities: Option<&[String]>,
    ) -> Result<Vec<Page>, template::Error> {
        let templates = template::site::templates()?;
        // Newest first, undated last, then by title and file.
        self.incidents.sort_by(|a, b| {
            a.sort
                .0
                .cmp(&b.sort.0)
                .then(b.sort.1.cmp(&a.sort.1))
                .then_with(|| a.row.title.cmp(&b.row.title))
                .then_with(|| a.row.file.cmp(&b.row.file))
        });
        // Open first (overdue among them first), then by due date, as `pm tasks`.
        self.follow_ups.sort_by(|a, b| tasks::order(&a.row, &b.row));
        let report = self.stats.report(severities);
        let marker = crate::output::marker(source);
        let common = |root: &'static str, page: &'static str| Common {
            source,
            root,
            page,
            css: template::site::CSS,
            js: template::site::JS,
        };
        let html = |templates: &Templates, name: &str, context: &dyn Render| {
            context
                .render(templates, name)
                .map(|text| format!("{marker}\n{text}"))
        };
        let mut pages = Vec::new();

        let filters = Filters::of(&self.incidents, &report.by_severity);
        let mut tally = Tally::default();
        for f in &self.follow_ups {
            tally.add(&f.row);
        }
        pages.push(Page {
            path: "index.html".into(),
            contents: html(
                &templates,
                "index.html",
                &IndexPage {
                    site: common("", "index"),
                    incidents: &self.incidents,
                    invalid: &self.invalid,
                    filters,
                    totals: &report.total,
                    tasks: tally,
                },
            )?,
        });

        for incident in &self.incidents {
            pages.push(Page {
                path: incident.href.clone(),
                contents: html(
                    &templates,
                    "incident.html",
                    &IncidentPage {
                        site: common("../", "incident"),
                        doc: &incident.document,
                        row: &incident.row,
                        timeline: incident.timeline.as_deref(),
                        timeline_narrow: incident.timeline_narrow.as_deref(),
                    },
                )?,
            });
        }

        pages.push(Page {
            path: "follow-ups.html".into(),
            contents: html(
                &templates,
                "follow-ups.html",
                &FollowUpsPage {
                    site: common("", "follow-ups"),
                    open: self.follow_ups.iter().filter(|f| !f.row.done).collect(),
                    done: self.follow_ups.iter().filter(|f| f.row.done).collect(),
                    tally,
                },
            )?,
        });

        let spreads = [
            (
                "time_to_detect",
                "Time to detect",
                &report.total.time_to_detect,
            ),
            (
                "time_to_resolve",
                "Time to resolve",
                &report.total.time_to_resolve,
            ),
            ("duration", "Duration", &report.total.duration),
        ];
        let months: Vec<Count> = report
            .by_month
            .iter()
            .map(|g| Count {
                key: g.key.clone(),
                count: g.figures.count,
            })
            .collect();
        let count_charts = [
            ("by-month", "Incidents by month", months.as_slice()),
            (
                "by-service",
                "Incidents by service",
                report.by_service.as_slice(),
            ),
            ("by-tag", "Incidents by tag", report.by_tag.as_slice()),
            (
                "by-factor-kind",
                "Incidents by kind of contributing factor",
                report.by_factor_kind.as_slice(),
            ),
        ];
        pages.push(Page {
            path: "figures.html".into(),
            contents: html(
                &templates,
                "figures.html",
                &FiguresPage {
                    site: common("", "figures"),
                    total: &report.total,
                    durations: spreads
                        .iter()
                        .map(|(id, title, spread)| Chart::spread(id, title, spread))
                        .collect(),
                    counts: count_charts
                        .iter()
                        .filter(|(_, _, rows)| !rows.is_empty())
                        .map(|(id, title, rows)| Chart::counts(id, title, rows))
                        .collect(),
                    by_severity: &report.by_severity,
                },
            )?,
        });

        pages.push(Page {
            path: "search-index.js".into(),
            contents: search_index(&marker, &self.incidents),
        });
        pages.sort_by(|a, b| a.path.cmp(&b.path));
        Ok(pages)
    }
}

/// The choices of the index's filters, from what the incidents hold.
#[derive(Serialize)]
struct Filters {
    severities: Vec<String>,
    services: Vec<String>,
    tags: Vec<String>,
    /// Newest first.
    years: Vec<String>,
}

impl Filters {
    fn of(incidents: &[Listed], by_severity: &[crate::fleet::stats::Group]) -> Self {
        let services: BTreeSet<String> = incidents.iter().map(|i| service_key(&i.row)).collect();
        let tags: BTreeSet<String> = incidents.iter().flat_map(|i| i.tags.clone()).collect();
        let years: BTreeSet<String> = incidents.iter().filter_map(|i| i.year.clone()).collect();
        Filters {
            // In the configured order of severities.
            severities: by_severity.iter().map(|g| g.key.clone()).collect(),
            services: services.into_iter().collect(),
            tags: tags.into_iter().collect(),
            years: years.into_iter().rev().collect(),
        }
    }
}

fn service_key(row: &Row) -> String {
    row.service
        .as_ref()
        .map(|s| s.trim().to_owned())
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| crate::fleet::stats::UNSPECIFIED.to_owned())
}

#[derive(Serialize)]
struct IndexPage<'a> {
    site: Common<'a>,
    incidents: &'a [Listed],
    invalid: &'a [Invalid],
    filters: Filters,
    totals: &'a crate::fleet::stats::Figures,
    tasks: Tally,
}

#[derive(Serialize)]
struct IncidentPage<'a> {
    site: Common<'a>,
    doc: &'a Document,
    row: &'a Row,
    timeline: Option<&'a str>,
    timeline_narrow: Option<&'a str>,
}

#[derive(Serialize)]
struct FollowUpsPage<'a> {
    site: Common<'a>,
    open: Vec<&'a FollowUp>,
    done: Vec<&'a FollowUp>,
    tally: Tally,
}

#[derive(Serialize)]
struct FiguresPage<'a> {
    site: Common<'a>,
    total: &'a crate::fleet::stats::Figures,
    durations: Vec<Chart<'a>>,
    counts: Vec<Chart<'a>>,
    by_severity: &'a [crate::fleet::stats::Group],
}

/// A chart of the figures page, with the numbers it draws.
#[derive(Serialize)]
struct Chart<'a> {
    id: &'a str,
    title: &'a str,
    spread: Option<&'a Spread>,
    rows: Option<&'a [Count]>,
    svg: String,
}

impl<'a> Chart<'a> {
    fn spread(id: &'a str, title: &'a str, spread: &'a Spread) -> Self {
        let buckets: Vec<(&str, usize)> = spread
            .histogram
            .iter()
            .map(|b| (b.label, b.count))
            .collect();
        Chart {
            id,
            title,
            spread: Some(spread),
            rows: None,
            svg: svg::histogram(id, &format!("{title}: incidents by length"), &buckets),
        }
    }

    fn counts(id: &'a str, title: &'a str, rows: &'a [Count]) -> Self {
        let pairs: Vec<(String, usize)> = rows.iter().map(|c| (c.key.clone(), c.count)).collect();
        Chart {
            id,
            title,
            spread: None,
            rows: Some(rows),
            svg: svg::counts(id, title, &pairs),
        }
    }
}

/// The timeline chart of an incident: the whole impact, its phases, and
/// each timed entry.
fn timeline_of(incident: &Incident, document: &Document, title: &str) -> Option<Timeline> {
    let clock = match incident.zone {
        Some(tz) => Clock::Zone(tz),
        None => Clock::Fixed(*incident.start()?.offset()),
    };
    let at = |unix: Option<i64>| unix.and_then(|u| DateTime::from_timestamp(u, 0));
    let mut bars = Vec::new();
    if let (Some(from), Some(to)) = (incident.start(), incident.end())
        && to > from
    {
        bars.push(Bar {
            label: "Impact".into(),
            from: from.to_utc(),
            to: to.to_utc(),
            key: "impact",
        });
    }
    // The phases split the impact; one alone would repeat it.
    if document.phases.len() > 1 {
        for phase in &document.phases {
            if let (Some(from), Some(to)) = (at(phase.from.unix), at(phase.to.unix)) {
                bars.push(Bar {
                    label: phase.label.to_owned(),
                    from,
                    to,
                    key: phase.key,
                });
            }
        }
    }
    // A draft without an end still shows where its impact began.
    let open_start = incident
        .start()
        .filter(|_| bars.is_empty())
        .map(|from| Mark {
            at: from.to_utc(),
            label: "start of impact (no end given)".into(),
        });
    let marks = open_start
        .into_iter()
        .chain(document.timeline.iter().filter_map(|entry| {
            let when = entry.at.as_ref()?;
            // The kind, and the start of the text: the table has all of it.
            let text = entry.text.as_deref().map(str::trim).unwrap_or_default();
            let text = crate::template::html::plain(text);
            let label = if text.is_empty() {
                kind_label(entry.kind).to_owned()
            } else if text.chars().count() > 60 {
                let cut: String = text.chars().take(59).collect();
                format!("{}: {}…", kind_label(entry.kind), cut.trim_end())
            } else {
                format!("{}: {text}", kind_label(entry.kind))
            };
            Some(Mark {
                at: at(when.unix)?,
                label,
            })
        }))
        .collect();
    Some(Timeline {
        title: title.to_owned(),
        clock,
        bars,
        marks,
    })
}

/// The non-empty values, each once, in the order first written.
fn unique(values: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for value in values.iter().filter(|v| !v.is_empty()) {
        if !out.contains(value) {
            out.push(value.clone());
        }
    }
    out
}

/// A timeline entry's kind as a reader says it.
fn kind_label(kind: &str) -> &str {
    match kind {
        "trigger" => "trigger",
        "detected" => "detected",
        "escalated" => "escalated",
        "misleading" => "misleading path",
        "mitigated" => "mitigated",
        "resolved" => "resolved",
        "impact-start" => "impact began",
        "impact-end" => "impact ended",
        "communication" => "communication",
        "action" => "action",
        "note" => "note",
        _ => "entry",
    }
}

/// The prose of a document, for the search: every text field, the
/// timeline, factors, measures, tasks and lessons.
fn search_text(doc: &Document) -> String {
    let mut parts: Vec<&str> = Vec::new();
    parts.extend(
        doc.texts
            .iter()
            .filter(|(k, _)| **k != "title")
            .filter_map(|(_, v)| v.as_deref()),
    );
    parts.extend(doc.summary.texts.values().filter_map(|v| v.as_deref()));
    parts.extend(doc.timeline.iter().filter_map(|e| e.text.as_deref()));
    parts.extend(doc.contributing_factors.iter().map(|f| f.text.as_str()));
    parts.extend(doc.measures.iter().map(|m| m.text.as_str()));
    parts.extend(doc.tasks.iter().filter_map(|t| t.text.as_deref()));
    parts.extend(doc.tags.iter().map(String::as_str));
    if let Some(lessons) = &doc.lessons {
        for list in [&lessons.went_well, &lessons.went_wrong, &lessons.lucky] {
            parts.extend(list.iter().map(String::as_str));
        }
    }
    parts.extend(doc.notes.iter().filter_map(|n| n.text.as_deref()));
    crate::template::html::plain(&parts.join("\n\n"))
}

/// `search-index.js`: the search's data as a script, since pages opened
/// from `file://` may not `fetch` a JSON file. The marker line is an
/// HTML-like comment, which classic scripts allow.
fn search_index(marker: &str, incidents: &[Listed]) -> String {
    #[derive(Serialize)]
    struct Item<'a> {
        title: &'a str,
        href: &'a str,
        date: Option<&'a str>,
        severity: Option<&'a str>,
        text: &'a str,
    }
    let items: Vec<Item> = incidents
        .iter()
        .map(|i| Item {
            title: &i.row.title,
            href: &i.href,
            date: i.row.date.as_deref(),
            severity: i.row.severity.as_deref(),
            text: &i.text,
        })
        .collect();
    let json = serde_json::to_string(&items).unwrap_or_else(|_| "[]".to_owned());
    // `<` never appears raw, so the data cannot close a script element.
    let json = json.replace('<', "\\u003c");
    format!("{marker}\nwindow.pmSearchIndex = {json};\n")
}

/// A page's context, whatever its type, rendered by name.
trait Render {
    fn render(&self, templates: &Templates, name: &str) -> Result<String, template::Error>;
}

impl<T: Serialize> Render for T {
    fn render(&self, templates: &Templates, name: &str) -> Result<String, template::Error> {
        templates.render(name, self)
    }
}
