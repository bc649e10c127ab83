//! Any bytes through the whole pipeline: the file-level checks, YAML,
//! decoding, time resolution, every rule, every output format, and every
//! built-in template for a file `pm render` would render (no errors).
//! Nothing may panic, whatever the input.

#![no_main]

use libfuzzer_sys::fuzz_target;
use pm::check::{Settings, check_bytes};
use pm::emit::{Format, Totals};
use pm::render::{BUILT_IN, Engine, document};
use std::sync::LazyLock;

static ENGINES: LazyLock<Vec<Engine>> = LazyLock::new(|| {
    BUILT_IN
        .iter()
        .map(|(name, _)| Engine::load(name, None).expect("built-in templates load"))
        .collect()
});

fuzz_target!(|data: &[u8]| {
    let today = chrono::NaiveDate::from_ymd_opt(2024, 3, 1).expect("a date");
    let settings = Settings::new(today);
    let checked = check_bytes("fuzz.yaml", data, &settings);
    let mut totals = Totals::default();
    totals.add(&checked);
    for format in [Format::Human, Format::Json, Format::Github, Format::Sarif] {
        let mut emitter = format.emitter(false);
        let mut sink = Vec::new();
        emitter.file(&mut sink, &checked).expect("writing to memory");
        emitter.finish(&mut sink, &totals).expect("writing to memory");
    }
    if let Some(incident) = &checked.incident
        && checked.errors() == 0
    {
        for engine in ENGINES.iter() {
            // A template error is a report, not a crash; only panics count.
            if let Ok(markdown) = engine.render(incident) {
                let _ = document("fuzz.yaml", &markdown);
            }
        }
    }
});
