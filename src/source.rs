//! A postmortem's text, with what is needed to map spans back to it.

use crate::diagnostic::Span;
use std::ops::Range;

#[derive(Debug)]
pub struct Source {
    /// How the file is named in output: the path as given, or `<stdin>`.
    pub name: String,
    /// The text with any BOM removed and CRLF (or CR) turned into LF, so such a file
    /// checks exactly like the same file without them.
    pub text: String,
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
            text,
            line_starts,
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
