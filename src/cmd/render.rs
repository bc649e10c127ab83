//! `pm render`: check postmortems, then render them through a template.

use super::{Env, exit};
use crate::check::{self, Checked};
use crate::cli::RenderArgs;
use crate::emit::{Format, Totals};
use crate::files::{self, Input};
use crate::output;
use crate::render::{self, Engine};
use anyhow::{Result, bail};
use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Where a report goes.
enum Target {
    Stdout,
    File(PathBuf),
}

pub fn run(args: &RenderArgs, env: &Env) -> Result<ExitCode> {
    if args.list_templates {
        let names = match render::names(args.templates.as_deref()) {
            Ok(names) => names,
            Err(err) => return Ok(template_failed(&err)),
        };
        let mut out = std::io::stdout().lock();
        for name in names {
            writeln!(out, "{name}")?;
        }
        return Ok(ExitCode::from(exit::OK));
    }
    let inputs = files::discover(&args.paths)?;
    if inputs.is_empty() {
        bail!("no postmortems (*.yaml, *.yml) found to render");
    }
    let targets = targets(&inputs, args.output.as_deref())?;
    let template = template_choice(args, env);
    let engine = match Engine::load(&template, args.templates.as_deref()) {
        Ok(engine) => engine,
        Err(err) => return Ok(template_failed(&err)),
    };

    // Check everything first: one file with errors means nothing is written.
    let settings = env.settings();
    let mut checked = Vec::with_capacity(inputs.len());
    check::check_each(&inputs, &settings, |_, result| -> Result<()> {
        checked.push(result?);
        Ok(())
    })?;
    if checked
        .iter()
        .any(|c| c.errors() > 0 || c.incident.is_none())
    {
        report_findings(&checked, env)?;
        eprintln!(
            "pm: error: nothing was rendered; fix the errors above and run `pm render` again"
        );
        return Ok(ExitCode::from(exit::FINDINGS));
    }

    // Render on every core; reports for files are staged beside their
    // targets and committed together below, with one sync for all of them.
    // Results come back in input order, so messages and stdout stay in order.
    let jobs: Vec<(&Checked, &Target)> = checked.iter().zip(&targets).collect();
    let mut code = exit::OK;
    let mut batch = output::Batch::default();
    // A report that could not be staged (a full disk) rolls the batch back.
    let mut failed = false;
    // What was written and what was left alone, to say so as `pm index` does.
    let mut wrote: Vec<PathBuf> = Vec::new();
    let mut unchanged: Vec<PathBuf> = Vec::new();
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let outcome = crate::ordered::for_each(
        &jobs,
        64,
        |(file, target)| -> Result<Written, render::Error> {
            let Some(incident) = &file.incident else {
                return Ok(Written::Nothing);
            };
            let report = render::document(&file.source.name, &engine.render(incident)?);
            Ok(match target {
                Target::Stdout => Written::Stdout(report),
                Target::File(path) => {
                    Written::File(path.clone(), stage_report(path, &report, args.force))
                }
            })
        },
        |_, result| -> Result<(), Stop> {
            match result.map_err(Stop::Template)? {
                Written::Stdout(report) => out.write_all(report.as_bytes()).map_err(Stop::Io)?,
                // After a failure to write, the rest is dropped as it comes.
                Written::File(path, Ok(Some(staged))) if !failed => {
                    batch.push(staged);
                    wrote.push(path);
                }
                Written::File(path, Ok(None)) => unchanged.push(path),
                Written::Nothing | Written::File(_, Ok(Some(_))) => {}
                Written::File(_, Err(err)) => {
                    eprintln!("pm: error: {err}");
                    code = code.max(err.exit_code());
                    failed |= err.exit_code() == exit::CANNOT_RUN;
                }
            }
            Ok(())
        },
    );
    // On a template error the batch is dropped uncommitted: nothing is written.
    match outcome {
        Ok(()) => {}
        Err(Stop::Template(err)) => return Ok(template_failed(&err)),
        Err(Stop::Io(err)) => return Err(err.into()),
    }
    if failed {
        drop(batch);
        eprintln!(
            "pm: error: nothing was written, since not every report could be; fix the cause above and run `pm render` again"
        );
        out.flush()?;
        return Ok(ExitCode::from(code));
    }
    let failures = batch.commit();
    // A failed rename names its file; the others were written.
    if failures.is_empty() {
        for path in &wrote {
            eprintln!(
                "pm: wrote {}",
                crate::sanitize::visible(&path.display().to_string())
            );
        }
    }
    for err in failures {
        eprintln!("pm: error: {err}");
        code = code.max(WriteError::from(err).exit_code());
    }
    match unchanged.as_slice() {
        [] => {}
        [one] => eprintln!(
            "pm: {} is up to date, left alone",
            crate::sanitize::visible(&one.display().to_string())
        ),
        many => eprintln!("pm: {} reports are up to date, left alone", many.len()),
    }
    out.flush()?;
    Ok(ExitCode::from(code))
}

