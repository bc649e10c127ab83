//! Charts pm draws itself as SVG: the timeline of an incident, histograms of
//! durations, and bars of counts. Deterministic (same input, same bytes),
//! every label written by pm in the document's zone (a browser never formats
//! a time), lengths on a linear scale of true elapsed time, so a bar across
//! a DST change keeps its real length. Each chart has `<title>` and `<desc>`.

use crate::template::html::escaped;
use chrono::{DateTime, Duration, FixedOffset, NaiveDate, NaiveDateTime, Offset, TimeZone, Utc};
use chrono_tz::Tz;
use std::fmt::Write as _;

/// The clock labels are written in: the document's zone, or the fixed
/// offset its times were written with when it names no zone.
#[derive(Clone, Copy, Debug)]
pub enum Clock {
    Zone(Tz),
    Fixed(FixedOffset),
}

impl Clock {
    /// Local date and time, and the zone's abbreviation then.
    pub fn local(self, at: DateTime<Utc>) -> (NaiveDateTime, String) {
        match self {
            Clock::Zone(tz) => (
                at.with_timezone(&tz).naive_local(),
                crate::time::abbreviation_at(tz, at),
            ),
            Clock::Fixed(offset) => (
                at.with_timezone(&offset).naive_local(),
                format!("UTC{offset}"),
            ),
        }
    }

    fn offset_seconds(self, at: DateTime<Utc>) -> i64 {
        match self {
            Clock::Zone(tz) => i64::from(
                tz.offset_from_utc_datetime(&at.naive_utc())
                    .fix()
                    .local_minus_utc(),
            ),
            Clock::Fixed(offset) => i64::from(offset.local_minus_utc()),
        }
    }

    /// The first instant of a local date (midnight, or the first time after
    /// a gap that swallows midnight).
    fn day_start(self, date: NaiveDate) -> Option<DateTime<Utc>> {
        let mut local = date.and_hms_opt(0, 0, 0)?;
        for _ in 0..4 {
            let found = match self {
                Clock::Zone(tz) => tz
                    .from_local_datetime(&local)
                    .earliest()
                    .map(|t| t.to_utc()),
                Clock::Fixed(offset) => offset
                    .from_local_datetime(&local)
                    .earliest()
                    .map(|t| t.to_utc()),
            };
            if found.is_some() {
                return found;
            }
            local += Duration::hours(1);
        }
        None
    }

    /// `Europe/Berlin` or `UTC+01:00`.
    pub fn name(self) -> String {
        match self {
            Clock::Zone(tz) => tz.name().to_owned(),
            Clock::Fixed(offset) => format!("UTC{offset}"),
        }
    }

    /// `14:05 CET`.
    pub fn time(self, at: DateTime<Utc>) -> String {
        let (local, abbreviation) = self.local(at);
        format!("{} {abbreviation}", local.format("%H:%M"))
    }

    /// `Sun 30 Mar 14:05 CEST`.
    pub fn date_time(self, at: DateTime<Utc>) -> String {
        let (local, abbreviation) = self.local(at);
        format!("{} {abbreviation}", local.format("%a %-d %b %H:%M"))
    }
}

/// A stretch of time drawn as a bar.
#[derive(Clone, Debug)]
pub struct Bar {
    pub label: String,
    pub from: DateTime<Utc>,
    pub to: DateTime<Utc>,
    /// `impact`, `investigation`, `escalated` or `recovery`: its colour.
    pub key: &'static str,
}

/// An instant drawn as a marker: a timeline entry.
#[derive(Clone, Debug)]
pub struct Mark {
    pub at: DateTime<Utc>,
    /// What happened, in a word or two (`detected`, `mitigated`).
    pub label: String,
}

/// What the timeline of one incident shows.
#[derive(Clone, Debug)]
pub struct Timeline {
    /// The incident's title, for the chart's text alternative.
    pub title: String,
    pub clock: Clock,
    pub bars: Vec<Bar>,
    pub marks: Vec<Mark>,
}

/// How a timeline chart is laid out: wide, with a column of row labels
/// beside the plot, or narrow (a phone), each row's label above its bar.
#[derive(Debug, PartialEq)]
pub struct Layout {
    width: f64,
    /// Where the plot starts.
    left: f64,
    right: f64,
    row: f64,
    /// At most this many ticks on incidents up to `STEPS`' longest step
    /// times this.
    max_ticks: i64,
    /// Row labels above the bar, not in a column to its left.
    labels_above: bool,
}

