//! Markdown reports from a checked incident, through Tera templates.
//!
//! Built-in templates are compiled into the binary; a folder of templates can
//! override them by name, and a user's own file can extend them. Templates
//! are compiled only when something is rendered.

pub mod context;

use crate::incident::Incident;
use crate::template::{self, Escape, Purpose, Templates};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// The names of the built-in report templates.
pub fn built_in() -> impl Iterator<Item = &'static str> {
    template::built_in(Purpose::Report).map(|t| t.name)
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(
        "no template `{name}`: it is not a template name ({}) and no such file exists",
        available.join(", ")
    )]
    NotFound {
        name: String,
        available: Vec<String>,
    },
    #[error("cannot read template `{}`: {source}", path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("template `{}` is not UTF-8 text", .0.display())]
    NotText(PathBuf),
    #[error(
        "`{}` and `{}` in the templates folder both define the template `{name}`",
        first.display(),
        second.display()
    )]
    Duplicate {
        name: String,
        first: PathBuf,
        second: PathBuf,
    },
    /// Tera's report: the reason, and the template's `file:line:col` with a
    /// snippet when Tera knows them.
    #[error("{0}")]
    Template(String),
}

/// The names `--template` can pick: the built-in report templates, then
/// those of `dir` that are not overrides, in order.
pub fn names(dir: Option<&Path>) -> Result<Vec<String>, Error> {
    let mut names: Vec<String> = built_in().map(str::to_owned).collect();
    if let Some(dir) = dir {
        for path in template_files(dir)? {
            if let Some(name) = path.file_stem().and_then(|s| s.to_str())
                && !names.iter().any(|n| n == name)
            {
                names.push(name.to_owned());
            }
        }
    }
    Ok(names)
}

impl From<template::Error> for Error {
    fn from(err: template::Error) -> Self {
        Error::Template(err.0)
    }
}

/// Compiled templates and the one to render.
#[derive(Debug)]
pub struct Engine {
    templates: Templates,
    name: String,
}

impl Engine {
    /// Loads the built-ins, then `dir`'s files over them, and finds
    /// `template`: a loaded template's name, or the path of a Tera file.
    pub fn load(template: &str, dir: Option<&Path>) -> Result<Self, Error> {
        let mut sources: Vec<(String, String)> = template::built_in(Purpose::Report)
            .map(|t| (t.name.to_owned(), t.text.to_owned()))
            .collect();
        let mut paths = HashMap::new();
        if let Some(dir) = dir {
            let mut origin: HashMap<String, PathBuf> = HashMap::new();
            for path in template_files(dir)? {
                let Some(name) = path.file_stem().and_then(|s| s.to_str()).map(str::to_owned)
                else {
                    continue;
                };
                if let Some(first) = origin.get(&name) {
                    return Err(Error::Duplicate {
                        name,
                        first: first.clone(),
                        second: path,
                    });
                }
                let text = read_template(&path)?;
                sources.retain(|(n, _)| *n != name);
                sources.push((name.clone(), text));
                paths.insert(name.clone(), path.display().to_string());
                origin.insert(name, path);
            }
        }
        let name = if sources.iter().any(|(n, _)| n == template) {
            template.to_owned()
        } else {
            let path = Path::new(template);
            if !path.is_file() {
                let mut available: Vec<String> = sources.iter().map(|(n, _)| n.clone()).collect();
                available.sort();
                return Err(Error::NotFound {
                    name: template.to_owned(),
                    available,
                });
            }
            let text = read_template(path)?;
            sources.push((template.to_owned(), text));
            template.to_owned()
        };
        let sources = needed(sources, &name);
        let mut templates = Templates::new(Escape::Markdown);
        for (name, path) in &paths {
            templates.from_file(name, path);
        }
        templates.add_all(sources)?;
        Ok(Engine { templates, name })
    }

    /// Renders a checked incident: the template's Markdown, tidied.
    pub fn render(&self, incident: &Incident) -> Result<String, Error> {
        let document = context::build(incident);
        let text = self.templates.render(&self.name, &document)?;
        Ok(tidy(&text))
    }
}

/// The templates that rendering `name` parses: itself and what it extends
/// or includes, transitively, and any that may define a component (Tera's
/// components are global). Parsing the others would cost more than the
/// render (issue 19), and an unused broken file does not stop the render.
fn needed(sources: Vec<(String, String)>, name: &str) -> Vec<(String, String)> {
    let mut keep: Vec<bool> = sources
        .iter()
        .map(|(_, t)| t.contains("component"))
        .collect();
    let mut visited = vec![false; sources.len()];
    let mut todo = vec![name.to_owned()];
    while let Some(next) = todo.pop() {
        // A missing parent or include is left to Tera to report.
        let Some(at) = sources.iter().position(|(n, _)| *n == next) else {
            continue;
        };
        if std::mem::replace(&mut visited[at], true) {
            continue;
        }
        keep[at] = true;
        todo.extend(references(&sources[at].1));
    }
    sources
        .into_iter()
        .zip(keep)
        .filter_map(|(source, keep)| keep.then_some(source))
        .collect()
}

