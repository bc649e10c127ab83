//! The filters pm adds to Tera, and the escaping it applies to user text.
//! Every template, whatever it writes, gets all of them.

use crate::time::human_duration;
use chrono::format::StrftimeItems;
use chrono::{DateTime, TimeZone, Utc};
use chrono_tz::Tz;
use std::fmt::Write as _;
use tera::{Error, Kwargs, State, Tera, TeraResult, Value};

pub fn register(tera: &mut Tera) {
    tera.register_filter("time", time);
    tera.register_filter("date", date);
    tera.register_filter("datetime", datetime);
    tera.register_filter("cell", cell);
    tera.register_filter("nobreak", nobreak);
    tera.register_filter("inline", inline);
    tera.register_filter("mermaid", mermaid);
    tera.register_filter("mermaid_time", mermaid_time);
    tera.register_filter("mermaid_instant", mermaid_instant);
    tera.register_filter("duration", duration);
}

/// `{{ entry.at | time }}` is `16:15 WAT`; `time(zone=false)` is `16:15`.
#[allow(clippy::needless_pass_by_value)] // Tera's filter signature
fn time(value: &Value, kwargs: Kwargs, _: &State) -> TeraResult<String> {
    let zone = kwargs.get::<bool>("zone")?.unwrap_or(true);
    let default = if zone { "%H:%M %Z" } else { "%H:%M" };
    format_time("time", value, &kwargs, default)
}

/// `{{ summary.start | date }}` is `2023-09-10`.
#[allow(clippy::needless_pass_by_value)] // Tera's filter signature
fn date(value: &Value, kwargs: Kwargs, _: &State) -> TeraResult<String> {
    format_time("date", value, &kwargs, "%Y-%m-%d")
}

/// `{{ summary.start | datetime }}` is `2023-09-10 16:00 WAT`;
/// `datetime(format="%d %B %Y, %-I:%M %p %Z")` takes any strftime format.
#[allow(clippy::needless_pass_by_value)] // Tera's filter signature
fn datetime(value: &Value, kwargs: Kwargs, _: &State) -> TeraResult<String> {
    format_time("datetime", value, &kwargs, "%Y-%m-%d %H:%M %Z")
}

fn format_time(filter: &str, value: &Value, kwargs: &Kwargs, default: &str) -> TeraResult<String> {
    let format = kwargs.get::<&str>("format")?.unwrap_or(default);
    // `~13:00` reads "about 13:00"; its date is no less certain.
    let about = filter != "date"
        && value
            .get_from_path("precision")
            .is_some_and(|p| p.as_str() == Some("approximate"));
    match local(filter, value)? {
        Some(at) if about => Ok(format!("about {}", strftime(&at, format)?)),
        Some(at) => strftime(&at, format),
        // A time pm could not resolve (only in drafts) prints as written.
        None => Ok(value
            .get_from_path("written")
            .map(ToString::to_string)
            .unwrap_or_default()),
    }
}

/// The instant of a context time, in the document's zone.
fn local(filter: &str, value: &Value) -> TeraResult<Option<DateTime<Tz>>> {
    if !value.is_map() || value.get_from_path("written").is_none() {
        return Err(Error::message(format!(
            "the `{filter}` filter formats a time from the context (such as `summary.start` or `entry.at`), but got {}{}",
            value.name(),
            if value.is_none() {
                ": is the time missing? test it with `{% if ... %}` first"
            } else {
                ""
            }
        )));
    }
    let unix = value.get_from_path("unix").and_then(Value::as_i64);
    let zone = value
        .get_from_path("timezone")
        .and_then(Value::as_str)
        .and_then(|name| name.parse::<Tz>().ok());
    let (Some(unix), Some(zone)) = (unix, zone) else {
        return Ok(None);
    };
    Ok(Utc
        .timestamp_opt(unix, 0)
        .single()
        .map(|at| at.with_timezone(&zone)))
}

/// Formats with a user's strftime format, which must not panic on bad input.
pub fn strftime(at: &DateTime<Tz>, format: &str) -> TeraResult<String> {
    let label = crate::time::abbreviation_at(at.timezone(), at.to_utc());
    let expanded = crate::time::with_zone_label(format, &label);
    let items = StrftimeItems::new(&expanded).parse().map_err(|_| {
        Error::message(format!(
            "`{format}` is not a valid strftime format (see https://docs.rs/chrono/latest/chrono/format/strftime/)"
        ))
    })?;
    let mut out = String::new();
    write!(out, "{}", at.format_with_items(items.iter()))
        .map_err(|_| Error::message(format!("cannot format the time with `{format}`")))?;
    Ok(out)
}

