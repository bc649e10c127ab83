//! Making user text safe to show: characters that change how text reads
//! without being seen (the "Trojan Source" class) are shown as their code
//! points, links to schemes other than `http`, `https` and `mailto` are kept
//! as text, and one-line fields stay on one line. Every output calls these:
//! the messages of every format (through `Diagnostic`), the escapers of
//! reports and of the index.

use std::borrow::Cow;

/// Bidi controls (embeddings, overrides, isolates, marks) and zero-width
/// characters: invisible, yet able to reorder or split what a reader sees.
pub fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{202A}'..='\u{202E}'
            | '\u{2066}'..='\u{2069}'
            | '\u{200B}'..='\u{200F}'
            | '\u{061C}'
            | '\u{2060}'
            | '\u{FEFF}'
    )
}

/// The first invisible character in `text`, with its byte offset.
///
/// Each invisible character starts with one of three bytes (0xE2 for
/// U+200B to U+2069, 0xEF for U+FEFF, 0xD8 for U+061C), so a `memchr3`
/// finds the few places to look: most text has none of them.
pub fn first_invisible(text: &str) -> Option<(usize, char)> {
    memchr::memchr3_iter(0xE2, 0xEF, 0xD8, text.as_bytes()).find_map(|at| {
        // A byte of 0xC0 or above always starts a character.
        let c = text[at..].chars().next()?;
        is_invisible(c).then_some((at, c))
    })
}

/// `<U+202E>` for U+202E.
pub fn code_point(c: char) -> String {
    format!("<U+{:04X}>", u32::from(c))
}

/// `text` with every invisible character written as its code point
/// (`<U+202E>`), so a reader sees that it is there.
pub fn visible(text: &str) -> Cow<'_, str> {
    if first_invisible(text).is_none() {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        if is_invisible(c) {
            out.push_str(&code_point(c));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// `visible` for an owned string, without a copy when there is nothing to show.
pub fn visible_owned(text: String) -> String {
    match visible(&text) {
        Cow::Borrowed(_) => text,
        Cow::Owned(shown) => shown,
    }
}

/// `text` with every invisible character replaced by one visible mark of
/// the same length in bytes (U+FFFD, or U+00BF for the two-byte U+061C),
/// for source lines shown under a caret: byte offsets and columns still
/// apply, and the finding's message names the code point.
pub fn mark_invisible(text: &str) -> Cow<'_, str> {
    if first_invisible(text).is_none() {
        return Cow::Borrowed(text);
    }
    Cow::Owned(
        text.chars()
            .map(|c| match c {
                c if !is_invisible(c) => c,
                c if c.len_utf8() == 3 => '\u{FFFD}',
                _ => '\u{00BF}',
            })
            .collect(),
    )
}

/// One line: every run of whitespace, line breaks included, is one space.
/// For fields that a report prints inline (a title, a cause in a sentence),
/// where a blank line and `# Heading` would otherwise start a heading.
pub fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Link schemes user text may link to.
const SAFE_SCHEMES: [&str; 3] = ["http", "https", "mailto"];

/// Whether a link destination may be a live link: `http`, `https`,
/// `mailto`, or no scheme at all (a relative link or an anchor).
pub fn is_safe_destination(destination: &str) -> bool {
    let destination = destination
        .trim_start()
        .trim_start_matches('<')
        .trim_start();
    match scheme(destination) {
        Some(scheme) => SAFE_SCHEMES
            .iter()
            .any(|safe| safe.eq_ignore_ascii_case(scheme)),
        None => true,
    }
}

/// The scheme of a URL-like text (`javascript` in `javascript:alert(1)`).
/// Markdown allows whitespace and escapes around it, so they are skipped.
fn scheme(destination: &str) -> Option<&str> {
    let end = destination.find(':')?;
    let candidate = &destination[..end];
    let mut chars = candidate.chars();
    let first = chars.next()?;
    (first.is_ascii_alphabetic()
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.')))
    .then_some(candidate)
}

/// Markdown links and images (`[x](dest)`, `![x](dest)`) and link
/// reference definitions (`[x]: dest`) whose destination is not a safe
/// scheme, made text: the `(` or the `[` is backslash-escaped, so Markdown
/// shows the link as written instead of making it live. Code spans are
/// left alone: Markdown shows them literally anyway.
pub fn neutralize_links(text: &str) -> Cow<'_, str> {
    if !text.contains("](") && !text.contains("]:") {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    let mut changed = false;
    for line in text.split_inclusive('\n') {
        changed |= neutralize_line(line, &mut out);
    }
    if changed {
        Cow::Owned(out)
    } else {
        Cow::Borrowed(text)
    }
}

fn neutralize_line(line: &str, out: &mut String) -> bool {
    let mut changed = false;
    // `[label]: javascript:...` at the start of a line defines a link.
    let indent = line.len() - line.trim_start_matches(' ').len();
    let rest = &line[indent..];
    if indent <= 3
        && rest.starts_with('[')
        && let Some(close) = rest.find("]:")
        && !is_safe_destination(&rest[close + 2..])
    {
        out.push_str(&line[..indent]);
        out.push('\\');
        out.push_str(rest);
        return true;
    }
    let bytes = line.as_bytes();
    let mut i = 0;
    let mut copied = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'`' => {
                let run = bytes[i..].iter().take_while(|b| **b == b'`').count();
                let after = i + run;
                // Skip a code span: to the next run of as many backticks.
                let mut j = after;
                let mut end = None;
                while j < bytes.len() {
                    if bytes[j] == b'`' {
                        let other = bytes[j..].iter().take_while(|b| **b == b'`').count();
                        if other == run {
                            end = Some(j + other);
                            break;
                        }
                        j += other;
                    } else {
                        j += 1;
                    }
                }
                i = end.unwrap_or(after);
            }
            b']' if bytes.get(i + 1) == Some(&b'(') && !is_safe_destination(&line[i + 2..]) => {
                out.push_str(&line[copied..=i]);
                out.push('\\');
                copied = i + 1;
                changed = true;
                i += 2;
            }
            _ => i += 1,
        }
    }
    out.push_str(&line[copied..]);
    changed
}

