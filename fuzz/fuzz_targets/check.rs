//! Any bytes through the whole pipeline: the file-level checks, YAML,
//! decoding, time resolution, every rule, and every output format. Nothing
//! may panic, whatever the input.

#![no_main]

use libfuzzer_sys::fuzz_target;
use pm::check::{Settings, check_bytes};
use pm::emit::{Format, Totals};

fuzz_target!(|data: &[u8]| {
    let today = chrono::NaiveDate::from_ymd_opt(2024, 3, 1).expect("a date");
    let settings = Settings::new(today);
    let checked = check_bytes("fuzz.yaml", data, &settings);
    let mut totals = Totals::default();
    totals.add(&checked);
    for format in [Format::Human, Format::Json, Format::Github] {
        let mut emitter = format.emitter(false);
        let mut sink = Vec::new();
        emitter.file(&mut sink, &checked).expect("writing to memory");
        emitter.finish(&mut sink, &totals).expect("writing to memory");
    }
});
