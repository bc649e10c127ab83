//! The pipeline from a file's text to its incident and findings.

use crate::diagnostic::{self, Diagnostic, Span};
use crate::files::{self, Input, Loaded};
use crate::incident::{self, Incident, Status};
use crate::ordered;
use crate::rules::{self, Context, FILE_TOO_LARGE, NOT_TEXT, YAML_SYNTAX};
pub use crate::rules::{Require, Settings};
use crate::source::Source;
use crate::yaml;

/// A checked file: its source, the incident if the YAML parsed, and findings
/// sorted by position.
#[derive(Debug)]
pub struct Checked {
    pub source: Source,
    pub incident: Option<Incident>,
    pub diagnostics: Vec<Diagnostic>,
}

impl Checked {
    pub fn errors(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.is_error()).count()
    }

    pub fn warnings(&self) -> usize {
        self.diagnostics.len() - self.errors()
    }
}

/// Reads, decodes, resolves and checks one postmortem.
pub fn check(source: Source, settings: &Settings) -> Checked {
    check_streaming(source, settings, true)
}

/// [`check`] with the whole tree held at once, as a check read it before
/// timelines were streamed: the reference its verdicts are compared with
/// (`tests/streaming.rs`). Not for other use.
#[doc(hidden)]
pub fn check_whole_tree(source: Source, settings: &Settings) -> Checked {
    check_streaming(source, settings, false)
}

/// The timeline's items are decoded as they are read and kept in the tree
/// only where a rule over the tree needs them (`rules::stream`): a
/// 100,000-entry timeline's tree is never whole.
fn check_streaming(source: Source, settings: &Settings, stream: bool) -> Checked {
    let mut diagnostics = Vec::new();
    let mut items = rules::stream::Items::new(&source, settings);
    let parsed = if stream {
        yaml::parse_streaming(&source.text, settings.max_file_size, &mut |item| {
            items.take(item)
        })
    } else {
        yaml::parse_sized(&source.text, settings.max_file_size).map(|tree| (tree, false))
    };
    let incident = match parsed {
        Err(err) => {
            let help = err.help();
            diagnostics.push(Diagnostic::new(&YAML_SYNTAX, err.span, err.message).help(help));
            None
        }
        Ok((tree, streamed)) => {
            let (timeline, dropped, scans, mut found) = items.finish();
            let decoded = incident::decode_streamed(
                &tree,
                &source,
                &mut diagnostics,
                streamed.then_some(timeline),
            );
            if decoded.status != Status::Draft {
                incident::missing_is_error(&mut found);
            }
            diagnostics.append(&mut found);
            let incident = incident::resolve(decoded, &mut diagnostics);
            let ctx = Context {
                incident: &incident,
                tree: &tree,
                source: &source,
                today: settings.today,
                settings,
                dropped: &dropped,
                scans: &scans,
            };
            rules::check(&ctx, &mut diagnostics);
            rules::group(&mut diagnostics);
            Some(incident)
        }
    };
    // Over the text, not the tree: a secret in a file that does not parse,
    // or in a comment, is published all the same.
    rules::secrets::check(&source, &settings.allow, &mut diagnostics);
    apply_overrides(&mut diagnostics, settings);
    diagnostic::sort(&mut diagnostics);
    Checked {
        source,
        incident,
        diagnostics,
    }
}

fn apply_overrides(diagnostics: &mut Vec<Diagnostic>, settings: &Settings) {
    if settings.overrides.is_empty() {
        return;
    }
    diagnostics.retain_mut(|d| match settings.overrides.get(d.rule.id) {
        None => true,
        Some(None) => false,
        Some(Some(severity)) => {
            d.severity = *severity;
            true
        }
    });
}

/// How many files may be checked ahead of the one being printed: enough to
/// keep every core busy past a slow file, few enough that memory stays flat
/// however many files there are.
const WINDOW: usize = 64;

/// Checks inputs on every core and hands each result to `emit` in input
/// order. Results are dropped once emitted, so memory does not grow with the
/// number of files; the first error `emit` returns stops the run.
pub fn check_each<E>(
    inputs: &[Input],
    settings: &Settings,
    emit: impl FnMut(&Input, Result<Checked, files::Error>) -> Result<(), E>,
) -> Result<(), E> {
    ordered::for_each(inputs, WINDOW, |input| check_input(input, settings), emit)
}

/// Reads and checks one input. A file that is too large or not text is a
/// finding about the file; only failing to read it at all is an error.
pub fn check_input(input: &Input, settings: &Settings) -> Result<Checked, files::Error> {
    Ok(match files::read(input, settings.max_file_size)? {
        Loaded::Bytes { name, bytes } => check_owned(name, bytes, settings),
        Loaded::TooLarge { name, size } => too_large(name, size, settings),
    })
}

/// Checks a file's bytes: the size limit and the encoding first, then the
/// text as a postmortem.
pub fn check_bytes(name: impl Into<String>, bytes: &[u8], settings: &Settings) -> Checked {
    match screen(name.into(), bytes, settings) {
        Ok((name, text)) => check(Source::new(name, text), settings),
        Err(refused) => *refused,
    }
}