/// For a desktop window: 760 px, labels in a column of 178.
pub const WIDE: Layout = Layout {
    width: 760.0,
    left: 178.0,
    right: 16.0,
    row: 24.0,
    max_ticks: 7,
    labels_above: false,
};

/// For a phone: 360 px, the plot across the whole width.
pub const NARROW: Layout = Layout {
    width: 360.0,
    left: 8.0,
    right: 8.0,
    row: 38.0,
    max_ticks: 4,
    labels_above: true,
};

const TOP: f64 = 8.0;
/// An estimate of the width of one character at 12 px, for placing labels.
const CHAR: f64 = 6.8;
const INK: &str = "#1b1f24";
const MUTED: &str = "#4b5563";
const GRID: &str = "#d0d7de";

/// Tick spacings to choose from, in seconds: at most the layout's
/// `max_ticks` ticks.
const STEPS: [i64; 15] = [
    300, 600, 900, 1800, 3600, 7200, 10_800, 21_600, 43_200, 86_400, 172_800, 345_600, 604_800,
    1_209_600, 2_419_200,
];

/// A linear scale from instants to x.
#[derive(Clone, Copy, Debug)]
pub struct Scale {
    pub from: DateTime<Utc>,
    pub seconds: f64,
    pub layout: &'static Layout,
}

impl Scale {
    /// Pixels per second of true elapsed time.
    pub fn per_second(&self) -> f64 {
        let layout = self.layout;
        (layout.width - layout.left - layout.right - 16.0) / self.seconds
    }

    pub fn x(&self, at: DateTime<Utc>) -> f64 {
        self.layout.left + 8.0 + (at - self.from).num_seconds() as f64 * self.per_second()
    }
}

impl Timeline {
    /// The scale: from the earliest to the latest instant shown, across
    /// the plot of `layout`.
    pub fn scale(&self, layout: &'static Layout) -> Option<Scale> {
        let instants = self
            .bars
            .iter()
            .flat_map(|b| [b.from, b.to])
            .chain(self.marks.iter().map(|m| m.at));
        let (mut first, mut last): (Option<DateTime<Utc>>, Option<DateTime<Utc>>) = (None, None);
        for at in instants {
            first = Some(first.map_or(at, |f| f.min(at)));
            last = Some(last.map_or(at, |l| l.max(at)));
        }
        let (first, last) = (first?, last?);
        Some(Scale {
            from: first,
            seconds: ((last - first).num_seconds() as f64).max(60.0),
            layout,
        })
    }

    /// The ticks of the axis: instants on round local clock times.
    pub fn ticks(&self, scale: &Scale) -> Vec<DateTime<Utc>> {
        let span = scale.seconds as i64;
        let max = scale.layout.max_ticks;
        // Past the longest step, a multiple of it: still at most `max`.
        let longest = STEPS[STEPS.len() - 1];
        let step = STEPS
            .iter()
            .copied()
            .find(|s| span / s < max)
            .unwrap_or(longest * (span / (longest * max) + 1));
        let end = scale.from + Duration::seconds(span);
        let mut ticks = Vec::new();
        if step < 86_400 {
            // Round in local time at the start, then step in true time: a
            // DST change shows as a jump in the labels, never in spacing.
            let offset = self.clock.offset_seconds(scale.from);
            let local = scale.from.timestamp() + offset;
            let first =
                local.div_euclid(step) * step + if local.rem_euclid(step) == 0 { 0 } else { step };
            let mut at = first - offset;
            while at <= end.timestamp() {
                if let Some(t) = DateTime::from_timestamp(at, 0) {
                    ticks.push(t);
                }
                at += step;
            }
        } else {
            let days = step / 86_400;
            let mut date = self.clock.local(scale.from).0.date();
            if self.clock.day_start(date).is_some_and(|t| t < scale.from) {
                date = date.succ_opt().unwrap_or(date);
            }
            while let Some(at) = self.clock.day_start(date) {
                if at > end {
                    break;
                }
                ticks.push(at);
                let Some(next) = date.checked_add_days(chrono::Days::new(days.unsigned_abs()))
                else {
                    break;
                };
                date = next;
            }
        }
        ticks
    }

