//! Aggregate figures over postmortems, gathered one incident at a time.
//!
//! Incident durations are few and long-tailed (docs/fleet.md cites the VOID
//! report), so each duration is described by its distribution: how many
//! values, the median, the 90th percentile, the range and a histogram. The
//! mean comes last, labelled, for those who need it.
//!
//! - duration: `summary.end - summary.start` (impact time is their sum);
//! - time to detect: first `detected` entry minus `summary.start`;
//! - time to resolve: `summary.end` minus the first `detected` entry,
//!
//! as `crate::incident::Metrics` defines them. An incident counts in each
//! figure it has the times for: a draft without an end counts in time to
//! detect but not in duration or time to resolve.

use super::{Length, local_start, severity_of};
use crate::incident::Incident;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// The bucket of incidents without a severity, service or factor kind.
pub const UNSPECIFIED: &str = "unspecified";
/// The bucket of incidents without a start.
pub const UNDATED: &str = "undated";
/// Below this many incidents, figures are examples rather than rates.
pub const FEW: usize = 10;

/// The histogram's buckets: upper bounds in minutes (exclusive) and labels.
const BUCKETS: [(Option<i64>, &str); 5] = [
    (Some(15), "< 15 min"),
    (Some(60), "15–60 min"),
    (Some(240), "1–4 h"),
    (Some(1440), "4–24 h"),
    (None, "> 1 d"),
];

/// Running figures over a group of incidents. Medians need every value, so
/// the durations are kept (in seconds: a few numbers per incident).
#[derive(Clone, Debug, Default)]
pub struct Aggregate {
    count: usize,
    durations: Vec<i64>,
    detect: Vec<i64>,
    resolve: Vec<i64>,
}

impl Aggregate {
    pub fn add(&mut self, incident: &Incident) {
        let metrics = incident.metrics();
        self.count += 1;
        self.durations
            .extend(metrics.duration.map(|d| d.num_seconds()));
        self.detect
            .extend(metrics.time_to_detect.map(|d| d.num_seconds()));
        self.resolve
            .extend(metrics.time_to_resolve.map(|d| d.num_seconds()));
    }

    pub fn figures(&self) -> Figures {
        Figures {
            count: self.count,
            few: self.count < FEW,
            impact: (!self.durations.is_empty())
                .then(|| Length::from_seconds(self.durations.iter().sum::<i64>() as f64)),
            time_to_detect: Spread::of(&self.detect),
            time_to_resolve: Spread::of(&self.resolve),
            duration: Spread::of(&self.durations),
        }
    }
}

/// The figures of a group of incidents.
#[derive(Clone, Debug, Serialize)]
pub struct Figures {
    /// Incidents in the group.
    pub count: usize,
    /// Fewer than [`FEW`] incidents: read the figures as examples, not rates.
    pub few: bool,
    /// Total impact time, over the incidents that have a duration.
    pub impact: Option<Length>,
    pub time_to_detect: Spread,
    pub time_to_resolve: Spread,
    pub duration: Spread,
}

/// How a set of lengths is spread: count, median, 90th percentile, range,
/// a histogram, and the mean last (it misleads on long-tailed data).
#[derive(Clone, Debug, Serialize)]
pub struct Spread {
    pub count: usize,
    pub median: Option<Length>,
    /// The 90th percentile, by nearest rank: the smallest value with at
    /// least 90% of the values at or below it.
    pub p90: Option<Length>,
    pub min: Option<Length>,
    pub max: Option<Length>,
    /// Counts in the buckets < 15 min, 15–60 min, 1–4 h, 4–24 h, > 1 d
    /// (by the length rounded to minutes).
    pub histogram: Vec<Bucket>,
    pub mean: Option<Length>,
}

/// One bar of a histogram.
#[derive(Clone, Debug, Serialize)]
pub struct Bucket {
    pub label: &'static str,
    pub count: usize,
}

