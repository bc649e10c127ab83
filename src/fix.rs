//! Applying the fixes findings carry (`pm check --fix`), to a fixed point.
//!
//! Edits are positioned in the decoded text (`Source`: no BOM, LF line
//! breaks). They are mapped back onto the original bytes so that everything
//! outside the edited spans stays as it was: comments, quoting, key order,
//! blank lines, CRLF and the BOM.

use crate::check::{self, Checked, Settings};
use crate::diagnostic::{Applicability, Diagnostic, Fix};
use std::ops::Range;

/// At most this many rounds of fixing and re-checking in one run.
pub const MAX_ROUNDS: usize = 4;

/// A fix that was applied: which rule, where (the line before the round
/// that applied it), and the finding's message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Applied {
    pub rule: &'static str,
    pub line: u32,
    pub message: String,
}

/// What fixing a file gave.
#[derive(Debug)]
pub struct Outcome {
    /// The fixed bytes (the original ones when nothing applied).
    pub bytes: Vec<u8>,
    pub applied: Vec<Applied>,
    /// The check of `bytes`: what remains.
    pub checked: Checked,
    /// Rounds that applied at least one fix.
    pub rounds: usize,
    /// A round would have brought back a text seen before; it was not applied.
    pub looped: bool,
}

impl Outcome {
    pub fn changed(&self, original: &[u8]) -> bool {
        self.bytes != original
    }
}

/// Whether a fix of this applicability may be applied.
pub fn allowed(fix: &Fix, unsafe_fixes: bool) -> bool {
    fix.applicability == Applicability::Safe || unsafe_fixes
}

/// Checks `bytes`, applies the allowed fixes, and repeats until nothing is
/// left to apply, a text comes back, or `MAX_ROUNDS` rounds have run.
pub fn fix_to_fixed_point(
    name: &str,
    bytes: &[u8],
    settings: &Settings,
    unsafe_fixes: bool,
) -> Outcome {
    iterate(bytes, unsafe_fixes, |bytes| {
        check::check_bytes(name, bytes, settings)
    })
}

/// The fixed-point loop over any check (the tests give one that loops).
fn iterate(bytes: &[u8], unsafe_fixes: bool, mut check: impl FnMut(&[u8]) -> Checked) -> Outcome {
    let mut current = bytes.to_vec();
    let mut seen: Vec<Vec<u8>> = vec![current.clone()];
    let mut applied = Vec::new();
    let mut rounds = 0;
    let mut looped = false;
    let mut checked = check(&current);
    while rounds < MAX_ROUNDS {
        let (next, round) = apply(&current, &checked.diagnostics, unsafe_fixes);
        if round.is_empty() || next == current {
            break;
        }
        if seen.contains(&next) {
            looped = true;
            break;
        }
        rounds += 1;
        applied.extend(round);
        seen.push(next.clone());
        current = next;
        checked = check(&current);
    }
    Outcome {
        bytes: current,
        applied,
        checked,
        rounds,
        looped,
    }
}

