//! The one Tera wrapper: reports (`pm render`), the index (`pm index`) and
//! the scaffold (`pm new`) all compile and render through it, so every
//! template gets the same filters, the escape policy of the language it
//! writes, and errors that point at the file a template came from.

pub mod filters;
pub mod html;
pub mod site;

use serde::Serialize;
use std::collections::HashMap;
use std::io::Write;

/// A template that ships inside the binary.
#[derive(Clone, Copy, Debug)]
pub struct BuiltIn {
    pub name: &'static str,
    pub purpose: Purpose,
    pub text: &'static str,
}

/// What a built-in template makes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Purpose {
    /// A report of one incident (`pm render --template NAME`).
    Report,
    /// The index of many (`pm index`).
    Index,
    /// A new postmortem (`pm new`).
    Scaffold,
}

/// Every built-in template: the list tests, benches and CI iterate.
pub const BUILT_IN: &[BuiltIn] = &[
    BuiltIn {
        name: "readme",
        purpose: Purpose::Report,
        text: include_str!("../../templates/readme.md"),
    },
    BuiltIn {
        name: "sre",
        purpose: Purpose::Report,
        text: include_str!("../../templates/sre.md"),
    },
    BuiltIn {
        name: "brief",
        purpose: Purpose::Report,
        text: include_str!("../../templates/brief.md"),
    },
    INDEX,
    SCAFFOLD,
];

pub const INDEX: BuiltIn = BuiltIn {
    name: "index.md",
    purpose: Purpose::Index,
    text: include_str!("../../templates/index.md"),
};

pub const SCAFFOLD: BuiltIn = BuiltIn {
    name: "new.yaml",
    purpose: Purpose::Scaffold,
    text: include_str!("../../templates/new.yaml"),
};

/// The built-in templates made for one purpose, in order.
pub fn built_in(purpose: Purpose) -> impl Iterator<Item = &'static BuiltIn> {
    BUILT_IN.iter().filter(move |t| t.purpose == purpose)
}

/// How user text is escaped where a template prints it unfiltered.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Escape {
    /// Markdown: user text cannot become HTML (`<` and character references
    /// escaped), code spans and fences are left alone. `inline` and `cell`
    /// make a value one line.
    Markdown,
    /// YAML: a value a person typed is written as a plain scalar when it reads
    /// back the same, else double-quoted.
    Yaml,
    /// HTML (`pm site`): `& < > " '` escaped; the `markdown` and `link`
    /// filters of `html.rs` give safe markup from user text.
    Html,
}

/// Tera's report: the reason, the template's `file:line:col` with a snippet
/// when Tera knows them, and every cause under it.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct Error(pub String);

/// Compiled templates.
#[derive(Debug)]
pub struct Templates {
    tera: tera::Tera,
    /// Template names that come from a file under another name, so reports
    /// point at the file.
    paths: HashMap<String, String>,
}

impl Templates {
    pub fn new(escape: Escape) -> Self {
        let mut tera = tera::Tera::default();
        filters::register(&mut tera);
        // Every template, whatever its name, escapes user text.
        tera.autoescape_on(vec![""]);
        match escape {
            Escape::Markdown => tera.set_escape_fn(filters::escape_markdown),
            Escape::Yaml => tera.set_escape_fn(yaml_scalar),
            Escape::Html => {
                tera.set_escape_fn(html::escape);
                html::register(&mut tera);
            }
        }
        Templates {
            tera,
            paths: HashMap::new(),
        }
    }

    /// Compiles one template.
    pub fn add(&mut self, name: &str, text: &str) -> Result<(), Error> {
        self.tera
            .add_raw_template(name, text)
            .map_err(|err| self.report(&err))
    }

    /// Compiles templates that may refer to one another (`extends`).
    pub fn add_all(&mut self, sources: Vec<(String, String)>) -> Result<(), Error> {
        self.tera
            .add_raw_templates(sources)
            .map_err(|err| self.report(&err))
    }

    /// Messages about template `name` name `path` instead.
    pub fn from_file(&mut self, name: &str, path: &str) {
        self.paths.insert(name.to_owned(), path.to_owned());
    }

    /// Renders a template with a serialisable context.
    pub fn render(&self, name: &str, context: &impl Serialize) -> Result<String, Error> {
        let context = tera::Context::from_serialize(context).map_err(|err| self.report(&err))?;
        self.render_context(name, &context)
    }

    pub fn render_context(&self, name: &str, context: &tera::Context) -> Result<String, Error> {
        self.tera
            .render(name, context)
            .map_err(|err| self.report(&err))
    }

    /// Tera's own report, pointed at the file a template came from, with
    /// every underlying cause.
    fn report(&self, err: &tera::Error) -> Error {
        let mut text = err.to_string();
        for (name, path) in &self.paths {
            for lead in ["--> ", "from "] {
                text = text.replace(&format!("{lead}{name}:"), &format!("{lead}{path}:"));
            }
        }
        append_causes(err, &mut text);
        Error(text)
    }
}

/// Appends each cause under a Tera error that its message does not already
/// say: the real reason is often there, not in the top "failed to render".
fn append_causes(err: &tera::Error, text: &mut String) {
    let mut source = std::error::Error::source(err);
    while let Some(cause) = source {
        let cause_text = cause.to_string();
        if !text.contains(&cause_text) {
            text.push_str(&format!("\ncaused by: {cause_text}"));
        }
        source = cause.source();
    }
}

