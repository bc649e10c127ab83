//! SARIF 2.1.0, the format GitHub code scanning and other viewers read.
//!
//! One run; the rules of `rules::ALL` as the driver's rules, so a viewer can
//! show each finding's documentation; columns counted in characters, as pm
//! counts them.

use super::{Emitter, Totals};
use crate::check::Checked;
use crate::diagnostic::{Applicability, Diagnostic, Fix, Severity, Span};
use crate::rules::{self, Rule};
use crate::source::Source;
use serde_json::{Value, json};
use std::io::{self, Write};
use std::path::{Component, Path};

const SCHEMA: &str =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

#[derive(Default)]
pub struct Sarif {
    results: Vec<Value>,
}

impl Emitter for Sarif {
    fn file(&mut self, _out: &mut dyn Write, checked: &Checked) -> io::Result<()> {
        let artifact = artifact_location(&checked.source.name);
        for d in &checked.diagnostics {
            let mut text = d.message.clone();
            if let Some(help) = &d.help {
                text.push_str("\nhelp: ");
                text.push_str(help);
            }
            let mut result = json!({
                "ruleId": d.rule.id,
                "level": level(d.severity),
                "message": { "text": text },
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": artifact,
                        "region": region(&checked.source, d.span),
                    },
                }],
            });
            if let Some(index) = rules::ALL.iter().position(|rule| rule.id == d.rule.id) {
                result["ruleIndex"] = json!(index);
            }
            if !d.related.is_empty() {
                result["relatedLocations"] = d
                    .related
                    .iter()
                    .enumerate()
                    .map(|(id, (span, label))| {
                        json!({
                            "id": id,
                            "message": { "text": label },
                            "physicalLocation": {
                                "artifactLocation": artifact,
                                "region": region(&checked.source, *span),
                            },
                        })
                    })
                    .collect();
            }
            if let Some(fix) = &d.fix {
                result["fixes"] = json!([sarif_fix(&checked.source, &artifact, d, fix)]);
            }
            self.results.push(result);
        }
        Ok(())
    }

    fn finish(&mut self, out: &mut dyn Write, _totals: &Totals) -> io::Result<()> {
        let log = json!({
            "$schema": SCHEMA,
            "version": "2.1.0",
            "runs": [{
                "tool": {
                    "driver": {
                        "name": "pm",
                        "version": env!("CARGO_PKG_VERSION"),
                        "semanticVersion": env!("CARGO_PKG_VERSION"),
                        "rules": rules::ALL.iter().map(|rule| descriptor(rule)).collect::<Vec<_>>(),
                    },
                },
                "columnKind": "unicodeCodePoints",
                "results": std::mem::take(&mut self.results),
            }],
        });
        serde_json::to_writer_pretty(&mut *out, &log)?;
        writeln!(out)
    }
}

/// A fix as SARIF has it: replacements of regions of one artifact. The
/// deleted region of an insertion is empty (its end at its start).
fn sarif_fix(source: &Source, artifact: &Value, d: &Diagnostic, fix: &Fix) -> Value {
    let replacements: Vec<Value> = crate::fix::positions(source, fix)
        .into_iter()
        .map(|p| {
            json!({
                "deletedRegion": {
                    "startLine": p.line,
                    "startColumn": p.column,
                    "endLine": p.end_line,
                    "endColumn": p.end_column,
                },
                "insertedContent": { "text": p.text },
            })
        })
        .collect();
    let kind = match fix.applicability {
        Applicability::Safe => "safe",
        Applicability::Unsafe => "unsafe",
    };
    json!({
        "description": { "text": d.help.clone().unwrap_or_else(|| format!("apply the fix for `{}`", d.rule.id)) },
        "artifactChanges": [{
            "artifactLocation": artifact,
            "replacements": replacements,
        }],
        "properties": { "applicability": kind },
    })
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    }
}

