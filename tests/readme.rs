//! The README cannot rot: its commands run, its output is pm's real output,
//! its example postmortem checks, and its rules table is the registry's.
//!
//! Code blocks opt in with an HTML comment on the line before them:
//!
//! - `<!-- readme-test: run -->` on an `sh` block: each line runs, in the
//!   repository root, and must exit 0 (`run, exits 1` for another code).
//!   `pm ARGS` and `cargo run -- ARGS` run the binary under test;
//!   `cargo test` is this very run and is skipped.
//! - `<!-- readme-test: output -->` on a `text` block: the exact stdout of
//!   the run block before it.
//! - `<!-- readme-test: file PATH -->` on a block: the exact text of PATH.
//! - `<!-- readme-test: check -->` on a `yaml` block: a postmortem that
//!   `pm check` passes (warnings allowed).
//!
//! The rules table sits between `<!-- rules:start -->` and
//! `<!-- rules:end -->`. Run with `PM_UPDATE_README=1` to rewrite it from
//! `rules::ALL`.

mod common;

use common::{Output, root, run, run_in};

#[derive(Debug)]
struct Block {
    /// The marker's instruction, such as `run` or `file tests/x.yaml`.
    marker: String,
    /// 1-based line of the marker, for messages.
    line: usize,
    lang: String,
    body: String,
}

fn readme() -> String {
    std::fs::read_to_string(root().join("README.md")).expect("README.md")
}

/// Every fenced block that has a `readme-test` marker on the line before.
fn blocks(text: &str) -> Vec<Block> {
    let lines: Vec<&str> = text.lines().collect();
    let mut blocks = Vec::new();
    let mut index = 0;
    while index < lines.len() {
        let line = lines[index].trim();
        let marker = line
            .strip_prefix("<!-- readme-test:")
            .and_then(|rest| rest.strip_suffix("-->"))
            .map(str::trim);
        let Some(marker) = marker else {
            index += 1;
            continue;
        };
        let fence = lines
            .get(index + 1)
            .and_then(|l| l.strip_prefix("```"))
            .unwrap_or_else(|| {
                panic!(
                    "README.md:{}: a readme-test marker must be followed by a code block",
                    index + 1
                )
            });
        let mut body = String::new();
        let mut end = index + 2;
        while end < lines.len() && lines[end] != "```" {
            body.push_str(lines[end]);
            body.push('\n');
            end += 1;
        }
        assert!(
            end < lines.len(),
            "README.md:{}: unclosed code block",
            index + 2
        );
        blocks.push(Block {
            marker: marker.to_owned(),
            line: index + 1,
            lang: fence.trim().to_owned(),
            body,
        });
        index = end + 1;
    }
    blocks
}

/// Runs one README command line; `None` when it is skipped.
fn run_line(line: &str) -> Option<Output> {
    let words: Vec<&str> = line.split_whitespace().collect();
    let args = match words.as_slice() {
        ["cargo", "test", ..] => return None,
        ["cargo", "run", "--", args @ ..] | ["pm", args @ ..] => args,
        _ => panic!("README command `{line}`: readme.rs runs only `pm` and `cargo run --`"),
    };
    assert!(
        !line.contains(['"', '\'', '$', '|', '>', '<', '*']),
        "README command `{line}`: readme.rs runs commands without shell syntax"
    );
    Some(run_in(&root(), args, None))
}

