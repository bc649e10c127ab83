//! What index, tasks and stats share: checking a folder one file at a time,
//! and aligned tables for a terminal.

use super::exit;
use crate::check::{self, Checked, Settings};
use crate::files::{self, Input};
use anyhow::Result;
use std::path::Path;
use unicode_width::UnicodeWidthStr;

/// What a scan met besides the files it handed on.
#[derive(Debug, Default)]
pub struct Scan {
    pub files: usize,
    /// Files that could not be read (reported on stderr).
    pub unreadable: usize,
    /// Files with errors, by name.
    pub with_errors: Vec<String>,
}

impl Scan {
    /// 2 if a file could not be read, 1 if a file has errors, else 0.
    pub fn exit_code(&self) -> u8 {
        if self.unreadable > 0 {
            exit::CANNOT_RUN
        } else if self.with_errors.is_empty() {
            exit::OK
        } else {
            exit::FINDINGS
        }
    }

    /// Names the files with errors on stderr, `what` saying what happened
    /// to them.
    pub fn warn_errors(&self, what: &str) {
        for name in &self.with_errors {
            eprintln!("pm: warning: `{name}` has errors, {what}; `pm check {name}` lists them");
        }
    }
}

/// Checks every postmortem under `dir`, one at a time (only one is in memory
/// at once), and hands each to `each` with where it was read from.
pub fn scan(
    dir: &Path,
    settings: &Settings,
    mut each: impl FnMut(&Input, Checked) -> Result<()>,
) -> Result<Scan> {
    let inputs = files::discover(&[dir.to_path_buf()])?;
    if inputs.is_empty() {
        eprintln!(
            "pm: warning: no postmortems (*.yaml, *.yml) found in `{}`",
            dir.display()
        );
    }
    let mut scan = Scan::default();
    for input in &inputs {
        match check::check_input(input, settings) {
            Ok(checked) => {
                scan.files += 1;
                if checked.errors() > 0 {
                    scan.with_errors.push(checked.source.name.clone());
                }
                each(input, checked)?;
            }
            Err(err) => {
                eprintln!("pm: error: {err}");
                scan.unreadable += 1;
            }
        }
    }
    Ok(scan)
}

/// Columns padded to their widest cell (by display width, so accents and
/// wide characters line up); the last column is not padded. A row of no
/// cells is a blank line.
pub fn table(rows: &[Vec<String>]) -> String {
    let columns = rows.iter().map(Vec::len).max().unwrap_or(0);
    let mut widths = vec![0; columns];
    for row in rows {
        for (i, cell) in row.iter().enumerate() {
            widths[i] = widths[i].max(cell.width());
        }
    }
    let mut out = String::new();
    for row in rows {
        let mut line = String::new();
        for (i, cell) in row.iter().enumerate() {
            line.push_str(cell);
            if i + 1 < row.len() {
                line.push_str(&" ".repeat(widths[i] - cell.width() + 2));
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}
