//! Benchmarks of `pm check`'s core: parsing one postmortem alone, the whole
//! check of it (parse, decode, resolve times, rules), and a folder of them.
//! `cargo bench --bench check`; docs/performance.md has the figures.

use chrono::NaiveDate;
use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use pm::check::{self, Settings};
use pm::emit::{Format, Totals};
use pm::files;
use pm::source::Source;
use pm::yaml;
use std::hint::black_box;
use std::path::PathBuf;

/// A real postmortem of about 4 KB.
const POSTMORTEM: &str = include_str!("../examples/email-notification-outage.yaml");

/// The postmortems a generated folder cycles through (4 to 10 KB).
const EXAMPLES: &[&str] = &[
    include_str!("../examples/email-notification-outage.yaml"),
    include_str!("../examples/email-service-outage.yaml"),
    include_str!("../examples/egwal-database-overload.yaml"),
    include_str!("../examples/payments-latency-multiday.yaml"),
];

const FOLDER_FILES: usize = 1000;

fn settings() -> Settings {
    Settings::new(NaiveDate::from_ymd_opt(2024, 1, 1).expect("a valid date"))
}

/// The two figures whose ratio is the cost of validation over parsing.
fn one_postmortem(c: &mut Criterion) {
    let settings = settings();
    let mut group = c.benchmark_group("one");
    group.throughput(Throughput::Bytes(POSTMORTEM.len() as u64));
    group.bench_function("parse", |b| {
        b.iter_with_large_drop(|| yaml::parse(black_box(POSTMORTEM)));
    });
    group.bench_function("check", |b| {
        b.iter_batched(
            || Source::new("bench.yaml", POSTMORTEM),
            |source| check::check(source, &settings),
            BatchSize::SmallInput,
        );
    });
    group.finish();
}

/// `pm check DIR` without the process: discover, read, check on every core,
/// and emit human output to a sink.
fn folder(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("a temporary folder");
    for i in 0..FOLDER_FILES {
        let text = EXAMPLES[i % EXAMPLES.len()];
        std::fs::write(dir.path().join(format!("pm-{i:04}.yaml")), text).expect("write");
    }
    let settings = settings();
    let paths = [PathBuf::from(dir.path())];
    let mut group = c.benchmark_group("folder");
    group.sample_size(10);
    group.throughput(Throughput::Elements(FOLDER_FILES as u64));
    group.bench_function(format!("check_{FOLDER_FILES}_files"), |b| {
        b.iter(|| {
            let inputs = files::discover(&paths).expect("discover");
            let mut emitter = Format::Human.emitter(false);
            let mut out = std::io::sink();
            let mut totals = Totals::default();
            check::check_each(&inputs, &settings, |_, result| {
                let checked = result.expect("readable");
                totals.add(&checked);
                emitter.file(&mut out, &checked)
            })
            .expect("emit");
            emitter.finish(&mut out, &totals).expect("emit");
            totals
        });
    });
    group.finish();
}

criterion_group!(benches, one_postmortem, folder);
criterion_main!(benches);
