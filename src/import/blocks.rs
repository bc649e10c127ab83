//! Markdown to lines, through pulldown-cmark: each heading, paragraph line
//! (soft and hard breaks and `<br>` split lines), list item and table row
//! becomes one `Line`, with its markup removed and its text kept. What is a
//! heading in a document that does not mark its headings is decided later,
//! from these lines.

use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Kind {
    /// A `#` heading, with its level (1-6).
    Heading(u8),
    /// A line of a paragraph (or of a code or HTML block).
    Text,
    /// A list item, with its nesting depth (0 at the top) and its task
    /// box (`- [x]`).
    Item { depth: usize, checked: Option<bool> },
    /// A table row; `cells` holds the cells.
    Row { header: bool },
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Line {
    pub kind: Kind,
    /// The text with markup removed; the cells joined by ` | ` for a row.
    pub text: String,
    pub cells: Vec<String>,
    /// Which block (paragraph, list, table) the line is part of.
    pub block: usize,
    /// The whole line is bold: a heading written as `**Timeline**`.
    pub bold: bool,
    /// Links on the line: label and URL.
    pub links: Vec<(String, String)>,
}

#[derive(Default)]
struct Builder {
    lines: Vec<Line>,
    block: usize,
    text: String,
    /// Non-space characters written inside and outside `**strong**`.
    strong_chars: usize,
    plain_chars: usize,
    strong: usize,
    links: Vec<(String, String)>,
    link: Option<(String, usize)>,
    cells: Vec<String>,
}

impl Builder {
    fn push_text(&mut self, text: &str) {
        let visible = text.chars().filter(|c| !c.is_whitespace()).count();
        if self.strong > 0 {
            self.strong_chars += visible;
        } else {
            self.plain_chars += visible;
        }
        self.text.push_str(text);
    }

    /// Ends the current line, if it has text.
    fn flush(&mut self, kind: &Kind) {
        let text = self.text.trim().to_owned();
        let bold = self.strong_chars > 0 && self.plain_chars == 0;
        self.text.clear();
        self.strong_chars = 0;
        self.plain_chars = 0;
        let links = std::mem::take(&mut self.links);
        if text.is_empty() {
            return;
        }
        self.lines.push(Line {
            kind: kind.clone(),
            text,
            cells: Vec::new(),
            block: self.block,
            bold,
            links,
        });
    }
}

fn is_br(html: &str) -> bool {
    let lower = html.trim().to_ascii_lowercase();
    lower.starts_with("<br") && lower.ends_with('>') && lower.len() <= 6
}

/// The lines of a Markdown document.
pub fn lines(markdown: &str) -> Vec<Line> {
    let options =
        Options::ENABLE_TABLES | Options::ENABLE_TASKLISTS | Options::ENABLE_STRIKETHROUGH;
    let mut b = Builder::default();
    // The kind of the line being built, and the item stack.
    let mut kind = Kind::Text;
    let mut depth: usize = 0;
    let mut in_cell = false;
    let mut header = false;
    for event in Parser::new_ext(markdown, options) {
        match event {
            Event::Start(tag) => match tag {
                Tag::Heading { level, .. } => {
                    b.block += 1;
                    kind = Kind::Heading(heading_level(level));
                }
                // A paragraph inside a list item is part of the item.
                Tag::Paragraph if !matches!(kind, Kind::Item { .. }) => {
                    b.block += 1;
                    kind = Kind::Text;
                }
                Tag::List(_) => {
                    // A nested list ends the text of the item it is in.
                    b.flush(&kind);
                    if depth == 0 {
                        b.block += 1;
                    }
                    depth += 1;
                }
                Tag::Item => {
                    b.flush(&kind);
                    kind = Kind::Item {
                        depth: depth.saturating_sub(1),
                        checked: None,
                    };
                }
                Tag::Table(_) => {
                    b.block += 1;
                }
                Tag::TableHead => header = true,
                Tag::TableCell => {
                    in_cell = true;
                }
                Tag::CodeBlock(_) | Tag::HtmlBlock => {
                    b.block += 1;
                    kind = Kind::Text;
                }
                Tag::Strong => b.strong += 1,
                Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. } => {
                    b.link = Some((dest_url.to_string(), b.text.len()));
                }
                _ => {}
            },
            Event::End(end) => match end {
                TagEnd::Heading(_) | TagEnd::Paragraph | TagEnd::CodeBlock | TagEnd::HtmlBlock => {
                    b.flush(&kind);
                    if depth == 0 {
                        kind = Kind::Text;
                    }
                }
                TagEnd::Item => {
                    b.flush(&kind);
                }
                TagEnd::List(_) => {
                    b.flush(&kind);
                    depth = depth.saturating_sub(1);
                    kind = if depth == 0 {
                        Kind::Text
                    } else {
                        Kind::Item {
                            depth: depth - 1,
                            checked: None,
                        }
                    };
                }
                TagEnd::TableCell => {
                    in_cell = false;
                    let cell = b.text.trim().to_owned();
                    b.text.clear();
                    b.cells.push(cell);
                }
                TagEnd::TableHead | TagEnd::TableRow => {
                    let cells = std::mem::take(&mut b.cells);
                    let links = std::mem::take(&mut b.links);
                    b.strong_chars = 0;
                    b.plain_chars = 0;
                    if cells.iter().any(|c| !c.is_empty()) {
                        b.lines.push(Line {
                            kind: Kind::Row { header },
                            text: cells.join(" | "),
                            cells,
                            block: b.block,
                            bold: false,
                            links,
                        });
                    }
                    header = false;
                }
                TagEnd::Strong => b.strong = b.strong.saturating_sub(1),
                TagEnd::Link | TagEnd::Image => {
                    if let Some((url, from)) = b.link.take() {
                        let label = b.text.get(from..).unwrap_or("").trim().to_owned();
                        b.links.push((label, url));
                    }
                }
                _ => {}
            },
            Event::Text(text) => {
                // Code and HTML blocks arrive as text with newlines.
                let mut parts = text.split('\n').peekable();
                while let Some(part) = parts.next() {
                    b.push_text(part);
                    if parts.peek().is_some() && !in_cell {
                        b.flush(&kind);
                    }
                }
            }
            Event::Code(code) => {
                b.push_text("`");
                b.push_text(&code);
                b.push_text("`");
            }
            Event::InlineHtml(html) | Event::Html(html) => {
                if is_br(&html) {
                    if !in_cell {
                        b.flush(&kind);
                    }
                } else if !html.trim_start().starts_with("<!--") {
                    let mut parts = html.split('\n').peekable();
                    while let Some(part) = parts.next() {
                        // `<br>` inside an HTML block line.
                        for (i, piece) in split_br(part).into_iter().enumerate() {
                            if i > 0 {
                                b.flush(&kind);
                            }
                            b.push_text(piece);
                        }
                        if parts.peek().is_some() {
                            b.flush(&kind);
                        }
                    }
                }
            }
            Event::SoftBreak | Event::HardBreak => {
                if matches!(kind, Kind::Item { .. }) {
                    // Split later: a lazy line may be a label ("Task list:").
                    b.text.push('\n');
                } else if in_cell {
                    b.push_text(" ");
                } else {
                    b.flush(&kind);
                }
            }
            Event::TaskListMarker(done) => {
                if let Kind::Item { depth, .. } = kind {
                    kind = Kind::Item {
                        depth,
                        checked: Some(done),
                    };
                }
            }
            Event::Rule => b.block += 1,
            Event::FootnoteReference(_) | Event::InlineMath(_) | Event::DisplayMath(_) => {}
        }
    }
    b.flush(&kind);
    let mut out = Vec::with_capacity(b.lines.len());
    let mut extra_block = b.block;
    for mut line in b.lines {
        if matches!(line.kind, Kind::Item { .. }) && line.text.contains('\n') {
            let text = std::mem::take(&mut line.text);
            let mut parts = text.split('\n');
            line.text = squeeze(parts.next().unwrap_or("").trim());
            let mut labels = Vec::new();
            for part in parts {
                let part = squeeze(part.trim());
                if labels.is_empty() && !is_label(&part) {
                    line.text.push(' ');
                    line.text.push_str(&part);
                } else {
                    labels.push(part);
                }
            }
            out.push(line);
            for label in labels {
                extra_block += 1;
                out.push(Line {
                    kind: Kind::Text,
                    text: label,
                    cells: Vec::new(),
                    block: extra_block,
                    bold: false,
                    links: Vec::new(),
                });
            }
            continue;
        }
        line.text = squeeze(&line.text);
        out.push(line);
    }
    out
}