/// Text for a Markdown table cell: one line, pipes escaped.
fn cell(value: &Value, _: Kwargs, _: &State) -> Value {
    let text = match value.as_str() {
        Some(text) => text.to_owned(),
        None if value.is_none() || value.is_undefined() => String::new(),
        None => value.to_string(),
    };
    let out = table_cell(&text);
    if value.is_safe() {
        Value::safe_string(&out)
    } else {
        Value::from(out)
    }
}

/// Like `cell`, with every hyphen a non-breaking hyphen (U+2011) and every
/// space a no-break space (U+00A0), so a date (`2025-11-15`), an owner
/// (`platform-team`) or a length (`1 d 19 h`) in a narrow table column never
/// wraps in the middle when shown as HTML. For short values only.
fn nobreak(value: &Value, kwargs: Kwargs, state: &State) -> Value {
    let celled = cell(value, kwargs, state);
    let Some(text) = celled.as_str() else {
        return celled;
    };
    let out = text.replace('-', "\u{2011}").replace(' ', "\u{a0}");
    if celled.is_safe() {
        Value::safe_string(&out)
    } else {
        Value::from(out)
    }
}

pub fn table_cell(text: &str) -> String {
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .replace('|', "\\|")
}

/// Text as inline Markdown that can mean nothing but itself: on one line,
/// with every character that starts markup backslash-escaped. For values in
/// tables and list items of the index, where a `*` or `[` is never markup.
fn inline(value: &Value, _: Kwargs, _: &State) -> Value {
    let text = value
        .as_str()
        .map_or_else(|| value.to_string(), str::to_owned);
    Value::safe_string(&inline_text(&text))
}

/// Escapes text for inline Markdown: punctuation that would start markup
/// (or raw HTML) gets a backslash, and line breaks become spaces so a value
/// stays in its table cell or list item.
pub fn inline_text(input: &str) -> String {
    let mut out = String::with_capacity(input.len());
    for ch in crate::sanitize::visible(input).chars() {
        match ch {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '#' | '~' | '&' => {
                out.push('\\');
                out.push(ch);
            }
            '\r' => {}
            '\n' | '\t' => out.push(' '),
            _ => out.push(ch),
        }
    }
    out
}

/// Text for a Mermaid label: one line, without the characters Mermaid's
/// syntax gives meaning to (`:` `;` `#` end or split a task).
fn mermaid(value: &Value, _: Kwargs, _: &State) -> Value {
    let text = value
        .as_str()
        .map_or_else(|| value.to_string(), str::to_owned);
    Value::safe_string(&mermaid_label(&text))
}

