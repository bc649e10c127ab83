//! Rules about the file as a whole, before it is read as YAML. They fire in
//! `crate::check::check_bytes`; their docs live here.

use super::{Rule, RuleDocs};
use crate::diagnostic::Severity;

pub static FILE_TOO_LARGE: Rule = Rule {
    id: "file-too-large",
    severity: Severity::Error,
    summary: "The file is larger than the size limit (1 MiB unless configured).",
    docs: RuleDocs {
        what: "The file is larger than pm's size limit, 1 MiB unless `--max-file-size` says otherwise. pm does not read such a file at all: it reports its size and moves on to the next file.",
        why: "The longest real postmortems are a few dozen KiB. A file of many MiB is a log, a dump or a file committed by mistake, and reading whatever anyone puts in a pull request without a bound would let one file make a CI run slow or run out of memory.",
        example: "# a 30 MiB file, such as a log saved with a .yaml name",
        fix: "Move logs and dumps out of the postmortem and link to them. If the file really is a postmortem, raise the limit: `pm check --max-file-size 4M`.",
        fixes: "",
    },
};

pub static NOT_TEXT: Rule = Rule {
    id: "not-text",
    severity: Severity::Error,
    summary: "The file is not UTF-8 text: binary data, another encoding, or control characters.",
    docs: RuleDocs {
        what: "The file is not UTF-8 text: a byte that is not UTF-8 (binary data, or text saved as Latin-1 or UTF-16), a NUL byte, or another control character that YAML does not allow, such as the escape codes that colour a terminal. pm points at the first one. A UTF-8 byte order mark and Windows line endings are fine.",
        why: "YAML is UTF-8 text. pm could guess at other encodings, but a wrong guess silently changes names and quotes, so it asks for the file to be saved as UTF-8 instead. Control characters are invisible in most editors and rendered as garbage elsewhere.",
        example: "text: \"\\e[31mERROR\\e[0m disk full\"   # with the raw escape byte pasted from a terminal",
        fix: "Save the file as UTF-8 (most editors offer it under \"Save with encoding\"). Delete control characters; for text pasted from a terminal, paste it again without colours (`NO_COLOR=1`, or `| cat`).",
        fixes: "",
    },
};
