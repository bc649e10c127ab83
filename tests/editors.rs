//! Editors and CI, through the real binary: `pm schema`, `pm completions`,
//! `pm man`, `pm rules`, `pm check --explain`, `pm check --format sarif`,
//! and the pre-commit manifest.

mod common;

use common::{code, stderr, stdout};
use pm::incident::{keys, schema};
use pm::rules;
use serde_json::{Value, json};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

fn pm_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_pm"))
        .args(args)
        .current_dir(dir)
        .env("PM_TODAY", "2024-05-01")
        .env("NO_COLOR", "1")
        .output()
        .expect("pm runs")
}

fn pm(args: &[&str]) -> Output {
    pm_in(Path::new(ROOT), args)
}

fn yaml_files(dir: &str) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(Path::new(ROOT).join(dir))
        .expect("fixture folder")
        .map(|entry| entry.expect("entry").path())
        .filter(|path| path.extension().is_some_and(|e| e == "yaml"))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no fixtures in {dir}");
    files
}

// --- pm schema ------------------------------------------------------------

#[test]
fn schema_prints_the_generated_schema() {
    let output = pm(&["schema"]);
    assert_eq!(code(&output), 0);
    let printed: Value = serde_json::from_str(&stdout(&output)).expect("valid JSON");
    assert_eq!(printed, schema::schema());
    assert_eq!(
        printed["$schema"],
        "https://json-schema.org/draft/2020-12/schema"
    );
    let properties: BTreeSet<&str> = printed["properties"]
        .as_object()
        .expect("properties")
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(properties, keys::top().iter().copied().collect());
    assert_eq!(printed["additionalProperties"], json!(false));
}

/// The schema fixtures as pm sees them; .ci/run checks check-jsonschema
/// gives the same verdicts.
#[test]
fn valid_schema_fixtures_and_examples_pass_pm() {
    let mut files = yaml_files("tests/fixtures/schema/valid");
    files.extend(yaml_files("examples"));
    for file in files {
        let output = pm(&["check", file.to_str().expect("path")]);
        assert_eq!(code(&output), 0, "{}: {}", file.display(), stdout(&output));
    }
}

#[test]
fn each_invalid_schema_fixture_fails_pm_with_the_rule_it_names() {
    for file in yaml_files("tests/fixtures/schema/invalid") {
        let text = std::fs::read_to_string(&file).expect("fixture");
        let expected = text
            .lines()
            .next()
            .and_then(|line| line.strip_prefix("# expect: "))
            .unwrap_or_else(|| panic!("{} has no `# expect: RULE` line", file.display()));
        assert!(rules::by_id(expected).is_some(), "{expected} is no rule");
        let output = pm(&["check", "--format", "json", file.to_str().expect("path")]);
        assert_eq!(code(&output), 1, "{}", file.display());
        let findings: Value = serde_json::from_str(&stdout(&output)).expect("JSON");
        let errors: BTreeSet<&str> = findings
            .as_array()
            .expect("array")
            .iter()
            .filter(|f| f["severity"] == "error")
            .map(|f| f["rule"].as_str().expect("rule"))
            .collect();
        assert_eq!(errors, BTreeSet::from([expected]), "{}", file.display());
    }
}

// --- pm completions and pm man --------------------------------------------

/// Every subcommand, as `pm --help` lists them (clap's own registry, from
/// `Cli::command().get_subcommands()`), but `help`.
fn subcommands() -> Vec<String> {
    let help = stdout(&pm(&["--help"]));
    let listed = help
        .split("Commands:\n")
        .nth(1)
        .expect("a Commands section")
        .split("\n\n")
        .next()
        .expect("its lines");
    let names: Vec<String> = listed
        .lines()
        .filter(|line| line.starts_with("  ") && !line.starts_with("   "))
        .filter_map(|line| line.split_whitespace().next())
        .filter(|name| *name != "help")
        .map(str::to_owned)
        .collect();
    assert!(names.len() >= 10, "{names:?}");
    names
}

