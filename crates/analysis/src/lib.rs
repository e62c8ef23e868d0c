//! Analysis: validation of the baseline against recorded history, the narrative timeline of one world,
//! the plain-text report of an ensemble and its HTML report with SVG charts, per-run exports (CSV, JSON
//! Lines, Parquet), the thread's claims, and Sobol' sensitivity indices (`sobol`, pure mathematics over
//! outputs the caller computes). Nothing here runs the model's mechanisms; it reads what the world and
//! ensemble layers produce (the claims and the sensitivity analyses run worlds through those layers).

pub mod claims;
pub mod html;
pub mod narrative;
pub mod report;
pub mod sensitivity;
pub mod sobol;
pub mod svg;
pub mod validate;