    /// The chart in `layout`, or `None` when nothing in it has a time.
    pub fn svg(&self, id: &str, layout: &'static Layout) -> Option<String> {
        let scale = self.scale(layout)?;
        let Layout {
            width,
            left,
            row,
            labels_above,
            ..
        } = *layout;
        let rows = self.bars.len() + self.marks.len();
        let plot_bottom = TOP + row * rows as f64;
        let caption = self.caption(layout);
        let height = plot_bottom + 44.0 + 14.0 * caption.len() as f64;
        let mut out = String::new();
        let _ = writeln!(
            out,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"timeline\" role=\"img\" aria-labelledby=\"{id}-title {id}-desc\" viewBox=\"0 0 {width} {height:.0}\" width=\"{width}\" height=\"{height:.0}\" font-family=\"system-ui, sans-serif\" font-size=\"12\">"
        );
        let _ = writeln!(
            out,
            "<title id=\"{id}-title\">Timeline of {}</title>",
            escaped(&self.title)
        );
        let _ = writeln!(
            out,
            "<desc id=\"{id}-desc\">{}</desc>",
            escaped(&self.describe())
        );

        // Grid and axis labels.
        let mut previous_date = None;
        for at in self.ticks(&scale) {
            let x = scale.x(at);
            let (local, _) = self.clock.local(at);
            let _ = writeln!(
                out,
                "<line x1=\"{x:.1}\" y1=\"{TOP}\" x2=\"{x:.1}\" y2=\"{:.1}\" stroke=\"{GRID}\"/>",
                plot_bottom + 4.0
            );
            let time = local.format("%H:%M").to_string();
            let _ = writeln!(
                out,
                "<text class=\"tick\" x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\" fill=\"{INK}\">{time}</text>",
                centred_within(layout, x, &time),
                plot_bottom + 18.0,
            );
            if previous_date != Some(local.date()) {
                let date = local.format("%a %-d %b").to_string();
                let _ = writeln!(
                    out,
                    "<text class=\"tick-date\" x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\" fill=\"{MUTED}\">{date}</text>",
                    centred_within(layout, x, &date),
                    plot_bottom + 32.0,
                );
                previous_date = Some(local.date());
            }
        }
        for (i, line) in caption.iter().enumerate() {
            let _ = writeln!(
                out,
                "<text class=\"caption\" x=\"{left}\" y=\"{:.1}\" fill=\"{MUTED}\">{line}</text>",
                plot_bottom + 50.0 + 14.0 * i as f64,
            );
        }

        // Wide: the label in the column left of the plot, on the bar's
        // line. Narrow: the label on a line of its own above the bar.
        // Above, it is haloed in white: grid lines cross it.
        let (label_x, label_anchor, label_y, drop, halo) = if labels_above {
            (
                left,
                "start",
                13.0,
                13.0,
                " stroke=\"#ffffff\" stroke-width=\"3\" paint-order=\"stroke\"",
            )
        } else {
            (left - 8.0, "end", 16.0, 0.0, "")
        };
        let row_label = |out: &mut String, y: f64, text: &str| {
            let _ = writeln!(
                out,
                "<text class=\"row-label\" x=\"{label_x:.1}\" y=\"{:.1}\" text-anchor=\"{label_anchor}\" fill=\"{INK}\"{halo}>{}</text>",
                y + label_y,
                escaped(text)
            );
        };
        let mut y = TOP;
        for bar in &self.bars {
            let (x1, x2) = (scale.x(bar.from), scale.x(bar.to));
            let bar_width = (x2 - x1).max(1.0);
            let length = crate::time::human_duration(bar.to - bar.from);
            let text = format!(
                "{} → {} · {length}",
                self.clock.time(bar.from),
                self.clock.time(bar.to)
            );
            row_label(&mut out, y, &bar.label);
            let _ = writeln!(
                out,
                "<rect class=\"bar bar-{}\" x=\"{x1:.1}\" y=\"{:.1}\" width=\"{bar_width:.1}\" height=\"16\" rx=\"2\" fill=\"{}\"><title>{}: {}</title></rect>",
                bar.key,
                y + 4.0 + drop,
                colour(bar.key),
                escaped(&bar.label),
                escaped(&text)
            );
            out.push_str(&label_beside(layout, x1, x2, y + 16.0 + drop, &text));
            y += row;
        }
        let mut previous_date = None;
        for mark in &self.marks {
            let x = scale.x(mark.at);
            let (local, _) = self.clock.local(mark.at);
            // The date again on the first entry and each new day.
            let when = if previous_date == Some(local.date()) {
                self.clock.time(mark.at)
            } else {
                self.clock.date_time(mark.at)
            };
            previous_date = Some(local.date());
            row_label(&mut out, y, &when);
            let _ = writeln!(
                out,
                "<circle class=\"mark\" cx=\"{x:.1}\" cy=\"{:.1}\" r=\"5\" fill=\"{INK}\"><title>{}: {}</title></circle>",
                y + 12.0 + drop,
                escaped(&when),
                escaped(&mark.label)
            );
            out.push_str(&label_beside(layout, x, x, y + 16.0 + drop, &mark.label));
            y += row;
        }
        out.push_str("</svg>\n");
        Some(out)
    }

