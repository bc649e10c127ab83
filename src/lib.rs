//! pm: incident postmortems as typed YAML.
//!
//! The public modules are the core: the format (`incident`, with its field
//! table in `incident::format`), time (`time`), the rules (`rules`), the
//! pipeline (`check`), output (`emit`, `render`, `fleet`, `template`). The
//! core never sees the command line: `cli` holds the clap types and `cmd` one
//! module per subcommand, both private to the binary. docs/architecture.md
//! draws the layers.

pub mod abbreviations;
pub mod check;
mod cli;
mod cmd;
pub mod config;
pub mod diagnostic;
pub mod emit;
pub mod export;
pub mod files;
pub mod fix;
pub mod fleet;
pub mod import;
pub mod incident;
pub mod log;
pub mod lsp;
pub mod ordered;
pub mod output;
pub mod paths;
pub mod render;
pub mod rules;
pub mod sanitize;
pub mod scaffold;
pub mod site;
pub mod source;
mod suggest;
pub mod template;
pub mod time;
pub mod yaml;
pub mod zones;

use clap::Parser;
use std::ffi::OsString;
use std::process::ExitCode;

/// Runs pm with the given arguments (the first is the program name).
pub fn run<I, T>(args: I) -> ExitCode
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let cli = match cli::Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(err) => {
            // --help and --version are not failures.
            let code = if err.use_stderr() {
                cmd::exit::CANNOT_RUN
            } else {
                cmd::exit::OK
            };
            let _ = err.print();
            return ExitCode::from(code);
        }
    };
    match cmd::dispatch(cli) {
        Ok(code) => code,
        Err(err) if is_broken_pipe(&err) => ExitCode::from(cmd::exit::OK),
        Err(err) => {
            eprintln!("pm: error: {err:#}");
            ExitCode::from(cmd::exit::CANNOT_RUN)
        }
    }
}

/// `pm check | head` closing the pipe early is not an error worth reporting.
fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}
