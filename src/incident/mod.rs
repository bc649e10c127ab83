//! The incident: its model, and how a file becomes one: `decode` reads the
//! YAML tree into a [`Decoded`] incident (times as written), and `resolve`
//! turns it into an [`Incident`], every time read once and resolved in the
//! document's zone. Findings about the file's shape and times fire here;
//! their rules are declared beside the code that fires them.

mod decode;
pub mod format;
mod metrics;
mod model;
mod placeholder;
mod resolve;
pub mod schema;
mod structure;

pub use decode::{StreamedTimeline, decode, decode_entry, decode_streamed, keys, missing_is_error};
pub use metrics::{Length, Metrics};
pub use model::{
    Affected, AsWritten, Decoded, Detection, Entry, EntryKind, Factor, FactorKind, Incident,
    Lessons, Link, Measure, MeasureKind, Note, Person, Precision, Resolved, Sp, Stage, Stated,
    Status, Summary, Task, TaskKind, Texts, Time,
};
pub use placeholder::{find_placeholder, is_placeholder};
pub use resolve::{
    ABBREVIATION_MISMATCH, AMBIGUOUS_TIME, INVALID_TIME, LEGACY_TIMEZONE, MIXED_TIMEZONE,
    NONEXISTENT_TIME, UNKNOWN_TIMEZONE, problem_diagnostic, resolve, time_fix,
};
pub use structure::{INVALID_VALUE, MISSING_FIELD, UNKNOWN_FIELD, YAML_SYNTAX};

use crate::diagnostic::Diagnostic;
use crate::source::Source;
use crate::yaml::Node;

/// Decodes and resolves a parsed document: what a library caller wants.
/// Findings go to `out`.
pub fn read(root: &Node, source: &Source, out: &mut Vec<Diagnostic>) -> Incident {
    resolve(decode(root, source, out), out)
}
