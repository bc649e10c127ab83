//! pm.toml: a team's settings, found by walking up from the current folder
//! as cargo finds Cargo.toml. Every key is optional; an unknown key, rule id
//! or value is an error that names it and its line, because a typo in a
//! policy file would otherwise switch the policy off without a word.
//!
//! The keys are documented in docs/config.md.

use crate::diagnostic::Severity;
use crate::rules;
use crate::rules::{Require, Settings};
use chrono_tz::Tz;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};
use toml::Spanned;

/// The name pm looks for.
pub const FILE_NAME: &str = "pm.toml";

/// A team's settings. Paths are resolved against the folder of pm.toml.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Config {
    pub defaults: Defaults,
    pub check: Check,
    pub index: Index,
    /// `[rules]`: severity overrides by rule id; `None` turns a rule off.
    pub rules: Vec<(&'static str, Option<Severity>)>,
}

/// `[defaults]`: what commands use when not told otherwise.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Defaults {
    /// The zone `pm new` writes into a new postmortem.
    pub timezone: Option<Tz>,
    /// Where `pm new` writes, and where check, index, tasks and stats look
    /// when given no path.
    pub dir: Option<PathBuf>,
    /// The report template `pm render` uses, as written: a built-in name or
    /// a path (resolve a path with `Found::resolve`).
    pub template: Option<String>,
}

/// `[check]`: the team's policy for `pm check`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Check {
    /// The allowed severities, in order from most to least severe.
    pub severities: Option<Vec<String>>,
    /// Inclusive bounds on the words of the prose.
    pub words: Option<(usize, usize)>,
    /// Optional parts of the format made required.
    pub require: Vec<Require>,
    /// Files larger than this many bytes are refused unread (`file-too-large`).
    pub max_file_size: Option<u64>,
    /// Known false positives of `secret` and `personal-data`: the flagged
    /// text exactly, or with `*` standing for any run of characters.
    pub allow: Vec<String>,
    /// Minutes from the start past which a first detection is late.
    pub detection_delay: Option<u32>,
}

/// `[index]`: settings of `pm index`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Index {
    /// A Tera template that replaces the built-in index.
    pub template: Option<PathBuf>,
}

/// A pm.toml found on disk, with the config it holds.
#[derive(Clone, Debug, PartialEq)]
pub struct Found {
    /// The file, relative to the folder the search started from
    /// (`pm.toml`, `../pm.toml`, ...).
    pub path: PathBuf,
    pub config: Config,
}

impl Found {
    /// The folder of pm.toml, which relative paths in it are relative to.
    pub fn base(&self) -> &Path {
        self.path.parent().unwrap_or(Path::new(""))
    }

    /// A path written in pm.toml, as a path from the starting folder.
    pub fn resolve(&self, path: &Path) -> PathBuf {
        self.base().join(path)
    }
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("cannot read `{}`: {source}", path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{}:{line}:{column}: {message}", path.display())]
    Invalid {
        path: PathBuf,
        line: usize,
        column: usize,
        message: String,
    },
}

impl Config {
    /// Finds pm.toml in `start` or the nearest folder above it, and reads it.
    /// `Ok(None)` when there is none. Returned paths are relative to `start`
    /// (`../pm.toml` when it is one folder up), so output names stay short.
    pub fn discover(start: &Path) -> Result<Option<Found>, Error> {
        let absolute = std::path::absolute(start).map_err(|source| Error::Io {
            path: start.to_path_buf(),
            source,
        })?;
        for (depth, folder) in absolute.ancestors().enumerate() {
            if folder.join(FILE_NAME).is_file() {
                let mut base: PathBuf = start
                    .components()
                    .filter(|c| *c != Component::CurDir)
                    .collect();
                for _ in 0..depth {
                    base.push("..");
                }
                let path = base.join(FILE_NAME);
                let config = Config::load(&path)?;
                return Ok(Some(Found { path, config }));
            }
        }
        Ok(None)
    }

    /// Reads a pm.toml. Relative paths in it are resolved against its folder.
    pub fn load(path: &Path) -> Result<Config, Error> {
        let text = std::fs::read_to_string(path).map_err(|source| Error::Io {
            path: path.to_path_buf(),
            source,
        })?;
        let base = path.parent().unwrap_or(Path::new(""));
        Config::parse(&text, path, base)
    }

