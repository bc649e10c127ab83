//! `pm lsp`: the language server over stdio (see `crate::lsp`).

use anyhow::{Context as _, Result};
use chrono::NaiveDate;
use std::process::ExitCode;

pub fn run() -> Result<ExitCode> {
    // "Today" as the other commands have it: `PM_TODAY` if set, else the
    // clock's, read at every check (a server runs for days).
    let today = match std::env::var("PM_TODAY") {
        Ok(text) => Some(
            NaiveDate::parse_from_str(&text, "%Y-%m-%d")
                .with_context(|| format!("PM_TODAY=`{text}` is not a date YYYY-MM-DD"))?,
        ),
        Err(_) => None,
    };
    let options = crate::lsp::Options {
        today,
        ..crate::lsp::Options::default()
    };
    let clean = crate::lsp::serve_stdio(&options)?;
    // The spec: 0 after `shutdown` then `exit`, 1 for an exit without shutdown.
    Ok(ExitCode::from(u8::from(!clean)))
}
