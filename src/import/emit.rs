//! YAML text written by hand, so that each guess can sit as a comment on
//! the line it is about. Every scalar goes through `scalar` or `block`,
//! which quote whatever YAML could read as something else.

/// A YAML writer: lines, with `# pm import: ...` comments.
#[derive(Debug, Default)]
pub struct Writer {
    out: String,
}

impl Writer {
    pub fn finish(self) -> String {
        self.out
    }

    /// `key: value  # pm import: guess` at `indent` spaces; `prefix` is
    /// written before the key (`- ` for the first key of a list item).
    pub fn field(
        &mut self,
        indent: usize,
        prefix: &str,
        key: &str,
        value: &str,
        guesses: &[String],
    ) {
        self.out.push_str(&" ".repeat(indent));
        self.out.push_str(prefix);
        self.out.push_str(key);
        self.out.push_str(": ");
        self.out.push_str(&scalar(value));
        self.comment(guesses);
        self.out.push('\n');
    }

    /// `key: <raw YAML>`, for values built from quoted scalars already.
    pub fn raw(&mut self, indent: usize, prefix: &str, key: &str, raw: &str, guesses: &[String]) {
        self.out.push_str(&" ".repeat(indent));
        self.out.push_str(prefix);
        self.out.push_str(key);
        self.out.push(':');
        if !raw.is_empty() {
            self.out.push(' ');
            self.out.push_str(raw);
        }
        self.comment(guesses);
        self.out.push('\n');
    }

    /// `- value`.
    pub fn item(&mut self, indent: usize, value: &str, guesses: &[String]) {
        self.out.push_str(&" ".repeat(indent));
        self.out.push_str("- ");
        self.out.push_str(&scalar(value));
        self.comment(guesses);
        self.out.push('\n');
    }

    /// `key: |` and the text, indented; or a quoted scalar when the text
    /// cannot be a literal block.
    pub fn block(&mut self, indent: usize, prefix: &str, key: &str, text: &str) {
        let lines: Vec<&str> = text.lines().map(str::trim_end).collect();
        let literal = !text.trim().is_empty()
            && lines.first().is_some_and(|l| !l.starts_with(' '))
            && text.chars().all(|c| c == '\n' || printable(c));
        if !literal || !text.contains('\n') {
            self.field(indent, prefix, key, &text.replace('\n', " "), &[]);
            return;
        }
        self.out.push_str(&" ".repeat(indent));
        self.out.push_str(prefix);
        self.out.push_str(key);
        self.out.push_str(": |\n");
        let inner = indent + prefix.len() + 2;
        for line in lines {
            if !line.is_empty() {
                self.out.push_str(&" ".repeat(inner));
                self.out.push_str(line);
            }
            self.out.push('\n');
        }
    }

    pub fn line(&mut self, text: &str) {
        self.out.push_str(text);
        self.out.push('\n');
    }

    fn comment(&mut self, guesses: &[String]) {
        if guesses.is_empty() {
            return;
        }
        let text = guesses.join("; ");
        self.out.push_str("  # pm import: ");
        // A comment ends at the line's end: one line, printable.
        self.out.extend(
            text.chars()
                .map(|c| if c == '\n' || !printable(c) { ' ' } else { c }),
        );
    }
}

/// What YAML allows unescaped in a file (and pm check accepts).
fn printable(c: char) -> bool {
    matches!(c, '\t' | ' '..='~' | '\u{A0}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
        && c != '\u{FEFF}'
        && c != '\u{85}'
}

/// Plain when nothing in it means something to YAML, else double-quoted.
pub fn scalar(value: &str) -> String {
    if is_plain(value) {
        value.to_owned()
    } else {
        quoted(value)
    }
}

fn is_plain(value: &str) -> bool {
    let Some(first) = value.chars().next() else {
        return false;
    };
    if !(first.is_alphabetic() || first == '(') {
        return false;
    }
    if value.ends_with([' ', ':', '\t']) || value.starts_with(' ') {
        return false;
    }
    if value.contains(": ")
        || value.contains(" #")
        || value.contains([
            '\n', '\r', '\t', '"', '\\', '{', '}', '[', ']', '|', '>', '`', '*', '&', '!', '%', '@',
        ])
        || !value.chars().all(printable)
    {
        return false;
    }
    let lower = value.to_ascii_lowercase();
    let special = [
        "true", "false", "yes", "no", "on", "off", "y", "n", "null", "nan", "inf",
    ];
    !special.contains(&lower.as_str())
}

/// A double-quoted YAML scalar, with escapes for what must not be raw.
pub fn quoted(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    out.push('"');
    for c in value.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if printable(c) => out.push(c),
            c if (c as u32) <= 0xFF => out.push_str(&format!("\\x{:02X}", c as u32)),
            c if (c as u32) <= 0xFFFF => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push_str(&format!("\\U{:08X}", c as u32)),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(yaml: &str) -> serde_json::Value {
        serde_saphyr::from_str(yaml).unwrap_or_else(|e| panic!("{e}\n{yaml}"))
    }

    #[test]
    fn scalars_read_back_as_written() {
        for value in [
            "plain text, with commas",
            "08:10",
            "Support raised a ticket: new listings",
            "yes",
            "- leading dash",
            "# not a comment",
            "ends with colon:",
            "quote \" and backslash \\",
            "tab\there",
            "bell \u{7} and bom \u{FEFF} and nel \u{85}",
            "",
            "2024-03-01",
            "12",
            "~",
            "null",
            "@at",
            "Café – naïve",
        ] {
            let mut w = Writer::default();
            w.field(0, "", "k", value, &["a guess".to_owned()]);
            let got = load(&w.finish());
            assert_eq!(
                got["k"],
                serde_json::Value::String(value.to_owned()),
                "{value:?}"
            );
        }
    }

    #[test]
    fn blocks_keep_their_lines() {
        let mut w = Writer::default();
        w.block(
            0,
            "",
            "root_cause",
            "First line.\n\n  Indented second: yes #1",
        );
        let got = load(&w.finish());
        assert_eq!(
            got["root_cause"],
            "First line.\n\n  Indented second: yes #1\n"
        );
    }
}