/// Applies, once, the allowed fixes of `diagnostics` (found in `original`)
/// to `original`. A fix with an edit overlapping one already taken is left
/// for the next round. Returns the new bytes and the fixes applied.
pub fn apply(
    original: &[u8],
    diagnostics: &[Diagnostic],
    unsafe_fixes: bool,
) -> (Vec<u8>, Vec<Applied>) {
    let Ok(text) = std::str::from_utf8(original) else {
        return (original.to_vec(), Vec::new());
    };
    let map = Mapping::new(text);
    let mut taken: Vec<(Range<usize>, &str)> = Vec::new();
    let mut applied = Vec::new();
    for diagnostic in diagnostics {
        let Some(fix) = diagnostic.fix.as_ref().filter(|f| allowed(f, unsafe_fixes)) else {
            continue;
        };
        let ranges: Vec<(Range<usize>, &str)> = fix
            .edits
            .iter()
            .map(|edit| (map.original_range(edit.span), edit.text.as_str()))
            .collect();
        let overlaps = ranges.iter().enumerate().any(|(i, (a, _))| {
            taken.iter().any(|(b, _)| overlap(a, b))
                || ranges[..i].iter().any(|(b, _)| overlap(a, b))
        });
        if overlaps || ranges.is_empty() {
            continue;
        }
        taken.extend(ranges);
        applied.push(Applied {
            rule: diagnostic.rule.id,
            line: diagnostic.span.line,
            message: diagnostic.message.clone(),
        });
    }
    taken.sort_by_key(|(range, _)| (range.start, range.end));
    let mut out = Vec::with_capacity(original.len());
    let mut at = 0;
    for (range, replacement) in taken {
        out.extend_from_slice(&original[at..range.start]);
        out.extend_from_slice(map.encode(replacement).as_bytes());
        at = range.end;
    }
    out.extend_from_slice(&original[at..]);
    (out, applied)
}

/// Applies edits (positioned in the decoded text) to the original bytes,
/// as `apply` does; the edits must not overlap.
pub fn apply_edits(original: &[u8], edits: &[crate::diagnostic::Edit]) -> Vec<u8> {
    let Ok(text) = std::str::from_utf8(original) else {
        return original.to_vec();
    };
    let map = Mapping::new(text);
    let mut ranges: Vec<(Range<usize>, &str)> = edits
        .iter()
        .map(|edit| (map.original_range(edit.span), edit.text.as_str()))
        .collect();
    ranges.sort_by_key(|(range, _)| (range.start, range.end));
    let mut out = Vec::with_capacity(original.len());
    let mut at = 0;
    for (range, replacement) in ranges {
        let start = range.start.max(at);
        out.extend_from_slice(&original[at..start]);
        out.extend_from_slice(map.encode(replacement).as_bytes());
        at = range.end.max(start);
    }
    out.extend_from_slice(&original[at..]);
    out
}

/// Two edits collide when their ranges share a byte, or when both insert at
/// the same place (their order would be a guess), or one inserts inside the
/// other.
fn overlap(a: &Range<usize>, b: &Range<usize>) -> bool {
    if a.is_empty() || b.is_empty() {
        return a.start == b.start
            || (a.start > b.start && a.start < b.end)
            || (b.start > a.start && b.start < a.end);
    }
    a.start < b.end && b.start < a.end
}

/// The correspondence between the decoded text's bytes and the original's.
struct Mapping {
    decoded: String,
    /// `original[i]` is where decoded byte `i` starts in the original; one
    /// more entry for the end.
    original: Vec<usize>,
    line_starts: Vec<usize>,
    /// The file's own line break, for replacements that hold one.
    newline: &'static str,
}

