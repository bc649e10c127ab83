//! `pm rules`: list every rule with its default severity and summary.

use super::exit;
use crate::cli::{RulesArgs, RulesFormat};
use crate::rules::{self, Rule};
use anyhow::Result;
use serde::Serialize;
use std::io::Write;
use std::process::ExitCode;

pub fn run(args: &RulesArgs) -> Result<ExitCode> {
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    match args.format {
        RulesFormat::Table => out.write_all(table(rules::ALL).as_bytes())?,
        RulesFormat::Json => {
            let listed: Vec<Listed> = rules::ALL.iter().map(|rule| Listed::from(*rule)).collect();
            serde_json::to_writer_pretty(&mut out, &listed).map_err(std::io::Error::from)?;
            writeln!(out)?;
        }
    }
    out.flush()?;
    Ok(ExitCode::from(exit::OK))
}

/// The rules as aligned columns, with a header and a closing hint.
pub fn table(rules: &[&Rule]) -> String {
    let width = rules.iter().map(|r| r.id.len()).max().unwrap_or(0).max(4);
    let mut text = format!("{:width$}  {:8}  SUMMARY\n", "RULE", "SEVERITY");
    for rule in rules {
        text.push_str(&format!(
            "{:width$}  {:8}  {}\n",
            rule.id,
            rule.severity.as_str(),
            rule.summary
        ));
    }
    text.push_str("\n`pm check --explain RULE` prints a rule's documentation.\n");
    text
}

#[derive(Serialize)]
struct Listed {
    id: &'static str,
    severity: &'static str,
    summary: &'static str,
    what: &'static str,
    why: &'static str,
    example: &'static str,
    fix: &'static str,
}

impl From<&Rule> for Listed {
    fn from(rule: &Rule) -> Self {
        Listed {
            id: rule.id,
            severity: rule.severity.as_str(),
            summary: rule.summary,
            what: rule.docs.what,
            why: rule.docs.why,
            example: rule.docs.example,
            fix: rule.docs.fix,
        }
    }
}
