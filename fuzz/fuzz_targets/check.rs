//! Any bytes through the whole pipeline: the file-level checks, YAML,
//! decoding, time resolution, every rule, every output format, every
//! built-in template for a file `pm render` would render (no errors),
//! `--fix` with unsafe fixes to a fixed point, and `pm import` of the bytes
//! as Markdown (whose output must check without a YAML error).
//! Nothing may panic, whatever the input, and the streamed check gives the
//! verdict of the whole tree.

#![no_main]

use libfuzzer_sys::fuzz_target;
use pm::check::{Settings, check_bytes};
use pm::emit::{Format, Totals};
use pm::render::{Engine, built_in, document};
use std::sync::LazyLock;

static ENGINES: LazyLock<Vec<Engine>> = LazyLock::new(|| {
    built_in()
        .map(|name| Engine::load(name, None).expect("built-in templates load"))
        .collect()
});

fuzz_target!(|data: &[u8]| {
    let today = chrono::NaiveDate::from_ymd_opt(2024, 3, 1).expect("a date");
    let settings = Settings::new(today);
    let checked = check_bytes("fuzz.yaml", data, &settings);
    if let Ok(text) = std::str::from_utf8(data)
        && checked.diagnostics.iter().all(|d| d.rule.id != "file-too-large" && d.rule.id != "not-text")
    {
        // With a word bound too: the stream counts the words of the items
        // it lets go.
        let mut counting = Settings::new(today);
        counting.words = Some((5, 60));
        for settings in [&settings, &counting] {
            let source = || pm::source::Source::new("fuzz.yaml", text);
            let streamed = pm::check::check(source(), settings);
            let whole = pm::check::check_whole_tree(source(), settings);
            assert_eq!(
                format!("{:?}{:?}", streamed.diagnostics, streamed.incident),
                format!("{:?}{:?}", whole.diagnostics, whole.incident),
                "the streamed check differs from the whole tree's"
            );
        }
    }
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
    let _ = pm::fix::fix_to_fixed_point("fuzz.yaml", data, &settings, true);
    if let Ok(text) = std::str::from_utf8(data) {
        let options = pm::import::Options {
            timezone: Some(chrono_tz::UTC),
            date_order: Some(pm::import::patterns::DateOrder::Dmy),
        };
        if let Ok(imported) = pm::import::import(text, &options) {
            let checked = check_bytes("imported.yaml", imported.yaml.as_bytes(), &settings);
            assert!(
                checked.diagnostics.iter().all(|d| d.rule.id != "yaml-syntax"),
                "pm import wrote YAML that does not parse"
            );
        }
    }
});
