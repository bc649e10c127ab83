//! Rules about what the text says.

use super::{Context, Rule, RuleDocs};
use crate::diagnostic::{Diagnostic, Severity, Span};
use crate::incident::{Status, find_placeholder};
use crate::yaml::{Node, Value};

pub static PLACEHOLDER: Rule = Rule {
    id: "placeholder",
    severity: Severity::Warning,
    summary: "Placeholder text (TODO, TBD, FIXME, `<...>`) left in; an error when final.",
    docs: RuleDocs {
        what: "A value still holds placeholder text: the words TODO, TBD or FIXME in capitals, or an angle-bracket placeholder such as `<what users experienced>`. It is a warning while the status is `draft` or `review`, and an error once it is `final`.",
        why: "Scaffolds and half-written drafts are full of placeholders, which is fine until the postmortem is published with `TBD` as its root cause.",
        example: "status: final\nroot_cause: TBD\nsummary:\n  impact: <what users experienced>",
        fix: "Replace the placeholder with the real content, or keep the status at `draft` until it is known.",
        fixes: "",
    },
};

pub static TASK_OWNER: Rule = Rule {
    id: "task-owner",
    severity: Severity::Warning,
    summary: "A follow-up task has no owner.",
    docs: RuleDocs {
        what: "A task has no `owner`.",
        why: "Follow-ups without an owner are the ones nobody does. Naming a person or team is what turns a lesson into a change.",
        example: "tasks:\n  - text: Add an index on messages(user_id, created_at).",
        fix: "Add `owner:` with the person or team who will do it, such as `owner: db-team`.",
        fixes: "",
    },
};

pub fn check(ctx: &Context, out: &mut Vec<Diagnostic>) {
    let severity = if ctx.incident.status == Status::Final {
        Severity::Error
    } else {
        PLACEHOLDER.severity
    };
    if ctx.scans.placeholders(&ctx.source.text) {
        placeholders(ctx, severity, out);
    }
    task_owners(ctx, out);
}

/// Whether any value can hold a placeholder: every one has `TODO`, `TBD`,
/// `FIXME` or a `<`, which the file shows unless its values can hide text
/// (most files have none of them, and every value was scanned).
pub(super) fn could_hold_placeholder(source: &str) -> bool {
    super::values_may_hide_text(source)
        || memchr::memchr(b'<', source.as_bytes()).is_some()
        || ["TODO", "TBD", "FIXME"]
            .iter()
            .any(|word| source.contains(word))
}

fn placeholders(ctx: &Context, severity: Severity, out: &mut Vec<Diagnostic>) {
    visit_text(ctx.tree, &mut |node, text| {
        if let Some(found) = find_placeholder(text) {
            // Point at the placeholder itself when the value holds it as
            // written (not split by escapes or folding).
            let range = ctx.source.byte_range(node.span);
            let span = ctx.source.text[range.clone()]
                .find(found)
                .map_or(node.span, |at| {
                    ctx.source
                        .span_of(range.start + at..range.start + at + found.len())
                });
            out.push(
                Diagnostic::new(
                    &PLACEHOLDER,
                    span,
                    format!("placeholder `{found}` left in"),
                )
                .severity(severity)
                .help(if severity == Severity::Error {
                    "replace it with the real content before the postmortem is final"
                } else {
                    "replace it with the real content; it is an error once the status is `final`"
                }),
            );
        }
    });
}

/// One finding for every task without an owner: the first, with the others
/// as secondary labels. A task whose misspelt key is `owner` (`onwer`) is
/// left to `unknown-field`.
fn task_owners(ctx: &Context, out: &mut Vec<Diagnostic>) {
    let misspelt = misspelt_owner_spans(ctx.tree);
    let unowned: Vec<Span> = ctx
        .incident
        .tasks
        .iter()
        .filter(|task| task.owner.is_none())
        .filter(|task| !misspelt.contains(&task.span.line))
        .map(|task| task.text.as_ref().map_or(task.span, |t| t.span))
        .collect();
    let Some((&first, rest)) = unowned.split_first() else {
        return;
    };
    let message = match rest.len() {
        0 => "this task has no owner".to_owned(),
        n => format!("{} tasks have no owner", n + 1),
    };
    let mut diagnostic = Diagnostic::new(&TASK_OWNER, first, message).help(if rest.is_empty() {
        "add `owner:` with the person or team who will do it"
    } else {
        "add `owner:` to each, with the person or team who will do it"
    });
    for &span in rest {
        diagnostic = diagnostic.related(span, "no owner either");
    }
    out.push(diagnostic);
}

/// The lines where a task mapping starts whose unknown key is a typo of
/// `owner`.
fn misspelt_owner_spans(tree: &Node) -> Vec<u32> {
    let Value::Map(top) = &tree.value else {
        return Vec::new();
    };
    let Some((_, tasks)) = top.iter().find(|(key, _)| key.name == "tasks") else {
        return Vec::new();
    };
    let Value::Seq(items) = &tasks.value else {
        return Vec::new();
    };
    items
        .iter()
        .filter_map(|item| match &item.value {
            Value::Map(entries) => {
                let typo = entries.iter().any(|(key, _)| {
                    key.name != "owner" && crate::suggest::closest(&key.name, ["owner"]).is_some()
                });
                typo.then(|| entries.first().map(|(key, _)| key.span.line))?
            }
            _ => None,
        })
        .collect()
}

/// Calls `f` on every text scalar in the tree.
pub(crate) fn visit_text(node: &Node, f: &mut impl FnMut(&Node, &str)) {
    match &node.value {
        Value::Str(text) => f(node, text),
        Value::Seq(items) => items.iter().for_each(|item| visit_text(item, f)),
        Value::Map(entries) => entries.iter().for_each(|(_, value)| visit_text(value, f)),
        Value::Null | Value::Bool(_) | Value::Int(_) | Value::Float(_) => {}
    }
}

#[cfg(test)]
mod tests {
    use super::could_hold_placeholder;

    #[test]
    fn the_file_rules_out_placeholders_only_when_its_values_cannot_hide_one() {
        assert!(!could_hold_placeholder(
            "root_cause: Done.\nimpact: 20% of users\n"
        ));
        for source in [
            "root_cause: TODO\n",
            "root_cause: TBD later\n",
            "root_cause: FIXME\n",
            "impact: <what users saw>\n",
            "root_cause: \"\\x54ODO\"\n",
            "root_cause: !!binary VE9ETw==\n",
            // The tag's name with a percent escape, or split by a directive
            // (found in review).
            "root_cause: !!%62inary VE9ETw==\n",
            "%TAG !b! tag:yaml.org,2002:bin\n---\nroot_cause: !b!ary VE9ETw==\n",
        ] {
            assert!(could_hold_placeholder(source), "{source}");
        }
    }
}