#[test]
fn completions_for_every_shell_cover_the_subcommands() {
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let output = pm(&["completions", shell]);
        assert_eq!(code(&output), 0, "{shell}");
        let script = stdout(&output);
        assert!(script.len() > 500, "{shell}: {} bytes", script.len());
        let words = subcommands();
        for word in words
            .iter()
            .map(String::as_str)
            .chain(["format", "explain"])
        {
            assert!(script.contains(word), "{shell} completions lack `{word}`");
        }
        // Elvish and PowerShell scripts complete options, not their values.
        if ["bash", "zsh", "fish"].contains(&shell) {
            assert!(
                script.contains("sarif"),
                "{shell} does not complete formats"
            );
        }
    }
}

#[test]
fn bash_completions_parse() {
    let script = stdout(&pm(&["completions", "bash"]));
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("pm.bash");
    std::fs::write(&path, script).expect("write");
    let check = Command::new("bash")
        .arg("-n")
        .arg(&path)
        .output()
        .expect("bash runs");
    assert!(
        check.status.success(),
        "{}",
        String::from_utf8_lossy(&check.stderr)
    );
}

#[test]
fn an_unknown_shell_is_refused() {
    let output = pm(&["completions", "tcsh"]);
    assert_eq!(code(&output), 2);
    assert!(stderr(&output).contains("bash"), "{}", stderr(&output));
}

#[test]
fn man_page_names_every_subcommand() {
    let output = pm(&["man"]);
    assert_eq!(code(&output), 0);
    let page = stdout(&output);
    assert!(page.contains(".TH pm 1"), "{page}");
    assert!(page.contains(&format!("pm {}", env!("CARGO_PKG_VERSION"))));
    for sub in subcommands() {
        assert!(
            page.contains(&format!("pm\\-{sub}(1)")),
            "man page lacks {sub}"
        );
    }
}

#[test]
fn man_page_of_a_subcommand_documents_its_options() {
    let output = pm(&["man", "check"]);
    assert_eq!(code(&output), 0);
    let page = stdout(&output);
    assert!(page.contains(".TH pm-check 1"), "{page}");
    for word in ["\\-\\-format", "sarif", "\\-\\-explain", "\\-\\-strict"] {
        assert!(page.contains(word), "pm-check(1) lacks {word}");
    }
    let output = pm(&["man", "chek"]);
    assert_eq!(code(&output), 2);
    assert!(
        stderr(&output).contains("did you mean `check`?"),
        "{}",
        stderr(&output)
    );
}

// --- pm rules and pm check --explain --------------------------------------

#[test]
fn rules_lists_every_rule_with_its_severity() {
    let output = pm(&["rules"]);
    assert_eq!(code(&output), 0);
    let table = stdout(&output);
    for rule in rules::ALL {
        let line = table
            .lines()
            .find(|line| line.split_whitespace().next() == Some(rule.id))
            .unwrap_or_else(|| panic!("{} is not listed", rule.id));
        assert!(line.contains(rule.severity.as_str()) && line.contains(rule.summary));
    }
    insta::assert_snapshot!(table);
}

#[test]
fn rules_as_json_carry_the_documentation() {
    let output = pm(&["rules", "--format", "json"]);
    assert_eq!(code(&output), 0);
    let listed: Value = serde_json::from_str(&stdout(&output)).expect("JSON");
    let listed = listed.as_array().expect("array");
    let ids: Vec<&str> = listed
        .iter()
        .map(|r| r["id"].as_str().expect("id"))
        .collect();
    let all: Vec<&str> = rules::ALL.iter().map(|r| r.id).collect();
    assert_eq!(ids, all);
    for rule in listed {
        for field in ["severity", "summary", "what", "why", "example", "fix"] {
            assert!(
                rule[field].as_str().is_some_and(|t| !t.trim().is_empty()),
                "{} lacks {field}",
                rule["id"]
            );
        }
    }
}

/// The text under a Markdown heading, up to the next heading.
fn section<'a>(doc: &'a str, heading: &str) -> &'a str {
    let start = doc
        .find(&format!("## {heading}\n"))
        .unwrap_or_else(|| panic!("no `{heading}` in\n{doc}"));
    let body = &doc[start + heading.len() + 4..];
    body.find("\n## ").map_or(body, |end| &body[..end]).trim()
}

