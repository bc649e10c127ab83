//! Every shipped example is a postmortem `pm check` passes without a finding.

mod common;

use common::{check_json, root};

#[test]
fn every_example_passes_check() {
    let mut examples: Vec<_> = std::fs::read_dir(root().join("examples"))
        .expect("examples/")
        .map(|entry| entry.expect("entry").path())
        .filter(|path| path.extension().is_some_and(|e| e == "yaml" || e == "yml"))
        .collect();
    examples.sort();
    assert!(
        examples.len() >= 4,
        "the three seeds and a multi-day example"
    );
    for path in &examples {
        let (out, found) = check_json(path);
        assert_eq!(out.code, 0, "{}: {found:#?}", path.display());
        assert!(found.is_empty(), "{}: {found:#?}", path.display());
    }
}

#[test]
fn the_examples_folder_passes_as_a_whole() {
    let out = common::run_in(&root(), &["check", "--strict", "examples"], None);
    assert_eq!(out.code, 0, "{}", out.stdout);
    assert!(out.stdout.starts_with("ok: "), "{}", out.stdout);
}
