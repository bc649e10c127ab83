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
    let mut text = format!(
        "{:width$}  {:8}  {:11}  SUMMARY\n",
        "RULE", "SEVERITY", "FIXES"
    );
    for rule in rules {
        text.push_str(&format!(
            "{:width$}  {:8}  {:11}  {}\n",
            rule.id,
            rule.severity.as_str(),
            fix_kinds(rule),
            rule.summary
        ));
    }
    text.push_str("\n`pm check --explain RULE` prints a rule's documentation.\n");
    text
}

/// `safe`, `unsafe` or `safe+unsafe`, from the rule's fix documentation,
/// which opens each kind of fix with `Safe:` or `Unsafe` (a test keeps it so).
pub fn fix_kinds(rule: &Rule) -> &'static str {
    let fixes = rule.docs.fixes;
    match (fixes.contains("Safe:"), fixes.contains("Unsafe")) {
        (true, true) => "safe+unsafe",
        (true, false) => "safe",
        (false, true) => "unsafe",
        (false, false) => "",
    }
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
    /// Which fixes are safe and which unsafe, and why; empty for none.
    fixes: &'static str,
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
            fixes: rule.docs.fixes,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::fix_kinds;

    /// A rule that documents fixes says which kind each is; the time rules
    /// of issue 15 say what their findings carry.
    #[test]
    fn fix_documentation_names_its_kinds() {
        for rule in crate::rules::ALL {
            assert!(
                rule.docs.fixes.is_empty() || !fix_kinds(rule).is_empty(),
                "{}: say `Safe:` or `Unsafe`",
                rule.id
            );
        }
        let kind = |id: &str| {
            crate::rules::ALL
                .iter()
                .find(|r| r.id == id)
                .map(|r| fix_kinds(r))
        };
        assert_eq!(kind("abbreviation-mismatch"), Some("safe+unsafe"));
        assert_eq!(kind("mixed-timezone"), Some("safe"));
        assert_eq!(kind("nonexistent-time"), Some("unsafe"));
        assert_eq!(kind("timeline-order"), Some("unsafe"));
        assert_eq!(kind("unknown-timezone"), Some("safe+unsafe"));
        assert_eq!(kind("ambiguous-time"), Some(""));
    }
}
