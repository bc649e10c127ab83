//! Characters that change how text reads without being seen: bidi controls
//! and zero-width characters (the "Trojan Source" class). Every output shows
//! them as code points (`crate::sanitize`); this rule says where they are.

use super::{Rule, RuleDocs};
use crate::diagnostic::{Diagnostic, Severity};
use crate::sanitize::{code_point, first_invisible, is_invisible};
use crate::source::Source;

pub static INVISIBLE_CHARACTER: Rule = Rule {
    id: "invisible-character",
    severity: Severity::Warning,
    summary: "A bidi control or zero-width character, which changes how text reads without being seen.",
    docs: RuleDocs {
        what: "The text holds a character that is invisible but changes what a reader sees: a bidi control (U+202A to U+202E, U+2066 to U+2069, the marks U+200E, U+200F and U+061C), which reorders the text around it, or a zero-width character (U+200B to U+200D, U+2060, or U+FEFF anywhere but at the very start of the file), which splits or joins words unseen. pm shows each as its code point, such as `<U+202E>`, in every output: messages, reports and the index. Comments count, and so do keys.",
        why: "These characters make text read differently from what it holds (the \"Trojan Source\" attack): a right-to-left override can make `rm -rf /tmp/x` show as something else, a zero-width space can make two different names look the same or hide a word from a search. In a postmortem they are nearly always pasted in by accident from a chat or a web page, and a reader of the published report cannot see them.",
        example: "text: \"Ran the fix on db\\u200B-primary\"   # a zero-width space (here as a YAML escape) pasted from chat",
        fix: "Delete the character: retype the word around it, or search for it in an editor that shows invisible characters. If the text really is right-to-left (a name in Arabic or Hebrew), write it without control characters: the letters carry their own direction.",
        fixes: "",
    },
};

/// Warns once per run of invisible characters, at its first one. Only the
/// places `memchr3` finds are decoded (`crate::sanitize::first_invisible`):
/// decoding every character of every file was 6% of a 1,000-file check.
pub fn check(source: &Source, out: &mut Vec<Diagnostic>) {
    let text = source.text.as_str();
    let mut from = 0;
    while let Some((start, c)) = first_invisible(&text[from..]).map(|(at, c)| (from + at, c)) {
        let mut end = start + c.len_utf8();
        let mut shown = code_point(c);
        for next in text[end..].chars().take_while(|next| is_invisible(*next)) {
            shown.push_str(&code_point(next));
            end += next.len_utf8();
        }
        from = end;
        let what = describe(c);
        out.push(
            Diagnostic::new(
                &INVISIBLE_CHARACTER,
                source.span_of(start..end),
                format!("invisible character {shown} ({what}) in the text"),
            )
            .label("readers cannot see this, but it changes how the text reads")
            .help("delete it, or retype the text around it; pm shows it as its code point"),
        );
    }
}

fn describe(c: char) -> &'static str {
    match c {
        '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' => "a bidi control, which reorders text",
        '\u{200E}' | '\u{200F}' | '\u{061C}' => "a bidi mark",
        _ => "a zero-width character",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scan(text: &str) -> Vec<Diagnostic> {
        let mut out = Vec::new();
        check(&Source::new("t.yaml", text), &mut out);
        out
    }

    #[test]
    fn fires_on_each_run_of_invisible_characters() {
        let found = scan("title: db\u{200B}-primary\ntext: \"access\u{202E}\u{2066}nimda\"\n");
        assert_eq!(found.len(), 2, "{found:?}");
        assert_eq!((found[0].span.line, found[0].span.column), (1, 10));
        assert_eq!(
            found[0].message,
            "invisible character <U+200B> (a zero-width character) in the text"
        );
        assert_eq!((found[1].span.line, found[1].span.column), (2, 14));
        assert!(
            found[1].message.contains("<U+202E><U+2066>"),
            "{}",
            found[1].message
        );
        assert!(
            found[1].message.contains("bidi control"),
            "{}",
            found[1].message
        );
    }

    /// Every run, as a scan of every character finds it.
    fn runs_char_by_char(text: &str) -> Vec<(usize, usize)> {
        let mut runs: Vec<(usize, usize)> = Vec::new();
        for (at, c) in text.char_indices().filter(|(_, c)| is_invisible(*c)) {
            match runs.last_mut() {
                Some(run) if run.1 == at => run.1 = at + c.len_utf8(),
                _ => runs.push((at, at + c.len_utf8())),
            }
        }
        runs
    }

    proptest::proptest! {
        #[test]
        fn finds_the_runs_a_scan_of_every_character_finds(
            pieces in proptest::collection::vec(proptest::sample::select(vec![
                "a", " ", "\n", "é", "→", "\u{2028}", "\u{2070}", "\u{FEFE}", "\u{061B}",
                "\u{200B}", "\u{200F}", "\u{202E}", "\u{2066}", "\u{2060}", "\u{FEFF}", "\u{061C}", "😀",
            ]), 0..40)
        ) {
            let text = format!("x{}", pieces.concat());
            let source = Source::new("t.yaml", &text);
            let mut found = Vec::new();
            check(&source, &mut found);
            let expected: Vec<crate::diagnostic::Span> = runs_char_by_char(&source.text)
                .into_iter()
                .map(|(start, end)| source.span_of(start..end))
                .collect();
            let got: Vec<crate::diagnostic::Span> = found.iter().map(|d| d.span).collect();
            proptest::prop_assert_eq!(got, expected);
        }
    }

    #[test]
    fn passes_on_ordinary_text() {
        assert!(scan("title: Café outage → résumé 😀 נתונים\n").is_empty());
    }
}
