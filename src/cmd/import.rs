//! `pm import`: Markdown or text postmortems to pm drafts. Each draft is
//! written atomically (never over a file without `--force`), then checked,
//! and the run ends with one line per file: entries, guesses, findings.

use super::{Env, exit};
use crate::check;
use crate::cli::{DateOrderArg, ImportArgs};
use crate::emit::Format;
use crate::import::{self, Options, patterns::DateOrder};
use crate::output;
use crate::scaffold;
use anyhow::{Context as _, Result};
use std::io::{Read as _, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

pub fn run(args: &ImportArgs, env: &Env) -> Result<ExitCode> {
    let timezone = args
        .timezone
        .as_deref()
        .map(|name| scaffold::zone(name, None).map_err(|e| anyhow::anyhow!("--timezone: {e}")))
        .transpose()?;
    let options = Options {
        timezone,
        date_order: args.date_order.map(|o| match o {
            DateOrderArg::Dmy => DateOrder::Dmy,
            DateOrderArg::Mdy => DateOrder::Mdy,
        }),
    };
    // As `pm new`: the folder given, else pm.toml's `[defaults] dir`, else here.
    let dir = env.dir(args.output.as_deref());
    if !args.stdout {
        std::fs::create_dir_all(&dir)
            .with_context(|| format!("cannot create the folder `{}`", dir.display()))?;
    }
    let settings = env.settings();
    // Drafts go to stdout with --stdout; the account then goes to stderr.
    let stdout = std::io::stdout();
    let stderr = std::io::stderr();
    let mut report: Box<dyn Write> = if args.stdout {
        Box::new(stderr.lock())
    } else {
        Box::new(stdout.lock())
    };
    let color = if args.stdout {
        env.color_stderr
    } else {
        env.color_stdout
    };
    let mut emitter = Format::Human.emitter(color);
    let mut unreadable = false;
    let mut refused = false;
    let mut first = true;
    // Two inputs of one run never share a file: the second gets `-2`.
    let mut written: std::collections::HashSet<PathBuf> = std::collections::HashSet::new();
    for path in &args.paths {
        let name = if path == Path::new("-") {
            "<stdin>".to_owned()
        } else {
            path.display().to_string()
        };
        let text = match read(path) {
            Ok(text) => text,
            Err(err) => {
                report.flush()?;
                eprintln!("pm: error: {err:#}");
                unreadable = true;
                continue;
            }
        };
        let imported = match import::import(&text, &options) {
            Ok(imported) => imported,
            Err(err) => {
                report.flush()?;
                eprintln!("pm: error: cannot import `{name}`: {err}");
                refused = true;
                continue;
            }
        };
        let header = format!(
            "# Imported by `pm import` from {name}. Review every `# pm import:` comment, then delete it.\n"
        );
        let yaml = format!("{header}{}", imported.yaml);
        let target = if args.stdout {
            if !first {
                println!("---");
            }
            print!("{yaml}");
            std::io::stdout().flush()?;
            "<stdout>".to_owned()
        } else {
            let date = imported.date.unwrap_or(env.today);
            let stem = format!(
                "{}-{}",
                date.format("%Y-%m-%d"),
                scaffold::slug(&imported.title)
            );
            let place = |file: String| {
                if dir == Path::new(".") {
                    PathBuf::from(file)
                } else {
                    dir.join(file)
                }
            };
            let mut out = place(format!("{stem}.yaml"));
            let mut n = 2;
            while written.contains(&out) {
                out = place(format!("{stem}-{n}.yaml"));
                n += 1;
            }
            written.insert(out.clone());
            match output::write_atomic(&out, yaml.as_bytes(), args.force) {
                Ok(()) => {}
                Err(err) if err.is_refusal() => {
                    report.flush()?;
                    eprintln!("pm: error: {err}");
                    refused = true;
                    continue;
                }
                Err(err) => return Err(err.into()),
            }
            out.display().to_string()
        };
        first = false;
        let checked = check::check_bytes(target.clone(), yaml.as_bytes(), &settings);
        emitter.file(&mut report, &checked)?;
        let findings = checked.diagnostics.len();
        writeln!(
            report,
            "{name} -> {target}: {} entries, {} guesses, {findings} findings ({} errors, {} warnings)",
            imported.entries,
            imported.guesses.len(),
            checked.errors(),
            checked.warnings(),
        )?;
        for guess in &imported.guesses {
            writeln!(report, "  guess: {}: {}", guess.field, guess.message)?;
        }
    }
    report.flush()?;
    let code = if unreadable {
        exit::CANNOT_RUN
    } else if refused {
        exit::FINDINGS
    } else {
        exit::OK
    };
    Ok(ExitCode::from(code))
}

fn read(path: &Path) -> Result<String> {
    let bytes = if path == Path::new("-") {
        let mut bytes = Vec::new();
        std::io::stdin()
            .read_to_end(&mut bytes)
            .context("cannot read stdin")?;
        bytes
    } else {
        std::fs::read(path).with_context(|| format!("cannot read `{}`", path.display()))?
    };
    String::from_utf8(bytes).map_err(|_| {
        anyhow::anyhow!(
            "`{}` is not UTF-8 text; save it as UTF-8 and import it again",
            path.display()
        )
    })
}
