//! HTML for `pm site`: the escape policy and the filters of HTML templates.
//!
//! User text never becomes markup: prose goes through pulldown-cmark with raw
//! HTML turned into text, and a link is a link only when it is `http(s)`.
//! Images become their alt text, so a page never fetches anything.

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
use tera::{Kwargs, State, Tera, Value};

pub fn register(tera: &mut Tera) {
    tera.register_filter("markdown", markdown_filter);
    tera.register_filter("markdown_inline", markdown_inline_filter);
    tera.register_filter("link", link_filter);
}

/// Tera's escape function for HTML: `& < > " '` as character references.
pub fn escape(text: &str, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    tera::escape_html(text, out)
}

/// `text` escaped for HTML text or a quoted attribute.
pub fn escaped(text: &str) -> String {
    let mut out = Vec::with_capacity(text.len());
    // Writing into a Vec cannot fail.
    let _ = tera::escape_html(text, &mut out);
    String::from_utf8(out).unwrap_or_default()
}

/// Whether a URL may be a link: `http://` or `https://`, nothing else
/// (`javascript:`, `data:`, relative paths and `file:` become text).
pub fn is_web_url(url: &str) -> bool {
    let url = url.trim();
    let lower = url.get(..8).unwrap_or(url).to_ascii_lowercase();
    (lower.starts_with("http://") || lower.starts_with("https://"))
        && !url.chars().any(|c| c.is_whitespace() || c.is_control())
}

/// Prose (`CommonMark`) as HTML, safe to output unescaped. Headings are
/// demoted below the page's own (`#` becomes `<h3>`).
pub fn markdown(text: &str) -> String {
    let mut options = Options::empty();
    options.insert(Options::ENABLE_STRIKETHROUGH);
    options.insert(Options::ENABLE_TABLES);
    // Links that are not http(s) keep their text but lose their tag; the
    // stack says, at each link's end, whether its start was kept.
    let mut links: Vec<bool> = Vec::new();
    let mut image_depth = 0usize;
    let events = Parser::new_ext(text, options).filter_map(|event| match event {
        Event::Html(raw) | Event::InlineHtml(raw) => Some(Event::Text(raw)),
        Event::Start(Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        }) => {
            let keep = is_web_url(&dest_url);
            links.push(keep);
            keep.then_some(Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }))
        }
        Event::End(TagEnd::Link) => links.pop().unwrap_or(false).then_some(event),
        // An image would be fetched: its description stays, as text.
        Event::Start(Tag::Image { .. }) => {
            image_depth += 1;
            None
        }
        Event::End(TagEnd::Image) => {
            image_depth = image_depth.saturating_sub(1);
            None
        }
        Event::Start(Tag::Heading {
            level,
            id,
            classes,
            attrs,
        }) => Some(Event::Start(Tag::Heading {
            level: demote(level),
            id,
            classes,
            attrs,
        })),
        Event::End(TagEnd::Heading(level)) => Some(Event::End(TagEnd::Heading(demote(level)))),
        Event::Text(text) if image_depth > 0 => Some(Event::Text(text)),
        other => Some(other),
    });
    let mut out = String::with_capacity(text.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut out, events);
    out
}