/// [`check_bytes`] for bytes read for the check: a file's text becomes the
/// `Source` without a copy, which for a 12 MB file is 12 MB less.
fn check_owned(name: String, bytes: Vec<u8>, settings: &Settings) -> Checked {
    let name = match screen(name, &bytes, settings) {
        Ok((name, _)) => name,
        Err(refused) => return *refused,
    };
    match String::from_utf8(bytes) {
        Ok(text) => check(Source::from_owned(name, text), settings),
        // Screened as UTF-8 above: never taken, but never a panic either.
        Err(err) => check_bytes(name, err.as_bytes(), settings),
    }
}

/// The size limit and the encoding: the bytes as text, or the file's one
/// finding.
fn screen<'b>(
    name: String,
    bytes: &'b [u8],
    settings: &Settings,
) -> Result<(String, &'b str), Box<Checked>> {
    if bytes.len() as u64 > settings.max_file_size {
        return Err(Box::new(too_large(name, bytes.len() as u64, settings)));
    }
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => text,
        Err(err) => {
            let valid = &bytes[..err.valid_up_to()];
            let valid = std::str::from_utf8(valid).unwrap_or_default();
            let utf16 = bytes.starts_with(b"\xff\xfe") || bytes.starts_with(b"\xfe\xff");
            let (message, help) = if utf16 {
                (
                    "the file is UTF-16 text, not UTF-8",
                    "save the postmortem as UTF-8 (\"Save with encoding\" in most editors)",
                )
            } else {
                (
                    "the file is not UTF-8 text",
                    "save the postmortem as UTF-8 text; binary files are not postmortems",
                )
            };
            let diagnostic = Diagnostic::new(&NOT_TEXT, end_of(valid), message)
                .label("the first byte that is not UTF-8")
                .help(help);
            return Err(Box::new(file_finding(
                Source::new(name, valid),
                diagnostic,
                settings,
            )));
        }
    };
    if let Some((at, ch)) = first_unprintable(text) {
        // Positions count from the text as `Source` has it, without a BOM.
        let offset = usize::from(text.starts_with('\u{feff}')) * '\u{feff}'.len_utf8();
        let before = &text[offset..at];
        let what = control_name(ch);
        let help = if ch == '\u{1b}' {
            "remove the escape codes: text pasted from a terminal keeps its colours; paste it again without them (`NO_COLOR=1`, or `| cat`)"
        } else if ch == '\0' {
            "a NUL byte means binary data, or text saved as UTF-16: save the postmortem as UTF-8 text"
        } else {
            "remove the character: it is invisible in most editors, and YAML does not allow it"
        };
        let diagnostic = Diagnostic::new(
            &NOT_TEXT,
            end_of(before),
            format!("the file contains {what}, which text does not"),
        )
        .help(help);
        return Err(Box::new(file_finding(
            Source::new(name, text),
            diagnostic,
            settings,
        )));
    }
    Ok((name, text))
}

/// The first character YAML does not allow, with its byte offset. Text
/// is judged 16 bytes at a time while they are all printable ASCII or line
/// breaks and tabs (a test the compiler makes a vector one), and a
/// character at a time only in a block that is not.
fn first_unprintable(text: &str) -> Option<(usize, char)> {
    const BLOCK: usize = 16;
    let bytes = text.as_bytes();
    let plain = |b: u8| b.wrapping_sub(0x20) < 0x5f || b == b'\n' || b == b'\t' || b == b'\r';
    let mut at = 0;
    while at < bytes.len() {
        let end = (at + BLOCK).min(bytes.len());
        if end - at == BLOCK && bytes[at..end].iter().fold(true, |all, &b| all & plain(b)) {
            at = end;
            continue;
        }
        // One character at a time to the end of the block, and past it to
        // the end of a character that straddles it.
        while at < end {
            let ch = text[at..].chars().next()?;
            if !is_yaml_printable(ch) {
                return Some((at, ch));
            }
            at += ch.len_utf8();
        }
    }
    None
}

/// Characters YAML 1.2 allows in a stream (its `c-printable`).
fn is_yaml_printable(ch: char) -> bool {
    matches!(ch, '\t' | '\n' | '\r' | '\u{20}'..='\u{7e}' | '\u{85}' | '\u{a0}'..='\u{d7ff}' | '\u{e000}'..='\u{fffd}' | '\u{10000}'..)
}

fn control_name(ch: char) -> String {
    let name = match ch {
        '\0' => " NUL",
        '\u{1b}' => " ESC",
        '\u{7f}' => " DEL",
        '\u{8}' => " BACKSPACE",
        '\u{c}' => " FORM FEED",
        _ => "",
    };
    format!("a control character (U+{:04X}{name})", u32::from(ch))
}

/// The position just after `before`, as a span of no length.
fn end_of(before: &str) -> Span {
    let before = before.strip_prefix('\u{feff}').unwrap_or(before);
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    Span {
        line: u32::try_from(line).unwrap_or(u32::MAX),
        column: u32::try_from(column).unwrap_or(u32::MAX),
        len: 0,
    }
}