impl Mapping {
    fn new(text: &str) -> Self {
        let bom = if text.starts_with('\u{feff}') { 3 } else { 0 };
        let bytes = text.as_bytes();
        let mut decoded = Vec::with_capacity(bytes.len());
        let mut original = Vec::with_capacity(bytes.len() + 1);
        let mut i = bom;
        while i < bytes.len() {
            original.push(i);
            if bytes[i] == b'\r' {
                decoded.push(b'\n');
                i += if bytes.get(i + 1) == Some(&b'\n') {
                    2
                } else {
                    1
                };
            } else {
                decoded.push(bytes[i]);
                i += 1;
            }
        }
        original.push(bytes.len());
        // Only ASCII bytes were replaced by ASCII bytes: still UTF-8.
        let decoded = String::from_utf8(decoded).unwrap_or_default();
        let line_starts = std::iter::once(0)
            .chain(decoded.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        let newline = if text.contains("\r\n") {
            "\r\n"
        } else if text.contains('\r') {
            "\r"
        } else {
            "\n"
        };
        Mapping {
            decoded,
            original,
            line_starts,
            newline,
        }
    }

    /// The decoded byte range a span covers: from its column (clamped to its
    /// line) for `len` characters (across lines, clamped to the text).
    fn decoded_range(&self, span: crate::diagnostic::Span) -> Range<usize> {
        let line = (span.line.max(1) as usize - 1).min(self.line_starts.len() - 1);
        let mut start = self.line_starts[line];
        for ch in self.decoded[start..]
            .chars()
            .take(span.column.max(1) as usize - 1)
        {
            if ch == '\n' {
                break;
            }
            start += ch.len_utf8();
        }
        let end = start
            + self.decoded[start..]
                .chars()
                .take(span.len as usize)
                .map(char::len_utf8)
                .sum::<usize>();
        start..end
    }

    fn original_range(&self, span: crate::diagnostic::Span) -> Range<usize> {
        let range = self.decoded_range(span);
        self.original[range.start]..self.original[range.end]
    }

    /// A replacement with the file's own line breaks.
    fn encode(&self, text: &str) -> String {
        if self.newline == "\n" {
            text.to_owned()
        } else {
            text.replace('\n', self.newline)
        }
    }
}

/// The edits of a fix as positions: each edit's start and its exclusive end,
/// 1-based, columns in characters, in the decoded text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Positioned {
    pub line: u32,
    pub column: u32,
    pub end_line: u32,
    pub end_column: u32,
    pub text: String,
}

/// The byte ranges of `source.text` that the edits of `fix` replace.
pub fn ranges(source: &crate::source::Source, fix: &Fix) -> Vec<Range<usize>> {
    let map = Mapping::new(&source.text);
    fix.edits
        .iter()
        .map(|edit| map.decoded_range(edit.span))
        .collect()
}

/// Where each edit of `fix` starts and ends in `source`.
pub fn positions(source: &crate::source::Source, fix: &Fix) -> Vec<Positioned> {
    let map = Mapping::new(&source.text);
    fix.edits
        .iter()
        .map(|edit| {
            let range = map.decoded_range(edit.span);
            let start = source.span_of(range.start..range.start);
            let end = source.span_of(range.end..range.end);
            Positioned {
                line: start.line,
                column: start.column,
                end_line: end.line,
                end_column: end.column,
                text: edit.text.clone(),
            }
        })
        .collect()
}