/// Tera's escape function for YAML: a value that is safe as a plain scalar is
/// written as it is, anything else double-quoted.
pub fn yaml_scalar(text: &str, out: &mut dyn Write) -> std::io::Result<()> {
    if is_plain_safe(text) {
        return out.write_all(text.as_bytes());
    }
    let mut quoted = String::with_capacity(text.len() + 2);
    quoted.push('"');
    for c in text.chars() {
        match c {
            '"' => quoted.push_str("\\\""),
            '\\' => quoted.push_str("\\\\"),
            '\n' => quoted.push_str("\\n"),
            '\t' => quoted.push_str("\\t"),
            '\r' => quoted.push_str("\\r"),
            c if needs_escape(c) => quoted.push_str(&format!("\\u{:04X}", u32::from(c))),
            c => quoted.push(c),
        }
    }
    quoted.push('"');
    out.write_all(quoted.as_bytes())
}

fn needs_escape(c: char) -> bool {
    c.is_control() || matches!(c, '\u{2028}' | '\u{2029}' | '\u{FEFF}')
}

/// Whether text reads back as the same string when written plain in a block
/// mapping, under YAML 1.1 and 1.2 alike. Errs on the side of quoting.
fn is_plain_safe(text: &str) -> bool {
    const RESERVED: &[&str] = &[
        "null", "~", "true", "false", "yes", "no", "on", "off", "y", "n",
    ];
    let Some(first) = text.chars().next() else {
        return false;
    };
    let number_like = first.is_ascii_digit() || matches!(first, '+' | '-' | '.');
    !(text.trim() != text
        || "-?:,[]{}#&*!|>'\"%@`".contains(first)
        || text.chars().any(needs_escape)
        || text.contains(": ")
        || text.contains(" #")
        || text.ends_with(':')
        || RESERVED.contains(&text.to_ascii_lowercase().as_str())
        || (number_like && !text.contains(' ')))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::incident::format;
    use std::collections::BTreeSet;

    /// The identifiers a template uses inside its tags.
    fn identifiers(text: &str) -> BTreeSet<&str> {
        let mut out = BTreeSet::new();
        let mut rest = text;
        while let Some(open) = rest.find(['{']) {
            let after = &rest[open + 1..];
            let (Some(kind), Some(close)) = (after.chars().next(), after.find(['}'])) else {
                break;
            };
            if kind == '{' || kind == '%' {
                let tag = &after[..close];
                out.extend(
                    tag.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                        .filter(|w| !w.is_empty()),
                );
            }
            rest = &after[close..];
        }
        out
    }

    /// The fields a template's header comment says it leaves out.
    fn left_out(text: &str) -> BTreeSet<String> {
        const LEAD: &str = "Fields it leaves out on purpose:";
        let Some(at) = text.find(LEAD) else {
            return BTreeSet::new();
        };
        let list = &text[at + LEAD.len()..];
        // The list ends at a parenthesis or at the sentence's full stop.
        let end = list
            .char_indices()
            .find(|&(i, c)| {
                c == '(' || (c == '.' && !list[i + 1..].starts_with(char::is_alphanumeric))
            })
            .map_or(list.len(), |(i, _)| i);
        let list = &list[..end];
        list.split(',').map(|f| f.trim().to_owned()).collect()
    }

    /// A new field must be shown by every report template, or named in its
    /// header as left out: either way, someone decided.
    #[test]
    fn every_report_template_shows_every_field_or_says_it_leaves_it_out() {
        for template in built_in(Purpose::Report) {
            let used = identifiers(template.text);
            let omitted = left_out(template.text);
            for (path, field) in format::paths() {
                let shown = used.contains(field.name);
                let declared = omitted.contains(&path);
                assert!(
                    shown || declared,
                    "template `{}` neither shows `{path}` nor says it leaves it out",
                    template.name
                );
                assert!(
                    !(shown && declared && !path.contains('.')),
                    "template `{}` shows `{path}` but says it leaves it out",
                    template.name
                );
            }
            for name in &omitted {
                assert!(
                    format::paths().iter().any(|(path, _)| path == name),
                    "template `{}` leaves out `{name}`, which is not a field",
                    template.name
                );
            }
        }
    }

    #[test]
    fn the_registry_names_each_template_once_and_every_file_in_templates() {
        let names: BTreeSet<&str> = BUILT_IN.iter().map(|t| t.name).collect();
        assert_eq!(names.len(), BUILT_IN.len());
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("templates");
        let mut files: Vec<String> = std::fs::read_dir(dir)
            .expect("templates/")
            .map(|e| e.expect("entry"))
            // Folders (`site/`) have registries of their own.
            .filter(|e| e.path().is_file())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        files.sort();
        let mut registered: Vec<String> = BUILT_IN
            .iter()
            .map(|t| {
                if t.name.contains('.') {
                    t.name.to_owned()
                } else {
                    format!("{}.md", t.name)
                }
            })
            .collect();
        registered.sort();
        assert_eq!(files, registered, "a file in templates/ is not in BUILT_IN");
    }
}