pub fn mermaid_label(text: &str) -> String {
    crate::sanitize::visible(text)
        .chars()
        .map(|c| match c {
            ':' | ';' | '#' | '<' | '>' | '&' | '"' | '`' | '\\' | '{' | '}' => ' ',
            c if c.is_control() => ' ',
            c => c,
        })
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// `{{ phase.from | mermaid_time }}` is `17#58;40 PDT`: the clock time in the
/// document's zone as Mermaid label text, where `#58;` is Mermaid's entity
/// code for the `:` that would otherwise end a task's name. `day=true` puts
/// the day first (`Mon 15 Jul 17#58;40 PDT`), `zone=false` leaves out the
/// abbreviation; `format=` as for `datetime`.
#[allow(clippy::needless_pass_by_value)] // Tera's filter signature
fn mermaid_time(value: &Value, kwargs: Kwargs, _: &State) -> TeraResult<Value> {
    let day = kwargs.get::<bool>("day")?.unwrap_or(false);
    let zone = kwargs.get::<bool>("zone")?.unwrap_or(true);
    let default = match (day, zone) {
        (true, true) => "%a %-d %b %H:%M %Z",
        (true, false) => "%a %-d %b %H:%M",
        (false, true) => "%H:%M %Z",
        (false, false) => "%H:%M",
    };
    let text = format_time("mermaid_time", value, &kwargs, default)?;
    Ok(Value::safe_string(&mermaid_clock(&text)))
}

/// Label text with each `:` as Mermaid's `#58;` and the rest as `mermaid`.
pub fn mermaid_clock(text: &str) -> String {
    text.split(':')
        .map(mermaid_label)
        .collect::<Vec<_>>()
        .join("#58;")
}

/// `{{ phase.from | mermaid_instant }}` is the instant in Unix milliseconds,
/// for a gantt with `dateFormat x`. Mermaid reads a date without an offset
/// in the browser's zone, so each reader would see other times; an instant
/// it cannot misread.
fn mermaid_instant(value: &Value, _: Kwargs, _: &State) -> TeraResult<Value> {
    match local("mermaid_instant", value)? {
        Some(at) => Ok(Value::safe_string(&at.timestamp_millis().to_string())),
        None => Err(Error::message(format!(
            "the `mermaid_instant` filter needs a resolved time, but `{}` has no instant: test `.unix` with `{{% if ... %}}` first",
            value
                .get_from_path("written")
                .map(ToString::to_string)
                .unwrap_or_default()
        ))),
    }
}

/// `{{ 150 | duration }}` is `2 h 30 min`.
fn duration(minutes: i64, _: Kwargs, _: &State) -> String {
    human_duration(chrono::Duration::minutes(minutes))
}

/// Escapes what would let user text turn into HTML in Markdown: `<` always,
/// `&` where it would start a character reference. Code spans and fenced
/// blocks are left alone, since Markdown shows them literally anyway.
pub fn escape_markdown(input: &str, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    out.write_all(escape(&crate::sanitize::markdown(input)).as_bytes())
}

pub fn escape(input: &str) -> String {
    let mut out = String::with_capacity(input.len());
    let mut fence: Option<(char, usize)> = None;
    for line in input.split_inclusive('\n') {
        let trimmed = line.trim_start();
        let marker = trimmed.chars().next().filter(|c| *c == '`' || *c == '~');
        let run = marker.map_or(0, |m| trimmed.chars().take_while(|c| *c == m).count());
        match (fence, marker) {
            (Some((c, n)), Some(m)) if m == c && run >= n && trimmed[run..].trim().is_empty() => {
                fence = None;
                out.push_str(line);
            }
            (Some(_), _) => out.push_str(line),
            (None, Some(m)) if run >= 3 => {
                fence = Some((m, run));
                out.push_str(line);
            }
            (None, _) => escape_inline(line, &mut out),
        }
    }
    out
}

fn escape_inline(line: &str, out: &mut String) {
    let bytes = line.as_bytes();
    let mut i = 0;
    while i < line.len() {
        let c = bytes[i];
        if c == b'`' {
            let run = bytes[i..].iter().take_while(|b| **b == b'`').count();
            // A code span runs to the next backtick string of the same length.
            if let Some(close) = find_run(&bytes[i + run..], run) {
                let end = i + run + close + run;
                out.push_str(&line[i..end]);
                i = end;
            } else {
                out.push_str(&line[i..i + run]);
                i += run;
            }
            continue;
        }
        match c {
            b'<' => out.push_str("&lt;"),
            b'&' if starts_reference(&line[i..]) => out.push_str("&amp;"),
            _ => {
                let len = line[i..].chars().next().map_or(1, char::len_utf8);
                out.push_str(&line[i..i + len]);
                i += len;
                continue;
            }
        }
        i += 1;
    }
}

fn find_run(bytes: &[u8], run: usize) -> Option<usize> {
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'`' {
            let n = bytes[i..].iter().take_while(|b| **b == b'`').count();
            if n == run {
                return Some(i);
            }
            i += n;
        } else {
            i += 1;
        }
    }
    None
}

/// `&amp;`, `&#123;`, `&#x1F;`: what Markdown would decode.
fn starts_reference(text: &str) -> bool {
    let rest = &text[1..];
    let body: &str = rest.split(';').next().unwrap_or("");
    if body.len() == rest.len() || body.is_empty() || body.len() > 32 {
        return false;
    }
    if let Some(num) = body.strip_prefix('#') {
        return match num.strip_prefix(['x', 'X']) {
            Some(hex) => !hex.is_empty() && hex.chars().all(|c| c.is_ascii_hexdigit()),
            None => !num.is_empty() && num.chars().all(|c| c.is_ascii_digit()),
        };
    }
    body.chars().all(|c| c.is_ascii_alphanumeric())
}

#[cfg(test)]
mod tests {
    use super::*;
    use tera::Context;

    fn render(template: &str, context: &Context) -> Result<String, String> {
        let mut tera = Tera::default();
        register(&mut tera);
        tera.autoescape_on(vec![""]);
        tera.set_escape_fn(escape_markdown);
        tera.add_raw_template("t", template)
            .map_err(|e| e.to_string())?;
        tera.render("t", context).map_err(|e| e.to_string())
    }

    fn when(unix: i64, zone: &str) -> Value {
        let mut map = tera::Map::new();
        map.insert("written".into(), Value::from("as written"));
        map.insert("unix".into(), Value::from(unix));
        map.insert("timezone".into(), Value::from(zone));
        Value::from(map)
    }

