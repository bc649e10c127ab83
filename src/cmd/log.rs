//! `pm log`: add a timeline entry during a live incident.

use super::{Env, exit};
use crate::check;
use crate::cli::LogArgs;
use crate::emit::Format;
use crate::log::{self, Refusal, Request};
use crate::output;
use anyhow::{Context as _, Result, bail};
use std::process::ExitCode;

/// Adds the entry, refusing (and changing nothing) when `--at` is not a
/// time that exists (exit 1, with pm check's finding) or when the entry
/// would bring an error the file did not have (exit 1).
pub fn run(args: &LogArgs, env: &Env) -> Result<ExitCode> {
    let path = &args.file;
    output::check_target(path)?;
    let bytes = std::fs::read(path).with_context(|| format!("cannot read `{}`", path.display()))?;
    let request = Request {
        at: args.at.as_deref(),
        kind: &args.kind,
        by: args.by.as_deref(),
        text: &args.text,
        now: Env::now()?,
    };
    let added = match log::add(&bytes, &request) {
        Ok(added) => added,
        Err(Refusal::File(reason)) => bail!("cannot add to `{}`: {reason}", path.display()),
        Err(Refusal::Time(diagnostic)) => {
            let at = args.at.as_deref().unwrap_or_default();
            let source = crate::source::Source::new("--at", at.trim());
            let checked = check::Checked {
                source,
                incident: None,
                diagnostics: vec![*diagnostic],
            };
            let mut emitter = Format::Human.emitter(env.color_stderr);
            emitter.file(&mut std::io::stderr().lock(), &checked)?;
            eprintln!("pm: nothing added to `{}`", path.display());
            return Ok(ExitCode::from(exit::FINDINGS));
        }
    };
    // The entry must not bring an error the file did not have.
    let settings = env.settings();
    let name = path.display().to_string();
    let before = check::check_bytes(name.clone(), &bytes, &settings);
    let after = check::check_bytes(name, &added.bytes, &settings);
    let known: Vec<(&str, &str)> = before
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(|d| (d.rule.id, d.message.as_str()))
        .collect();
    let new: Vec<_> = after
        .diagnostics
        .iter()
        .filter(|d| d.is_error() && !known.contains(&(d.rule.id, d.message.as_str())))
        .cloned()
        .collect();
    if !new.is_empty() {
        let checked = check::Checked {
            diagnostics: new,
            ..after
        };
        let mut emitter = Format::Human.emitter(env.color_stderr);
        emitter.file(&mut std::io::stderr().lock(), &checked)?;
        eprintln!(
            "pm: nothing added to `{}`: the entry would bring the errors above",
            path.display()
        );
        return Ok(ExitCode::from(exit::FINDINGS));
    }
    if let Err(err) = output::replace_if_unchanged(path, &added.bytes, &bytes) {
        let code = if err.is_refusal() {
            exit::FINDINGS
        } else {
            exit::CANNOT_RUN
        };
        eprintln!("pm: error: {err}");
        return Ok(ExitCode::from(code));
    }
    println!("{}:{}:", path.display(), added.line);
    print!("{}", added.entry);
    Ok(ExitCode::from(exit::OK))
}
