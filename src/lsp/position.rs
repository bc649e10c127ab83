//! Positions: pm's spans (1-based lines, columns and lengths in characters)
//! against LSP's (0-based lines, columns in the negotiated encoding, UTF-16
//! unless the client offers better).

use super::adapter::Span;
use lsp_types::{Position, PositionEncodingKind, Range};

/// How the client counts columns.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    #[default]
    Utf16,
    Utf32,
}

impl Encoding {
    /// The best encoding the client offers: UTF-8 and UTF-32 save work, and
    /// UTF-16 is what every client supports (and the default when it says nothing).
    pub fn negotiate(offered: Option<&[PositionEncodingKind]>) -> Self {
        let offered = offered.unwrap_or_default();
        if offered.contains(&PositionEncodingKind::UTF8) {
            Encoding::Utf8
        } else if offered.contains(&PositionEncodingKind::UTF32) {
            Encoding::Utf32
        } else {
            Encoding::Utf16
        }
    }

    pub fn kind(self) -> PositionEncodingKind {
        match self {
            Encoding::Utf8 => PositionEncodingKind::UTF8,
            Encoding::Utf16 => PositionEncodingKind::UTF16,
            Encoding::Utf32 => PositionEncodingKind::UTF32,
        }
    }

    fn width(self, ch: char) -> u32 {
        match self {
            Encoding::Utf8 => ch.len_utf8() as u32,
            Encoding::Utf16 => ch.len_utf16() as u32,
            Encoding::Utf32 => 1,
        }
    }
}

/// A text's line starts, to convert between byte offsets and positions.
/// Lines end at `\n`, `\r\n` or a lone `\r`, as LSP has them.
#[derive(Debug)]
pub struct LineIndex<'a> {
    text: &'a str,
    starts: Vec<usize>,
    encoding: Encoding,
}

impl<'a> LineIndex<'a> {
    pub fn new(text: &'a str, encoding: Encoding) -> Self {
        let bytes = text.as_bytes();
        let mut starts = vec![0];
        for (i, &b) in bytes.iter().enumerate() {
            if b == b'\n' || (b == b'\r' && bytes.get(i + 1) != Some(&b'\n')) {
                starts.push(i + 1);
            }
        }
        LineIndex {
            text,
            starts,
            encoding,
        }
    }

    pub fn text(&self) -> &'a str {
        self.text
    }

    /// The byte range of a 0-based line, without its line break.
    fn line_range(&self, line: usize) -> (usize, usize) {
        let line = line.min(self.starts.len() - 1);
        let start = self.starts[line];
        let end = self
            .starts
            .get(line + 1)
            .map_or(self.text.len(), |&next| next);
        let content = self.text[start..end].trim_end_matches(['\n', '\r']);
        (start, start + content.len())
    }

    /// The position of a byte offset (clamped to the text and moved back to
    /// a character boundary).
    pub fn position(&self, offset: usize) -> Position {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.starts.partition_point(|&s| s <= offset) - 1;
        let (start, end) = self.line_range(line);
        let column = self.text[start..offset.min(end).max(start)]
            .chars()
            .map(|ch| self.encoding.width(ch))
            .sum();
        Position::new(line as u32, column)
    }

    /// The byte offset of a position; a position past a line's end is its
    /// end, past the last line the end of the text, inside a character the
    /// character's start.
    pub fn offset(&self, position: Position) -> usize {
        if position.line as usize >= self.starts.len() {
            return self.text.len();
        }
        let (start, end) = self.line_range(position.line as usize);
        let mut column = 0;
        for (i, ch) in self.text[start..end].char_indices() {
            let width = self.encoding.width(ch);
            if column + width > position.character {
                return start + i;
            }
            column += width;
        }
        end
    }

    /// The byte offset where a pm span starts.
    pub fn span_start(&self, span: Span) -> usize {
        let line = span.line.max(1) as usize - 1;
        if line >= self.starts.len() {
            return self.text.len();
        }
        let (start, end) = self.line_range(line);
        advance(self.text, start, span.column.max(1) as usize - 1).min(end)
    }

    /// The byte range a pm span covers, exactly (for edits).
    pub fn span_bytes(&self, span: Span) -> (usize, usize) {
        let start = self.span_start(span);
        (start, advance(self.text, start, span.len as usize))
    }

    /// The LSP range of a pm span, exactly (for edits).
    pub fn edit_range(&self, span: Span) -> Range {
        let (start, end) = self.span_bytes(span);
        Range::new(self.position(start), self.position(end))
    }

    /// The LSP range of a pm span as a finding underlines it: without the
    /// line breaks and blanks a block scalar's span ends with.
    pub fn range(&self, span: Span) -> Range {
        let (start, end) = self.span_bytes(span);
        let end = start + self.text[start..end].trim_end().len();
        Range::new(self.position(start), self.position(end))
    }
}