    #[test]
    fn times_format_in_the_document_zone_with_the_abbreviation_in_effect() {
        let mut ctx = Context::new();
        // 2023-09-10 15:00 UTC is 16:00 in Lagos (WAT, +01:00).
        ctx.insert_value("lagos", when(1_694_358_000, "Africa/Lagos"));
        // London: 12:00 UTC in January is 12:00 GMT, in July 13:00 BST.
        ctx.insert_value("winter", when(1_704_110_400, "Europe/London"));
        ctx.insert_value("summer", when(1_720_008_000, "Europe/London"));
        let out = render(
            "{{ lagos | time }}|{{ lagos | time(zone=false) }}|{{ lagos | date }}|{{ lagos | datetime }}|{{ winter | time }}|{{ summer | time }}|{{ lagos | datetime(format=\"%d %B %Y, %-I:%M %p %Z\") }}",
            &ctx,
        )
        .expect("renders");
        assert_eq!(
            out,
            "16:00 WAT|16:00|2023-09-10|2023-09-10 16:00 WAT|12:00 GMT|13:00 BST|10 September 2023, 4:00 PM WAT"
        );
    }

    #[test]
    fn an_unresolved_time_prints_as_written() {
        let mut map = tera::Map::new();
        map.insert("written".into(), Value::from("around 4ish"));
        map.insert("unix".into(), Value::none());
        let mut ctx = Context::new();
        ctx.insert_value("t", Value::from(map));
        assert_eq!(
            render("{{ t | time }}", &ctx).expect("renders"),
            "around 4ish"
        );
    }

    #[test]
    fn time_filters_explain_misuse() {
        let mut ctx = Context::new();
        ctx.insert("s", "16:00");
        ctx.insert_value("lagos", when(1_694_358_000, "Africa/Lagos"));
        let err = render("{{ s | time }}", &ctx).expect_err("a string is not a time");
        assert!(err.contains("formats a time from the context"), "{err}");
        let err = render("{{ lagos | datetime(format=\"%Q\") }}", &ctx).expect_err("bad format");
        assert!(err.contains("`%Q` is not a valid strftime format"), "{err}");
    }

    #[test]
    fn cells_stay_on_one_line_and_keep_their_pipes() {
        assert_eq!(table_cell("a | b\nc\n\n  d "), "a \\| b c d");
        let mut ctx = Context::new();
        ctx.insert("t", "x|y\nz <b>");
        ctx.insert("n", &Option::<String>::None);
        assert_eq!(
            render("{{ t | cell }}/{{ n | cell }}", &ctx).expect("renders"),
            "x\\|y z &lt;b>/"
        );
    }

    #[test]
    fn mermaid_labels_lose_mermaid_syntax() {
        assert_eq!(
            mermaid_label("Escalated: DB; #1 <team>\n"),
            "Escalated DB 1 team"
        );
    }

    /// A time given in UTC (`2026-03-29 00:40`), in the document's `zone`.
    fn utc(at: &str, zone: &str) -> Value {
        let at = chrono::NaiveDateTime::parse_from_str(at, "%Y-%m-%d %H:%M").expect("time");
        when(at.and_utc().timestamp(), zone)
    }

