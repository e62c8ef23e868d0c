//! Analysis: validation of the baseline against recorded history, the narrative timeline of one world,
//! the plain-text report of an ensemble, and its HTML report with SVG charts. Nothing here runs the
//! model's mechanisms; it reads what the world and ensemble layers produce.

pub mod html;
pub mod narrative;
pub mod report;
pub mod svg;
pub mod validate;