/// User text for Markdown output: invisible characters shown, unsafe links
/// made text. The escaper then escapes HTML as before.
pub fn markdown(text: &str) -> Cow<'_, str> {
    match visible(text) {
        Cow::Borrowed(text) => neutralize_links(text),
        Cow::Owned(shown) => Cow::Owned(neutralize_links(&shown).into_owned()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invisible_characters_are_shown_as_code_points() {
        assert_eq!(visible("plain"), "plain");
        assert!(matches!(visible("plain"), Cow::Borrowed(_)));
        assert_eq!(
            visible("access\u{202E}nimda\u{2066}x\u{2069}"),
            "access<U+202E>nimda<U+2066>x<U+2069>"
        );
        for c in [
            '\u{202A}', '\u{202B}', '\u{202C}', '\u{202D}', '\u{202E}', '\u{2066}', '\u{2067}',
            '\u{2068}', '\u{2069}', '\u{200B}', '\u{200C}', '\u{200D}', '\u{2060}', '\u{FEFF}',
        ] {
            assert!(is_invisible(c), "{c:?}");
            assert_eq!(visible(&format!("a{c}b")), format!("a{}b", code_point(c)));
        }
        for c in ['a', 'é', '→', ' ', '\u{00A0}', '😀'] {
            assert!(!is_invisible(c), "{c:?}");
        }
    }

    #[test]
    fn only_safe_schemes_stay_links() {
        for safe in [
            "https://status.example.com",
            "http://x",
            "mailto:ops@example.com",
            "HTTPS://X",
            "runbooks/db.md",
            "#timeline",
            " <https://x>",
        ] {
            assert!(is_safe_destination(safe), "{safe}");
        }
        for bad in [
            "javascript:alert(1)",
            "JavaScript:alert(1)",
            " javascript:alert(1)",
            "<javascript:alert(1)>",
            "data:text/html,<b>",
            "vbscript:msgbox",
            "file:///etc/passwd",
        ] {
            assert!(!is_safe_destination(bad), "{bad}");
        }
        assert_eq!(
            neutralize_links("see [x](javascript:alert(1)) and ![i](data:image/svg+xml,a)"),
            r"see [x]\(javascript:alert(1)) and ![i]\(data:image/svg+xml,a)"
        );
        assert_eq!(
            neutralize_links("[ok](https://x) `[c](javascript:a)`"),
            "[ok](https://x) `[c](javascript:a)`"
        );
        assert_eq!(
            neutralize_links("[x]: javascript:alert(1)\n[y]: https://ok\n"),
            "\\[x]: javascript:alert(1)\n[y]: https://ok\n"
        );
    }

    #[test]
    fn marks_keep_offsets() {
        let text = "a\u{200B}b\u{061C}c\u{202E}d";
        let marked = mark_invisible(text);
        assert_eq!(marked.len(), text.len());
        assert_eq!(marked.chars().count(), text.chars().count());
        assert!(first_invisible(&marked).is_none());
    }

    #[test]
    fn one_line_fields_lose_their_line_breaks() {
        assert_eq!(
            one_line("Slow query.\n\n# Heading\n\n- item"),
            "Slow query. # Heading - item"
        );
    }
}