    fn diagram_text(times: &[(&'static str, Value)], template: &str) -> String {
        let mut ctx = Context::new();
        for (name, value) in times {
            ctx.insert_value(*name, value.clone());
        }
        render(template, &ctx).expect("renders")
    }

    #[test]
    fn mermaid_times_across_berlin_spring_forward() {
        // 02:00 CET became 03:00 CEST on 2026-03-29: 01:40 CET (00:40 UTC)
        // to 03:05 CEST (01:05 UTC) is 25 minutes, and 02:xx never existed.
        let from = utc("2026-03-29 00:40", "Europe/Berlin");
        let to = utc("2026-03-29 01:05", "Europe/Berlin");
        let out = diagram_text(
            &[("from", from), ("to", to)],
            "{{ from | mermaid_time }} to {{ to | mermaid_time }}|{{ from | mermaid_time(zone=false) }}|{{ from | mermaid_instant }}|{{ to | mermaid_instant }}",
        );
        let parts: Vec<&str> = out.split('|').collect();
        assert_eq!(parts[..2], ["01#58;40 CET to 03#58;05 CEST", "01#58;40"]);
        let ms: Vec<i64> = parts[2..].iter().map(|p| p.parse().expect("ms")).collect();
        assert_eq!(ms[1] - ms[0], 25 * 60 * 1000, "the bar's true length");
        assert_eq!(ms[0], 1_774_744_800_000, "an instant, not a local date");
    }

    #[test]
    fn mermaid_times_across_new_york_fall_back() {
        // 02:00 EDT became 01:00 EST on 2025-11-02: 01:30 happened twice,
        // an hour apart, and the abbreviation tells them apart.
        let first = utc("2025-11-02 05:30", "America/New_York");
        let second = utc("2025-11-02 06:30", "America/New_York");
        let out = diagram_text(
            &[("a", first), ("b", second)],
            "{{ a | mermaid_time }}|{{ b | mermaid_time }}|{{ a | mermaid_instant }}|{{ b | mermaid_instant }}",
        );
        let parts: Vec<&str> = out.split('|').collect();
        assert_eq!(parts[..2], ["01#58;30 EDT", "01#58;30 EST"]);
        let ms: Vec<i64> = parts[2..].iter().map(|p| p.parse().expect("ms")).collect();
        assert_eq!(ms[1] - ms[0], 60 * 60 * 1000);
    }

    #[test]
    fn mermaid_times_of_a_multi_day_incident_name_the_day() {
        // Los Angeles, PDT (-07:00): Monday 17:40 to Wednesday 13:00.
        let start = utc("2024-07-16 00:40", "America/Los_Angeles");
        let end = utc("2024-07-17 20:00", "America/Los_Angeles");
        let out = diagram_text(
            &[("s", start), ("e", end)],
            "{{ s | mermaid_time(day=true, zone=false) }} to {{ e | mermaid_time(day=true) }}|{{ s | mermaid_instant }}|{{ e | mermaid_instant }}",
        );
        let parts: Vec<&str> = out.split('|').collect();
        assert_eq!(parts[0], "Mon 15 Jul 17#58;40 to Wed 17 Jul 13#58;00 PDT");
        let ms: Vec<i64> = parts[1..].iter().map(|p| p.parse().expect("ms")).collect();
        assert_eq!(ms[1] - ms[0], (43 * 60 + 20) * 60 * 1000);
    }

    #[test]
    fn mermaid_clock_text_keeps_only_its_colons() {
        assert_eq!(mermaid_clock("12:00 +05:30"), "12#58;00 +05#58;30");
        assert_eq!(mermaid_clock("a;b: #c <d>"), "a b#58;c d");
    }

    #[test]
    fn mermaid_instant_refuses_a_time_it_cannot_place() {
        let mut map = tera::Map::new();
        map.insert("written".into(), Value::from("around 4ish"));
        map.insert("unix".into(), Value::none());
        let mut ctx = Context::new();
        ctx.insert_value("t", Value::from(map));
        let err = render("{{ t | mermaid_instant }}", &ctx).expect_err("no instant");
        assert!(err.contains("needs a resolved time"), "{err}");
        let err = render("{{ 5 | mermaid_instant }}", &ctx).expect_err("not a time");
        assert!(err.contains("formats a time from the context"), "{err}");
    }

    #[test]
    fn durations_read_as_people_write_them() {
        let ctx = Context::new();
        assert_eq!(
            render(
                "{{ 150 | duration }}, {{ 45 | duration }}, {{ 1560 | duration }}",
                &ctx
            )
            .expect("renders"),
            "2 h 30 min, 45 min, 1 d 2 h"
        );
    }

    #[test]
    fn html_in_user_text_is_not_interpreted() {
        assert_eq!(
            escape("<script>alert(1)</script>"),
            "&lt;script>alert(1)&lt;/script>"
        );
        assert_eq!(
            escape("AT&T &amp; &#38; &#x26; & ;"),
            "AT&T &amp;amp; &amp;#38; &amp;#x26; & ;"
        );
        assert_eq!(escape("p99 > 500 ms"), "p99 > 500 ms");
        // Code spans and fences show text literally already.
        assert_eq!(
            escape("run `a<b` and ``x ` <y``"),
            "run `a<b` and ``x ` <y``"
        );
        assert_eq!(escape("unclosed ` <b>"), "unclosed ` &lt;b>");
        assert_eq!(
            escape("before <i>\n```html\n<b>x</b>\n```\nafter <i>"),
            "before &lt;i>\n```html\n<b>x</b>\n```\nafter &lt;i>"
        );
        assert_eq!(escape("naïve <é>"), "naïve &lt;é>");
    }

    #[test]
    fn templates_escape_by_default_and_safe_opts_out() {
        let mut ctx = Context::new();
        ctx.insert("t", "<b>bold</b>");
        assert_eq!(
            render("{{ t }} {{ t | safe }}", &ctx).expect("renders"),
            "&lt;b>bold&lt;/b> <b>bold</b>"
        );
    }
}