fn too_large(name: String, size: u64, settings: &Settings) -> Checked {
    let limit = settings.max_file_size;
    let diagnostic = Diagnostic::new(
        &FILE_TOO_LARGE,
        Span::DOCUMENT,
        format!(
            "the file is {}, more than the limit of {}",
            files::human_size(size),
            files::human_size(limit)
        ),
    )
    .label("not read")
    .help("move logs and dumps out of the postmortem and link to them; if it really is a postmortem, raise the limit with `--max-file-size`");
    file_finding(Source::new(name, ""), diagnostic, settings)
}

fn file_finding(source: Source, diagnostic: Diagnostic, settings: &Settings) -> Checked {
    let mut diagnostics = vec![diagnostic];
    apply_overrides(&mut diagnostics, settings);
    Checked {
        source,
        incident: None,
        diagnostics,
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_first_unprintable_character_is_found_in_ascii_and_beyond() {
        use super::{first_unprintable, is_yaml_printable};
        for text in [
            "plain\ttext\r\n",
            "caf\u{e9} \u{1b}[31m",
            "a\u{7f}",
            "\u{85}\u{0}",
            "\u{feff}x",
            "",
        ] {
            let expected = text.char_indices().find(|(_, c)| !is_yaml_printable(*c));
            assert_eq!(first_unprintable(text), expected, "{text:?}");
        }
    }

    use super::*;
    use chrono::NaiveDate;

    fn settings() -> Settings {
        Settings::new(NaiveDate::from_ymd_opt(2024, 1, 1).expect("a date"))
    }

    /// Files whose only finding names them (an unknown field `f<i>`).
    fn inputs(dir: &std::path::Path, count: usize) -> Vec<Input> {
        (0..count)
            .map(|i| {
                let path = dir.join(format!("{i}.yaml"));
                std::fs::write(&path, format!("f{i}: 1\n")).expect("write");
                Input::File(path)
            })
            .collect()
    }

    fn first_message(checked: &Checked) -> &str {
        checked
            .diagnostics
            .iter()
            .find(|d| d.rule.id == "unknown-field")
            .map_or("", |d| d.message.as_str())
    }

    #[test]
    fn timeline_text_and_times_are_slices_of_the_file_unless_written_otherwise() {
        let text = "timeline:\n  - at: 2024-05-01 10:00 UTC\n    kind: detected\n    text: Disk full on db-1.\n  - at: \"2024-05-01 10:05 UTC\"\n    text: \"Paged\\tthe team.\"\n  - at: 2024-05-01 10:09 UTC\n    text: >\n      Folded\n      over lines.\n";
        let checked = check(Source::new("t.yaml", text), &settings());
        let incident = checked.incident.expect("parsed");
        let file = checked.source.text.as_bytes().as_ptr_range();
        let in_file = |s: &str| file.contains(&s.as_ptr());
        let texts: Vec<&str> = incident
            .timeline
            .iter()
            .map(|e| e.text.as_ref().expect("text").value.as_str())
            .collect();
        assert_eq!(
            texts,
            [
                "Disk full on db-1.",
                "Paged\tthe team.",
                "Folded over lines.\n"
            ]
        );
        assert!(in_file(texts[0]), "a plain scalar is the file's own text");
        assert!(
            !in_file(texts[1]) && !in_file(texts[2]),
            "escaped and folded text is held whole"
        );
        for entry in &incident.timeline {
            let written = &entry.at.as_ref().expect("a time").written.value;
            assert!(in_file(written), "{written:?} is the file's own text");
        }
        assert_eq!(
            incident.timeline[1]
                .at
                .as_ref()
                .expect("a time")
                .written
                .value,
            "2024-05-01 10:05 UTC"
        );
    }

    #[test]
    fn check_each_keeps_input_order_past_the_window() {
        let dir = tempfile::tempdir().expect("temporary folder");
        let inputs = inputs(dir.path(), WINDOW * 3 + 5);
        let mut seen = Vec::new();
        check_each(&inputs, &settings(), |input, result| {
            let checked = result.expect("readable");
            assert_eq!(checked.source.name, input.name());
            seen.push(first_message(&checked).to_owned());
            Ok::<_, ()>(())
        })
        .expect("no emit error");
        let expected: Vec<String> = (0..inputs.len())
            .map(|i| format!("unknown field `f{i}` in a postmortem"))
            .collect();
        assert_eq!(seen, expected);
    }

    #[test]
    fn check_each_reports_unreadable_inputs_in_their_place() {
        let dir = tempfile::tempdir().expect("temporary folder");
        let mut inputs = inputs(dir.path(), 3);
        inputs.insert(1, Input::File(dir.path().join("gone.yaml")));
        let mut outcomes = Vec::new();
        check_each(&inputs, &settings(), |input, result| {
            outcomes.push((input.name(), result.is_ok()));
            Ok::<_, ()>(())
        })
        .expect("no emit error");
        let oks: Vec<bool> = outcomes.iter().map(|(_, ok)| *ok).collect();
        assert_eq!(oks, [true, false, true, true]);
        assert!(outcomes[1].0.ends_with("gone.yaml"));
    }
}
