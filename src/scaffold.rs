//! The scaffold `pm new` writes: its file name, its content, and the checks
//! on what a person types in, so that a fresh scaffold always passes `pm check`
//! as a draft.

use crate::template::{self, Escape, SCAFFOLD, Templates};
use crate::time;
use crate::time::{abbreviation_zones, list};
use chrono::NaiveDate;
use chrono_tz::Tz;

/// Slugs are cut to this many characters, at a word boundary when there is one.
pub const SLUG_MAX: usize = 60;

/// The slug of a title that has no letters or digits to keep.
pub const SLUG_FALLBACK: &str = "incident";

/// What a scaffold is made from. Anything left `None` becomes a placeholder.
#[derive(Clone, Debug)]
pub struct Scaffold {
    pub title: String,
    /// The incident's date: the file name's, and the one the times start on.
    pub date: NaiveDate,
    pub zone: Tz,
    pub severity: Option<String>,
    pub service: Option<String>,
    pub start: Option<Start>,
}

/// A start time that was checked to mean one instant in the zone.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Start {
    pub date: NaiveDate,
    /// As it goes in the file: `2024-02-29 16:05`, with the zone if one was given.
    pub text: String,
}

impl Scaffold {
    /// `YYYY-MM-DD-<slug>.yaml`.
    pub fn file_name(&self) -> String {
        format!(
            "{}-{}.yaml",
            self.date.format("%Y-%m-%d"),
            slug(&self.title)
        )
    }

    /// The YAML text of the scaffold.
    pub fn render(&self) -> Result<String, template::Error> {
        // Every value a person typed is escaped as a YAML scalar, so a title
        // cannot break the YAML around it.
        let mut templates = Templates::new(Escape::Yaml);
        templates.add(SCAFFOLD.name, SCAFFOLD.text)?;
        let mut context = tera::Context::new();
        context.insert("title", &self.title);
        context.insert("date", &self.date.format("%Y-%m-%d").to_string());
        context.insert("timezone", self.zone.name());
        context.insert("severity", &self.severity);
        context.insert("service", &self.service);
        context.insert("start", &self.start.as_ref().map(|s| &s.text));
        templates.render_context(SCAFFOLD.name, &context)
    }
}

/// A file-name slug: ASCII letters, digits and hyphens, accents transliterated
/// ("Café outage!" is `cafe-outage`), at most `SLUG_MAX` characters.
pub fn slug(title: &str) -> String {
    let full = slug::slugify(title);
    let cut = if full.len() <= SLUG_MAX {
        &full[..]
    } else {
        // `slugify` output is ASCII, so byte offsets are character offsets.
        let head = &full[..=SLUG_MAX];
        match head.rfind('-') {
            Some(hyphen) if hyphen > 0 => &head[..hyphen],
            _ => &full[..SLUG_MAX],
        }
    };
    let cut = cut.trim_matches('-');
    if cut.is_empty() {
        SLUG_FALLBACK.to_owned()
    } else {
        cut.to_owned()
    }
}

/// One line of text: whitespace runs (newlines included) become one space.
pub fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The zone a person named, or why it is not one, listing every zone that
/// uses an abbreviation.
pub fn zone(name: &str, date: Option<NaiveDate>) -> Result<Tz, String> {
    zone_listing(name, date, |zones| zones.join(", "))
}

/// `zone` for a prompt, where a short line reads better: "A, B, C, D, E and 6 more".
pub fn zone_brief(name: &str, date: Option<NaiveDate>) -> Result<Tz, String> {
    zone_listing(name, date, list)
}

