//! The sensitivity analyses' tables as text (the indices are computed in
//! `razvilka_analysis::sensitivity`).

use razvilka_analysis::sensitivity::{Bar, SobolReport, Tornado};

fn number(x: f64) -> String {
    if !x.is_finite() {
        "n/a".into()
    } else if x.abs() >= 100.0 {
        format!("{x:.0}")
    } else if x.abs() >= 1.0 {
        format!("{x:.2}")
    } else {
        format!("{x:.3}")
    }
}

/// The Sobol' table: the `top` inputs by total index.
pub fn sobol_table(r: &SobolReport, top: usize) -> String {
    let mut out = format!(
        "Sobol' indices of `{}` in `{}`: {} inputs (every assumption with a prior the scenario leaves\n\
         free, and the world's own luck), n = {} rows per matrix, {} worlds, seed {}.\n\
         {} world(s) per point. Mean {} and variance {} over the A and B samples. Intervals: {}\n\
         bootstrap resamples, 95%.\n\n\
         {:<44} {:>22} {:>22}\n",
        r.output,
        r.scenario,
        r.ranked.len(),
        r.settings.n,
        r.worlds,
        r.settings.seed,
        r.settings.worlds_per_point,
        number(r.mean),
        number(r.variance),
        r.settings.resamples,
        "input",
        "first order [95%]",
        "total [95%]"
    );
    for x in r.ranked.iter().take(top) {
        let i = &x.index;
        out += &format!(
            "{:<44} {:>6.3} [{:>6.3}, {:>6.3}] {:>6.3} [{:>6.3}, {:>6.3}]\n",
            x.key, i.first, i.first_ci[0], i.first_ci[1], i.total, i.total_ci[0], i.total_ci[1]
        );
    }
    if r.ranked.len() > top {
        out += &format!(
            "… and {} more (--top to see them, --json for all)\n",
            r.ranked.len() - top
        );
    }
    out
}

/// The tornado as text bars: each assumption's range of the output around its value at the defaults.
pub fn tornado_table(t: &Tornado, top: usize) -> String {
    let shown: Vec<&Bar> = t.bars.iter().take(top).collect();
    let lo = shown
        .iter()
        .flat_map(|b| [b.at_low, b.at_high])
        .chain([t.at_defaults])
        .filter(|v| v.is_finite())
        .fold(f64::INFINITY, f64::min);
    let hi = shown
        .iter()
        .flat_map(|b| [b.at_low, b.at_high])
        .chain([t.at_defaults])
        .filter(|v| v.is_finite())
        .fold(f64::NEG_INFINITY, f64::max);
    let width = 40usize;
    let col = |v: f64| -> usize {
        if hi > lo {
            (((v - lo) / (hi - lo)) * (width - 1) as f64).round() as usize
        } else {
            width / 2
        }
    };
    let mut out = format!(
        "Tornado of `{}` in `{}`: each assumption alone at its prior's 5th and 95th percentiles, the\n\
         others at their defaults, over the same {} worlds (seed {}). At the defaults: {}.\n\
         Bars run from {} to {}; `|` marks the value at the defaults, `<` the 5th percentile's end, `>` the 95th's.\n\n",
        t.output,
        t.scenario,
        t.runs,
        t.seed,
        number(t.at_defaults),
        number(lo),
        number(hi)
    );
    for b in shown {
        let mut line = vec![' '; width];
        if b.at_low.is_finite() && b.at_high.is_finite() {
            let (a, z) = (
                col(b.at_low).min(col(b.at_high)),
                col(b.at_low).max(col(b.at_high)),
            );
            for c in line.iter_mut().take(z + 1).skip(a) {
                *c = '=';
            }
            line[col(b.at_low)] = '<';
            line[col(b.at_high)] = '>';
        }
        if t.at_defaults.is_finite() {
            line[col(t.at_defaults)] = '|';
        }
        out += &format!(
            "{:<40} {} {} → {}  ({} → {})\n",
            b.key,
            line.into_iter().collect::<String>(),
            number(b.at_low),
            number(b.at_high),
            number(b.low_value),
            number(b.high_value)
        );
    }
    out
}
