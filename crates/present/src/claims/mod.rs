//! The answers for people: the text tables (`text`), Markdown for a forum (`markdown`) and the HTML
//! page (`page`), over the shared wording below.

use razvilka_analysis::claims::*;

mod markdown;
mod page;
mod text;

pub use markdown::markdown;
pub use page::page;
pub use text::{posterior_table, table};

/// A probability as a percentage: one decimal under 10%, where a whole percent would hide a rare
/// event.
pub(crate) fn pct(x: f64) -> String {
    if !x.is_finite() {
        "n/a".into()
    } else if x.abs() < 0.1 && (1000.0 * x).round() != 0.0 && (100.0 * x).round().abs() < 10.0 {
        format!("{:.1}%", 100.0 * x)
    } else {
        format!("{:.0}%", 100.0 * x)
    }
}

/// A difference of probabilities in percentage points, signed.
pub(crate) fn points(x: f64) -> String {
    if !x.is_finite() {
        return "n/a".into();
    }
    let tenths = (1000.0 * x).round();
    if tenths == 0.0 {
        // No "-0 pts": a value that rounds to nothing reads as 0.
        return "0 pts".into();
    }
    if tenths.abs() < 100.0 {
        format!("{:+.1} pts", tenths / 10.0)
    } else {
        format!("{:+.0} pts", 100.0 * x)
    }
}

/// A numeric outcome's value, to three significant figures or so.
pub(crate) fn number(x: f64) -> String {
    if !x.is_finite() {
        "n/a".into()
    } else if x.abs() >= 100.0 {
        format!("{x:.0}")
    } else if x.abs() >= 10.0 {
        format!("{x:.1}")
    } else {
        format!("{x:.2}")
    }
}

pub(crate) fn show(c: &Claim, x: f64) -> String {
    match c.test {
        Test::Level => pct(x),
        _ => points(x),
    }
}

pub(crate) fn with_interval(c: &Claim, a: &Answer) -> String {
    format!(
        "{} [{}, {}]",
        show(c, a.value),
        show(c, a.interval[0]),
        show(c, a.interval[1])
    )
}

pub(crate) fn share_words(s: &Share) -> String {
    format!(
        "{} [{}, {}]",
        pct(s.p),
        pct(s.interval[0]),
        pct(s.interval[1])
    )
}

pub(crate) fn quantile_words(q: &Quantiles) -> String {
    if q.n == 0 {
        return format!("no value in any of {} worlds", q.of);
    }
    let of = if q.n < q.of {
        format!(" ({} of {} worlds have one)", q.n, q.of)
    } else {
        String::new()
    };
    format!(
        "median {}, middle half {} to {}, 90% between {} and {}{of}",
        number(q.p50),
        number(q.p25),
        number(q.p75),
        number(q.p05),
        number(q.p95)
    )
}

/// The rows of a categorical answer worth a line: those at 1% or more on either side; the rest are
/// named together.
pub(crate) fn visible_rows(rows: &[CategoryRow]) -> (Vec<&CategoryRow>, Vec<&str>) {
    // A NaN share (no worlds) counts as small.
    let small = |s: &Share| s.p.is_nan() || s.p < 0.01;
    let (mut shown, mut rest) = (Vec::new(), Vec::new());
    for r in rows {
        if small(&r.world) && r.base.as_ref().is_none_or(small) {
            rest.push(r.value.as_str());
        } else {
            shown.push(r);
        }
    }
    (shown, rest)
}

pub(crate) fn header(settings: Settings, answers: &Answers) -> String {
    format!(
        "The thread's claims, tested: {} claims and {} questions, {} worlds (or twin pairs) each, seed {};\n\
         the same claims again over {} worlds with every assumption drawn from its prior.\n\
         A verdict is supported or not supported only when the whole 95% interval clears the claim's\n\
         threshold; otherwise it is inconclusive. An assumption is named only if its effect (top fifth\n\
         of its prior against bottom fifth) passes a Bonferroni correction over all those screened;\n\
         one that passes narrowly is tentative (another seed may not find it).\n\n",
        answers.claims.len(),
        answers.questions.len(),
        settings.runs,
        settings.seed,
        settings.prior_runs
    )
}