/// The offset `chars` characters after `from`, at most the end of the text.
fn advance(text: &str, from: usize, chars: usize) -> usize {
    text[from..]
        .char_indices()
        .nth(chars)
        .map_or(text.len(), |(i, _)| from + i)
}

/// Whether a position is inside a range, its end included (a cursor just
/// after a word is on it).
pub fn contains(range: Range, position: Position) -> bool {
    range.start <= position && position <= range.end
}

/// Whether two ranges share a position.
pub fn overlaps(a: Range, b: Range) -> bool {
    a.start <= b.end && b.start <= a.end
}

#[cfg(test)]
mod tests {
    use super::*;

    fn span(line: u32, column: u32, len: u32) -> Span {
        Span { line, column, len }
    }

    #[test]
    fn columns_are_counted_in_the_client_encoding() {
        // "é" is 2 bytes, 1 UTF-16 unit; "😀" 4 bytes, 2 UTF-16 units.
        let text = "a: é😀 PST\nb: x\n";
        let pst = span(1, 7, 3);
        let utf16 = LineIndex::new(text, Encoding::Utf16);
        assert_eq!(
            utf16.range(pst),
            Range::new(Position::new(0, 7), Position::new(0, 10))
        );
        let utf8 = LineIndex::new(text, Encoding::Utf8);
        assert_eq!(
            utf8.range(pst),
            Range::new(Position::new(0, 10), Position::new(0, 13))
        );
        let utf32 = LineIndex::new(text, Encoding::Utf32);
        assert_eq!(
            utf32.range(pst),
            Range::new(Position::new(0, 6), Position::new(0, 9))
        );
        assert_eq!(
            utf16.offset(Position::new(0, 7)),
            text.find("PST").expect("PST")
        );
        // Inside the surrogate pair: the character's start.
        assert_eq!(
            utf16.offset(Position::new(0, 5)),
            text.find('😀').expect("emoji")
        );
        assert_eq!(
            utf16.offset(Position::new(1, 99)),
            text.find("x\n").expect("x") + 1
        );
        assert_eq!(utf16.offset(Position::new(9, 0)), text.len());
    }

    #[test]
    fn crlf_and_lone_cr_end_lines() {
        let text = "a\r\nb\rc\n";
        let index = LineIndex::new(text, Encoding::Utf16);
        assert_eq!(
            index.position(text.find('c').expect("c")),
            Position::new(2, 0)
        );
        assert_eq!(index.offset(Position::new(0, 5)), 1);
    }

    #[test]
    fn spans_past_the_text_are_clamped() {
        let index = LineIndex::new("a: b\n", Encoding::Utf16);
        assert_eq!(index.range(span(9, 9, 9)).start, Position::new(1, 0));
        assert_eq!(
            index.range(span(1, 99, 9)),
            Range::new(Position::new(0, 4), Position::new(0, 4))
        );
        assert_eq!(
            index.range(Span::DOCUMENT),
            Range::new(Position::new(0, 0), Position::new(0, 0))
        );
    }
}