/// A unified diff of a file's fixes, `a/` and `b/` as git names them; empty
/// when nothing changed. Lines are compared as written (CRLF included).
pub fn unified_diff(name: &str, old: &[u8], new: &[u8]) -> String {
    if old == new {
        return String::new();
    }
    let old = String::from_utf8_lossy(old);
    let new = String::from_utf8_lossy(new);
    similar::TextDiff::from_lines(old.as_ref(), new.as_ref())
        .unified_diff()
        .context_radius(3)
        .header(&format!("a/{name}"), &format!("b/{name}"))
        .missing_newline_hint(true)
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::{Edit, Span};
    use crate::rules::UNKNOWN_FIELD;

    fn finding(line: u32, column: u32, len: u32, text: &str) -> Diagnostic {
        Diagnostic::new(&UNKNOWN_FIELD, Span { line, column, len }, "m")
            .fix(Fix::safe(Span { line, column, len }, text))
    }

    #[test]
    fn edits_land_in_the_original_bytes_past_a_bom_and_crlf() {
        let original = "\u{feff}a: 1\r\nbb: 2\r\n# kept\r\n".as_bytes();
        let (out, applied) = apply(original, &[finding(2, 1, 2, "c")], false);
        assert_eq!(out, "\u{feff}a: 1\r\nc: 2\r\n# kept\r\n".as_bytes());
        assert_eq!(applied.len(), 1);
    }

    #[test]
    fn lone_crs_and_multibyte_text_map_too() {
        let original = "t: Café\rkk: 1\r".as_bytes();
        let (out, _) = apply(original, &[finding(2, 1, 2, "k")], false);
        assert_eq!(out, "t: Café\rk: 1\r".as_bytes());
    }

    #[test]
    fn an_edit_across_a_crlf_replaces_both_bytes_and_new_lines_follow_the_file() {
        let original = b"a: 1\r\nb: 2\r\n";
        let (out, _) = apply(original, &[finding(1, 5, 1, "\nx: 3\n")], false);
        assert_eq!(out, b"a: 1\r\nx: 3\r\nb: 2\r\n");
    }

    #[test]
    fn overlapping_edits_wait_for_the_next_round() {
        let original = b"abcdef: 1\n";
        let (out, applied) = apply(
            original,
            &[
                finding(1, 1, 3, "X"),
                finding(1, 2, 3, "Y"),
                finding(1, 5, 2, "Z"),
            ],
            false,
        );
        assert_eq!(out, b"XdZ: 1\n");
        assert_eq!(applied.len(), 2);
    }

    #[test]
    fn unsafe_fixes_apply_only_when_asked() {
        let span = Span {
            line: 1,
            column: 1,
            len: 1,
        };
        let d = Diagnostic::new(&UNKNOWN_FIELD, span, "m").fix(Fix {
            applicability: Applicability::Unsafe,
            edits: vec![Edit {
                span,
                text: "b".into(),
            }],
        });
        assert_eq!(
            apply(b"a: 1\n", std::slice::from_ref(&d), false).0,
            b"a: 1\n"
        );
        assert_eq!(apply(b"a: 1\n", &[d], true).0, b"b: 1\n");
    }

    #[test]
    fn two_insertions_at_one_place_wait_for_the_next_round() {
        let (out, applied) = apply(
            b"a: 1\n",
            &[finding(1, 1, 0, "x"), finding(1, 1, 0, "y")],
            false,
        );
        assert_eq!(out, b"xa: 1\n");
        assert_eq!(applied.len(), 1);
    }

    #[test]
    fn fixes_that_undo_each_other_stop_at_the_loop() {
        // `a` is "fixed" to `b`, and `b` back to `a`.
        let outcome = iterate(b"a: 1\n", false, |bytes| {
            let text = std::str::from_utf8(bytes).unwrap_or_default();
            let to = if text.starts_with('a') { "b" } else { "a" };
            Checked {
                source: crate::source::Source::new("p", text),
                incident: None,
                diagnostics: vec![finding(1, 1, 1, to)],
            }
        });
        assert!(outcome.looped);
        assert_eq!(outcome.rounds, 1);
        assert_eq!(outcome.bytes, b"b: 1\n");
    }

    #[test]
    fn rounds_stop_at_the_limit() {
        let mut n = 0;
        let outcome = iterate(b"k\n", false, |bytes| {
            n += 1;
            let text = std::str::from_utf8(bytes).unwrap_or_default();
            Checked {
                source: crate::source::Source::new("p", text),
                incident: None,
                diagnostics: vec![finding(1, 1, 0, "k")],
            }
        });
        assert_eq!(outcome.rounds, MAX_ROUNDS);
        assert_eq!(outcome.bytes, b"kkkkk\n");
        assert_eq!(n, MAX_ROUNDS + 1);
    }

    #[test]
    fn a_clean_file_takes_no_round() {
        let settings = Settings::new(chrono::NaiveDate::from_ymd_opt(2024, 3, 1).expect("a date"));
        let outcome = fix_to_fixed_point("p.yaml", b"title: T\n", &settings, true);
        assert_eq!(outcome.rounds, 0);
        assert!(!outcome.looped);
        assert_eq!(outcome.bytes, b"title: T\n");
    }

    #[test]
    fn invalid_utf8_is_left_alone() {
        let (out, applied) = apply(b"\xff: 1\n", &[finding(1, 1, 1, "a")], true);
        assert_eq!(out, b"\xff: 1\n");
        assert!(applied.is_empty());
    }
}
