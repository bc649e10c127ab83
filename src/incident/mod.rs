//! The incident: its model, and how a file becomes one.

mod decode;
mod metrics;
mod model;
pub mod schema;

pub use decode::{decode, keys};
pub use metrics::Metrics;
pub use model::{
    Detection, Entry, EntryKind, Incident, Lessons, Measure, MeasureKind, Sp, Status, Summary,
    Task, Time,
};