#[test]
fn readme_commands_run_and_print_what_the_readme_shows() {
    let text = readme();
    let blocks = blocks(&text);
    let mut ran = 0;
    let mut last_stdout: Option<String> = None;
    for block in &blocks {
        if let Some(rest) = block.marker.strip_prefix("run") {
            assert_eq!(
                block.lang, "sh",
                "README.md:{}: run blocks are ```sh",
                block.line
            );
            let want_code: i32 = match rest.trim().strip_prefix(", exits ") {
                Some(code) => code.parse().expect("an exit code"),
                None => 0,
            };
            let mut stdout = String::new();
            for line in block.body.lines() {
                let line = line.trim();
                if line.is_empty() || line.starts_with('#') {
                    continue;
                }
                if let Some(out) = run_line(line) {
                    assert_eq!(
                        out.code, want_code,
                        "README.md:{}: `{line}` exited {}:\n{}{}",
                        block.line, out.code, out.stdout, out.stderr
                    );
                    stdout.push_str(&out.stdout);
                    ran += 1;
                }
            }
            last_stdout = Some(stdout);
        } else if block.marker == "output" {
            let stdout = last_stdout.take().unwrap_or_else(|| {
                panic!(
                    "README.md:{}: output with no run block before it",
                    block.line
                )
            });
            assert_eq!(
                block.body, stdout,
                "README.md:{}: the output shown is not what pm prints",
                block.line
            );
        }
    }
    assert!(
        ran >= 2,
        "the newcomer command and the tour run ({ran} ran)"
    );
}

#[test]
fn readme_newcomer_commands_are_the_two_documented_ones() {
    let text = readme();
    let runnable: Vec<String> = blocks(&text)
        .into_iter()
        .filter(|b| b.marker.starts_with("run"))
        .flat_map(|b| b.body.lines().map(str::to_owned).collect::<Vec<_>>())
        .collect();
    for command in ["cargo run -- check examples", "cargo test"] {
        assert!(
            runnable.iter().any(|line| line.trim() == command),
            "README must show `{command}` in a runnable block"
        );
    }
}

#[test]
fn readme_files_match_the_repository() {
    for block in blocks(&readme()) {
        if let Some(path) = block.marker.strip_prefix("file ") {
            let actual = std::fs::read_to_string(root().join(path.trim()))
                .unwrap_or_else(|err| panic!("README.md:{}: {path}: {err}", block.line));
            assert_eq!(
                block.body, actual,
                "README.md:{}: the block differs from {path}",
                block.line
            );
        }
    }
}

#[test]
fn readme_postmortems_pass_check() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut checked = 0;
    for block in blocks(&readme()) {
        if block.marker == "check" {
            let path = dir.path().join(format!("readme-{}.yaml", block.line));
            std::fs::write(&path, &block.body).expect("write");
            let out = run(
                common::pm().args(["check", "--color", "never"]).arg(&path),
                None,
            );
            assert_eq!(
                out.code, 0,
                "README.md:{}: the example does not pass `pm check`:\n{}",
                block.line, out.stdout
            );
            checked += 1;
        }
    }
    assert!(checked >= 1, "the file format example is checked");
}

/// The rules table as `rules::ALL` has it.
fn rules_table() -> String {
    let mut table = String::from("| Rule | Default | What it catches |\n| --- | --- | --- |\n");
    for rule in pm::rules::ALL {
        table.push_str(&format!(
            "| `{}` | {} | {} |\n",
            rule.id,
            rule.severity.as_str(),
            rule.summary.replace('|', "\\|")
        ));
    }
    table
}

#[test]
fn readme_rules_table_matches_the_registry() {
    const START: &str = "<!-- rules:start -->\n";
    const END: &str = "<!-- rules:end -->";
    let text = readme();
    let start = text.find(START).expect("README has <!-- rules:start -->") + START.len();
    let end = start
        + text[start..]
            .find(END)
            .expect("README has <!-- rules:end -->");
    let expected = rules_table();
    if text[start..end] != expected && std::env::var_os("PM_UPDATE_README").is_some() {
        let updated = format!("{}{expected}{}", &text[..start], &text[end..]);
        std::fs::write(root().join("README.md"), updated).expect("write README.md");
        return;
    }
    assert_eq!(
        text[start..end],
        expected,
        "the README's rules table is out of date: run `PM_UPDATE_README=1 cargo test --test readme`"
    );
}
