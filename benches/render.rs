//! Benchmarks of `pm render`'s core: loading the built-in templates, and
//! rendering one checked postmortem through each of them.
//! `cargo bench --bench render`; docs/performance.md has the figures.

use chrono::NaiveDate;
use criterion::{Criterion, criterion_group, criterion_main};
use pm::check::{self, Settings};
use pm::render::{self, Engine};
use pm::source::Source;
use std::hint::black_box;

/// The same 4 KB postmortem as `benches/check.rs` uses.
const POSTMORTEM: &str = include_str!("../examples/email-notification-outage.yaml");

fn one_postmortem(c: &mut Criterion) {
    let settings = Settings::new(NaiveDate::from_ymd_opt(2024, 1, 1).expect("a valid date"));
    let checked = check::check(Source::new("bench.yaml", POSTMORTEM), &settings);
    let incident = checked.incident.expect("the example decodes");
    let mut group = c.benchmark_group("one");
    group.bench_function("load_templates", |b| {
        b.iter(|| Engine::load(black_box("readme"), None).expect("built-in"));
    });
    for name in render::built_in() {
        let engine = Engine::load(name, None).expect("built-in");
        group.bench_function(format!("render_{name}"), |b| {
            b.iter(|| {
                let markdown = engine.render(black_box(&incident)).expect("renders");
                render::document("bench.yaml", &markdown)
            });
        });
    }
    group.finish();
}

criterion_group!(benches, one_postmortem);
criterion_main!(benches);