/// The names in a template's `{% extends "NAME" %}` and `{% include "NAME" %}`
/// tags (any of Tera's quotes, `{%-` too). A name found in a comment or a
/// string is only one template too many: it is parsed, never rendered.
fn references(text: &str) -> Vec<String> {
    let mut names = Vec::new();
    for (at, _) in text.match_indices("{%") {
        let tag = text[at + 2..].trim_start_matches('-').trim_start();
        let Some(rest) = tag
            .strip_prefix("extends")
            .or_else(|| tag.strip_prefix("include"))
        else {
            continue;
        };
        let rest = rest.trim_start();
        let Some(quote) = rest
            .chars()
            .next()
            .filter(|c| matches!(c, '"' | '\'' | '`'))
        else {
            continue;
        };
        if let Some(end) = rest[1..].find(quote) {
            names.push(rest[1..=end].to_owned());
        }
    }
    names
}

fn template_files(dir: &Path) -> Result<Vec<PathBuf>, Error> {
    let io = |source| Error::Io {
        path: dir.to_path_buf(),
        source,
    };
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(io)? {
        let path = entry.map_err(io)?.path();
        let hidden = path
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.starts_with('.'));
        if path.is_file() && !hidden {
            files.push(path);
        }
    }
    files.sort();
    Ok(files)
}

fn read_template(path: &Path) -> Result<String, Error> {
    let bytes = std::fs::read(path).map_err(|source| Error::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let text = String::from_utf8(bytes).map_err(|_| Error::NotText(path.to_path_buf()))?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    Ok(text.replace("\r\n", "\n"))
}

/// A generated report: pm's marker naming the source, then the Markdown.
/// Stdout and `-o` get these same bytes.
pub fn document(source: &str, markdown: &str) -> String {
    format!("{}\n\n{markdown}", crate::output::marker(source))
}

/// Lets templates be written for readability: outside fenced code blocks,
/// runs of blank lines become one (so an emptied block leaves no gap), and
/// the text ends with exactly one newline.
pub fn tidy(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut fence: Option<(char, usize)> = None;
    let mut blank = true; // drops blank lines at the start
    for line in text.lines() {
        let trimmed = line.trim_start();
        let marker = trimmed.chars().next().filter(|c| *c == '`' || *c == '~');
        let run = marker.map_or(0, |m| trimmed.chars().take_while(|c| *c == m).count());
        if let Some((c, n)) = fence {
            if marker == Some(c) && run >= n && trimmed[run..].trim().is_empty() {
                fence = None;
            }
        } else {
            if line.trim().is_empty() {
                if !blank {
                    out.push('\n');
                }
                blank = true;
                continue;
            }
            if let Some(m) = marker.filter(|_| run >= 3) {
                fence = Some((m, run));
            }
        }
        blank = false;
        out.push_str(line);
        out.push('\n');
    }
    while out.ends_with("\n\n") {
        out.pop();
    }
    if out.is_empty() {
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(sources: &[(&str, &str)], name: &str) -> Vec<String> {
        let owned = sources
            .iter()
            .map(|(n, t)| ((*n).to_owned(), (*t).to_owned()))
            .collect();
        needed(owned, name).into_iter().map(|(n, _)| n).collect()
    }

    #[test]
    fn only_the_template_in_use_and_what_it_needs_are_parsed() {
        let built_in: Vec<(&str, &str)> = template::built_in(Purpose::Report)
            .map(|t| (t.name, t.text))
            .collect();
        for (name, _) in &built_in {
            assert_eq!(names(&built_in, name), [*name]);
        }
        let mut sources = built_in.clone();
        sources.push((
            "mine",
            "{%- extends 'sre' -%}{% block x %}{% include `part` %}{% endblock x %}",
        ));
        sources.push(("part", "{% include \"part\" %}"));
        sources.push((
            "widgets",
            "{% component card(title) %}{{ title }}{% endcomponent card %}",
        ));
        sources.push(("broken", "{% if %}"));
        assert_eq!(names(&sources, "mine"), ["sre", "mine", "part", "widgets"]);
        assert_eq!(names(&sources, "brief"), ["brief", "widgets"]);
        assert_eq!(names(&sources, "nosuch"), ["widgets"]);
    }

    #[test]
    fn tidy_collapses_blank_lines_outside_fences_only() {
        let text = "\n\n# T\n\n\n  \nPara\n```mermaid\ngantt\n\n\n  x\n```\n\n\n- a\n\n\n";
        assert_eq!(
            tidy(text),
            "# T\n\nPara\n```mermaid\ngantt\n\n\n  x\n```\n\n- a\n"
        );
        assert_eq!(tidy(""), "\n");
    }

    #[test]
    fn the_marker_comes_first_and_cannot_be_broken_by_a_name() {
        let doc = document("a--b.yaml", "# T\n");
        assert!(doc.starts_with("<!-- generated by pm from a-"), "{doc}");
        assert_eq!(doc.matches("-->").count(), 1, "{doc}");
        assert!(doc.ends_with("-->\n\n# T\n"), "{doc}");
    }
}
