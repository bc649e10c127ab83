//! `pm new`: scaffold a postmortem a person can fill in quickly. On a
//! terminal it asks for what the command line left out.

use super::{Env, exit};
use crate::cli::NewArgs;
use crate::output;
use crate::scaffold::{self, Scaffold, Start};
use anyhow::{Context as _, Result, bail};
use chrono::NaiveDate;
use chrono_tz::Tz;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Defaults from pm.toml's `[defaults]` (`dir`, `timezone`).
#[derive(Debug, Default)]
struct Configured {
    dir: Option<PathBuf>,
    timezone: Option<Tz>,
}

fn configured(env: &Env) -> Configured {
    let defaults = env.config().defaults;
    Configured {
        dir: defaults.dir,
        timezone: defaults.timezone,
    }
}

pub fn run(args: &NewArgs, env: &Env) -> Result<ExitCode> {
    let configured = configured(env);
    let interactive =
        !args.no_input && std::io::stdin().is_terminal() && std::io::stdout().is_terminal();
    let given = Given {
        title: args.title.as_deref(),
        date: args.date.as_deref(),
        timezone: args.timezone.as_deref(),
        start: args.start.as_deref(),
        severity: args.severity.as_deref(),
        service: args.service.as_deref(),
        no_input: args.no_input,
    };
    let default_zone = configured.timezone.unwrap_or_else(local_zone);
    let mut terminal = Terminal::new(env.color_stderr);
    let ask: Option<&mut dyn Ask> = if interactive {
        Some(&mut terminal)
    } else {
        None
    };
    let scaffold = gather(&given, default_zone, &|zone| env.today_in(zone), ask)?;
    let text = scaffold.render().context("cannot render the scaffold")?;

    // The project's schema lives at `<root>/.pm/schema.json` (`pm schema >
    // .pm/schema.json`), the root being pm.toml's folder or the current one.
    let root = env
        .config
        .as_ref()
        .map_or_else(|| PathBuf::from("."), |found| found.base().to_path_buf());
    if args.stdout {
        print!("{}{text}", schema_line(Path::new("."), &root));
        return Ok(ExitCode::from(exit::OK));
    }
    let dir = args
        .dir
        .clone()
        .or(configured.dir)
        .unwrap_or_else(|| PathBuf::from("."));
    std::fs::create_dir_all(&dir)
        .with_context(|| format!("cannot create the folder `{}`", dir.display()))?;
    let text = format!("{}{text}", schema_line(&dir, &root));
    let path = if dir == Path::new(".") {
        PathBuf::from(scaffold.file_name())
    } else {
        dir.join(scaffold.file_name())
    };
    match output::write_atomic(&path, text.as_bytes(), args.force) {
        Ok(()) => {
            println!("{}", path.display());
            if let Some(schema) = create_schema(&root)? {
                eprintln!(
                    "Created {}, the schema the new file's first line points editors to (`pm schema` prints it).",
                    schema.display()
                );
            }
            if interactive {
                eprintln!(
                    "Fill in the <placeholders>, then run `pm check {}`.",
                    path.display()
                );
            }
            Ok(ExitCode::from(exit::OK))
        }
        Err(err) if err.is_refusal() => {
            eprintln!("pm: error: {err}");
            Ok(ExitCode::from(exit::FINDINGS))
        }
        Err(err) => Err(err.into()),
    }
}

/// Writes `<root>/.pm/schema.json` when it is missing, so that the modeline
/// of a new postmortem points at a file; an existing one is left alone.
fn create_schema(root: &Path) -> Result<Option<PathBuf>> {
    let path = root.join(".pm").join("schema.json");
    if path.exists() {
        return Ok(None);
    }
    let dir = root.join(".pm");
    std::fs::create_dir_all(&dir)
        .with_context(|| format!("cannot create the folder `{}`", dir.display()))?;
    let mut text = serde_json::to_string_pretty(&crate::incident::schema::schema())?;
    text.push('\n');
    match output::write_atomic(&path, text.as_bytes(), false) {
        Ok(()) => Ok(Some(path)),
        // Another `pm new` wrote it meanwhile.
        Err(err) if err.is_refusal() => Ok(None),
        Err(err) => Err(err.into()),
    }
}

/// What the command line gave.
#[derive(Debug, Default)]
struct Given<'a> {
    title: Option<&'a str>,
    date: Option<&'a str>,
    timezone: Option<&'a str>,
    start: Option<&'a str>,
    severity: Option<&'a str>,
    service: Option<&'a str>,
    no_input: bool,
}

