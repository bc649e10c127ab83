//! pm's findings as LSP diagnostics, and their fixes as quick fixes.

use super::adapter::{Applicability, Diagnostic, Rule, Severity};
use super::position::{self, LineIndex};
use lsp_types::{
    CodeAction, CodeActionKind, DiagnosticRelatedInformation, DiagnosticSeverity, Location,
    NumberOrString, Range, TextEdit, Uri, WorkspaceEdit,
};
use std::collections::HashMap;

/// A finding as the server keeps it: what was published, and what a quick
/// fix or a hover needs.
#[derive(Clone, Debug)]
pub struct Finding {
    pub rule: &'static Rule,
    pub lsp: lsp_types::Diagnostic,
    pub fix: Option<QuickFix>,
}

#[derive(Clone, Debug)]
pub struct QuickFix {
    pub title: String,
    pub safe: bool,
    pub edits: Vec<TextEdit>,
}

pub fn convert(diagnostic: &Diagnostic, index: &LineIndex, uri: &Uri) -> Finding {
    let mut message = diagnostic.message.clone();
    if let Some(label) = &diagnostic.label {
        message.push_str(&format!(" ({label})"));
    }
    if let Some(help) = &diagnostic.help {
        message.push_str(&format!("\nhelp: {help}"));
    }
    let related: Vec<DiagnosticRelatedInformation> = diagnostic
        .related
        .iter()
        .map(|(span, label)| DiagnosticRelatedInformation {
            location: Location::new(uri.clone(), index.range(*span)),
            message: label.clone(),
        })
        .collect();
    let lsp = lsp_types::Diagnostic {
        range: index.range(diagnostic.span),
        severity: Some(match diagnostic.severity {
            Severity::Error => DiagnosticSeverity::ERROR,
            Severity::Warning => DiagnosticSeverity::WARNING,
        }),
        code: Some(NumberOrString::String(diagnostic.rule.id.to_owned())),
        source: Some("pm".to_owned()),
        message,
        related_information: (!related.is_empty()).then_some(related),
        ..lsp_types::Diagnostic::default()
    };
    let fix = diagnostic.fix.as_ref().map(|fix| {
        let safe = fix.applicability == Applicability::Safe;
        // The help when it names the new text, else the new text itself.
        let what = match (&diagnostic.help, fix.edits.as_slice()) {
            (Some(help), [edit]) if help.contains(&format!("`{}`", edit.text)) => help.clone(),
            (_, [edit]) if !edit.text.is_empty() => format!("change to `{}`", edit.text),
            (Some(help), _) => help.clone(),
            (None, _) => format!("apply the fix for `{}`", diagnostic.rule.id),
        };
        QuickFix {
            title: format!(
                "pm: {what}{}",
                if safe { "" } else { " (changes the meaning)" }
            ),
            safe,
            edits: fix
                .edits
                .iter()
                .map(|edit| TextEdit::new(index.edit_range(edit.span), edit.text.clone()))
                .collect(),
        }
    });
    Finding {
        rule: diagnostic.rule,
        lsp,
        fix,
    }
}

/// The quick fixes of the findings a range touches.
pub fn code_actions(findings: &[Finding], range: Range, uri: &Uri) -> Vec<CodeAction> {
    findings
        .iter()
        .filter(|finding| position::overlaps(finding.lsp.range, range))
        .filter_map(|finding| {
            let fix = finding.fix.as_ref()?;
            Some(CodeAction {
                title: fix.title.clone(),
                kind: Some(CodeActionKind::QUICKFIX),
                diagnostics: Some(vec![finding.lsp.clone()]),
                edit: Some(WorkspaceEdit {
                    changes: Some(HashMap::from([(uri.clone(), fix.edits.clone())])),
                    ..WorkspaceEdit::default()
                }),
                is_preferred: Some(fix.safe),
                ..CodeAction::default()
            })
        })
        .collect()
}