fn zone_listing(
    name: &str,
    date: Option<NaiveDate>,
    show: impl Fn(&[&str]) -> String,
) -> Result<Tz, String> {
    let name = name.trim();
    match time::parse_zone_name(name) {
        Ok(tz) => {
            // Refused as `pm check` warns of it (`legacy-timezone`).
            if let Some(legacy) = time::legacy_zone(tz) {
                let instead = legacy.instead.map_or_else(
                    || "; give the IANA zone of the place, such as `America/Bogota`".to_owned(),
                    |zone| {
                        let place = zone.rsplit('/').next().unwrap_or(zone).replace('_', " ");
                        format!("; for {place} write `{zone}`")
                    },
                );
                return Err(format!(
                    "`{name}` is a legacy zone: {}{instead}",
                    legacy.what
                ));
            }
            return Ok(tz);
        }
        Err(Some(spelling)) => {
            return Err(format!(
                "`{name}` is not an IANA time zone; did you mean `{spelling}`?"
            ));
        }
        Err(None) => {}
    }
    let upper = name.to_ascii_uppercase();
    let zones = abbreviation_zones(&upper, date);
    if zones.is_empty() {
        Err(format!(
            "`{name}` is not an IANA time zone; use a name such as `Africa/Lagos`, `America/Los_Angeles` or `UTC`"
        ))
    } else {
        let on = date.map_or_else(String::new, |d| format!(" on {d}"));
        Err(format!(
            "`{name}` is an abbreviation, not an IANA time zone; give the zone of the place, which knows when daylight saving applies. {upper} is used{on} by {}",
            show(&zones)
        ))
    }
}

/// The machine's zone under its usual name (`Etc/UTC` is `UTC`).
pub fn canonical_zone(tz: Tz) -> Tz {
    match tz.name() {
        "Etc/UTC" | "Etc/UCT" | "Etc/Universal" | "Etc/Zulu" | "UCT" | "Universal" | "Zulu" => {
            chrono_tz::UTC
        }
        _ => tz,
    }
}