/// Asks a person for one value. `check` refuses an answer with the reason
/// to show before asking again; an empty answer takes `default`.
trait Ask {
    fn ask(
        &mut self,
        prompt: &str,
        default: Option<&str>,
        check: &dyn Fn(&str) -> Result<(), String>,
    ) -> Result<String>;
}

/// Builds the scaffold from what was given, asking for the rest when `ask`
/// is there. Everything given is checked before anything is asked.
fn gather(
    given: &Given,
    default_zone: Tz,
    today_in: &dyn Fn(Tz) -> NaiveDate,
    mut ask: Option<&mut dyn Ask>,
) -> Result<Scaffold> {
    let date = given.date.map(parse_date).transpose()?;
    let given_zone = given
        .timezone
        .map(|name| scaffold::zone(name, date).map_err(|e| anyhow::anyhow!("--timezone: {e}")))
        .transpose()?;
    if let (Some(text), Some(zone)) = (given.start, given_zone) {
        check_start(text, date.unwrap_or_else(|| today_in(zone)), zone)?;
    }

    let title = match (given.title, ask.as_deref_mut()) {
        (Some(title), _) => {
            let title = scaffold::one_line(title);
            if title.is_empty() {
                bail!("the title is empty; pass one, as in `pm new \"Database overload\"`");
            }
            title
        }
        (None, Some(ask)) => scaffold::one_line(&ask.ask("Title", None, &|text| {
            if scaffold::one_line(text).is_empty() {
                Err("a title is needed: a few words on what happened".to_owned())
            } else {
                Ok(())
            }
        })?),
        (None, None) => {
            let why = if given.no_input {
                "--no-input is set"
            } else {
                "not on a terminal"
            };
            bail!(
                "pm new needs a title: pass it, as in `pm new \"Database overload\"` ({why}, so pm cannot ask)"
            );
        }
    };

    let service = match (given.service, ask.as_deref_mut()) {
        (Some(service), _) => Some(scaffold::one_line(service)),
        (None, Some(ask)) => Some(scaffold::one_line(&ask.ask(
            "Service that was down or slow (empty to fill in later)",
            None,
            &|_| Ok(()),
        )?)),
        (None, None) => None,
    }
    .filter(|s| !s.is_empty());

    let zone = match (given_zone, ask.as_deref_mut()) {
        (Some(zone), _) => zone,
        (None, Some(ask)) => {
            let answer = ask.ask("Time zone (IANA)", Some(default_zone.name()), &|text| {
                scaffold::zone_brief(text, date).map(|_| ())
            })?;
            scaffold::zone(&answer, date).map_err(anyhow::Error::msg)?
        }
        (None, None) => default_zone,
    };

    let day = date.unwrap_or_else(|| today_in(zone));
    let start = match (given.start, ask) {
        (Some(text), _) => Some(check_start(text, day, zone)?),
        (None, Some(ask)) => {
            let prompt = format!(
                "Start of impact, HH:MM on {day} or YYYY-MM-DD HH:MM (empty if not known yet)"
            );
            let answer = ask.ask(&prompt, None, &|text| {
                if text.trim().is_empty() {
                    Ok(())
                } else {
                    scaffold::start(text, day, zone).map(|_| ())
                }
            })?;
            if answer.trim().is_empty() {
                None
            } else {
                Some(scaffold::start(&answer, day, zone).map_err(anyhow::Error::msg)?)
            }
        }
        (None, None) => None,
    };

    Ok(Scaffold {
        title,
        // A start with a date of its own dates the incident, unless --date says otherwise.
        date: date.or(start.as_ref().map(|s| s.date)).unwrap_or(day),
        zone,
        severity: given
            .severity
            .map(scaffold::one_line)
            .filter(|s| !s.is_empty()),
        service,
        start,
    })
}

fn parse_date(text: &str) -> Result<NaiveDate> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").map_err(|_| {
        anyhow::anyhow!(
            "--date `{text}` is not a calendar date; write it as YYYY-MM-DD, such as 2024-02-29"
        )
    })
}

fn check_start(text: &str, date: NaiveDate, zone: Tz) -> Result<Start> {
    scaffold::start(text, date, zone).map_err(|e| anyhow::anyhow!("--start: {e}"))
}

/// The machine's zone: `TZ` when it names an IANA zone, else the system's
/// setting, else UTC.
fn local_zone() -> Tz {
    let from_env = std::env::var("TZ").ok().and_then(|value| {
        let name = value.trim_start_matches(':');
        // `TZ=:/usr/share/zoneinfo/Europe/London` names the zone by its file.
        let name = name.rsplit_once("zoneinfo/").map_or(name, |(_, zone)| zone);
        name.parse::<Tz>().ok()
    });
    let zone = from_env.or_else(|| {
        iana_time_zone::get_timezone()
            .ok()
            .and_then(|name| name.parse::<Tz>().ok())
    });
    scaffold::canonical_zone(zone.unwrap_or(chrono_tz::UTC))
}

