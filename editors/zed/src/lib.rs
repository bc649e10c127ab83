//! Runs `pm lsp` from the PATH for YAML files.

use zed_extension_api::{self as zed, LanguageServerId, Result};

struct Pm;

impl zed::Extension for Pm {
    fn new() -> Self {
        Pm
    }

    fn language_server_command(
        &mut self,
        _language_server_id: &LanguageServerId,
        worktree: &zed::Worktree,
    ) -> Result<zed::Command> {
        let command = worktree
            .which("pm")
            .ok_or_else(|| "`pm` is not on the PATH; install pm first".to_owned())?;
        Ok(zed::Command {
            command,
            args: vec!["lsp".to_owned()],
            env: Vec::new(),
        })
    }
}

zed::register_extension!(Pm);
