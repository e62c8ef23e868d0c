//! Analysis: the statistics over ensembles. Validation of the baseline against recorded history, the
//! thread's claims, and the sensitivity analyses with Sobol' indices (`sobol`, pure mathematics over
//! outputs the caller computes). Nothing here runs the model's mechanisms, and nothing here is
//! presentation (`razvilka_present` renders these results for people); the claims and the sensitivity
//! analyses run worlds through the world and ensemble layers.

pub mod claims;
pub mod sensitivity;
pub mod sobol;
pub mod validate;