/// Prompts on the terminal, on stderr, so stdout keeps only the path.
struct Terminal {
    theme: Box<dyn dialoguer::theme::Theme>,
}

impl Terminal {
    fn new(color: bool) -> Self {
        let theme: Box<dyn dialoguer::theme::Theme> = if color {
            Box::new(dialoguer::theme::ColorfulTheme::default())
        } else {
            Box::new(dialoguer::theme::SimpleTheme)
        };
        Terminal { theme }
    }
}

impl Ask for Terminal {
    fn ask(
        &mut self,
        prompt: &str,
        default: Option<&str>,
        check: &dyn Fn(&str) -> Result<(), String>,
    ) -> Result<String> {
        let mut input = dialoguer::Input::<String>::with_theme(self.theme.as_ref())
            .with_prompt(prompt)
            .allow_empty(true);
        if let Some(default) = default {
            input = input.default(default.to_owned());
        }
        // Ctrl-C stops pm with SIGINT (the prompt crate raises it); nothing is
        // written before the last answer, so nothing is left behind.
        input
            .validate_with(|text: &String| check(text))
            .interact_text()
            .context("cannot read the answer from the terminal")
    }
}

/// The modeline that lets editors using the YAML language server complete
/// and validate the file against pm's schema, as a path relative to `dir`.
fn schema_line(dir: &Path, root: &Path) -> String {
    format!(
        "# yaml-language-server: $schema={}\n",
        relative_schema_path(dir, root)
    )
}