    /// Parses the text of a pm.toml named `path` (for messages), resolving
    /// relative paths against `base`.
    pub fn parse(text: &str, path: &Path, base: &Path) -> Result<Config, Error> {
        let invalid = |span: std::ops::Range<usize>, message: String| {
            let (line, column) = line_column(text, span.start);
            Error::Invalid {
                path: path.to_path_buf(),
                line,
                column,
                message,
            }
        };
        let raw: Raw = toml::from_str(text).map_err(|err| {
            let message = err.message().trim().replace('\n', " ");
            invalid(err.span().unwrap_or(0..0), did_you_mean(message))
        })?;

        let mut config = Config::default();
        if let Some(zone) = raw.defaults.timezone {
            config.defaults.timezone = Some(match crate::time::parse_zone_name(zone.get_ref()) {
                Ok(tz) => tz,
                Err(close) => {
                    let hint = close.map_or_else(
                        || {
                            "write the IANA name of the place, such as `Africa/Lagos`, or `UTC`"
                                .to_owned()
                        },
                        |close| format!("did you mean `{close}`?"),
                    );
                    return Err(invalid(
                        zone.span(),
                        format!(
                            "`defaults.timezone`: `{}` is not an IANA time zone; {hint}",
                            zone.get_ref()
                        ),
                    ));
                }
            });
        }
        if let Some(dir) = raw.defaults.dir {
            config.defaults.dir = Some(base.join(non_empty(&dir, "defaults.dir", &invalid)?));
        }
        if let Some(template) = raw.defaults.template {
            config.defaults.template =
                Some(non_empty(&template, "defaults.template", &invalid)?.to_owned());
        }
        if let Some(template) = raw.index.template {
            config.index.template =
                Some(base.join(non_empty(&template, "index.template", &invalid)?));
        }

        if let Some(severities) = raw.check.severities {
            if severities.get_ref().is_empty() {
                return Err(invalid(
                    severities.span(),
                    "`check.severities` is empty, so no severity would be allowed; list them, such as [\"SEV1\", \"SEV2\", \"SEV3\"], or remove the key".to_owned(),
                ));
            }
            let mut list: Vec<String> = Vec::new();
            for severity in severities.into_inner() {
                let name = non_empty(&severity, "check.severities", &invalid)?;
                if list.iter().any(|s| s == name) {
                    return Err(invalid(
                        severity.span(),
                        format!("`check.severities` lists `{name}` twice"),
                    ));
                }
                list.push(name.to_owned());
            }
            config.check.severities = Some(list);
        }
        if let Some(words) = raw.check.words {
            let bounds = match words.get_ref().as_slice() {
                [min, max] => usize::try_from(*min)
                    .ok()
                    .zip(usize::try_from(*max).ok())
                    .filter(|(min, max)| min <= max),
                _ => None,
            };
            let Some(bounds) = bounds else {
                return Err(invalid(
                    words.span(),
                    "`check.words` must be two whole numbers, the minimum and the maximum, such as [400, 600]".to_owned(),
                ));
            };
            config.check.words = Some(bounds);
        }
        if let Some(size) = raw.check.max_file_size {
            let limit = crate::files::parse_size(size.get_ref()).map_err(|reason| {
                invalid(size.span(), format!("`check.max_file_size`: {reason}"))
            })?;
            config.check.max_file_size = Some(limit);
        }
        if let Some(delay) = raw.check.detection_delay {
            let minutes = u32::try_from(*delay.get_ref()).map_err(|_| {
                invalid(
                    delay.span(),
                    "`check.detection_delay` must be a whole number of minutes, such as 60"
                        .to_owned(),
                )
            })?;
            config.check.detection_delay = Some(minutes);
        }
        for pattern in raw.check.allow.unwrap_or_default() {
            let pattern = non_empty(&pattern, "check.allow", &invalid)?;
            config.check.allow.push(pattern.to_owned());
        }
        for name in raw.check.require.unwrap_or_default() {
            let Some(require) = Require::from_name(name.get_ref()) else {
                let hint = crate::suggest::closest(name.get_ref(), Require::NAMES.iter().copied())
                    .map_or_else(String::new, |close| format!("did you mean `{close}`? "));
                return Err(invalid(
                    name.span(),
                    format!(
                        "`check.require`: `{}` is not an optional part of the format; {hint}the choices are {}",
                        name.get_ref(),
                        quoted(Require::NAMES)
                    ),
                ));
            };
            if !config.check.require.contains(&require) {
                config.check.require.push(require);
            }
        }

        let mut rules: Vec<_> = raw.rules.into_iter().collect();
        rules.sort_by_key(|(id, _)| id.span().start);
        for (id, level) in rules {
            let Some(rule) = rules::by_id(id.get_ref()) else {
                let hint = rules::suggest(id.get_ref())
                    .map_or_else(String::new, |close| format!("; did you mean `{close}`?"));
                return Err(invalid(
                    id.span(),
                    format!(
                        "unknown rule `{}` in [rules]{hint} (`pm check --explain RULE` documents each rule)",
                        id.get_ref()
                    ),
                ));
            };
            let severity = match level.get_ref().as_str() {
                "error" => Some(Severity::Error),
                "warning" => Some(Severity::Warning),
                "off" => None,
                other => {
                    return Err(invalid(
                        level.span(),
                        format!(
                            "rule `{}`: `{other}` is not a level; write \"error\", \"warning\" or \"off\"",
                            rule.id
                        ),
                    ));
                }
            };
            config.rules.push((rule.id, severity));
        }
        Ok(config)
    }

