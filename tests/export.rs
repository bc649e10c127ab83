//! `pm export` through the real binary: what it prints, how it reports files
//! with errors, times and lengths across DST, and its output validated
//! against its own schema (`pm schema --export`).

mod common;

use common::{Output, pm, root, run, run_in};
use serde_json::Value;

fn export(args: &[&str]) -> Output {
    run_in(&root(), &[&["export"], args].concat(), None)
}

fn json(out: &Output) -> Value {
    serde_json::from_str(&out.stdout)
        .unwrap_or_else(|err| panic!("not JSON ({err}):\n{}\n{}", out.stdout, out.stderr))
}

/// The one document of a single-file export.
fn only(args: &[&str]) -> Value {
    let out = export(args);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let mut all = json(&out);
    let items = all.as_array_mut().expect("an array");
    assert_eq!(items.len(), 1, "{}", out.stdout);
    items.remove(0)
}

fn export_schema() -> jsonschema::Validator {
    let out = run_in(&root(), &["schema", "--export"], None);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let schema: Value = serde_json::from_str(&out.stdout).expect("the schema is JSON");
    jsonschema::meta::validate(&schema).expect("a valid JSON Schema");
    assert_eq!(
        schema["$schema"],
        "https://json-schema.org/draft/2020-12/schema"
    );
    jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .expect("the schema compiles")
}

fn violations(validator: &jsonschema::Validator, value: &Value) -> Vec<String> {
    validator
        .iter_errors(value)
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect()
}

fn examples() -> Vec<std::path::PathBuf> {
    let mut found: Vec<_> = std::fs::read_dir(root().join("examples"))
        .expect("examples/")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    found.sort();
    found
}

