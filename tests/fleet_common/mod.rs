//! Running pm in a folder of its own, with "today" fixed.

#![allow(dead_code)]

use std::path::Path;
use std::process::{Command, Output};

/// A complete, valid postmortem: no findings on 2024-04-10 without a pm.toml.
pub const VALID: &str = "title: Login outage
status: final
severity: SEV2
timezone: UTC
summary:
  service: Login
  start: 2024-03-01 10:00
  end: 2024-03-01 11:00
  impact: Users could not sign in.
  affected: 30%
  cause: An expired certificate.
timeline:
  - at: 2024-03-01 10:10
    kind: detected
    how: monitoring
    text: The sign-in alert fired.
  - at: \"11:00\"
    kind: resolved
    text: A new certificate was deployed.
root_cause: The renewal job had been failing without an alert.
resolution: A certificate was issued by hand.
measures:
  - Alert on certificates close to expiry.
tasks:
  - text: Alert when a certificate expires within 14 days.
    owner: auth-team
    due: 2024-05-01
";

pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

pub fn pm(dir: &Path, args: &[&str]) -> Run {
    pm_on(dir, args, "2024-04-10")
}

pub fn pm_on(dir: &Path, args: &[&str], today: &str) -> Run {
    let output: Output = Command::new(env!("CARGO_BIN_EXE_pm"))
        .args(args)
        .current_dir(dir)
        .env("PM_TODAY", today)
        .env_remove("NO_COLOR")
        .output()
        .expect("pm runs");
    Run {
        code: output.status.code().expect("exit code"),
        stdout: String::from_utf8(output.stdout).expect("utf-8"),
        stderr: String::from_utf8(output.stderr).expect("utf-8"),
    }
}

/// Writes files (path, text) under `dir`, creating folders.
pub fn write(dir: &Path, files: &[(&str, &str)]) {
    for (path, text) in files {
        let path = dir.join(path);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(path, text).expect("write");
    }
}

/// The rule ids of the findings `pm check --format json` reports.
pub fn rules(run: &Run) -> Vec<String> {
    let findings: serde_json::Value = serde_json::from_str(&run.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}{}", run.stdout, run.stderr));
    findings
        .as_array()
        .expect("array")
        .iter()
        .map(|f| {
            format!(
                "{}:{}",
                f["severity"].as_str().expect("severity"),
                f["rule"].as_str().expect("rule")
            )
        })
        .collect()
}
