//! GitHub Actions workflow commands, which annotate the pull request's diff.

use super::{Emitter, Totals};
use crate::check::Checked;
use crate::diagnostic::Severity;
use std::io::{self, Write};

pub struct Github;

impl Emitter for Github {
    fn file(&mut self, out: &mut dyn Write, checked: &Checked) -> io::Result<()> {
        for d in &checked.diagnostics {
            let command = match d.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
            };
            let mut message = d.message.clone();
            if let Some(label) = &d.label {
                message.push('\n');
                message.push_str(label);
            }
            if let Some(help) = &d.help {
                message.push_str("\nhelp: ");
                message.push_str(help);
            }
            writeln!(
                out,
                "::{command} file={},line={},col={},title={}::{}",
                property(&checked.source.name),
                d.span.line,
                d.span.column,
                property(&format!("pm ({})", d.rule.id)),
                data(&message),
            )?;
        }
        Ok(())
    }

    fn finish(&mut self, _out: &mut dyn Write, _totals: &Totals) -> io::Result<()> {
        Ok(())
    }
}

/// Escapes a command's message, as the Actions runner unescapes it.
fn data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a command property, which also may not hold `:` or `,`.
fn property(text: &str) -> String {
    data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::{data, property};

    #[test]
    fn escapes_what_the_runner_unescapes() {
        assert_eq!(data("50% done\nnext"), "50%25 done%0Anext");
        assert_eq!(property("a:b,c"), "a%3Ab%2Cc");
    }
}
