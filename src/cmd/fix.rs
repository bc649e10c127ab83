//! `pm check --fix` and `pm check --diff`: apply the findings' fixes.

use super::exit;
use crate::check::Settings;
use crate::cli::CheckArgs;
use crate::emit::{Format, Totals};
use crate::files::{self, Input, Loaded};
use crate::fix;
use crate::output;
use anyhow::Result;
use std::io::Write;
use std::process::ExitCode;

/// Fixes each input in turn. Files are rewritten in place (or, with
/// `--diff`, shown as a diff); stdin's fixed text goes to stdout. What was
/// fixed is printed first (to stderr when stdout carries the fixed text, a
/// diff or a machine format), then the remaining findings.
pub fn run(
    args: &CheckArgs,
    settings: &Settings,
    inputs: &[Input],
    mut unreadable: bool,
    color: bool,
) -> Result<ExitCode> {
    let format = args.format;
    let mut emitter = format.emitter(color);
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let mut totals = Totals::default();
    let mut refused = false;
    for input in inputs {
        let (name, bytes) = match files::read(input, settings.max_file_size) {
            Ok(Loaded::Bytes { name, bytes }) => (name, bytes),
            Ok(Loaded::TooLarge { .. }) => {
                // Nothing to fix in what is not read: reported as check does
                // (a stat, not a read).
                super::check::report(
                    crate::check::check_input(input, settings),
                    emitter.as_mut(),
                    &mut out,
                    &mut totals,
                    &mut unreadable,
                )?;
                continue;
            }
            Err(err) => {
                out.flush()?;
                eprintln!("pm: error: {err}");
                unreadable = true;
                continue;
            }
        };
        let outcome = fix::fix_to_fixed_point(&name, &bytes, settings, args.unsafe_fixes);
        let stdin = matches!(input, Input::Stdin);
        let report_to_stdout = format == Format::Human && !args.diff && !stdin;
        let mut report = String::new();
        for applied in &outcome.applied {
            report.push_str(&format!(
                "{name}:{}: fixed {}: {}\n",
                applied.line, applied.rule, applied.message
            ));
        }
        if outcome.looped {
            report.push_str(&format!(
                "{name}: warning: the fixes would bring back an earlier text; stopped after {} rounds\n",
                outcome.rounds
            ));
        }
        if args.diff {
            write!(out, "{}", fix::unified_diff(&name, &bytes, &outcome.bytes))?;
        } else if stdin {
            out.write_all(&outcome.bytes)?;
        } else if outcome.changed(&bytes)
            && let Input::File(path) = input
            && let Err(err) = output::replace_if_unchanged(path, &outcome.bytes, &bytes)
        {
            out.flush()?;
            eprintln!("pm: error: {err}");
            if err.is_refusal() {
                refused = true;
            } else {
                unreadable = true;
            }
            // Nothing was written: what remains is what was found at first.
            let checked = crate::check::check_bytes(name, &bytes, settings);
            totals.add(&checked);
            emitter.file(&mut out, &checked)?;
            continue;
        }
        if report_to_stdout {
            write!(out, "{report}")?;
        } else {
            out.flush()?;
            eprint!("{report}");
        }
        totals.add(&outcome.checked);
        if args.diff || stdin {
            // stdout holds the diff or the text: the findings go to stderr.
            let mut err = std::io::stderr().lock();
            emitter.file(&mut err, &outcome.checked)?;
        } else {
            emitter.file(&mut out, &outcome.checked)?;
        }
    }
    let to_stderr = args.diff || inputs.iter().any(|i| matches!(i, Input::Stdin));
    if to_stderr {
        out.flush()?;
        emitter.finish(&mut std::io::stderr().lock(), &totals)?;
    } else {
        emitter.finish(&mut out, &totals)?;
    }
    out.flush()?;
    let code = if unreadable {
        exit::CANNOT_RUN
    } else if refused || totals.errors > 0 || (args.strict && totals.warnings > 0) {
        exit::FINDINGS
    } else {
        exit::OK
    };
    Ok(ExitCode::from(code))
}