#[test]
fn every_rule_explains_itself() {
    for rule in rules::ALL {
        let output = pm(&["check", "--explain", rule.id]);
        assert_eq!(code(&output), 0, "{}", rule.id);
        let doc = stdout(&output);
        assert!(doc.starts_with(&format!("# {}\n", rule.id)), "{doc}");
        assert!(doc.contains(&format!("Default severity: {}.", rule.severity.as_str())));
        for heading in ["What it checks", "Why", "How to fix it"] {
            assert!(
                section(&doc, heading).len() > 20,
                "{}: `{heading}` is too short",
                rule.id
            );
        }
        let example = section(&doc, "Example");
        let code_block = example
            .strip_prefix("```yaml\n")
            .and_then(|e| e.strip_suffix("```"))
            .unwrap_or_else(|| panic!("{}: example is not a YAML block", rule.id));
        assert!(!code_block.trim().is_empty(), "{}: empty example", rule.id);
    }
}

#[test]
fn an_unknown_rule_is_refused_with_a_suggestion() {
    let output = pm(&["check", "--explain", "timeline-ordr"]);
    assert_eq!(code(&output), 2);
    assert!(stdout(&output).is_empty());
    assert!(
        stderr(&output).contains("did you mean `timeline-order`?"),
        "{}",
        stderr(&output)
    );
    let output = pm(&["check", "--explain", "zzz"]);
    assert_eq!(code(&output), 2);
    assert!(stderr(&output).contains("pm rules"), "{}", stderr(&output));
}

// --- pm check --format sarif ----------------------------------------------

const FINDINGS: &str = "tests/fixtures/sarif/findings.yaml";

fn sarif(dir: &Path, args: &[&str]) -> (i32, Value) {
    let mut all = vec!["check", "--format", "sarif"];
    all.extend(args);
    let output = pm_in(dir, &all);
    let log = serde_json::from_str(&stdout(&output)).expect("SARIF is JSON");
    (code(&output), log)
}

#[test]
fn sarif_snapshot() {
    let (code, mut log) = sarif(Path::new(ROOT), &[FINDINGS]);
    assert_eq!(code, 1);
    let driver = &mut log["runs"][0]["tool"]["driver"];
    assert_eq!(driver["version"], env!("CARGO_PKG_VERSION"));
    driver["version"] = json!("[version]");
    driver["semanticVersion"] = json!("[version]");
    // The rules' metadata is checked below; the snapshot shows the results.
    driver["rules"] = json!(format!("[{} rules]", rules::ALL.len()));
    insta::assert_json_snapshot!(log);
}

#[test]
fn sarif_is_structured_as_code_scanning_expects() {
    let (_, log) = sarif(Path::new(ROOT), &[FINDINGS, "examples"]);
    assert_eq!(log["version"], "2.1.0");
    assert!(
        log["$schema"]
            .as_str()
            .is_some_and(|s| s.ends_with("sarif-schema-2.1.0.json"))
    );
    let runs = log["runs"].as_array().expect("runs");
    assert_eq!(runs.len(), 1);
    let run = &runs[0];
    assert_eq!(run["columnKind"], "unicodeCodePoints");
    let driver = &run["tool"]["driver"];
    assert_eq!(driver["name"], "pm");
    let descriptors = driver["rules"].as_array().expect("rules");
    assert_eq!(descriptors.len(), rules::ALL.len());
    for (descriptor, rule) in descriptors.iter().zip(rules::ALL) {
        assert_eq!(descriptor["id"], rule.id);
        assert_eq!(descriptor["shortDescription"]["text"], rule.summary);
        assert_eq!(descriptor["fullDescription"]["text"], rule.docs.what);
        assert_eq!(descriptor["help"]["markdown"], rule.explain());
        assert!(
            descriptor["help"]["text"]
                .as_str()
                .is_some_and(|t| t.contains(rule.docs.fix))
        );
        assert_eq!(
            descriptor["defaultConfiguration"]["level"],
            rule.severity.as_str()
        );
    }
    let results = run["results"].as_array().expect("results");

    // The same findings, in the same order, as `--format json`.
    let output = pm(&["check", "--format", "json", FINDINGS, "examples"]);
    let findings: Value = serde_json::from_str(&stdout(&output)).expect("JSON");
    let findings = findings.as_array().expect("array");
    assert_eq!(results.len(), findings.len());
    assert!(results.len() >= 4, "the fixture has findings");
    for (result, finding) in results.iter().zip(findings) {
        assert_eq!(result["ruleId"], finding["rule"]);
        let index = result["ruleIndex"].as_u64().expect("ruleIndex") as usize;
        assert_eq!(descriptors[index]["id"], result["ruleId"]);
        assert_eq!(result["level"], finding["severity"]);
        assert!(
            result["message"]["text"]
                .as_str()
                .is_some_and(|m| m.starts_with(finding["message"].as_str().expect("message")))
        );
        let location = &result["locations"][0]["physicalLocation"];
        assert_eq!(location["artifactLocation"]["uri"], finding["file"]);
        assert_eq!(location["region"]["startLine"], finding["line"]);
        assert_eq!(location["region"]["startColumn"], finding["column"]);
    }
    let related = results
        .iter()
        .find(|r| r["ruleId"] == "timeline-order")
        .expect("timeline-order finding");
    assert_eq!(
        related["relatedLocations"][0]["physicalLocation"]["region"]["startLine"],
        19
    );
}