    /// The chart's caption, escaped: one line when wide; on a phone, the
    /// zone, its abbreviations and the note on lengths each on a line.
    fn caption(&self, layout: &Layout) -> Vec<String> {
        // (A zone's name and its abbreviations need no escaping to count.)
        let zone = escaped(&self.clock.name());
        let abbreviations = self.abbreviations();
        if layout.labels_above {
            let whole = format!("Clock times in {zone}{abbreviations}");
            let room = (layout.width - 2.0 * layout.left) / CHAR;
            let mut lines = if whole.chars().count() as f64 <= room {
                vec![whole]
            } else {
                let mut lines = vec![format!("Clock times in {zone}")];
                if !abbreviations.is_empty() {
                    lines.push(abbreviations.trim_start().to_owned());
                }
                lines
            };
            lines.push("Lengths are true elapsed time.".to_owned());
            lines
        } else {
            let whole =
                format!("Clock times in {zone}{abbreviations}; lengths are true elapsed time.");
            if whole.chars().count() as f64 * CHAR <= layout.width - layout.left - 4.0 {
                vec![whole]
            } else {
                vec![
                    format!("Clock times in {zone}{abbreviations};"),
                    "lengths are true elapsed time.".to_owned(),
                ]
            }
        }
    }

    /// The zone's abbreviations over the incident, when it has any.
    fn abbreviations(&self) -> String {
        let mut seen: Vec<String> = Vec::new();
        let instants = self
            .bars
            .iter()
            .flat_map(|b| [b.from, b.to])
            .chain(self.marks.iter().map(|m| m.at));
        let mut sorted: Vec<DateTime<Utc>> = instants.collect();
        sorted.sort();
        for at in sorted {
            let abbreviation = self.clock.local(at).1;
            if !seen.contains(&abbreviation) {
                seen.push(abbreviation);
            }
        }
        match (self.clock, seen.as_slice()) {
            (Clock::Fixed(_), _) | (_, []) => String::new(),
            (_, [one]) if *one == self.clock.name() => String::new(),
            (_, [one]) => format!(" ({})", escaped(one)),
            (_, many) => format!(
                " ({}, across a change of offset)",
                escaped(&many.join(" then "))
            ),
        }
    }

    /// The chart in words, for its `<desc>`.
    fn describe(&self) -> String {
        let mut parts = Vec::new();
        for bar in &self.bars {
            parts.push(format!(
                "{} from {} to {} ({})",
                bar.label,
                self.clock.date_time(bar.from),
                self.clock.date_time(bar.to),
                crate::time::human_duration(bar.to - bar.from)
            ));
        }
        for mark in &self.marks {
            parts.push(format!(
                "{} at {}",
                mark.label,
                self.clock.date_time(mark.at)
            ));
        }
        format!("Times in {}. {}.", self.clock.name(), parts.join("; "))
    }
}

/// Where a label centred on `x` goes so that it stays inside the chart: a
/// tick at the plot's edge would put half of it past the edge.
fn centred_within(layout: &Layout, x: f64, text: &str) -> f64 {
    let half = text.chars().count() as f64 * CHAR / 2.0;
    let (low, high) = (2.0 + half, layout.width - 2.0 - half);
    if low > high { x } else { x.clamp(low, high) }
}

/// A label to the right of `x2`, else to the left of `x1`, else inside the
/// bar, else shortened to fit the wider side.
fn label_beside(layout: &Layout, x1: f64, x2: f64, y: f64, text: &str) -> String {
    let width = text.chars().count() as f64 * CHAR;
    let right = layout.width - 4.0 - (x2 + 8.0);
    let left = x1 - 8.0 - layout.left;
    let (x, anchor, fill, room) = if width <= right {
        (x2 + 8.0, "start", INK, right)
    } else if width <= left {
        (x1 - 8.0, "end", INK, left)
    } else if width + 12.0 <= x2 - x1 {
        (x2 - 6.0, "end", "#ffffff", x2 - x1)
    } else if right >= left {
        (x2 + 8.0, "start", INK, right)
    } else {
        (x1 - 8.0, "end", INK, left)
    };
    // `room / CHAR` is at least 1 here, and small.
    #[allow(clippy::cast_sign_loss)]
    let fits = (room / CHAR).floor().max(1.0) as usize;
    let shown: String = if text.chars().count() > fits {
        text.chars()
            .take(fits.saturating_sub(1))
            .chain(['…'])
            .collect()
    } else {
        text.to_owned()
    };
    format!(
        "<text class=\"bar-label\" x=\"{x:.1}\" y=\"{y:.1}\" text-anchor=\"{anchor}\" fill=\"{fill}\">{}</text>\n",
        escaped(&shown)
    )
}