impl Spread {
    fn of(seconds: &[i64]) -> Self {
        let mut sorted = seconds.to_vec();
        sorted.sort_unstable();
        let n = sorted.len();
        let mean = (n > 0).then(|| sorted.iter().sum::<i64>() as f64 / n as f64);
        let median = match n {
            0 => None,
            _ if n % 2 == 1 => Some(sorted[n / 2] as f64),
            _ => Some((sorted[n / 2 - 1] + sorted[n / 2]) as f64 / 2.0),
        };
        // Nearest rank: ceil(0.9 n), 1-based.
        let p90 = (n > 0).then(|| sorted[(9 * n).div_ceil(10) - 1] as f64);
        let length = |s: Option<&i64>| s.map(|&s| Length::from_seconds(s as f64));
        let mut histogram: Vec<Bucket> = BUCKETS
            .iter()
            .map(|&(_, label)| Bucket { label, count: 0 })
            .collect();
        for &value in &sorted {
            let minutes = Length::from_seconds(value as f64).minutes;
            let at = BUCKETS
                .iter()
                .position(|(bound, _)| bound.is_none_or(|b| minutes < b))
                .unwrap_or(BUCKETS.len() - 1);
            histogram[at].count += 1;
        }
        Spread {
            count: n,
            median: median.map(Length::from_seconds),
            p90: p90.map(Length::from_seconds),
            min: length(sorted.first()),
            max: length(sorted.last()),
            histogram,
            mean: mean.map(Length::from_seconds),
        }
    }
}

/// Figures for one month or one severity.
#[derive(Clone, Debug, Serialize)]
pub struct Group {
    /// `2024-03`, `undated`, `SEV2` or `unspecified`.
    pub key: String,
    #[serde(flatten)]
    pub figures: Figures,
}

/// How many incidents have a tag, a service or a kind of contributing factor.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct Count {
    pub key: String,
    pub count: usize,
}

/// Figures over all incidents, by month of the start (in each document's
/// zone) and by severity, and counts by tag, service and factor kind.
#[derive(Clone, Debug, Default)]
pub struct Stats {
    all: Aggregate,
    by_month: BTreeMap<String, Aggregate>,
    by_severity: BTreeMap<String, Aggregate>,
    by_tag: BTreeMap<String, usize>,
    by_service: BTreeMap<String, usize>,
    by_factor_kind: BTreeMap<String, usize>,
}

impl Stats {
    pub fn add(&mut self, incident: &Incident) {
        self.all.add(incident);
        let month = local_start(incident).map_or_else(
            || UNDATED.to_owned(),
            |(_, date)| date.format("%Y-%m").to_string(),
        );
        self.by_month.entry(month).or_default().add(incident);
        self.by_severity
            .entry(severity_of(incident))
            .or_default()
            .add(incident);
        // Each incident counts once per tag and per kind, however often it
        // names them.
        let tags: BTreeSet<&str> = incident.tags.iter().map(|t| t.value.trim()).collect();
        for tag in tags.into_iter().filter(|t| !t.is_empty()) {
            *self.by_tag.entry(tag.to_owned()).or_default() += 1;
        }
        let service = incident
            .summary
            .service()
            .map(|s| s.value.trim())
            .filter(|s| !s.is_empty())
            .unwrap_or(UNSPECIFIED);
        *self.by_service.entry(service.to_owned()).or_default() += 1;
        let kinds: BTreeSet<&str> = incident
            .contributing_factors
            .iter()
            .map(|f| f.kind.as_ref().map_or(UNSPECIFIED, |k| k.value.as_str()))
            .collect();
        for kind in kinds {
            *self.by_factor_kind.entry(kind.to_owned()).or_default() += 1;
        }
    }

    /// The figures. Months run oldest first with `undated` last; severities
    /// follow the configured list, then others alphabetically, then
    /// `unspecified`. Counts run largest first, then alphabetically, with
    /// `unspecified` last.
    pub fn report(&self, severities: Option<&[String]>) -> Report {
        let mut by_month: Vec<Group> = self
            .by_month
            .iter()
            .filter(|(key, _)| *key != UNDATED)
            .map(|(key, agg)| group(key, agg))
            .collect();
        by_month.extend(self.by_month.get(UNDATED).map(|agg| group(UNDATED, agg)));
        let rank = |key: &str| {
            let configured = severities.and_then(|list| list.iter().position(|s| s == key));
            (key == UNSPECIFIED, configured.is_none(), configured)
        };
        let mut by_severity: Vec<Group> = self
            .by_severity
            .iter()
            .map(|(key, agg)| group(key, agg))
            .collect();
        by_severity.sort_by(|a, b| {
            rank(&a.key)
                .cmp(&rank(&b.key))
                .then_with(|| a.key.cmp(&b.key))
        });
        Report {
            total: self.all.figures(),
            by_month,
            by_severity,
            by_tag: counts(&self.by_tag),
            by_service: counts(&self.by_service),
            by_factor_kind: counts(&self.by_factor_kind),
        }
    }
}

