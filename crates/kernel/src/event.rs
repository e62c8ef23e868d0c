//! The event log's frame: when something happened and why (replayed history, a mechanism, or an
//! intervention). What happened, `K`, is the model's own vocabulary: the kernel knows nothing of it.

use crate::Month;

/// Why an event is in the log.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Origin {
    /// Recorded history, replayed before the divergence date.
    Recorded,
    /// Produced by a mechanism of the model.
    Mechanism,
    /// Forced by the scenario's intervention.
    Intervention,
}

/// One thing that happened: its month, its origin and what it was (`K`, defined by the model).
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Event<K> {
    pub month: Month,
    pub origin: Origin,
    pub kind: K,
}
