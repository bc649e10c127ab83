//! `pm lsp`: the language server over stdio (see `crate::lsp`).

use super::Env;
use anyhow::Result;
use std::process::ExitCode;

pub fn run(env: &Env) -> Result<ExitCode> {
    let options = crate::lsp::Options {
        today: env.today_injected.then_some(env.today),
        ..crate::lsp::Options::default()
    };
    let clean = crate::lsp::serve_stdio(&options)?;
    // The spec: 0 after `shutdown` then `exit`, 1 for an exit without shutdown.
    Ok(ExitCode::from(u8::from(!clean)))
}
