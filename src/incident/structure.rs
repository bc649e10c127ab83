//! Rules about the shape of the file. They fire while it is read
//! (`crate::yaml` and `crate::incident::decode`); their docs live here,
//! beside the decoder that fires them.

use crate::diagnostic::{Rule, RuleDocs, Severity};

pub static YAML_SYNTAX: Rule = Rule {
    id: "yaml-syntax",
    severity: Severity::Error,
    summary: "The file is not valid YAML.",
    docs: RuleDocs {
        what: "The file could not be parsed as YAML: a quote or bracket left open, a tab used for indentation, a key written twice, or a `:` where YAML does not allow one. pm reports the parser's own reason and position.",
        why: "Nothing else can be checked until the file parses. Duplicate keys are refused too: YAML forbids them, and whichever value a tool kept, the other would be silently lost.",
        example: "summary:\n  service: Email\n  service: Cloud email   # the same key twice",
        fix: "Correct the YAML at the position shown. Quote text that contains `: ` or starts with a special character (`\"16:40\"`, `\"#1 priority\"`).",
        fixes: "",
    },
};

pub static UNKNOWN_FIELD: Rule = Rule {
    id: "unknown-field",
    severity: Severity::Error,
    summary: "A key the format does not know, often a typo.",
    docs: RuleDocs {
        what: "A mapping has a key that is not part of the incident format. pm suggests the closest known key, or the section where the key belongs.",
        why: "A misspelt key is a section that silently goes missing: `sumary` would leave the real summary empty while the text sits unused.",
        example: "title: Email outage\nsumary:\n  service: Cloud email",
        fix: "Rename the key to the one suggested, or move it to the section it belongs to. `pm schema` prints every key the format knows.",
        fixes: "Safe: a key becomes the one known key it is a misspelling of (one close match). With no close match, or several, there is no fix.",
    },
};

pub static MISSING_FIELD: Rule = Rule {
    id: "missing-field",
    severity: Severity::Error,
    summary: "A required field or section is absent or empty (a warning in drafts).",
    docs: RuleDocs {
        what: "A required field is absent, null or empty: title, timezone, the summary and its fields, the timeline, root cause, resolution, measures and tasks. `summary.end` is required unless the status is `draft`. In a draft every missing field is a warning, so work in progress passes CI.",
        why: "A postmortem without its root cause or its follow-up tasks is the kind reviewers send back. Catching it before review saves a round trip.",
        example: "status: final\ntitle: Email outage\n# no summary, timeline, root_cause, ...",
        fix: "Add the field with real content. `pm new` writes a scaffold with every section and guidance on what belongs in it.",
        fixes: "",
    },
};

pub static INVALID_VALUE: Rule = Rule {
    id: "invalid-value",
    severity: Severity::Error,
    summary: "A value of the wrong type, an unknown choice, or `affected` outside 0-100.",
    docs: RuleDocs {
        what: "A value has the wrong shape (a list where text belongs, text where a list belongs), is not one of the allowed choices (`status`, timeline `kind`, `how`, measure `kind`), is a share of users outside 0-100, a due date that is not `YYYY-MM-DD`, or a field used where it does not apply (`how` on an entry that is not `detected`, `to` on one that is not `escalated`).",
        why: "Typed values are what let pm compute durations, render reports and track follow-ups. A value pm cannot read would silently drop out of all of them.",
        example: "status: finished      # draft | review | final\nsummary:\n  affected: 120%      # more than everyone",
        fix: "Use one of the values the help line lists, or the shape it shows.",
        fixes: "Safe: a misspelt value of a fixed list (`kind`, `status`, `how`, ...) becomes its one close match, and a tag becomes lowercase: the meaning is evident. Other invalid values have no fix.",
    },
};
