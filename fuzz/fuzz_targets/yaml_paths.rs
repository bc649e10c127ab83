//! Any text through both YAML readers: pm's own (src/yaml/reader.rs) and
//! the serde-saphyr one it replaced. They must give the same tree, spans
//! included, or both an error (the same words at the same place); where
//! they differ on purpose, `pm::yaml::reference` says how.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data)
        && let Some(diff) = pm::yaml::reference::disagreement(text)
    {
        panic!("the YAML readers disagree on {text:?}:\n{diff}");
    }
});