/// `Task list:`: a few words and a colon, the start of what follows.
fn is_label(text: &str) -> bool {
    text.ends_with(':')
        && text.split_whitespace().count() <= 4
        && !text[..text.len() - 1].contains(':')
}

fn split_br(text: &str) -> Vec<&str> {
    let mut pieces = Vec::new();
    let mut rest = text;
    while let Some(at) = rest.to_ascii_lowercase().find("<br") {
        let close = rest[at..].find('>').map_or(rest.len(), |c| at + c + 1);
        pieces.push(&rest[..at]);
        rest = &rest[close..];
    }
    pieces.push(rest);
    pieces
}

/// Runs of spaces inside a line become one space ("10:45 AM  quota").
fn squeeze(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut space = false;
    for c in text.chars() {
        if c == ' ' || c == '\t' {
            if !space {
                out.push(' ');
            }
            space = true;
        } else {
            out.push(c);
            space = false;
        }
    }
    out
}

fn heading_level(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(md: &str) -> Vec<(Kind, String)> {
        lines(md).into_iter().map(|l| (l.kind, l.text)).collect()
    }

    #[test]
    fn headings_paragraph_lines_and_items() {
        let got = texts("# Title\n\nSome text\nwrapped here.\n\n- one\n- [x] two\n  more\n");
        assert_eq!(
            got,
            [
                (Kind::Heading(1), "Title".into()),
                (Kind::Text, "Some text".into()),
                (Kind::Text, "wrapped here.".into()),
                (
                    Kind::Item {
                        depth: 0,
                        checked: None
                    },
                    "one".into()
                ),
                (
                    Kind::Item {
                        depth: 0,
                        checked: Some(true)
                    },
                    "two more".into()
                ),
            ]
        );
    }

    #[test]
    fn bold_lines_and_br() {
        let got = lines("**Timeline**\n\nA: 1<br>B: 2<br/>C: 3\n\n**Start:** 10:00\n");
        assert!(got[0].bold);
        assert_eq!(got[0].text, "Timeline");
        assert_eq!(got[1].text, "A: 1");
        assert_eq!(got[2].text, "B: 2");
        assert_eq!(got[3].text, "C: 3");
        assert_eq!(got[4].text, "Start: 10:00");
        assert!(!got[4].bold);
    }

    #[test]
    fn tables_and_markers() {
        let got = lines(
            "| Time | Event |\n|---|---|\n| 10:09 | Disk `x` alert |\n\n- **11:02** - Loop. &lt;START OF OUTAGE&gt;\n- 1512 UTC Done. <END OF OUTAGE>\n",
        );
        assert_eq!(got[0].kind, Kind::Row { header: true });
        assert_eq!(got[1].cells, ["10:09", "Disk `x` alert"]);
        assert_eq!(got[2].text, "11:02 - Loop. <START OF OUTAGE>");
        assert_eq!(got[3].text, "1512 UTC Done. <END OF OUTAGE>");
    }

    #[test]
    fn links_are_kept() {
        let got = lines("Ticket: [INFRA-1](https://t.example/INFRA-1)\n");
        assert_eq!(got[0].text, "Ticket: INFRA-1");
        assert_eq!(
            got[0].links,
            [("INFRA-1".to_owned(), "https://t.example/INFRA-1".to_owned())]
        );
    }

    #[test]
    fn hash_words_are_text_for_later() {
        let got = texts("#Summary\nDate: 3rd June 2023\n");
        assert_eq!(got[0].1, "#Summary");
        assert_eq!(got[1].1, "Date: 3rd June 2023");
    }
}
