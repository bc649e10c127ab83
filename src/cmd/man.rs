//! `pm man [SUBCOMMAND]`: print a man page in roff.

use super::exit;
use crate::cli::{Cli, ManArgs};
use anyhow::{Result, bail};
use clap::CommandFactory;
use std::io::Write;
use std::process::ExitCode;

pub fn run(args: &ManArgs) -> Result<ExitCode> {
    let mut pm = Cli::command();
    // Building propagates the version to the subcommands.
    pm.build();
    let source = format!("pm {}", pm.get_version().unwrap_or_default());
    let page = match &args.subcommand {
        None => pm,
        Some(name) => {
            let Some(sub) = pm.find_subcommand(name) else {
                let names: Vec<&str> = pm.get_subcommands().map(clap::Command::get_name).collect();
                match crate::suggest::closest(name, names.iter().copied()) {
                    Some(close) => bail!("no subcommand `{name}`; did you mean `{close}`?"),
                    None => bail!("no subcommand `{name}`; pm has: {}", names.join(", ")),
                }
            };
            // Named as git names its pages: pm-check(1).
            let page_name = format!("pm-{}", sub.get_name());
            sub.clone()
                .display_name(page_name)
                .bin_name(format!("pm {}", sub.get_name()))
        }
    };
    let man = clap_mangen::Man::new(page).source(source);
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    man.render(&mut out)?;
    out.flush()?;
    Ok(ExitCode::from(exit::OK))
}
