//! Presentation: what people read. The narrative timeline of one world, the plain-text report of an
//! ensemble and its HTML report with SVG charts, and the readable tables and pages of validation, the
//! thread's claims and the sensitivity analyses. Nothing here computes a statistic or runs a world: it
//! renders what `razvilka_ensemble` and `razvilka_analysis` produce.

pub mod claims;
pub mod html;
pub mod narrative;
pub mod report;
pub mod sensitivity;
pub mod svg;
pub mod validation;

/// The text with its first letter in upper case.
pub(crate) fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}