/// A start time as a person typed it (`16:05`, `4:05 PM`, `2024-02-29 16:05`,
/// `01:30 BST`), checked to mean exactly one instant in the zone. A time alone
/// is on `date`.
pub fn start(text: &str, date: NaiveDate, zone: Tz) -> Result<Start, String> {
    let written = time::parse(text).map_err(|err| {
        format!("{err}; write the start as HH:MM or YYYY-MM-DD HH:MM, such as 16:05")
    })?;
    let date = written.date.unwrap_or(date);
    if let Err(problem) = time::resolve(&written, date, zone) {
        // The words `pm check` uses for the same problem.
        let found = crate::incident::problem_diagnostic(
            problem,
            text.trim(),
            crate::diagnostic::Span::DOCUMENT,
            &written,
            date,
        );
        let mut message = found.message;
        for part in [found.label, found.help].into_iter().flatten() {
            message.push_str("; ");
            message.push_str(&part);
        }
        return Err(message);
    }
    let clock = if written.time.format("%S").to_string() == "00" {
        written.time.format("%H:%M")
    } else {
        written.time.format("%H:%M:%S")
    };
    let mut text = format!("{} {clock}", date.format("%Y-%m-%d"));
    if let Some(zone) = &written.zone {
        text.push(' ');
        text.push_str(&zone.to_string());
    }
    Ok(Start { date, text })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::template::yaml_scalar;
    use crate::yaml::{self, Value};

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
    }

    #[test]
    fn slugs_are_ascii_bounded_and_never_empty() {
        assert_eq!(slug("Café outage!"), "cafe-outage");
        assert_eq!(slug("Überlast der Datenbank"), "uberlast-der-datenbank");
        assert_eq!(
            slug("API 5xx: /v2/orders & /v2/users"),
            "api-5xx-v2-orders-v2-users"
        );
        assert_eq!(slug("!!! ??? ..."), SLUG_FALLBACK);
        assert_eq!(slug(""), SLUG_FALLBACK);
        let long = "database ".repeat(20);
        let cut = slug(&long);
        assert!(cut.len() <= SLUG_MAX, "{cut}");
        assert!(cut.ends_with("database"), "cut at a word boundary: {cut}");
        let word = "a".repeat(100);
        assert_eq!(slug(&word).len(), SLUG_MAX, "one long word is cut hard");
    }

    #[test]
    fn text_is_quoted_only_when_it_must_be() {
        let render = |text: &str| {
            let mut out = Vec::new();
            yaml_scalar(text, &mut out).expect("write to memory");
            String::from_utf8(out).expect("UTF-8")
        };
        assert_eq!(render("Email service outage"), "Email service outage");
        assert_eq!(render("Café outage!"), "Café outage!");
        assert_eq!(render("Outage: part 2"), "\"Outage: part 2\"");
        assert_eq!(render("yes"), "\"yes\"");
        assert_eq!(render("2024"), "\"2024\"");
        assert_eq!(render("say \"hi\""), "say \"hi\"");
        assert_eq!(render("\"quoted\""), "\"\\\"quoted\\\"\"");
    }

    #[test]
    fn every_title_reads_back_as_written() {
        let titles = [
            "plain",
            "Outage: part 2",
            "ends with colon:",
            "# not a comment",
            "hash # inside",
            "- dash",
            "? question",
            "[bracket]",
            "{brace}",
            "*alias",
            "&anchor",
            "!tag",
            "|pipe",
            ">fold",
            "'single'",
            "\"double\"",
            "%percent",
            "@at",
            "`tick`",
            "back\\slash",
            "tab\there",
            "bell\u{7}",
            "line\u{2028}separator",
            "null",
            "~",
            "TRUE",
            "0x1F",
            "1e3",
            ".inf",
            "12:30",
            "-1",
            "2024-02-29",
            "<placeholder text>",
            "emoji 🔥 fire",
            "🔥",
            "日本語のタイトル",
        ];
        for title in titles {
            let mut out = Vec::new();
            yaml_scalar(title, &mut out).expect("write to memory");
            let line = format!("title: {}\n", String::from_utf8(out).expect("UTF-8"));
            let tree = yaml::parse(&line).unwrap_or_else(|e| panic!("{line}: {e}"));
            let Value::Map(entries) = tree.value else {
                panic!("{line}: not a mapping")
            };
            assert_eq!(
                entries[0].1.value,
                Value::Str(title.to_owned().into()),
                "{line} reads back differently"
            );
        }
    }

    #[test]
    fn abbreviations_are_refused_with_the_zones_that_use_them() {
        let err = zone("WAT", Some(date(2024, 2, 29))).expect_err("WAT is not a zone");
        assert!(err.contains("Africa/Lagos"), "{err}");
        assert!(err.contains("abbreviation"), "{err}");
        let err = zone("europe/london", None).expect_err("wrong case");
        assert!(err.contains("`Europe/London`"), "{err}");
        let err = zone("Nowhere", None).expect_err("unknown");
        assert!(err.contains("IANA"), "{err}");
        assert_eq!(
            zone(" Asia/Kathmandu ", None),
            Ok(chrono_tz::Asia::Kathmandu)
        );
    }

    #[test]
    fn start_times_must_mean_one_instant() {
        let london = chrono_tz::Europe::London;
        let day = date(2024, 2, 29);
        assert_eq!(
            start("16:05", day, london).map(|s| s.text),
            Ok("2024-02-29 16:05".to_owned())
        );
        assert_eq!(
            start("4:05 pm", day, london).map(|s| s.text),
            Ok("2024-02-29 16:05".to_owned())
        );
        let other_day = start("2024-03-01 00:10", day, london).expect("valid");
        assert_eq!(other_day.date, date(2024, 3, 1));
        let gap = start("01:30", date(2026, 3, 29), london).expect_err("in the gap");
        assert!(gap.contains("clocks went forward"), "{gap}");
        let fold = start("01:30", date(2026, 10, 25), london).expect_err("in the fold");
        assert!(
            fold.contains("`01:30 BST`") && fold.contains("`01:30 GMT`"),
            "{fold}"
        );
        assert_eq!(
            start("01:30 GMT", date(2026, 10, 25), london).map(|s| s.text),
            Ok("2026-10-25 01:30 GMT".to_owned())
        );
        let wrong = start(
            "16:00 PST",
            date(2024, 6, 1),
            chrono_tz::America::Los_Angeles,
        )
        .expect_err("PST in June");
        assert!(wrong.contains("PDT"), "{wrong}");
        assert!(start("around 4", day, london).is_err());
    }

    fn sample() -> Scaffold {
        Scaffold {
            title: "Queue backlog".to_owned(),
            date: date(2024, 2, 29),
            zone: chrono_tz::Africa::Lagos,
            severity: None,
            service: None,
            start: None,
        }
    }

    fn keys_of<'n>(node: &'n yaml::Node<'n>) -> Vec<&'n str> {
        match &node.value {
            Value::Map(entries) => entries.iter().map(|(k, _)| k.name.as_ref()).collect(),
            other => panic!("not a mapping: {other:?}"),
        }
    }

    fn field<'n>(node: &'n yaml::Node<'n>, name: &str) -> &'n yaml::Node<'n> {
        match &node.value {
            Value::Map(entries) => entries
                .iter()
                .find(|(k, _)| k.name == name)
                .map_or_else(|| panic!("no `{name}`"), |(_, v)| v),
            other => panic!("not a mapping: {other:?}"),
        }
    }

    #[test]
    fn every_section_is_there_in_the_order_of_the_format() {
        use crate::incident::format;
        use crate::incident::keys;
        let text = sample().render().expect("renders");
        let tree = yaml::parse(&text).expect("valid YAML");
        // Every field is there in the format's order, or, when optional, named
        // in a comment that shows how to write it.
        let in_order = |written: Vec<&str>, section: &'static crate::incident::format::Section| {
            let all = keys::of(section);
            let order: Vec<usize> = written
                .iter()
                .map(|k| all.iter().position(|a| a == k).expect("a known key"))
                .collect();
            assert!(order.is_sorted(), "{written:?} is not in the order {all:?}");
            for field in section.fields {
                if !written.contains(&field.name) {
                    assert_eq!(
                        field.required,
                        crate::incident::format::Required::No,
                        "{}",
                        field.name
                    );
                    assert!(
                        text.contains(&format!("# {}:", field.name))
                            || text.contains(&format!("#   {}:", field.name))
                            || text.contains(&format!("{}: (", field.name)),
                        "the scaffold does not show `{}`",
                        field.name
                    );
                }
            }
        };
        in_order(keys_of(&tree), &format::DOCUMENT);
        in_order(keys_of(field(&tree, "summary")), &format::SUMMARY);
        in_order(keys_of(field(&tree, "lessons")), &format::LESSONS);
        let Value::Seq(tasks) = &field(&tree, "tasks").value else {
            panic!("tasks is a list")
        };
        in_order(keys_of(&tasks[0]), &format::TASK);
        let Value::Seq(entries) = &field(&tree, "timeline").value else {
            panic!("timeline is a list")
        };
        let mut every: Vec<&str> = Vec::new();
        for key in entries.iter().flat_map(keys_of) {
            if !every.contains(&key) {
                every.push(key);
            }
        }
        every.sort_by_key(|k| keys::entry().iter().position(|e| e == k));
        in_order(every, &format::ENTRY);
        let kinds: Vec<_> = entries
            .iter()
            .map(|e| match &field(e, "kind").value {
                Value::Str(kind) => kind.as_ref(),
                other => panic!("kind is text: {other:?}"),
            })
            .collect();
        assert_eq!(
            kinds,
            [
                "trigger",
                "detected",
                "action",
                "misleading",
                "escalated",
                "mitigated",
                "resolved"
            ]
        );
        // Each section comes with guidance: a comment just above it.
        let lines: Vec<&str> = text.lines().collect();
        for key in keys_of(&tree) {
            let at = lines
                .iter()
                .position(|l| l.starts_with(&format!("{key}:")))
                .unwrap_or_else(|| panic!("no line for {key}"));
            let above = lines[..at]
                .iter()
                .rev()
                .find(|l| !l.trim().is_empty())
                .unwrap_or_else(|| panic!("nothing above {key}"));
            assert!(
                above.starts_with('#') || key == "status",
                "`{key}` has no guidance above it"
            );
        }
    }

    #[test]
    fn a_fresh_scaffold_is_a_passing_draft_and_a_failing_final() {
        use crate::check::{Settings, check};
        use crate::diagnostic::Severity;
        use crate::source::Source;
        let text = sample().render().expect("renders");
        let settings = Settings::new(date(2024, 3, 1));
        let draft = check(Source::new("new.yaml", &text), &settings);
        assert_eq!(draft.errors(), 0, "{:#?}", draft.diagnostics);
        assert!(draft.warnings() > 0, "placeholders are reported");
        assert!(draft.diagnostics.iter().all(|d| d.rule.id == "placeholder"));
        let final_text = text.replace("status: draft", "status: final");
        let final_ = check(Source::new("new.yaml", &final_text), &settings);
        assert_eq!(
            final_.errors(),
            draft.warnings(),
            "each placeholder is an error"
        );
        assert!(
            final_
                .diagnostics
                .iter()
                .all(|d| d.severity == Severity::Error)
        );
    }

    #[test]
    fn lines_are_collapsed() {
        assert_eq!(one_line("  Email\n outage\t now "), "Email outage now");
    }
}