/// What rendering one input gave.
enum Written {
    Nothing,
    Stdout(String),
    File(PathBuf, Result<Option<output::Staged>, WriteError>),
}

/// Why the rendering of all inputs stopped early.
enum Stop {
    Template(render::Error),
    Io(std::io::Error),
}

#[derive(Debug, thiserror::Error)]
enum WriteError {
    #[error("cannot create folder `{}`: {source}", path.display())]
    Folder {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(transparent)]
    Output(#[from] output::Error),
}

impl WriteError {
    /// A refusal to overwrite is a finding (1); failing to write, pm could not run (2).
    fn exit_code(&self) -> u8 {
        match self {
            WriteError::Output(err) if err.is_refusal() => exit::FINDINGS,
            _ => exit::CANNOT_RUN,
        }
    }
}

fn stage_report(
    path: &Path,
    report: &str,
    force: bool,
) -> Result<Option<output::Staged>, WriteError> {
    if let Some(dir) = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty() && !d.exists())
    {
        std::fs::create_dir_all(dir).map_err(|source| WriteError::Folder {
            path: dir.to_path_buf(),
            source,
        })?;
    }
    Ok(output::stage_generated(path, report.as_bytes(), force)?)
}

/// One target per input: stdout, the `-o` file, or `<stem>.md` in the `-o`
/// folder when there are several inputs or `-o` is a folder.
fn targets(inputs: &[Input], output: Option<&Path>) -> Result<Vec<Target>> {
    let Some(output) = output else {
        return Ok(inputs.iter().map(|_| Target::Stdout).collect());
    };
    if inputs.len() == 1 && !output.is_dir() {
        return Ok(vec![Target::File(output.to_path_buf())]);
    }
    if output.exists() && !output.is_dir() {
        bail!(
            "`{}` is a file, but {} inputs need a folder for `-o`",
            output.display(),
            inputs.len()
        );
    }
    let mut seen: HashMap<PathBuf, String> = HashMap::new();
    let mut targets = Vec::with_capacity(inputs.len());
    for input in inputs {
        let Input::File(path) = input else {
            bail!("a report of stdin needs a file name: give `-o FILE` with `-` as the only input");
        };
        let Some(stem) = path.file_stem() else {
            bail!("cannot name a report for `{}`", path.display());
        };
        let target = output.join(stem).with_extension("md");
        if let Some(other) = seen.insert(target.clone(), input.name()) {
            bail!(
                "`{other}` and `{}` would both be written to `{}`; render them separately",
                input.name(),
                target.display()
            );
        }
        targets.push(Target::File(target));
    }
    Ok(targets)
}

/// Prints findings as `pm check` does, on stderr.
fn report_findings(checked: &[Checked], env: &Env) -> Result<()> {
    let mut emitter = Format::Human.emitter(env.color_stderr);
    let stderr = std::io::stderr();
    let mut err = stderr.lock();
    let mut totals = Totals::default();
    for file in checked {
        totals.add(file);
        emitter.file(&mut err, file)?;
    }
    emitter.finish(&mut err, &totals)?;
    err.flush()?;
    Ok(())
}

/// `--template`, else pm.toml's `[defaults] template` (a path in it is
/// relative to pm.toml), else the readme report.
fn template_choice(args: &RenderArgs, env: &Env) -> String {
    if let Some(template) = &args.template {
        return template.clone();
    }
    let Some(found) = &env.config else {
        return "readme".to_owned();
    };
    match &found.config.defaults.template {
        Some(name) if name.contains(['/', '\\', '.']) => {
            found.resolve(Path::new(name)).display().to_string()
        }
        Some(name) => name.clone(),
        None => "readme".to_owned(),
    }
}

fn template_failed(err: &render::Error) -> ExitCode {
    match err {
        render::Error::Template(report) => {
            eprintln!("{report}");
            eprintln!("pm: error: the template failed; nothing was rendered");
        }
        other => eprintln!("pm: error: {other}"),
    }
    ExitCode::from(exit::CANNOT_RUN)
}
