//! The scores and tests validation uses: log score against a null, CRPS, the PIT, coverage of a band
//! and the binomial tests behind a verdict.

use super::*;

/// A log score against a null.
#[derive(Clone, Debug)]
pub struct LogScore {
    pub score: Score,
    /// Bits gained over the null.
    pub skill: f64,
    /// The lower 95% Wilson bound of the model's probability exceeds the null's: beating the null is
    /// not an accident of the ensemble's size.
    pub beats: bool,
}

/// The log score of an outcome that `k` of `n` worlds produced, against a null that gives it `null_p`.
/// The model's probability is smoothed with one pseudo-world drawn from the null, (k + p₀)/(n + 1), so
/// that an outcome no world produced scores finitely (and exactly as the null would with n = 0).
pub fn log_score(k: usize, n: usize, null_p: f64) -> LogScore {
    let p = (k as f64 + null_p) / (n as f64 + 1.0);
    let lower = razvilka_ensemble::wilson(k, n)[0];
    let (model, null) = (p.ln(), null_p.ln());
    LogScore {
        // A null that gives the outcome nothing (a path whose outcomes never all came) is no yardstick:
        // no skill, and not beaten.
        skill: if null_p > 0.0 && p > 0.0 {
            (p / null_p).log2()
        } else {
            0.0
        },
        beats: null_p > 0.0 && lower > null_p,
        score: Score {
            metric: "log",
            model: if model.is_finite() { model } else { f64::MIN },
            null: if null.is_finite() { null } else { f64::MIN },
        },
    }
}

/// The CRPS of an ensemble (sorted ascending) at `y`: E|X − y| − ½E|X − X′|.
pub fn crps_sorted(sorted: &[f64], y: f64) -> f64 {
    let n = sorted.len();
    if n == 0 || !y.is_finite() {
        return f64::INFINITY;
    }
    let nf = n as f64;
    let absolute: f64 = sorted.iter().map(|x| (x - y).abs()).sum::<f64>() / nf;
    // ½E|X − X′| = (1/n²) Σᵢ (2i − n − 1) x₍ᵢ₎ for i = 1..n.
    let spread: f64 = sorted
        .iter()
        .enumerate()
        .map(|(i, x)| (2.0 * (i + 1) as f64 - nf - 1.0) * x)
        .sum::<f64>()
        / (nf * nf);
    absolute - spread
}

/// The CRPS of the uniform distribution on [a, b] at `y`.
pub fn crps_uniform(a: f64, b: f64, y: f64) -> f64 {
    let w = b - a;
    if y < a {
        a - y + w / 3.0
    } else if y > b {
        y - b + w / 3.0
    } else {
        ((y - a).powi(3) + (b - y).powi(3)) / (3.0 * w * w)
    }
}

/// The share of the (sorted) values below `y`, ties counting half: the mid-PIT.
pub fn mid_pit(sorted: &[f64], y: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let below = sorted.partition_point(|x| *x < y);
    let not_above = sorted.partition_point(|x| *x <= y);
    (below as f64 + (not_above - below) as f64 / 2.0) / sorted.len() as f64
}

/// The nearest-rank quantile of sorted values.
pub(super) fn quantile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let rank = ((p * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len()) - 1;
    sorted[rank]
}

/// The coverage of a series' yearly bands and the balance of its PITs.
#[derive(Clone, Debug, PartialEq)]
pub struct Coverage {
    pub years: usize,
    /// Years whose recorded value lies inside the model's 5–95% band.
    pub covered: usize,
    /// The fewest covered years a calibrated 90% band gives 19 times in 20 (binomial, n = years); all
    /// of them below three years.
    pub min_covered: usize,
    /// Years whose recorded value lies below the model's median (PIT < 0.5).
    pub below: usize,
    /// The recorded values sit on one side of the median more often than a fair coin would put them
    /// 19 times in 20 (two-sided exact binomial test).
    pub biased: bool,
}

impl Coverage {
    pub fn of(years: &[SeriesYear]) -> Coverage {
        let n = years.len();
        let covered = years
            .iter()
            .filter(|y| (0.05..=0.95).contains(&y.pit))
            .count();
        let below = years.iter().filter(|y| y.pit < 0.5).count();
        let above = years.iter().filter(|y| y.pit > 0.5).count();
        // The smallest count c with P(X < c) ≤ 0.05 for X ~ Binomial(n, 0.9) fails; pass from the
        // first count whose lower tail exceeds 5%.
        // With fewer than three years the test cannot reject anything (one year missed has a chance of
        // 10% or more), so then every year must lie in its band, as a single number must.
        let min_covered = if n < 3 {
            n
        } else {
            (0..=n)
                .find(|&c| binomial_cdf(n, 0.9, c) > 0.05)
                .unwrap_or(0)
        };
        let sided = below + above;
        let extreme = below.min(above);
        let biased = sided > 0 && (2.0 * binomial_cdf(sided, 0.5, extreme)).min(1.0) < 0.05;
        Coverage {
            years: n,
            covered,
            min_covered,
            below,
            biased,
        }
    }
}

/// P(X ≤ k) for X ~ Binomial(n, p), summed exactly (n is a handful of years).
pub(super) fn binomial_cdf(n: usize, p: f64, k: usize) -> f64 {
    let mut total = 0.0;
    let mut choose = 1.0;
    for i in 0..=k.min(n) {
        if i > 0 {
            choose *= (n - i + 1) as f64 / i as f64;
        }
        total += choose * p.powi(i as i32) * (1.0 - p).powi((n - i) as i32);
    }
    total.min(1.0)
}

/// The verdict over the judged rows: validation targets only.
#[derive(Clone, Debug, Serialize)]
pub struct Verdict {
    pub validation_targets: usize,
    pub validation_passed: usize,
    pub calibrated_targets: usize,
    pub calibrated_passed: usize,
    /// Mean skill of the validation targets scored by log score (bits over the null).
    pub mean_log_skill: f64,
    /// Mean skill of the validation targets scored by CRPS (1 − model/null).
    pub mean_crps_skill: f64,
    pub pass: bool,
}

impl Verdict {
    pub fn of(rows: &[Row]) -> Verdict {
        let validation: Vec<&Row> = rows.iter().filter(|r| r.role == Role::Validation).collect();
        let calibrated: Vec<&Row> = rows.iter().filter(|r| r.role == Role::Calibrated).collect();
        let mean = |metric: &str| {
            let skills: Vec<f64> = validation
                .iter()
                .filter(|r| r.score.metric == metric && r.skill.is_finite())
                .map(|r| r.skill)
                .collect();
            if skills.is_empty() {
                0.0
            } else {
                skills.iter().sum::<f64>() / skills.len() as f64
            }
        };
        let validation_passed = validation.iter().filter(|r| r.pass).count();
        Verdict {
            validation_targets: validation.len(),
            validation_passed,
            calibrated_targets: calibrated.len(),
            calibrated_passed: calibrated.iter().filter(|r| r.pass).count(),
            mean_log_skill: mean("log"),
            mean_crps_skill: mean("crps"),
            pass: validation_passed == validation.len(),
        }
    }
}
