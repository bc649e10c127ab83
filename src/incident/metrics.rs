//! Figures computed from an incident's times: how long it lasted, and how
//! long it took to detect, mitigate and resolve. All are differences between
//! instants, so an incident across a DST change has its true length.

use super::model::{EntryKind, Incident};
use chrono::{DateTime, Duration, FixedOffset};
use serde::Serialize;

/// The figures that exist for an incident; `None` where a time they need is
/// missing or could not be resolved.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Metrics {
    /// `summary.end` minus `summary.start`: the impact time.
    pub duration: Option<Duration>,
    /// The first `detected` entry minus `summary.start` (MTTD averages it).
    pub time_to_detect: Option<Duration>,
    /// The first `mitigated` entry minus `summary.start`.
    pub time_to_mitigate: Option<Duration>,
    /// `summary.end` minus the first `detected` entry (MTTR averages it).
    pub time_to_resolve: Option<Duration>,
}

/// A length of time as every command shows it: whole minutes, rounded to
/// the nearest (halves away from zero), and the same as text ("2 h 30 min").
/// The one rounding rule for reports, the index and `pm stats`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Length {
    pub minutes: i64,
    pub text: String,
}

impl Length {
    pub fn from_seconds(seconds: f64) -> Self {
        let minutes = (seconds / 60.0).round() as i64;
        Length {
            minutes,
            text: crate::time::human_duration(Duration::minutes(minutes)),
        }
    }

    pub fn of(duration: Duration) -> Self {
        Self::from_seconds(duration.num_seconds() as f64)
    }

    pub fn between(from: DateTime<FixedOffset>, to: DateTime<FixedOffset>) -> Self {
        Self::of(to.signed_duration_since(from))
    }
}

impl Incident {
    /// When impact began, as an instant.
    pub fn start(&self) -> Option<DateTime<FixedOffset>> {
        self.summary.start.as_ref().and_then(|t| t.at)
    }

    /// When service was fully restored, as an instant.
    pub fn end(&self) -> Option<DateTime<FixedOffset>> {
        self.summary.end.as_ref().and_then(|t| t.at)
    }

    /// The earliest instant of a timeline entry of this kind ("first" by
    /// time, not by position, so a misordered timeline still gives the
    /// earliest).
    pub fn first(&self, kind: EntryKind) -> Option<DateTime<FixedOffset>> {
        self.timeline
            .iter()
            .filter(|entry| entry.kind.value == kind)
            .filter_map(super::model::Entry::instant)
            .min()
    }

    pub fn metrics(&self) -> Metrics {
        let start = self.start();
        let end = self.end();
        let detected = self.first(EntryKind::Detected);
        let mitigated = self.first(EntryKind::Mitigated);
        let between = |from: Option<DateTime<FixedOffset>>, to: Option<DateTime<FixedOffset>>| {
            Some(to? - from?)
        };
        Metrics {
            duration: between(start, end),
            time_to_detect: between(start, detected),
            time_to_mitigate: between(start, mitigated),
            time_to_resolve: between(detected, end),
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::check::{Settings, check};
    use crate::source::Source;
    use chrono::{Duration, NaiveDate};

    fn metrics(yaml: &str) -> super::Metrics {
        let today = NaiveDate::from_ymd_opt(2024, 1, 1).expect("date");
        let checked = check(Source::new("t.yaml", yaml), &Settings::new(today));
        checked.incident.expect("parsed").metrics()
    }

    #[test]
    fn figures_are_between_instants_across_dst() {
        // Clocks in Los Angeles went from 02:00 PST to 03:00 PDT on
        // 2024-03-10, so 01:30 to 03:30 on the wall is one hour.
        let m = metrics(
            "timezone: America/Los_Angeles\nsummary:\n  start: 2024-03-10 01:30\n  end: 2024-03-10 03:30\ntimeline:\n  - at: 2024-03-10 01:50\n    kind: detected\n  - at: 2024-03-10 03:10\n    kind: mitigated\n",
        );
        assert_eq!(m.duration, Some(Duration::minutes(60)));
        assert_eq!(m.time_to_detect, Some(Duration::minutes(20)));
        // 01:30 PST (09:30 UTC) to 03:10 PDT (10:10 UTC).
        assert_eq!(m.time_to_mitigate, Some(Duration::minutes(40)));
        assert_eq!(m.time_to_resolve, Some(Duration::minutes(40)));
    }

    #[test]
    fn missing_times_leave_figures_out() {
        let m = metrics(
            "timezone: UTC\nsummary:\n  start: 2024-01-01 10:00\ntimeline:\n  - at: \"10:05\"\n    kind: detected\n  - at: \"09:59\"\n    kind: detected\n",
        );
        assert_eq!(m.duration, None);
        assert_eq!(m.time_to_resolve, None);
        assert_eq!(m.time_to_mitigate, None);
        // The earliest detection counts, wherever it is written.
        assert_eq!(m.time_to_detect, Some(Duration::minutes(-1)));
    }
}