#[test]
fn sarif_uris_are_relative_with_forward_slashes() {
    let dir = tempfile::tempdir().expect("temp dir");
    let nested = dir.path().join("post mortems");
    std::fs::create_dir(&nested).expect("mkdir");
    std::fs::copy(
        Path::new(ROOT).join(FINDINGS),
        nested.join("2024-03-01 café.yaml"),
    )
    .expect("copy");
    let expected = "post%20mortems/2024-03-01%20caf%C3%A9.yaml";
    for arg in [
        "post mortems".to_owned(),
        "./post mortems/2024-03-01 café.yaml".to_owned(),
        nested.display().to_string(),
    ] {
        let (_, log) = sarif(dir.path(), &[&arg]);
        let results = log["runs"][0]["results"].as_array().expect("results");
        assert!(!results.is_empty());
        for result in results {
            let artifact = &result["locations"][0]["physicalLocation"]["artifactLocation"];
            assert_eq!(artifact["uri"], expected, "for `{arg}`");
            assert_eq!(artifact["uriBaseId"], "%SRCROOT%");
        }
    }
}

#[test]
fn sarif_of_a_clean_run_has_no_results_and_exits_0() {
    let (code, log) = sarif(Path::new(ROOT), &["examples/email-service-outage.yaml"]);
    assert_eq!(code, 0);
    assert_eq!(log["runs"][0]["results"], json!([]));
    assert_eq!(
        log["runs"][0]["tool"]["driver"]["rules"]
            .as_array()
            .map(Vec::len),
        Some(rules::ALL.len())
    );
}

// --- pre-commit -----------------------------------------------------------

#[test]
fn pre_commit_manifest_exposes_pm_check() {
    let text =
        std::fs::read_to_string(Path::new(ROOT).join(".pre-commit-hooks.yaml")).expect("manifest");
    let hooks: Value = serde_saphyr::from_str(&text).expect("manifest is YAML");
    let hooks = hooks.as_array().expect("a list of hooks");
    let hook = hooks
        .iter()
        .find(|h| h["id"] == "pm-check")
        .expect("a pm-check hook");
    for key in ["id", "name", "entry", "language"] {
        assert!(hook[key].as_str().is_some_and(|v| !v.is_empty()), "{key}");
    }
    assert_eq!(hook["language"], "rust");
    assert_eq!(hook["entry"], "pm check");
    assert_eq!(hook["pass_filenames"], true);
    // The entry runs: pre-commit appends file names to it.
    let output = pm(&["check", "examples/email-service-outage.yaml"]);
    assert_eq!(code(&output), 0);

    let files = regex::Regex::new(hook["files"].as_str().expect("files")).expect("regex");
    for path in [
        "postmortems/2024-03-01-queue-backlog.yaml",
        "postmortems/2023/email.yml",
        "teams/payments/postmortems/2024-07-15-latency.yaml",
    ] {
        assert!(files.is_match(path), "{path}");
    }
    for path in [
        ".github/workflows/ci.yml",
        "postmortems/README.md",
        "mypostmortems/x.yaml",
        "deploy/values.yaml",
    ] {
        assert!(!files.is_match(path), "{path}");
    }
}