fn relative_schema_path(dir: &Path, root: &Path) -> String {
    let schema = root.join(".pm/schema.json");
    crate::paths::relative_link(dir, &schema)
        .unwrap_or_else(|| schema.to_string_lossy().replace('\\', "/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schema_path_climbs_from_the_postmortem_to_the_root() {
        let root = tempfile::tempdir().expect("temp dir");
        let deep = root.path().join("postmortems/2024");
        std::fs::create_dir_all(&deep).expect("folders");
        assert_eq!(
            relative_schema_path(root.path(), root.path()),
            ".pm/schema.json"
        );
        assert_eq!(
            relative_schema_path(&deep, root.path()),
            "../../.pm/schema.json"
        );
        assert_eq!(
            relative_schema_path(root.path(), &deep),
            "postmortems/2024/.pm/schema.json"
        );
    }

    use std::collections::VecDeque;

    /// Answers from a script, recording what was asked and refused.
    #[derive(Default)]
    struct Script {
        answers: VecDeque<&'static str>,
        asked: Vec<String>,
        refused: Vec<String>,
    }

    impl Script {
        fn new(answers: &[&'static str]) -> Self {
            Script {
                answers: answers.iter().copied().collect(),
                ..Script::default()
            }
        }
    }

    impl Ask for Script {
        fn ask(
            &mut self,
            prompt: &str,
            default: Option<&str>,
            check: &dyn Fn(&str) -> Result<(), String>,
        ) -> Result<String> {
            self.asked.push(prompt.to_owned());
            loop {
                let Some(answer) = self.answers.pop_front() else {
                    bail!("the script ran out of answers at `{prompt}`");
                };
                let answer = match (answer, default) {
                    ("", Some(default)) => default,
                    _ => answer,
                };
                match check(answer) {
                    Ok(()) => return Ok(answer.to_owned()),
                    Err(reason) => self.refused.push(reason),
                }
            }
        }
    }

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
    }

    fn leap_day(_: Tz) -> NaiveDate {
        day(2024, 2, 29)
    }

    #[test]
    fn asks_for_everything_missing_in_order() {
        let mut script = Script::new(&["  Café outage ", "Email", "", "16:05"]);
        let scaffold = gather(
            &Given::default(),
            chrono_tz::Africa::Lagos,
            &leap_day,
            Some(&mut script),
        )
        .expect("scaffold");
        assert_eq!(script.asked.len(), 4, "{:?}", script.asked);
        assert!(script.asked[0].starts_with("Title"));
        assert!(script.asked[1].starts_with("Service"));
        assert!(script.asked[2].starts_with("Time zone"));
        assert!(script.asked[3].starts_with("Start"));
        assert_eq!(scaffold.title, "Café outage");
        assert_eq!(scaffold.service.as_deref(), Some("Email"));
        assert_eq!(scaffold.zone, chrono_tz::Africa::Lagos, "the default zone");
        assert_eq!(
            scaffold.start.map(|s| s.text).as_deref(),
            Some("2024-02-29 16:05")
        );
    }

    #[test]
    fn asks_only_for_what_is_missing() {
        let mut script = Script::new(&[""]);
        let given = Given {
            title: Some("Disk full"),
            service: Some("Search"),
            timezone: Some("Asia/Kathmandu"),
            ..Given::default()
        };
        let scaffold =
            gather(&given, chrono_tz::UTC, &leap_day, Some(&mut script)).expect("scaffold");
        assert_eq!(script.asked.len(), 1, "{:?}", script.asked);
        assert!(script.asked[0].starts_with("Start"));
        assert_eq!(scaffold.start, None, "an empty start stays a placeholder");
        assert_eq!(scaffold.zone, chrono_tz::Asia::Kathmandu);
    }

    #[test]
    fn wrong_answers_are_asked_again_with_the_reason() {
        let mut script = Script::new(&[
            "   ",
            "Queue backlog",
            "",
            "WAT",
            "Europe/London",
            "around 1",
            "01:30",
            "01:30 GMT",
        ]);
        let given = Given {
            date: Some("2026-10-25"),
            ..Given::default()
        };
        let scaffold =
            gather(&given, chrono_tz::UTC, &leap_day, Some(&mut script)).expect("scaffold");
        assert_eq!(script.refused.len(), 4, "{:?}", script.refused);
        assert!(script.refused[0].contains("title is needed"));
        assert!(
            script.refused[1].contains("Africa/Lagos"),
            "WAT lists its zones"
        );
        assert!(script.refused[2].contains("HH:MM"));
        assert!(script.refused[3].contains("happened twice"), "the fold");
        assert_eq!(
            scaffold.service, None,
            "an empty service stays a placeholder"
        );
        assert_eq!(scaffold.date, day(2026, 10, 25));
        assert_eq!(
            scaffold.start.map(|s| s.text).as_deref(),
            Some("2026-10-25 01:30 GMT")
        );
    }

    #[test]
    fn a_start_with_a_date_dates_the_incident() {
        let given = Given {
            title: Some("Night outage"),
            timezone: Some("UTC"),
            start: Some("2024-03-01 23:50"),
            ..Given::default()
        };
        let scaffold = gather(&given, chrono_tz::UTC, &leap_day, None).expect("scaffold");
        assert_eq!(scaffold.date, day(2024, 3, 1));
        assert_eq!(scaffold.file_name(), "2024-03-01-night-outage.yaml");
    }

    #[test]
    fn without_a_terminal_nothing_is_asked() {
        let err = gather(&Given::default(), chrono_tz::UTC, &leap_day, None).expect_err("no title");
        assert!(
            err.to_string().contains("pm new \"Database overload\""),
            "{err}"
        );
        let given = Given {
            title: Some("x"),
            ..Given::default()
        };
        let scaffold = gather(&given, chrono_tz::Asia::Tokyo, &leap_day, None).expect("scaffold");
        assert_eq!(scaffold.zone, chrono_tz::Asia::Tokyo);
        assert_eq!((scaffold.service, scaffold.start), (None, None));
    }

    #[test]
    fn given_values_are_checked_before_anything_is_asked() {
        for given in [
            Given {
                timezone: Some("WAT"),
                ..Given::default()
            },
            Given {
                date: Some("2023-02-29"),
                ..Given::default()
            },
            Given {
                timezone: Some("Europe/London"),
                date: Some("2026-03-29"),
                start: Some("01:30"),
                ..Given::default()
            },
        ] {
            let mut script = Script::new(&[]);
            let err =
                gather(&given, chrono_tz::UTC, &leap_day, Some(&mut script)).expect_err("refused");
            assert!(
                script.asked.is_empty(),
                "{given:?}: asked {:?}",
                script.asked
            );
            assert!(!err.to_string().contains("ran out"), "{err}");
        }
    }

    #[test]
    fn today_is_taken_in_the_zone() {
        // Kiritimati is UTC+14: its date can be a day ahead of UTC's.
        let today = |zone: Tz| {
            if zone == chrono_tz::Pacific::Kiritimati {
                day(2024, 3, 1)
            } else {
                day(2024, 2, 29)
            }
        };
        let given = Given {
            title: Some("x"),
            timezone: Some("Pacific/Kiritimati"),
            ..Given::default()
        };
        let scaffold = gather(&given, chrono_tz::UTC, &today, None).expect("scaffold");
        assert_eq!(scaffold.date, day(2024, 3, 1));
    }
}
