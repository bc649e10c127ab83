//! `pm site`: every postmortem as a static website (docs/site.md).

use super::fleet::scan;
use super::{Env, exit};
use crate::cli::SiteArgs;
use crate::output;
use crate::sanitize::visible;
use crate::site::{INCIDENT_PAGES, Page, Site};
use anyhow::Result;
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

pub fn run(args: &SiteArgs, env: &Env) -> Result<ExitCode> {
    let dir = env.dir(args.dir.as_deref());
    let config = env.config();
    let out = &args.output;
    if out.exists() && !out.is_dir() {
        eprintln!(
            "pm: error: `{}` is not a folder; `-o` names the folder the site is written to",
            visible(&out.display().to_string())
        );
        return Ok(ExitCode::from(exit::CANNOT_RUN));
    }

    let mut site = Site::new(env.today);
    let scan = scan(&dir, &env.settings(), |_, checked| {
        site.add(&checked);
        Ok(())
    })?;
    let source = dir.display().to_string();
    let pages = match site.pages(&source, config.check.severities.as_deref()) {
        Ok(pages) => pages,
        Err(err) => {
            eprintln!("{err}");
            eprintln!("pm: error: a site template failed; nothing was written");
            return Ok(ExitCode::from(exit::CANNOT_RUN));
        }
    };

    // Every page is staged first: one that cannot be (a file pm did not
    // write, a full disk) means none is written, so links never break.
    let mut batch = output::Batch::default();
    let mut wrote: Vec<PathBuf> = Vec::new();
    let mut unchanged = 0usize;
    let mut code = exit::OK;
    for page in &pages {
        let path = page
            .path
            .split('/')
            .fold(out.clone(), |path, part| path.join(part));
        if let Some(parent) = path.parent()
            && let Err(err) = std::fs::create_dir_all(parent)
        {
            eprintln!(
                "pm: error: cannot create folder `{}`: {err}",
                visible(&parent.display().to_string())
            );
            code = exit::CANNOT_RUN;
            continue;
        }
        match output::stage_generated(&path, page.contents.as_bytes(), args.force) {
            Ok(Some(staged)) => {
                batch.push(staged);
                wrote.push(path);
            }
            Ok(None) => unchanged += 1,
            Err(err) => {
                eprintln!("pm: error: {err}");
                code = code.max(if err.is_refusal() {
                    exit::FINDINGS
                } else {
                    exit::CANNOT_RUN
                });
            }
        }
    }
    if code != exit::OK {
        drop(batch);
        eprintln!(
            "pm: error: nothing was written, since not every page could be; fix the cause above and run `pm site` again"
        );
        return Ok(ExitCode::from(code));
    }
    let failures = batch.commit();
    if failures.is_empty() {
        for path in &wrote {
            eprintln!("pm: wrote {}", visible(&path.display().to_string()));
        }
        remove_stale_pages(out, &pages, &source);
    }
    for err in failures {
        eprintln!("pm: error: {err}");
        code = code.max(if err.is_refusal() {
            exit::FINDINGS
        } else {
            exit::CANNOT_RUN
        });
    }
    match unchanged {
        0 => {}
        1 => eprintln!("pm: 1 file of the site is up to date, left alone"),
        n => eprintln!("pm: {n} files of the site are up to date, left alone"),
    }
    scan.warn_errors(
        "so it has no page and is listed under \"Files with errors\" on the index page",
    );
    Ok(ExitCode::from(code.max(scan.exit_code())))
}

/// Removes the incident pages an earlier run wrote for postmortems that are
/// gone (deleted, renamed, or now with errors), so the site holds no page
/// its index does not list. Only a page this same command wrote is
/// removed: its first line is this run's marker (the same DIR), so a report
/// of `pm render`, a site of another DIR, or a file of the user's own in
/// the folder is left. Nothing is removed when the run has no incident
/// page at all (an empty or wrong DIR, or every file with errors), nor
/// through a folder that is a link. A page that cannot be removed is a
/// warning: the site itself is written.
fn remove_stale_pages(out: &Path, pages: &[Page], source: &str) {
    let prefix = format!("{INCIDENT_PAGES}/");
    // Lowercased: on a file system that ignores case, `Outage.html` is the
    // current page `outage.html`, not a stale one.
    let current: HashSet<String> = pages
        .iter()
        .filter_map(|page| page.path.strip_prefix(&prefix))
        .map(str::to_lowercase)
        .collect();
    let folder = out.join(INCIDENT_PAGES);
    let is_folder = std::fs::symlink_metadata(&folder).is_ok_and(|meta| meta.is_dir());
    if current.is_empty() || !is_folder {
        return;
    }
    let Ok(entries) = std::fs::read_dir(&folder) else {
        return;
    };
    let mut stale: Vec<PathBuf> = entries
        .flatten()
        .filter(|entry| {
            let name = entry.file_name();
            let name = name.to_string_lossy();
            Path::new(name.as_ref())
                .extension()
                .is_some_and(|ext| ext == "html")
                && !current.contains(&name.to_lowercase())
        })
        .map(|entry| entry.path())
        .collect();
    stale.sort();
    let marker = output::marker(source);
    for path in stale {
        let shown = path.display().to_string();
        match output::remove_generated(&path, &marker) {
            Ok(true) => eprintln!(
                "pm: removed {}: no postmortem has this page any more",
                visible(&shown)
            ),
            Ok(false) => {}
            Err(err) => eprintln!(
                "pm: warning: cannot remove the page `{}`, whose postmortem is gone: {err}",
                visible(&shown)
            ),
        }
    }
}
