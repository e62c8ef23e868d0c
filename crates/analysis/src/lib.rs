//! Analysis: validation of the baseline against recorded history, the narrative timeline of one world,
//! the plain-text report of an ensemble, and per-run exports (CSV, JSON Lines, Parquet). Nothing here
//! runs the model's mechanisms; it reads what the world and ensemble layers produce.

pub mod export;
pub mod narrative;
pub mod report;
pub mod validate;
