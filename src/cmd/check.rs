//! `pm check`: validate postmortems and print findings.

use super::{Env, exit};
use crate::check;
use crate::cli::CheckArgs;
use crate::emit::{Format, Totals};
use crate::files;
use crate::rules;
use anyhow::{Result, bail};
use std::io::Write;
use std::process::ExitCode;

pub fn run(args: &CheckArgs, env: &Env) -> Result<ExitCode> {
    if let Some(id) = &args.explain {
        return explain(id);
    }
    if args.unsafe_fixes && !args.fix && !args.diff {
        bail!("--unsafe-fixes says which fixes to apply: use it with --fix or --diff");
    }
    let mut settings = env.settings();
    if let Some(limit) = args.max_file_size {
        settings.max_file_size = limit;
    }
    let default_dir;
    let paths: &[std::path::PathBuf] = if args.paths.is_empty() {
        default_dir = [env.dir(None)];
        &default_dir
    } else {
        &args.paths
    };
    // A path that cannot be read is reported, and the others still checked.
    let mut unreadable = false;
    let mut inputs = Vec::new();
    for path in paths {
        match files::discover(std::slice::from_ref(path)) {
            Ok(found) => inputs.extend(found),
            Err(err) => {
                eprintln!("pm: error: {err}");
                unreadable = true;
            }
        }
    }
    // Nothing named and no pm.toml: the folder may hold other YAML (a
    // docker-compose.yml, CI workflows). Check only what could be a
    // postmortem, and say what was passed over.
    if args.paths.is_empty() && env.config.is_none() {
        inputs = skip_other_yaml(inputs);
    }
    if args.fix || args.diff {
        return super::fix::run(args, &settings, &inputs, unreadable, env.color_stdout);
    }
    let format = args.format;
    let mut emitter = format.emitter(env.color_stdout);
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let mut totals = Totals::default();
    check::check_each(&inputs, &settings, |_, result| -> Result<()> {
        report(
            result,
            emitter.as_mut(),
            &mut out,
            &mut totals,
            &mut unreadable,
        )?;
        Ok(())
    })?;
    if inputs.is_empty() && !unreadable && format == Format::Human {
        eprintln!("pm: warning: no postmortems (*.yaml, *.yml) found");
    }
    emitter.finish(&mut out, &totals)?;
    out.flush()?;
    let code = if unreadable {
        exit::CANNOT_RUN
    } else if totals.errors > 0 || (args.strict && totals.warnings > 0) {
        exit::FINDINGS
    } else {
        exit::OK
    };
    Ok(ExitCode::from(code))
}

/// One file's result: its findings printed and counted, or why it could
/// not be read (on stderr, after what came before it).
pub(super) fn report(
    result: Result<crate::check::Checked, files::Error>,
    emitter: &mut dyn crate::emit::Emitter,
    out: &mut impl Write,
    totals: &mut Totals,
    unreadable: &mut bool,
) -> std::io::Result<()> {
    match result {
        Ok(checked) => {
            totals.add(&checked);
            emitter.file(out, &checked)
        }
        Err(err) => {
            out.flush()?;
            eprintln!("pm: error: {err}");
            *unreadable = true;
            Ok(())
        }
    }
}

fn skip_other_yaml(inputs: Vec<files::Input>) -> Vec<files::Input> {
    let mut skipped = Vec::new();
    let kept: Vec<files::Input> = inputs
        .into_iter()
        .filter(|input| {
            let files::Input::File(path) = input else {
                return true;
            };
            // Unreadable or not text: kept, so the check reports why.
            let Ok(text) = std::fs::read_to_string(path) else {
                return true;
            };
            let keep = files::looks_like_postmortem(&text);
            if !keep {
                skipped.push(path.display().to_string());
            }
            keep
        })
        .collect();
    if !skipped.is_empty() {
        eprintln!(
            "pm: note: skipped {} YAML {} with none of `title`, `summary` and `timeline`: {}; name {} to check {}, or add a pm.toml",
            skipped.len(),
            if skipped.len() == 1 { "file" } else { "files" },
            crate::time::list(&skipped.iter().map(String::as_str).collect::<Vec<_>>()),
            if skipped.len() == 1 { "it" } else { "them" },
            if skipped.len() == 1 { "it" } else { "them" },
        );
    }
    kept
}

fn explain(id: &str) -> Result<ExitCode> {
    let Some(rule) = rules::by_id(id) else {
        if let Some(close) = rules::suggest(id) {
            bail!("no rule `{id}`; did you mean `{close}`? (`pm rules` lists them all)");
        }
        bail!("no rule `{id}`; `pm rules` lists them all")
    };
    print!("{}", rule.explain());
    Ok(ExitCode::from(exit::OK))
}