#[test]
fn every_example_exports_and_matches_the_schema() {
    let validator = export_schema();
    let out = export(&["examples"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let all = json(&out);
    let files: Vec<&str> = all
        .as_array()
        .expect("an array")
        .iter()
        .map(|d| d["file"].as_str().expect("file"))
        .collect();
    let expected: Vec<String> = examples()
        .iter()
        .map(|p| {
            format!(
                "examples/{}",
                p.file_name().expect("name").to_string_lossy()
            )
        })
        .collect();
    assert_eq!(files, expected);
    let errors = violations(&validator, &all);
    assert!(errors.is_empty(), "{errors:#?}");
    // The fixtures with times of every precision, and across DST, too.
    for fixture in ["export/precision.yaml", "dst-crossing.yaml"] {
        let path = format!("tests/fixtures/{fixture}");
        let out = export(&[&path]);
        let errors = violations(&validator, &json(&out));
        assert!(errors.is_empty(), "{fixture}: {errors:#?}");
    }
}

/// The schema is closed: a missing field, an unknown key or a wrong
/// precision fails it, so the test above can fail.
#[test]
fn the_schema_refuses_what_the_export_does_not_print() {
    let validator = export_schema();
    let good = json(&export(&["tests/fixtures/export/precision.yaml"]));
    assert!(violations(&validator, &good).is_empty());
    let mut missing = good.clone();
    missing[0]["summary"]
        .as_object_mut()
        .expect("summary")
        .remove("duration");
    let mut extra = good.clone();
    extra[0]["timeline"][0]["at"]["offset"] = Value::from("+01:00");
    let mut precision = good.clone();
    precision[0]["timeline"][0]["at"]["precision"] = Value::from("roughly");
    let mut seconds = good;
    seconds[0]["metrics"]["duration"] = Value::from("6 h");
    for (what, bad) in [
        ("a missing field", missing),
        ("an unknown key", extra),
        ("a wrong precision", precision),
        ("a length as text", seconds),
    ] {
        assert!(
            !violations(&validator, &bad).is_empty(),
            "the schema accepts {what}"
        );
    }
}

#[test]
fn jsonl_prints_the_same_documents_one_a_line() {
    let array = json(&export(&["examples"]));
    let out = export(&["--format", "jsonl", "examples"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let lines: Vec<Value> = out
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).expect("each line is JSON"))
        .collect();
    assert_eq!(lines.len(), examples().len());
    assert_eq!(Value::Array(lines), array);
}

#[test]
fn files_with_errors_are_reported_and_not_exported() {
    let out = export(&[
        "tests/fixtures/broken.yaml",
        "tests/fixtures/dst-crossing.yaml",
    ]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    let all = json(&out);
    let files: Vec<&str> = all
        .as_array()
        .expect("an array")
        .iter()
        .filter_map(|d| d["file"].as_str())
        .collect();
    assert_eq!(files, ["tests/fixtures/dst-crossing.yaml"]);
    // Human findings on stderr, as `pm render` gives them.
    assert!(
        out.stderr
            .contains("error[unknown-timezone]: `Mars/Olympus` is not an IANA time zone"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("--> tests/fixtures/broken.yaml:3:11"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("1 file with errors not exported"),
        "{}",
        out.stderr
    );
    assert!(!out.stderr.contains("dst-crossing"), "{}", out.stderr);

    // Nothing to export at all is still a JSON array, and still exit 1.
    let out = export(&["--format", "jsonl", "tests/fixtures/broken.yaml"]);
    assert_eq!((out.code, out.stdout.as_str()), (1, ""));
    let out = export(&["tests/fixtures/broken.yaml"]);
    assert_eq!((out.code, json(&out)), (1, Value::Array(Vec::new())));
}

#[test]
fn a_path_that_cannot_be_read_means_pm_could_not_run() {
    let out = export(&["tests/fixtures/no-such-file.yaml"]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(out.stderr.contains("no-such-file.yaml"), "{}", out.stderr);
    let out = export(&["--format", "xml", "examples"]);
    assert_eq!(out.code, 2, "{}", out.stderr);
}

#[test]
fn lengths_across_a_dst_change_are_true_lengths_in_seconds() {
    // London sprang forward at 01:00 GMT on 2026-03-29: 00:30 GMT to 03:30
    // BST is two hours, not the three the wall clock suggests.
    let doc = only(&["tests/fixtures/dst-crossing.yaml"]);
    assert_eq!(
        doc["metrics"],
        serde_json::json!({
            "duration": 2 * 3600,
            "time_to_detect": 20 * 60,
            "time_to_mitigate": 3600,
            "time_to_resolve": 100 * 60,
        })
    );
    let start = &doc["summary"]["start"];
    let end = &doc["summary"]["end"];
    assert_eq!(start["local"], "2026-03-29T00:30:00+00:00");
    assert_eq!(end["local"], "2026-03-29T03:30:00+01:00");
    assert_eq!(end["utc"], "2026-03-29T02:30:00Z");
    // A time written with its own abbreviation is in the document's zone too.
    let escalated = &doc["timeline"][2]["at"];
    assert_eq!(escalated["written"], "02:10 BST");
    assert_eq!(escalated["local"], "2026-03-29T02:10:00+01:00");
    assert_eq!(escalated["utc"], "2026-03-29T01:10:00Z");
}

#[test]
fn times_are_exported_as_precisely_as_they_are_known() {
    let doc = only(&["tests/fixtures/export/precision.yaml"]);
    let at = |i: usize| doc["timeline"][i]["at"].clone();
    // A date alone: the day, and no instant.
    assert_eq!(
        at(0),
        serde_json::json!({"written": "2024-11-01", "precision": "date", "date": "2024-11-01", "local": null, "utc": null})
    );
    // Unknown: kept in place, with no day and no instant.
    assert_eq!(
        at(1),
        serde_json::json!({"written": "unknown", "precision": "unknown", "date": null, "local": null, "utc": null})
    );
    // Approximate: the instant it is about.
    assert_eq!(
        at(2),
        serde_json::json!({"written": "~2024-11-02 22:00", "precision": "approximate", "date": "2024-11-02", "local": "2024-11-02T22:00:00-04:00", "utc": "2024-11-03T02:00:00Z"})
    );
    // 01:30 happened twice on 2024-11-03 in New York; the abbreviations say which.
    assert_eq!(at(4)["utc"], "2024-11-03T05:30:00Z");
    assert_eq!(at(5)["utc"], "2024-11-03T06:30:00Z");
    assert_eq!(at(5)["local"], "2024-11-03T01:30:00-05:00");
    // 22:00 EDT to 03:00 EST is six hours, as the document states.
    assert_eq!(
        doc["summary"]["duration"],
        serde_json::json!({"written": "6 hours", "seconds": 21600})
    );
    assert_eq!(doc["metrics"]["duration"], 21600);
    assert_eq!(doc["summary"]["affected"], "unknown");
    // Not written: null, or an empty list; the key is always there.
    assert_eq!(doc["id"], Value::Null);
    assert_eq!(doc["lessons"], Value::Null);
    assert_eq!(doc["links"], serde_json::json!([]));
    // A measure written as text is a mapping like the others.
    assert_eq!(
        doc["measures"][0],
        serde_json::json!({"kind": null, "text": "Carry throughput settings over in volume migrations."})
    );
}

#[test]
fn affected_keeps_its_form() {
    let yaml = |affected: &str| {
        format!(
            "title: T\ntimezone: UTC\nsummary:\n  service: S\n  start: 2024-01-10 10:00\n  end: 2024-01-10 11:00\n  impact: I\n  affected: {affected}\n  cause: C\ntimeline:\n  - at: 2024-01-10 10:00\n    text: a\n"
        )
    };
    for (written, exported) in [
        ("20%", serde_json::json!(20)),
        ("12.5", serde_json::json!(12.5)),
        (
            "{count: 4, unit: validators, of: 150}",
            serde_json::json!({"count": 4, "unit": "validators", "of": 150}),
        ),
        (
            "{count: 31}",
            serde_json::json!({"count": 31, "unit": null, "of": null}),
        ),
        ("unknown", serde_json::json!("unknown")),
    ] {
        let out = run(pm().args(["export", "-"]), Some(&yaml(written)));
        assert_eq!(out.code, 0, "{written}: {}", out.stderr);
        let doc = &json(&out)[0];
        assert_eq!(doc["summary"]["affected"], exported, "{written}");
        assert_eq!(doc["file"], "<stdin>");
    }
}

#[test]
fn the_output_does_not_depend_on_the_day() {
    let at = |today: &str| {
        run(
            pm().current_dir(root()).env("PM_TODAY", today).args([
                "export",
                "examples",
                "tests/fixtures/export",
            ]),
            None,
        )
    };
    let (before, after) = (at("2020-01-01"), at("2030-06-30"));
    assert_eq!(before.code, 0, "{}", before.stderr);
    assert_eq!(before.stdout, after.stdout);
}

#[test]
fn snapshot_of_one_export() {
    let out = export(&["tests/fixtures/export/precision.yaml"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    insta::assert_snapshot!("precision", out.stdout);
}

#[test]
fn the_export_docs_name_every_key() {
    let docs = std::fs::read_to_string(root().join("docs/export.md")).expect("docs/export.md");
    let out = run_in(&root(), &["schema", "--export"], None);
    let schema: Value = serde_json::from_str(&out.stdout).expect("the schema is JSON");
    // The words inside `code spans`: `{text, owner}` names both.
    let named: Vec<&str> = docs
        .split('`')
        .skip(1)
        .step_by(2)
        .flat_map(|span| span.split(|c: char| !(c.is_alphanumeric() || c == '_')))
        .collect();
    let mut keys = Vec::new();
    collect_keys(&schema, &mut keys);
    assert!(keys.len() > 40, "{keys:?}");
    for key in keys {
        assert!(
            named.contains(&key.as_str()),
            "docs/export.md does not name `{key}`"
        );
    }
}

/// Every property name the schema declares, at any depth.
fn collect_keys(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            if let Some(Value::Object(properties)) = map.get("properties") {
                for key in properties.keys() {
                    if !out.contains(key) {
                        out.push(key.clone());
                    }
                }
            }
            map.values().for_each(|inner| collect_keys(inner, out));
        }
        Value::Array(items) => items.iter().for_each(|i| collect_keys(i, out)),
        _ => {}
    }
}