/// Prose as plain text: what a reader sees of it, without Markdown's
/// marks (for chart labels and the search). Raw HTML stays, as text.
pub fn plain(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for event in Parser::new_ext(text, Options::ENABLE_STRIKETHROUGH) {
        match event {
            Event::Text(t) | Event::Code(t) | Event::Html(t) | Event::InlineHtml(t) => {
                out.push_str(&t);
            }
            Event::SoftBreak | Event::HardBreak | Event::End(TagEnd::Paragraph | TagEnd::Item) => {
                out.push(' ');
            }
            _ => {}
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn demote(level: pulldown_cmark::HeadingLevel) -> pulldown_cmark::HeadingLevel {
    use pulldown_cmark::HeadingLevel::{H3, H4, H5, H6};
    match level as usize {
        0..=1 => H3,
        2 => H4,
        3 => H5,
        _ => H6,
    }
}

fn text_of(value: &Value) -> String {
    match value.as_str() {
        Some(text) => text.to_owned(),
        None if value.is_none() || value.is_undefined() => String::new(),
        None => value.to_string(),
    }
}

/// `{{ root_cause | markdown }}`: prose as HTML (see [`markdown`]).
fn markdown_filter(value: &Value, _: Kwargs, _: &State) -> Value {
    Value::safe_string(&markdown(&text_of(value)))
}

/// `{{ message | markdown_inline }}`: one paragraph of prose as HTML,
/// without the paragraph's tag, for text inside a line.
fn markdown_inline_filter(value: &Value, _: Kwargs, _: &State) -> Value {
    let html = markdown(&text_of(value));
    let trimmed = html.trim_end();
    let inner = trimmed
        .strip_prefix("<p>")
        .and_then(|t| t.strip_suffix("</p>"))
        .filter(|t| !t.contains("<p>"))
        .unwrap_or(trimmed);
    Value::safe_string(inner)
}

/// `{{ link.url | link(label=link.label) }}`: an `<a>` to an http(s) URL,
/// else the label and URL as text.
#[allow(clippy::needless_pass_by_value)] // Tera's filter signature
fn link_filter(value: &Value, kwargs: Kwargs, _: &State) -> tera::TeraResult<Value> {
    let url = text_of(value).trim().to_owned();
    let label = kwargs
        .get::<Value>("label")?
        .map(|v| text_of(&v))
        .filter(|l| !l.trim().is_empty())
        .unwrap_or_else(|| url.clone());
    let html = if is_web_url(&url) {
        format!(
            "<a href=\"{}\">{}</a>",
            escaped(&url),
            escaped(label.trim())
        )
    } else if label == url {
        escaped(&url)
    } else {
        format!("{} ({})", escaped(label.trim()), escaped(&url))
    };
    Ok(Value::safe_string(&html))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raw_html_in_prose_is_text() {
        let html = markdown("Hi <script>alert(1)</script> and <b onclick=\"x\">bold</b>");
        assert!(!html.contains("<script"), "{html}");
        assert!(
            html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
            "{html}"
        );
        assert!(!html.contains("<b "), "{html}");
        let block = markdown("<div>\n<img src=x onerror=alert(1)>\n</div>\n");
        assert!(
            !block.contains("<div") && !block.contains("<img"),
            "{block}"
        );
    }

    #[test]
    fn only_http_links_are_links() {
        let html = markdown(
            "[a](javascript:alert(1)) [b](https://example.com/?q=\"x\") [c](data:text/html,x) <mailto:x@y.z>",
        );
        assert!(!html.contains("javascript:"), "{html}");
        assert!(!html.contains("data:"), "{html}");
        assert_eq!(html.matches("<a ").count(), 1, "{html}");
        assert!(
            html.contains("href=\"https://example.com/?q=%22x%22\""),
            "{html}"
        );
        // The text of a refused link stays, as text.
        assert!(
            html.starts_with("<p>a <a") && html.contains("</a> c mailto:x@y.z"),
            "{html}"
        );
    }

    #[test]
    fn images_become_their_text_and_headings_sit_below_the_page() {
        let html = markdown("# Top\n\n![a diagram](https://example.com/x.png)");
        assert!(!html.contains("<img"), "{html}");
        assert!(html.contains("a diagram"), "{html}");
        assert!(html.contains("<h3>Top</h3>"), "{html}");
    }

    #[test]
    fn plain_text_drops_the_marks_and_keeps_the_words() {
        assert_eq!(
            plain("see [the *runbook*](https://x.example) and `cfg`\n<b>x</b>"),
            "see the runbook and cfg <b>x</b>"
        );
    }

    #[test]
    fn web_urls() {
        assert!(is_web_url("https://example.com"));
        assert!(is_web_url("HTTP://example.com"));
        for bad in [
            "javascript:alert(1)",
            "JaVaScRiPt:x",
            "data:x",
            "/etc/passwd",
            "file:///x",
            "https://a b",
            "ftp://x",
        ] {
            assert!(!is_web_url(bad), "{bad}");
        }
        assert_eq!(escaped("\"<'&>"), "&quot;&lt;&#39;&amp;&gt;");
    }
}
