//! A postmortem's text, with what is needed to map spans back to it.

use crate::diagnostic::Span;
use std::ops::Range;
use std::sync::Arc;

#[derive(Debug)]
pub struct Source {
    /// How the file is named in output: the path as given, or `<stdin>`.
    pub name: String,
    /// The text with any BOM removed and CRLF (or CR) turned into LF, so such a file
    /// checks exactly like the same file without them. Shared, so that the
    /// text an incident reads from it is a [`Shared`] slice, not a copy.
    pub text: Arc<String>,
    line_starts: Vec<usize>,
}

impl Source {
    pub fn new(name: impl Into<String>, text: &str) -> Self {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        // A lone CR is a line break too, in YAML as in old Mac files.
        let text = if text.contains('\r') {
            text.replace("\r\n", "\n").replace('\r', "\n")
        } else {
            text.to_owned()
        };
        Self::indexed(name.into(), text)
    }

    /// [`Source::new`] for a text pm owns: kept as it is, with no copy,
    /// when it has no BOM and no carriage return.
    pub fn from_owned(name: impl Into<String>, text: String) -> Self {
        if text.starts_with('\u{feff}') || text.contains('\r') {
            return Self::new(name, &text);
        }
        Self::indexed(name.into(), text)
    }

    fn indexed(name: String, text: String) -> Self {
        // Counted first, so that the index is its own size (a vector grown
        // a line at a time holds up to twice the room it needs).
        let lines = memchr::memchr_iter(b'\n', text.as_bytes()).count() + 1;
        let mut line_starts = Vec::with_capacity(lines);
        line_starts.push(0);
        line_starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1));
        Source {
            name,
            text: Arc::new(text),
            line_starts,
        }
    }

    /// `part` as a [`Shared`] slice of this text when it is one (a plain
    /// or quoted scalar the parser handed over unchanged), else a copy.
    pub fn share(&self, part: &str) -> Shared {
        let base = self.text.as_ptr() as usize;
        let at = (part.as_ptr() as usize).wrapping_sub(base);
        // In the text: starts at or after it, and ends within it (checked
        // without an addition that could overflow).
        let inside = at <= self.text.len() && part.len() <= self.text.len() - at;
        match (u32::try_from(at), u32::try_from(part.len())) {
            (Ok(start), Ok(len)) if inside && len < WHOLE => Shared {
                text: Arc::clone(&self.text),
                start,
                len,
            },
            _ => Shared::from(part.to_owned()),
        }
    }

    /// The byte range a span covers, clamped to the text, without the line
    /// breaks a block scalar's span ends with.
    pub fn byte_range(&self, span: Span) -> Range<usize> {
        let line = (span.line.max(1) as usize - 1).min(self.line_starts.len() - 1);
        let line_start = self.line_starts[line];
        let start = advance_chars(
            &self.text,
            line_start,
            span.column.max(1) as usize - 1,
            true,
        );
        let end = advance_chars(&self.text, start, span.len as usize, false);
        let end = start + self.text[start..end].trim_end().len();
        start..end
    }

    /// The byte offset where the line holding byte `at` starts.
    pub fn line_start(&self, at: usize) -> usize {
        let index = self.line_starts.partition_point(|&s| s <= at).max(1) - 1;
        self.line_starts[index]
    }

    /// The byte range a span covers on its first line: what a caret
    /// underlines. Block scalars span many lines (and the parser's span may
    /// run on into trailing comments); pointing at where they start is enough.
    pub fn first_line_range(&self, span: Span) -> Range<usize> {
        let range = self.byte_range(span);
        let end = self.text[range.clone()]
            .find('\n')
            .map_or(range.end, |newline| range.start + newline);
        range.start..end
    }

    /// The span of a byte range, such as a word found inside a value.
    pub fn span_of(&self, range: Range<usize>) -> Span {
        let start = range.start.min(self.text.len());
        let end = range.end.clamp(start, self.text.len());
        let line = self.line_starts.partition_point(|&s| s <= start);
        let line_start = self.line_starts[line - 1];
        let column = self
            .text
            .get(line_start..start)
            .map_or(0, |t| t.chars().count())
            + 1;
        Span {
            line: u32::try_from(line).unwrap_or(u32::MAX),
            column: u32::try_from(column).unwrap_or(u32::MAX),
            len: u32::try_from(self.text.get(start..end).map_or(0, |t| t.chars().count()))
                .unwrap_or(u32::MAX),
        }
    }

    /// The text a span covers, as written.
    pub fn slice(&self, span: Span) -> &str {
        &self.text[self.byte_range(span)]
    }

    /// The 1-based line's text, without its newline.
    pub fn line(&self, line: u32) -> &str {
        let index = line.max(1) as usize - 1;
        let Some(&start) = self.line_starts.get(index) else {
            return "";
        };
        let end = self
            .line_starts
            .get(index + 1)
            .map_or(self.text.len(), |next| next - 1);
        &self.text[start..end]
    }
}

