//! Rules that follow the team's own policy (pm.toml): allowed severities,
//! parts of the format made required, and follow-ups past their due date.

use super::Require;
use super::{Context, MISSING_FIELD, Rule, RuleDocs};
use crate::diagnostic::{Diagnostic, Severity, Span};
use crate::incident::Status;
use crate::yaml::Value;

pub static UNKNOWN_SEVERITY: Rule = Rule {
    id: "unknown-severity",
    severity: Severity::Warning,
    summary: "A severity that is not in the team's list (`[check] severities` in pm.toml).",
    docs: RuleDocs {
        what: "`severity` is not one of the values listed in `[check] severities` in pm.toml. The comparison is exact, so `sev2` is not `SEV2`; pm suggests the closest allowed value. Without a configured list any severity is accepted.",
        why: "Severity is how incidents are counted and compared: `pm index` and `pm stats` group by it. `Sev 2`, `SEV-2` and `P2` in different files split one level into three.",
        example: "# pm.toml: [check] severities = [\"SEV1\", \"SEV2\", \"SEV3\"]\nseverity: sev2",
        fix: "Use one of the configured values, spelled exactly, or add the new level to `[check] severities` if the team has agreed on it.",
        fixes: "",
    },
};

pub static TASK_OVERDUE: Rule = Rule {
    id: "task-overdue",
    severity: Severity::Warning,
    summary: "A follow-up task past its due date (off unless pm.toml turns it on).",
    docs: RuleDocs {
        what: "Off unless pm.toml turns it on (`[rules] task-overdue = \"warning\"`), so that the verdict on an unchanged file does not depend on the day `pm check` runs; `pm tasks` and `pm index` show overdue tasks either way. When on: A task has a `due` date earlier than today and is not marked `done: true`. A task due today is not yet overdue. \"Today\" is the local date (tests set it with the `PM_TODAY` environment variable).",
        why: "Follow-ups are how an incident stops happening again, and they are the part of a postmortem that is most often forgotten once the review is over. `pm tasks --overdue` lists them across all postmortems.",
        example: "tasks:\n  - text: Add an index on messages(user_id, created_at).\n    owner: db-team\n    due: 2023-09-30\n    done: false",
        fix: "Finish the task and set `done: true`, or agree a new due date with its owner and write it in.",
        fixes: "",
    },
};

pub fn check(ctx: &Context, out: &mut Vec<Diagnostic>) {
    let incident = ctx.incident;
    if let (Some(allowed), Some(severity)) = (&ctx.settings.severities, incident.severity())
        && !allowed.contains(&severity.value)
    {
        let mut diagnostic = Diagnostic::new(
            &UNKNOWN_SEVERITY,
            severity.span,
            format!(
                "severity `{}` is not one of the team's severities",
                severity.value
            ),
        );
        if let Some(close) =
            crate::suggest::closest(&severity.value, allowed.iter().map(String::as_str))
        {
            diagnostic = diagnostic.label(format!("did you mean `{close}`?"));
        }
        out.push(diagnostic.help(format!(
            "use one of {} (set in pm.toml, `[check] severities`)",
            quoted_list(allowed)
        )));
    }

    for task in &incident.tasks {
        if let Some(due) = &task.due
            && task.is_overdue(ctx.today)
        {
            let days = (ctx.today - due.value).num_days();
            out.push(
                Diagnostic::new(
                    &TASK_OVERDUE,
                    due.span,
                    format!(
                        "this task is overdue: it was due {}, {} ago",
                        due.value,
                        if days == 1 {
                            "1 day".to_owned()
                        } else {
                            format!("{days} days")
                        }
                    ),
                )
                .help("finish it and set `done: true`, or agree a new due date with its owner"),
            );
        }
    }

    required(ctx, out);
}

/// `[check] require`: optional parts the team made required, reported as
/// `missing-field` (a warning in drafts, like every missing field).
fn required(ctx: &Context, out: &mut Vec<Diagnostic>) {
    let incident = ctx.incident;
    let severity = if incident.status == Status::Draft {
        Severity::Warning
    } else {
        Severity::Error
    };
    // Findings about the document point at its first key, as decode does.
    let top = match &ctx.tree.value {
        Value::Map(entries) => entries.first().map_or(ctx.tree.span, |(key, _)| key.span),
        _ => Span::DOCUMENT,
    };
    let mut missing = |span: Span, name: &str, what: &str| {
        out.push(
            Diagnostic::new(
                &MISSING_FIELD,
                span,
                format!("`{name}` is missing or empty, and the team requires it"),
            )
            .severity(severity)
            .help(format!(
                "add `{name}:` with {what} (required by pm.toml, `[check] require`)"
            )),
        );
    };
    for require in &ctx.settings.require {
        match require {
            Require::Severity if incident.severity().is_none() => {
                missing(top, "severity", "the incident's severity");
            }
            Require::Authors if incident.authors.is_empty() => {
                missing(top, "authors", "the people who wrote the postmortem");
            }
            Require::Lessons
                if incident.lessons.as_ref().is_none_or(|l| {
                    l.went_well.is_empty() && l.went_wrong.is_empty() && l.lucky.is_empty()
                }) =>
            {
                missing(
                    top,
                    "lessons",
                    "what went well, what went wrong and where the team got lucky",
                );
            }
            Require::TaskDue => {
                for task in incident.tasks.iter().filter(|t| t.due.is_none()) {
                    let span = task.text.as_ref().map_or(task.span, |t| t.span);
                    missing(span, "due", "the date the task is due, as `YYYY-MM-DD`");
                }
            }
            _ => {}
        }
    }
}

fn quoted_list(items: &[String]) -> String {
    items
        .iter()
        .map(|item| format!("`{item}`"))
        .collect::<Vec<_>>()
        .join(", ")
}
