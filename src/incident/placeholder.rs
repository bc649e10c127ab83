//! What counts as a placeholder left in a value: the format's knowledge,
//! used by the decoder (a typed value that holds one is left to the
//! `placeholder` rule) and by that rule.

/// Whether a value still holds a placeholder.
pub fn is_placeholder(text: &str) -> bool {
    find_placeholder(text).is_some()
}

/// The first placeholder in a text: TODO, TBD or FIXME as capitalised
/// words, or `<...>` / `<words with spaces>`.
pub fn find_placeholder(text: &str) -> Option<&str> {
    let words = ["TODO", "TBD", "FIXME"];
    let is_word_char = |c: char| c.is_alphanumeric() || c == '_';
    // Every value of a file is scanned, so look for the first letters with
    // SIMD over bytes: ASCII bytes never occur inside a multibyte character,
    // so each hit is a character boundary.
    for index in memchr::memchr2_iter(b'T', b'F', text.as_bytes()) {
        for word in words {
            if text[index..].starts_with(word) {
                let before = text[..index].chars().next_back();
                let after = text[index + word.len()..].chars().next();
                if !before.is_some_and(is_word_char) && !after.is_some_and(is_word_char) {
                    return Some(&text[index..index + word.len()]);
                }
            }
        }
    }
    let mut rest = text;
    let mut offset = 0;
    while let Some(open) = rest.find('<') {
        let after = &rest[open + 1..];
        let Some(close) = after.find(['>', '<', '\n']) else {
            break;
        };
        let inner = &after[..close];
        if after[close..].starts_with('>') && looks_like_placeholder(inner) {
            let start = offset + open;
            return Some(&text[start..start + inner.len() + 2]);
        }
        offset += open + 1;
        rest = after;
    }
    None
}

/// `...` or words with spaces; not HTML (`<br>`, `<a href=..>`) nor `<=`,
/// nor the SRE book's timeline markers, `<START OF OUTAGE>` and
/// `<END OF OUTAGE>`, which real postmortems keep in their text.
fn looks_like_placeholder(inner: &str) -> bool {
    if inner == "..." || inner == "…" {
        return true;
    }
    if ["START OF OUTAGE", "END OF OUTAGE"]
        .iter()
        .any(|marker| inner.eq_ignore_ascii_case(marker))
    {
        return false;
    }
    inner.contains(' ')
        && inner.starts_with(|c: char| c.is_alphabetic())
        && !inner.contains(['=', '/', '"'])
}

#[cfg(test)]
mod tests {
    use super::find_placeholder;

    #[test]
    fn placeholders_are_found() {
        assert_eq!(find_placeholder("TBD"), Some("TBD"));
        assert_eq!(find_placeholder("root cause: TODO."), Some("TODO"));
        assert_eq!(find_placeholder("FIXME later"), Some("FIXME"));
        assert_eq!(
            find_placeholder("<what users experienced>"),
            Some("<what users experienced>")
        );
        assert_eq!(find_placeholder("see <...>"), Some("<...>"));
    }

    #[test]
    fn ordinary_text_is_not_a_placeholder() {
        for text in [
            "a todo list",
            "TODOS are fine",
            "Tbd",
            "use <br> here",
            "Rollback done. <END OF OUTAGE>",
            "<a href=\"x\">link</a>",
            "latency <= 5 ms and > 2 ms",
            "x < y and y > z",
            "STODO",
            "FIXMEs",
        ] {
            assert_eq!(find_placeholder(text), None, "{text}");
        }
    }
}