/// A rule's metadata: what viewers show next to each of its findings.
fn descriptor(rule: &Rule) -> Value {
    json!({
        "id": rule.id,
        "shortDescription": { "text": rule.summary },
        "fullDescription": { "text": rule.docs.what },
        "help": {
            "text": format!("{}\n\nHow to fix it: {}", rule.docs.why, rule.docs.fix),
            "markdown": rule.explain(),
        },
        "defaultConfiguration": { "level": level(rule.severity) },
    })
}

/// Where a span is. The end is exclusive, as SARIF counts it; a span with
/// no length marks a point and has no end.
fn region(source: &Source, span: Span) -> Value {
    let mut region = json!({
        "startLine": span.line.max(1),
        "startColumn": span.column.max(1),
    });
    if span.len > 0 {
        let covered = source.slice(span);
        if let Some((_, last)) = covered.rsplit_once('\n') {
            let lines = covered.matches('\n').count() as u32;
            region["endLine"] = json!(span.line.max(1) + lines);
            region["endColumn"] = json!(last.chars().count() + 1);
        } else if !covered.is_empty() {
            region["endColumn"] = json!(span.column.max(1) as usize + covered.chars().count());
        }
    }
    region
}

/// The file as a URI: relative to the current folder (which code scanning
/// resolves against the repository's root) with forward slashes, or a
/// `file:` URI when it lies outside it.
fn artifact_location(name: &str) -> Value {
    let path = Path::new(name);
    let relative = if path.is_absolute() {
        std::env::current_dir()
            .ok()
            .and_then(|cwd| path.strip_prefix(cwd).ok().map(Path::to_path_buf))
    } else {
        Some(path.to_path_buf())
    };
    if let Some(relative) = relative {
        let segments: Vec<String> = relative
            .components()
            .filter_map(|c| match c {
                Component::Normal(part) => {
                    Some(crate::paths::encode_segment(&part.to_string_lossy()))
                }
                Component::ParentDir => Some("..".to_owned()),
                _ => None,
            })
            .collect();
        json!({ "uri": segments.join("/"), "uriBaseId": "%SRCROOT%" })
    } else {
        let slashed = name.replace('\\', "/");
        let encoded: Vec<String> = slashed
            .trim_start_matches('/')
            .split('/')
            .map(crate::paths::encode_segment)
            .collect();
        json!({ "uri": format!("file:///{}", encoded.join("/")) })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_become_relative_uris_with_forward_slashes() {
        assert_eq!(
            artifact_location("./postmortems/2024 Q3/a#1.yaml")["uri"],
            "postmortems/2024%20Q3/a%231.yaml"
        );
        assert_eq!(artifact_location("a/../b.yaml")["uri"], "a/../b.yaml");
        assert_eq!(artifact_location("café.yaml")["uri"], "caf%C3%A9.yaml");
        let inside = std::env::current_dir()
            .expect("cwd")
            .join("x")
            .join("y.yaml");
        assert_eq!(
            artifact_location(&inside.display().to_string())["uri"],
            "x/y.yaml"
        );
    }

    #[cfg(unix)]
    #[test]
    fn paths_outside_the_folder_become_file_uris() {
        let location = artifact_location("/nonexistent-root/a b.yaml");
        assert_eq!(location["uri"], "file:///nonexistent-root/a%20b.yaml");
        assert!(location.get("uriBaseId").is_none());
    }

    #[test]
    fn regions_end_after_the_span_counted_in_characters() {
        let source = Source::new("a", "title: Café ☕\nroot_cause: |\n  a\n  b\n");
        let one_line = Span {
            line: 1,
            column: 8,
            len: 6,
        };
        assert_eq!(
            region(&source, one_line),
            json!({ "startLine": 1, "startColumn": 8, "endColumn": 14 })
        );
        let point = Span {
            line: 2,
            column: 1,
            len: 0,
        };
        assert_eq!(
            region(&source, point),
            json!({ "startLine": 2, "startColumn": 1 })
        );
        let across = Span {
            line: 3,
            column: 3,
            len: 5,
        };
        assert_eq!(
            region(&source, across),
            json!({ "startLine": 3, "startColumn": 3, "endLine": 4, "endColumn": 4 })
        );
    }
}
