//! pm's reader against the serde-saphyr reader it replaced: the same tree,
//! every span included, or an error at the same place, on every file the
//! project has (examples, fixtures, the hostile corpus, the fuzz seeds),
//! on every line-cut prefix of each, and on generated documents.
//!
//! Where the two differ on purpose, `reference::intended` says how.

use super::reference::disagreement;
use super::{node_budget, reader};
use std::path::Path;

const LIMIT: u64 = crate::files::DEFAULT_MAX_FILE_SIZE;

fn yaml_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            yaml_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "yaml" || e == "yml")
            || path.parent().is_some_and(|p| p.ends_with("seeds"))
        {
            out.push(path);
        }
    }
}

/// Runs `check` on a thread with room for serde's recursion over the
/// hostile corpus's deepest files (the test threads have 2 MiB).
fn with_stack(check: impl FnOnce() + Send + 'static) {
    std::thread::Builder::new()
        .stack_size(256 << 20)
        .spawn(check)
        .expect("a thread")
        .join()
        .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
}

#[test]
fn both_readers_agree_on_every_file_and_every_prefix() {
    with_stack(every_file_and_every_prefix);
}

fn every_file_and_every_prefix() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    for dir in [
        "examples",
        "tests/fixtures",
        "tests/hostile",
        "fuzz/seeds",
        "templates",
    ] {
        yaml_files(&root.join(dir), &mut files);
    }
    files.sort();
    assert!(files.len() > 100, "found only {} files", files.len());
    let mut failures = Vec::new();
    let mut texts = 0;
    let mut errors = 0;
    for path in &files {
        let Ok(text) = std::fs::read_to_string(path) else {
            continue; // not text: the hostile corpus's binary cases
        };
        let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
        let lines: Vec<usize> = text.match_indices('\n').map(|(i, _)| i + 1).collect();
        // At most 60 cuts a file, spread evenly: every prefix of a long
        // file is quadratic, and the neighbours of a cut add little.
        let step = lines.len().div_ceil(60).max(1);
        let cuts = lines.iter().copied().step_by(step);
        for end in cuts.chain([text.len()]) {
            texts += 1;
            errors += usize::from(reader::read(&text[..end], node_budget(LIMIT), LIMIT).is_err());
            if let Some(diff) = disagreement(&text[..end]) {
                failures.push(format!("{} (first {end} bytes)\n{diff}", path.display()));
            }
        }
    }
    eprintln!("{texts} texts, {errors} errors");
    assert!(
        failures.is_empty(),
        "{} of {texts} texts differ:\n\n{}",
        failures.len(),
        failures
            .iter()
            .take(8)
            .map(String::as_str)
            .collect::<Vec<_>>()
            .join("\n\n")
    );
}

/// Pieces of YAML that meet in ways a file rarely shows: anchors, aliases
/// and merges, tags, flow and block, scalars of every type, documents,
/// comments, tabs and broken indentation.
const PIECES: &[&str] = &[
    "a",
    "b",
    "title",
    "no",
    ": ",
    ":",
    "- ",
    "-",
    "\n",
    "  ",
    "    ",
    "[",
    "]",
    "{",
    "}",
    ", ",
    "&a ",
    "*a",
    "&b ",
    "*b",
    "<<: ",
    "<<",
    "\"x\"",
    "'y'",
    "\"<<\"",
    "|\n",
    ">-\n",
    "!!str ",
    "!!int ",
    "!!null ",
    "!!bool ",
    "!!float ",
    "!!binary ",
    "!!timestamp ",
    "!custom ",
    "! ",
    "~",
    "null",
    "1",
    "\"1\"",
    "0x1F",
    "012",
    "1.5",
    "-0",
    "true",
    "True",
    "16:40",
    "2023-01-04 10:00 UTC",
    "---\n",
    "...\n",
    "? ",
    "#c",
    " #c",
    "\t",
    "%YAML 1.2\n",
    "\"\\u00e9\"",
    "1e999",
    ".nan",
    "1_0",
    "aGVsbG8=",
    "\"\\",
    "é",
    "\r\n",
    "!!binarq ",
    "!!set ",
    "!!seq ",
    "!!map ",
    "!!time ",
    "!<tag:yaml.org,2002:str> ",
    "aGk=",
    "aGVsbG6=",
    "aG=",
];

/// Texts the readers were found disagreeing on (by the `yaml_paths` fuzz
/// target, and in review), each fixed in pm's reader.
#[test]
fn what_fuzzing_found_stays_fixed() {
    with_stack(what_was_found);
}

fn what_was_found() {
    for text in [
        "titde: !!binarq aGVsbG8=\nstatu9s: !custom final\n",
        "titlAmerica/Los_Angelese: !!binary aGVsbG6=\nstatu9s: !custom final\n",
        // Found in review: an alias to an anchored key, and nesting
        // through an alias.
        "&a 1: x\nb: *a\n&n ~: y\nc: *n\n&t true: z\nd: *t\n",
        "a: &a [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[x]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]\nb: [[[[[[*a]]]]]]\n",
    ] {
        if let Some(diff) = disagreement(text) {
            panic!("{text:?}\n{diff}");
        }
    }
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig {
        cases: 3_000,
        failure_persistence: None,
        ..proptest::prelude::ProptestConfig::default()
    })]
    #[test]
    fn both_readers_agree_on_generated_documents(
        picks in proptest::collection::vec(0..PIECES.len(), 0..48)
    ) {
        let text: String = picks.iter().map(|&i| PIECES[i]).collect();
        if let Some(diff) = disagreement(&text) {
            return Err(proptest::test_runner::TestCaseError::fail(format!("{text:?}\n{diff}")));
        }
    }
}
