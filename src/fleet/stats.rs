//! Aggregate figures over postmortems, gathered one incident at a time.
//!
//! - impact time: the sum of durations (`summary.end - summary.start`);
//! - MTTD: the mean (and median) of time to detect, first `detected` entry
//!   minus `summary.start`;
//! - MTTR: the mean (and median) of time to resolve, `summary.end` minus the
//!   first `detected` entry, as `crate::incident::Metrics` defines it.
//!
//! An incident counts in each figure it has the times for: a draft without
//! an end counts in MTTD but not in impact time or MTTR.

use super::{Length, local_start, severity_of};
use crate::incident::Incident;
use serde::Serialize;
use std::collections::BTreeMap;

/// The bucket of incidents without a severity.
pub const UNSPECIFIED: &str = "unspecified";
/// The bucket of incidents without a start.
pub const UNDATED: &str = "undated";

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
            impact: (!self.durations.is_empty())
                .then(|| Length::from_seconds(self.durations.iter().sum::<i64>() as f64)),
            mttd: Average::of(&self.detect),
            mttr: Average::of(&self.resolve),
        }
    }
}

/// The figures of a group of incidents.
#[derive(Clone, Debug, Serialize)]
pub struct Figures {
    /// Incidents in the group.
    pub count: usize,
    /// Total impact time, over the incidents that have a duration.
    pub impact: Option<Length>,
    /// Mean time to detect.
    pub mttd: Average,
    /// Mean time to resolve.
    pub mttr: Average,
}

/// A mean and a median, and how many values they are over.
#[derive(Clone, Debug, Serialize)]
pub struct Average {
    pub count: usize,
    pub mean: Option<Length>,
    pub median: Option<Length>,
}

impl Average {
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
        Average {
            count: n,
            mean: mean.map(Length::from_seconds),
            median: median.map(Length::from_seconds),
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

/// Figures over all incidents, by month of the start (in each document's
/// zone) and by severity.
#[derive(Clone, Debug, Default)]
pub struct Stats {
    all: Aggregate,
    by_month: BTreeMap<String, Aggregate>,
    by_severity: BTreeMap<String, Aggregate>,
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
    }

    /// The figures. Months run oldest first with `undated` last; severities
    /// follow the configured list, then others alphabetically, then
    /// `unspecified`.
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
        }
    }
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
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mean_and_median_round_to_minutes() {
        // 10, 20, 30 and 5 minutes: mean 16.25 -> 16, median (10+20)/2 = 15.
        let average = Average::of(&[600, 1200, 1800, 300]);
        assert_eq!(average.count, 4);
        assert_eq!(average.mean.map(|l| l.minutes), Some(16));
        assert_eq!(average.median.map(|l| l.text), Some("15 min".to_owned()));
        let empty = Average::of(&[]);
        assert!(empty.mean.is_none() && empty.median.is_none());
        // 90 s is 1.5 min: halves round away from zero.
        assert_eq!(Average::of(&[90]).mean.map(|l| l.minutes), Some(2));
    }
}