    /// Applies the team's policy to the settings of a check.
    pub fn apply(&self, settings: &mut Settings) {
        for (id, severity) in &self.rules {
            settings.overrides.insert(id, *severity);
        }
        settings.severities.clone_from(&self.check.severities);
        settings.words = self.check.words;
        settings.require.clone_from(&self.check.require);
        if let Some(limit) = self.check.max_file_size {
            settings.max_file_size = limit;
        }
        settings.allow.clone_from(&self.check.allow);
        if let Some(delay) = self.check.detection_delay {
            settings.detection_delay = delay;
        }
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    #[serde(default)]
    defaults: RawDefaults,
    #[serde(default)]
    check: RawCheck,
    #[serde(default)]
    index: RawIndex,
    #[serde(default)]
    rules: BTreeMap<Spanned<String>, Spanned<String>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDefaults {
    timezone: Option<Spanned<String>>,
    dir: Option<Spanned<String>>,
    template: Option<Spanned<String>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCheck {
    severities: Option<Spanned<Vec<Spanned<String>>>>,
    words: Option<Spanned<Vec<i64>>>,
    require: Option<Vec<Spanned<String>>>,
    max_file_size: Option<Spanned<String>>,
    allow: Option<Vec<Spanned<String>>>,
    detection_delay: Option<Spanned<i64>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawIndex {
    template: Option<Spanned<String>>,
}

fn non_empty<'a>(
    value: &'a Spanned<String>,
    key: &str,
    invalid: &impl Fn(std::ops::Range<usize>, String) -> Error,
) -> Result<&'a str, Error> {
    let text = value.get_ref().trim();
    if text.is_empty() {
        return Err(invalid(
            value.span(),
            format!("`{key}` is empty; give a value or remove the key"),
        ));
    }
    Ok(text)
}

/// serde's "unknown field `chek`, expected one of `defaults`, ..." with the
/// closest expected name added.
fn did_you_mean(message: String) -> String {
    let Some(rest) = message.strip_prefix("unknown field `") else {
        return message;
    };
    let mut names = rest.split('`').step_by(2);
    let Some(unknown) = names.next() else {
        return message;
    };
    match crate::suggest::closest(unknown, names) {
        Some(close) => format!("{message}; did you mean `{close}`?"),
        None => message,
    }
}

fn quoted(names: &[&str]) -> String {
    names
        .iter()
        .map(|n| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// 1-based line and column (in characters) of a byte offset.
fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = text.get(..offset).unwrap_or(text);
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (
        before.matches('\n').count() + 1,
        before[line_start..].chars().count() + 1,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Config, Error> {
        Config::parse(text, Path::new("pm.toml"), Path::new("team"))
    }

    fn error(text: &str) -> String {
        parse(text).expect_err("invalid").to_string()
    }

    #[test]
    fn every_key_is_read() {
        let config = parse(
            r#"
[defaults]
timezone = "Africa/Lagos"
dir = "postmortems"
template = "sre"
[check]
severities = ["SEV1", "SEV2"]
words = [400, 600]
require = ["lessons", "tasks.due"]
[index]
template = "index.tera.md"
[rules]
blame = "error"
task-owner = "off"
"#,
        )
        .expect("valid");
        assert_eq!(config.defaults.timezone, Some(chrono_tz::Africa::Lagos));
        assert_eq!(config.defaults.dir, Some(PathBuf::from("team/postmortems")));
        assert_eq!(config.defaults.template.as_deref(), Some("sre"));
        assert_eq!(
            config.check.severities,
            Some(vec!["SEV1".to_owned(), "SEV2".to_owned()])
        );
        assert_eq!(config.check.words, Some((400, 600)));
        assert_eq!(config.check.require, [Require::Lessons, Require::TaskDue]);
        assert_eq!(
            config.index.template,
            Some(PathBuf::from("team/index.tera.md"))
        );
        assert_eq!(
            config.rules,
            [("blame", Some(Severity::Error)), ("task-owner", None)]
        );
    }

    #[test]
    fn an_empty_file_is_all_defaults() {
        assert_eq!(parse("").expect("valid"), Config::default());
    }

    #[test]
    fn errors_name_the_key_and_line() {
        let message = error("[defaults]\ntimezone = \"UTC\"\ndirectory = \"x\"\n");
        assert!(message.starts_with("pm.toml:3:1: "), "{message}");
        assert!(message.contains("unknown field `directory`"), "{message}");
        assert!(error("[check]\nwords = [600, 400]\n").starts_with("pm.toml:2:9: "));
        let message = error("[rules]\nblam = \"error\"\n");
        assert!(message.contains("unknown rule `blam`"), "{message}");
        assert!(message.contains("did you mean `blame`?"), "{message}");
        let message = error("[rules]\nblame = \"fatal\"\n");
        assert!(message.starts_with("pm.toml:2:9: "), "{message}");
        let message = error("[defaults]\ntimezone = \"Africa/Lagoss\"\n");
        assert!(
            message.contains("did you mean `Africa/Lagos`?"),
            "{message}"
        );
        let message = error("[check]\nrequire = [\"lesson\"]\n");
        assert!(message.contains("did you mean `lessons`?"), "{message}");
        assert!(error("[check]\nseverities = []\n").contains("empty"));
        assert!(error("[check]\nseverities = [\"A\", \"A\"]\n").contains("twice"));
        assert!(error("title = 'x'\n").contains("unknown field `title`"));
    }
}