/// The byte offset `count` characters after `from`, stopping at the end of
/// the line when `within_line` is set.
fn advance_chars(text: &str, from: usize, count: usize, within_line: bool) -> usize {
    let mut offset = from;
    for ch in text[from..].chars().take(count) {
        if within_line && ch == '\n' {
            break;
        }
        offset += ch.len_utf8();
    }
    offset
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_owned_text_is_the_same_source_as_a_borrowed_one() {
        for text in [
            "a: 1\nb: 2\n",
            "\u{feff}a: 1\n",
            "a: 1\r\nb: 2\rc: 3",
            "",
            "\n\n",
        ] {
            let borrowed = Source::new("f", text);
            let owned = Source::from_owned("f", text.to_owned());
            assert_eq!(owned.text, borrowed.text, "{text:?}");
            assert_eq!(owned.line_starts, borrowed.line_starts, "{text:?}");
        }
    }

    #[test]
    fn bom_and_crlf_are_normalised() {
        let plain = Source::new("a", "a: 1\nb: 2\n");
        let windows = Source::new("a", "\u{feff}a: 1\r\nb: 2\r\n");
        assert_eq!(plain.text, windows.text);
    }

    #[test]
    fn a_block_scalars_trailing_line_break_is_not_underlined() {
        let source = Source::new("a", "x: |\n  two\n  lines\ny: 1\n");
        let block = Span {
            line: 2,
            column: 3,
            len: 12,
        };
        assert_eq!(source.slice(block), "two\n  lines");
    }

    #[test]
    fn spans_map_to_bytes_with_multibyte_text() {
        let source = Source::new("a", "title: Café ☕ down\nx: 1\n");
        let span = Span {
            line: 1,
            column: 8,
            len: 11,
        };
        assert_eq!(source.slice(span), "Café ☕ down");
        assert_eq!(source.span_of(source.byte_range(span)), span);
        assert_eq!(source.line(2), "x: 1");
        assert_eq!(source.line(9), "");
    }

    #[test]
    fn carets_stay_on_the_first_line_of_a_block() {
        let source = Source::new("a", "root_cause: |\n  one\n  two\n# next\n");
        let span = Span {
            line: 2,
            column: 3,
            len: 20,
        };
        assert_eq!(&source.text[source.first_line_range(span)], "one");
    }
}

/// Text read from a file, held as a slice of the file's own shared text
/// where it was written plainly: a 100,000-entry timeline then holds no
/// copy of its entries' text (12 MB less) and makes 200,000 fewer
/// allocations. Text that is not in the file as it reads (escaped, folded,
/// or made by pm) is held whole in the same way.
#[derive(Clone)]
pub struct Shared {
    text: Arc<String>,
    start: u32,
    len: u32,
}

impl Shared {
    pub fn as_str(&self) -> &str {
        if self.len == WHOLE {
            return &self.text;
        }
        let start = self.start as usize;
        &self.text[start..start + self.len as usize]
    }
}

impl From<String> for Shared {
    fn from(text: String) -> Self {
        // A text of 4 GiB or more is held whole, marked by the largest
        // length (a text of exactly that length is whole as well).
        let len = u32::try_from(text.len()).unwrap_or(WHOLE);
        Shared {
            text: Arc::new(text),
            start: 0,
            len,
        }
    }
}

/// The length that stands for the whole of a shared text.
const WHOLE: u32 = u32::MAX;

impl std::ops::Deref for Shared {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl AsRef<str> for Shared {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl PartialEq for Shared {
    fn eq(&self, other: &Self) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for Shared {}

impl PartialEq<str> for Shared {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for Shared {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl std::fmt::Debug for Shared {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(self.as_str(), f)
    }
}

impl std::fmt::Display for Shared {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod shared_tests {
    use super::{Shared, Source};
    use std::sync::Arc;

    #[test]
    fn a_slice_of_the_text_is_shared_and_anything_else_is_copied() {
        let source = Source::new("f.yaml", "title: Disk full\ntext: It filled.\n");
        let slice = &source.text[7..16];
        let shared = source.share(slice);
        assert_eq!(shared, "Disk full");
        assert!(Arc::ptr_eq(&shared.text, &source.text), "shares the file");
        assert_eq!(shared.as_str().as_ptr(), slice.as_ptr(), "no copy");

        let elsewhere = String::from("Disk full");
        let copied = source.share(&elsewhere);
        assert_eq!(copied, "Disk full");
        assert!(!Arc::ptr_eq(&copied.text, &source.text));

        let end = source.share(&source.text[source.text.len()..]);
        assert_eq!(end, "");
        assert_eq!(Shared::from(String::from("x")).to_string(), "x");
        assert_eq!(format!("{shared:?}"), "\"Disk full\"");
    }

    #[test]
    fn text_overlapping_the_end_of_the_file_is_copied_not_read_past_it() {
        let whole = String::from("title: A\nmore text after the file");
        let source = Source::new("f.yaml", &whole[..8]);
        // A string that starts inside the file's text but runs past its end.
        let inside = source.text.as_ptr();
        let part = &source.text[6..];
        assert_eq!(part.as_ptr(), inside.wrapping_add(6));
        assert_eq!(source.share(part), " A");
        let outside = source.share(&whole[6..]);
        assert_eq!(outside, " A\nmore text after the file");
    }
}