fn counts(map: &BTreeMap<String, usize>) -> Vec<Count> {
    let mut list: Vec<Count> = map
        .iter()
        .map(|(key, &count)| Count {
            key: key.clone(),
            count,
        })
        .collect();
    list.sort_by(|a, b| {
        (a.key == UNSPECIFIED)
            .cmp(&(b.key == UNSPECIFIED))
            .then(b.count.cmp(&a.count))
            .then_with(|| a.key.cmp(&b.key))
    });
    list
}

fn group(key: &str, aggregate: &Aggregate) -> Group {
    Group {
        key: key.to_owned(),
        figures: aggregate.figures(),
    }
}

/// What `pm stats` prints and the index's totals come from.
#[derive(Clone, Debug, Serialize)]
pub struct Report {
    pub total: Figures,
    pub by_month: Vec<Group>,
    pub by_severity: Vec<Group>,
    /// Incidents by tag (an incident with two tags counts under each).
    pub by_tag: Vec<Count>,
    /// Incidents by `summary.service`.
    pub by_service: Vec<Count>,
    /// Incidents with at least one contributing factor of each kind.
    pub by_factor_kind: Vec<Count>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn median_p90_and_range_round_to_minutes() {
        // 10, 20, 30 and 5 minutes: mean 16.25 -> 16, median (10+20)/2 = 15.
        let spread = Spread::of(&[600, 1200, 1800, 300]);
        assert_eq!(spread.count, 4);
        assert_eq!(spread.mean.map(|l| l.minutes), Some(16));
        assert_eq!(spread.median.map(|l| l.text), Some("15 min".to_owned()));
        // Nearest rank of 4 values: ceil(3.6) = 4th, the largest.
        assert_eq!(spread.p90.map(|l| l.minutes), Some(30));
        assert_eq!(spread.min.map(|l| l.minutes), Some(5));
        assert_eq!(spread.max.map(|l| l.minutes), Some(30));
        let empty = Spread::of(&[]);
        assert!(empty.mean.is_none() && empty.median.is_none() && empty.p90.is_none());
        assert!(empty.histogram.iter().all(|b| b.count == 0));
        // 90 s is 1.5 min: halves round away from zero.
        assert_eq!(Spread::of(&[90]).mean.map(|l| l.minutes), Some(2));
    }

    #[test]
    fn p90_of_a_long_tail_is_not_the_mean() {
        // Nine incidents of 10 min and one of 10 h: the mean (69 min) is
        // longer than 9 of the 10; median and p90 say 10 min.
        let mut values = vec![600; 9];
        values.push(36_000);
        let spread = Spread::of(&values);
        assert_eq!(spread.median.map(|l| l.minutes), Some(10));
        assert_eq!(spread.p90.map(|l| l.minutes), Some(10));
        assert_eq!(spread.mean.map(|l| l.minutes), Some(69));
        assert_eq!(spread.max.map(|l| l.minutes), Some(600));
    }

    #[test]
    fn histogram_buckets_have_exclusive_upper_bounds() {
        // 14 min, 15 min, 59, 60, 239, 240, 1439, 1440, 3 days.
        let minutes = [14, 15, 59, 60, 239, 240, 1439, 1440, 4320];
        let seconds: Vec<i64> = minutes.iter().map(|m| m * 60).collect();
        let counts: Vec<usize> = Spread::of(&seconds)
            .histogram
            .iter()
            .map(|b| b.count)
            .collect();
        assert_eq!(counts, [1, 2, 2, 2, 2]);
    }

    #[test]
    fn counts_put_unspecified_last() {
        let map: BTreeMap<String, usize> = [("a", 1), (UNSPECIFIED, 5), ("b", 3), ("c", 1)]
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v))
            .collect();
        let keys: Vec<String> = counts(&map).into_iter().map(|c| c.key).collect();
        assert_eq!(keys, ["b", "a", "c", UNSPECIFIED]);
    }
}