/// Bar colours, each at least 4.5:1 against white text and 3:1 against the
/// page (WCAG non-text contrast).
fn colour(key: &str) -> &'static str {
    match key {
        "impact" => "#b42318",
        "investigation" => "#b54708",
        "escalated" => "#6941c6",
        "recovery" => "#067647",
        _ => "#175cd3",
    }
}

/// A histogram of one duration: the buckets and their counts.
pub fn histogram(id: &str, title: &str, buckets: &[(&str, usize)]) -> String {
    // About a phone's width, so labels keep their size there.
    const W: f64 = 360.0;
    const H: f64 = 200.0;
    const BASE: f64 = 160.0;
    let max = buckets.iter().map(|b| b.1).max().unwrap_or(0).max(1);
    let slot = (W - 20.0) / buckets.len().max(1) as f64;
    let desc = buckets
        .iter()
        .map(|(label, count)| format!("{label}: {count}"))
        .collect::<Vec<_>>()
        .join(", ");
    let mut out = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"histogram\" role=\"img\" aria-labelledby=\"{id}-title {id}-desc\" viewBox=\"0 0 {W} {H}\" width=\"{W}\" height=\"{H}\" font-family=\"system-ui, sans-serif\" font-size=\"12\">\n<title id=\"{id}-title\">{}</title>\n<desc id=\"{id}-desc\">Incidents by length: {}.</desc>\n",
        escaped(title),
        escaped(&desc)
    );
    let _ = writeln!(
        out,
        "<line x1=\"10\" y1=\"{BASE}\" x2=\"{:.1}\" y2=\"{BASE}\" stroke=\"{MUTED}\"/>",
        W - 10.0
    );
    for (i, (label, count)) in buckets.iter().enumerate() {
        let x = 10.0 + slot * i as f64;
        let height = (BASE - 24.0) * *count as f64 / max as f64;
        let _ = writeln!(
            out,
            "<rect class=\"bucket\" x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{height:.1}\" fill=\"#175cd3\"/>",
            x + 6.0,
            BASE - height,
            slot - 12.0
        );
        let _ = writeln!(
            out,
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\" fill=\"{INK}\">{count}</text>",
            x + slot / 2.0,
            BASE - height - 6.0
        );
        let _ = writeln!(
            out,
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\" fill=\"{INK}\">{}</text>",
            x + slot / 2.0,
            BASE + 18.0,
            escaped(label)
        );
    }
    out.push_str("</svg>\n");
    out
}

