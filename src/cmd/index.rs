//! `pm index`: a Markdown index of all postmortems, newest first.

use super::fleet::scan;
use super::{Env, exit};
use crate::cli::IndexArgs;
use crate::files::Input;
use crate::fleet::index::Index;
use crate::output;
use anyhow::{Context as _, Result};
use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

pub fn run(args: &IndexArgs, env: &Env) -> Result<ExitCode> {
    let dir = env.dir(args.dir.as_deref());
    let config = env.config();
    let template_path = args.template.clone().or(config.index.template.clone());
    let template = template_path
        .as_ref()
        .map(|path| {
            std::fs::read_to_string(path)
                .with_context(|| format!("cannot read the template `{}`", path.display()))
                .map(|text| (path.display().to_string(), text))
        })
        .transpose()?;

    // Links to reports are relative to where the index goes: the output's
    // folder, or the indexed folder when printing (`pm index DIR > DIR/README.md`).
    let link_base = match &args.output {
        Some(file) => file
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."))
            .to_path_buf(),
        None if dir.is_dir() => dir.clone(),
        None => Path::new(".").to_path_buf(),
    };
    let mut index = Index::new(&link_base, env.today);
    let scan = scan(&dir, &env.settings(), |input, checked| {
        let path = match input {
            Input::File(path) => Some(path.as_path()),
            Input::Stdin => None,
        };
        index.add(&checked, path);
        Ok(())
    })?;
    let source = dir.display().to_string();
    let rendered = index
        .render(
            &source,
            template
                .as_ref()
                .map(|(name, text)| (name.as_str(), text.as_str())),
            config.check.severities.as_deref(),
        )
        .map_err(|err| anyhow::anyhow!("the index template failed: {err}"))?;

    if let Some(file) = &args.output {
        if let Err(err) = output::write_generated(file, rendered.as_bytes(), args.force) {
            eprintln!("pm: error: {err}");
            let code = if err.is_refusal() {
                exit::FINDINGS
            } else {
                exit::CANNOT_RUN
            };
            return Ok(ExitCode::from(code));
        }
        eprintln!("pm: wrote {}", file.display());
    } else {
        let stdout = std::io::stdout();
        let mut out = stdout.lock();
        out.write_all(rendered.as_bytes())?;
        out.flush()?;
    }
    scan.warn_errors("so it is listed under \"Files with errors\" instead of the table");
    Ok(ExitCode::from(scan.exit_code()))
}