/// Horizontal bars of counts (by tag, service, factor kind, month).
pub fn counts(id: &str, title: &str, rows: &[(String, usize)]) -> String {
    const W: f64 = 360.0;
    const LABEL: f64 = 150.0;
    const H_ROW: f64 = 22.0;
    let height = H_ROW * rows.len() as f64 + 8.0;
    let max = rows.iter().map(|r| r.1).max().unwrap_or(0).max(1);
    let desc = rows
        .iter()
        .map(|(key, count)| format!("{key}: {count}"))
        .collect::<Vec<_>>()
        .join(", ");
    let mut out = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"counts\" role=\"img\" aria-labelledby=\"{id}-title {id}-desc\" viewBox=\"0 0 {W} {height:.0}\" width=\"{W}\" height=\"{height:.0}\" font-family=\"system-ui, sans-serif\" font-size=\"12\">\n<title id=\"{id}-title\">{}</title>\n<desc id=\"{id}-desc\">{}.</desc>\n",
        escaped(title),
        escaped(&desc)
    );
    for (i, (key, count)) in rows.iter().enumerate() {
        let y = 4.0 + H_ROW * i as f64;
        let shown: String = if key.chars().count() > 20 {
            key.chars().take(19).chain(['…']).collect()
        } else {
            key.clone()
        };
        let width = (W - LABEL - 50.0) * *count as f64 / max as f64;
        let _ = writeln!(
            out,
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\" fill=\"{INK}\"><title>{}</title>{}</text>",
            LABEL - 8.0,
            y + 14.0,
            escaped(key),
            escaped(&shown)
        );
        let _ = writeln!(
            out,
            "<rect x=\"{LABEL}\" y=\"{:.1}\" width=\"{width:.1}\" height=\"14\" fill=\"#175cd3\"/>",
            y + 3.0
        );
        let _ = writeln!(
            out,
            "<text x=\"{:.1}\" y=\"{:.1}\" fill=\"{INK}\">{count}</text>",
            LABEL + width + 6.0,
            y + 14.0
        );
    }
    out.push_str("</svg>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text)
            .expect("RFC 3339")
            .to_utc()
    }

    fn zone(name: &str) -> Clock {
        Clock::Zone(name.parse().expect("a zone"))
    }

    /// The `x` and `width` of each bar's `<rect>`, in order.
    fn bars(svg: &str) -> Vec<(f64, f64)> {
        let re = regex::Regex::new(
            r#"<rect class="bar [^"]*" x="([0-9.]+)" y="[0-9.]+" width="([0-9.]+)""#,
        )
        .expect("regex");
        re.captures_iter(svg)
            .map(|c| (c[1].parse().expect("x"), c[2].parse().expect("width")))
            .collect()
    }

    /// The text of every `<text class="...">` of one class.
    fn texts(svg: &str, class: &str) -> Vec<String> {
        let re = regex::Regex::new(&format!(r#"<text class="{class}"[^>]*>([^<]*)</text>"#))
            .expect("regex");
        re.captures_iter(svg).map(|c| c[1].to_owned()).collect()
    }

    fn bar(label: &str, from: &str, to: &str) -> Bar {
        Bar {
            label: label.to_owned(),
            from: utc(from),
            to: utc(to),
            key: "impact",
        }
    }

    #[test]
    fn berlin_spring_forward_keeps_true_lengths_and_local_labels() {
        // 2025-03-30: 02:00 CET became 03:00 CEST. 01:30 CET to 03:30 CEST
        // is one hour on the clock's face of two, and one hour of bar.
        let timeline = Timeline {
            title: "Berlin".into(),
            clock: zone("Europe/Berlin"),
            bars: vec![
                bar("Impact", "2025-03-30T00:30:00Z", "2025-03-30T01:30:00Z"),
                bar("Recovery", "2025-03-30T01:30:00Z", "2025-03-30T02:00:00Z"),
            ],
            marks: vec![Mark {
                at: utc("2025-03-30T01:30:00Z"),
                label: "resolved".into(),
            }],
        };
        let svg = timeline.svg("t", &WIDE).expect("a chart");
        let drawn = super::tests::bars(&svg);
        // One hour and half an hour: widths 2:1, and the second starts where
        // the first ends.
        assert!((drawn[0].1 / drawn[1].1 - 2.0).abs() < 0.01, "{drawn:?}");
        assert!(
            (drawn[0].0 + drawn[0].1 - drawn[1].0).abs() < 0.1,
            "{drawn:?}"
        );
        assert!(svg.contains("01:30 CET → 03:30 CEST · 1 h"), "{svg}");
        // Ticks every 15 minutes of true time: 02:00-02:45 never existed.
        let ticks = texts(&svg, "tick");
        assert!(
            ticks.contains(&"01:45".to_owned()) && ticks.contains(&"03:00".to_owned()),
            "{ticks:?}"
        );
        assert!(!ticks.iter().any(|t| t.starts_with("02:")), "{ticks:?}");
        assert!(svg.contains("Europe/Berlin (CET then CEST"), "{svg}");
        assert!(svg.contains("<title id=\"t-title\">Timeline of Berlin</title>"));
        assert!(svg.contains("<desc id=\"t-desc\">"));
    }

    #[test]
    fn new_york_fall_back_shows_the_repeated_hour_at_its_true_length() {
        // 2024-11-03: 02:00 EDT became 01:00 EST. 01:30 EDT to 01:18 EST is
        // 48 minutes, though the clock went back 12.
        let timeline = Timeline {
            title: "TLS".into(),
            clock: zone("America/New_York"),
            bars: vec![
                bar("Impact", "2024-11-03T05:30:00Z", "2024-11-03T06:18:00Z"),
                bar(
                    "Ten minutes",
                    "2024-11-03T05:30:00Z",
                    "2024-11-03T05:40:00Z",
                ),
            ],
            marks: vec![],
        };
        let svg = timeline.svg("t", &WIDE).expect("a chart");
        let drawn = super::tests::bars(&svg);
        assert!((drawn[0].1 / drawn[1].1 - 4.8).abs() < 0.01, "{drawn:?}");
        assert!(svg.contains("01:30 EDT → 01:18 EST · 48 min"), "{svg}");
        let ticks = texts(&svg, "tick");
        // Ticks are evenly spaced in true time, labelled in New York time:
        // 01:50 EDT is followed by 01:00 EST (10 minutes later).
        let pos = ticks.iter().position(|t| t == "01:50").expect("01:50");
        assert_eq!(ticks[pos + 1], "01:00", "{ticks:?}");
    }

    #[test]
    fn ticks_stay_few_and_dated_over_several_days() {
        let timeline = Timeline {
            title: "Long".into(),
            clock: zone("Asia/Tokyo"),
            bars: vec![bar(
                "Impact",
                "2024-03-28T08:40:00Z",
                "2024-03-31T04:00:00Z",
            )],
            marks: vec![],
        };
        let svg = timeline.svg("t", &WIDE).expect("a chart");
        let ticks = texts(&svg, "tick");
        assert!(
            i64::try_from(ticks.len()).is_ok_and(|n| n <= WIDE.max_ticks) && ticks.len() >= 3,
            "{ticks:?}"
        );
        assert!(
            ticks.iter().all(|t| t == "00:00" || t == "12:00"),
            "{ticks:?}"
        );
        let dates = texts(&svg, "tick-date");
        assert_eq!(
            dates.first().map(String::as_str),
            Some("Fri 29 Mar"),
            "{dates:?}"
        );
        assert!(svg.contains("17:40 JST → 13:00 JST"), "{svg}");
    }

    #[test]
    fn the_same_input_gives_the_same_bytes_and_user_text_is_escaped() {
        let timeline = Timeline {
            title: "<script>\"x\"".into(),
            clock: Clock::Fixed(FixedOffset::east_opt(3600).expect("offset")),
            bars: vec![],
            marks: vec![Mark {
                at: utc("2024-01-01T10:00:00Z"),
                label: "</text><script>".into(),
            }],
        };
        let svg = timeline.svg("t", &WIDE).expect("a chart");
        assert_eq!(Some(svg.clone()), timeline.svg("t", &WIDE));
        assert!(!svg.contains("<script"), "{svg}");
        assert!(svg.contains("11:00 UTC+01:00"), "{svg}");
        let empty = Timeline {
            bars: vec![],
            marks: vec![],
            ..timeline
        };
        assert!(empty.svg("t", &WIDE).is_none());
    }

    #[test]
    fn the_narrow_chart_fits_a_phone_with_each_label_above_its_row() {
        let timeline = Timeline {
            title: "Payments".into(),
            clock: zone("America/Los_Angeles"),
            bars: vec![
                bar("Impact", "2024-07-16T00:40:00Z", "2024-07-17T20:00:00Z"),
                bar(
                    "Detected, investigating",
                    "2024-07-16T00:52:00Z",
                    "2024-07-16T01:45:00Z",
                ),
            ],
            marks: vec![Mark {
                at: utc("2024-07-16T00:52:00Z"),
                label: "detected: The latency SLO alert fired for the payments API".into(),
            }],
        };
        let svg = timeline.svg("n", &NARROW).expect("a chart");
        assert!(svg.contains("viewBox=\"0 0 360 "), "{svg}");
        // Every label starts at the plot's left edge, on a line of its own.
        let re = regex::Regex::new(
            r#"<text class="row-label" x="([0-9.]+)" y="[0-9.]+" text-anchor="start""#,
        )
        .expect("regex");
        assert_eq!(re.captures_iter(&svg).count(), 3, "{svg}");
        assert_eq!(texts(&svg, "row-label")[1], "Detected, investigating");
        // Nothing is drawn past the right edge: bars, and text by its
        // estimated width (a shortened label ends in `…`).
        for (x, width) in bars(&svg) {
            assert!(x >= 0.0 && x + width <= 360.0, "bar at {x} + {width}");
        }
        let beside = regex::Regex::new(r#"<text class="bar-label" x="([0-9.]+)" y="[0-9.]+" text-anchor="(start|end)"[^>]*>([^<]*)</text>"#)
            .expect("regex");
        for c in beside.captures_iter(&svg) {
            let x: f64 = c[1].parse().expect("x");
            let width = c[3].chars().count() as f64 * CHAR;
            let (from, to) = if &c[2] == "start" {
                (x, x + width)
            } else {
                (x - width, x)
            };
            assert!(from >= 0.0 && to <= 360.0, "{} at {from}..{to}", &c[3]);
        }
        assert!(svg.contains("…"), "the long entry is shortened: {svg}");
        assert!(i64::try_from(texts(&svg, "tick").len()).is_ok_and(|n| n <= NARROW.max_ticks));
        // The caption on lines of its own, each within the width.
        let caption = texts(&svg, "caption");
        assert_eq!(
            caption,
            [
                "Clock times in America/Los_Angeles (PDT)",
                "Lengths are true elapsed time."
            ]
        );
        assert!(
            caption
                .iter()
                .all(|line| line.chars().count() as f64 * CHAR <= 344.0)
        );
        // The same instants and lengths as the wide chart says.
        let wide = timeline.svg("w", &WIDE).expect("a chart");
        assert!(
            wide.contains("17:40 PDT → 13:00 PDT · 1 d 19 h 20 min"),
            "{wide}"
        );
        assert!(
            svg.contains("17:40 PDT → 13:00 PDT · 1 d 19 h 20 min"),
            "{svg}"
        );
    }

    proptest::proptest! {
        /// Whatever the zone and the times, a bar's width is its true
        /// length at one scale, bars start where their instants are, and
        /// every tick lies inside the plot with no more than the layout's
        /// `max_ticks` of them, wide or narrow.
        #[test]
        fn bars_are_true_lengths_in_any_zone(
            name in proptest::sample::select(vec![
                "Europe/Berlin", "America/New_York", "Australia/Lord_Howe",
                "Asia/Kolkata", "America/St_Johns", "UTC", "Pacific/Chatham",
            ]),
            // Any start from 2000 to 2030, lengths from a minute to 20 days.
            start in 946_684_800i64..1_893_456_000,
            // A minute to 20 days, or up to 400 (past the longest step).
            lengths in proptest::collection::vec(
                proptest::prop_oneof![60i64..1_728_000, 1_728_000i64..34_560_000],
                1..5,
            ),
            layout in proptest::sample::select(vec![&WIDE, &NARROW]),
        ) {
            let at = |s: i64| DateTime::from_timestamp(s, 0).expect("in range");
            let bars: Vec<Bar> = lengths
                .iter()
                .scan(start, |from, len| {
                    let bar = Bar { label: "x".into(), from: at(*from), to: at(*from + len), key: "impact" };
                    *from += len / 2;
                    Some(bar)
                })
                .collect();
            let timeline = Timeline { title: "t".into(), clock: zone(name), bars: bars.clone(), marks: vec![] };
            let svg = timeline.svg("t", layout).expect("a chart");
            let scale = timeline.scale(layout).expect("a scale");
            let drawn = super::tests::bars(&svg);
            proptest::prop_assert_eq!(drawn.len(), bars.len());
            for (bar, (x, width)) in bars.iter().zip(&drawn) {
                let seconds = (bar.to - bar.from).num_seconds() as f64;
                proptest::prop_assert!((width - (seconds * scale.per_second()).max(1.0)).abs() < 0.11);
                proptest::prop_assert!((x - scale.x(bar.from)).abs() < 0.06);
            }
            let ticks = timeline.ticks(&scale);
            proptest::prop_assert!(i64::try_from(ticks.len()).is_ok_and(|n| n <= layout.max_ticks), "{} ticks", ticks.len());
            // Every axis label, centred on its tick, stays inside the chart.
            let labels = regex::Regex::new(r#"<text class="tick(?:-date)?" x="([0-9.]+)"[^>]*>([^<]*)</text>"#).expect("regex");
            for c in labels.captures_iter(&svg) {
                let x: f64 = c[1].parse().expect("x");
                let half = c[2].chars().count() as f64 * CHAR / 2.0;
                proptest::prop_assert!(x - half >= 0.0 && x + half <= layout.width, "{} at {x}", &c[2]);
            }
            for tick in ticks {
                let x = scale.x(tick);
                proptest::prop_assert!((layout.left + 7.9..=layout.width - layout.right - 7.9).contains(&x), "tick at {x}");
            }
        }
    }

    #[test]
    fn histogram_bars_are_proportional_to_counts() {
        let svg = histogram(
            "h",
            "Time to detect",
            &[("< 15 min", 4), ("15–60 min", 2), ("> 1 d", 0)],
        );
        let re = regex::Regex::new(
            r#"class="bucket" x="[0-9.]+" y="[0-9.]+" width="[0-9.]+" height="([0-9.]+)""#,
        )
        .expect("regex");
        let heights: Vec<f64> = re
            .captures_iter(&svg)
            .map(|c| c[1].parse().expect("h"))
            .collect();
        assert_eq!(heights.len(), 3);
        assert!(
            (heights[0] / heights[1] - 2.0).abs() < 0.01 && heights[2] == 0.0,
            "{heights:?}"
        );
        assert!(
            svg.contains("< 15 min: 4, 15–60 min: 2, > 1 d: 0") || svg.contains("&lt; 15 min: 4"),
            "{svg}"
        );
    }
}
