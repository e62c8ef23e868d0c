//! What the claims' evaluation returns: verdicts, answers to the questions, and their settings.

use super::*;

/// The verdict the thresholds give.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Call {
    Supported,
    NotSupported,
    /// The interval crosses a threshold, or lies between the two.
    Inconclusive,
}

impl Call {
    /// The verdict of a value with its 95% interval: decided only when the whole interval meets a
    /// threshold.
    pub fn of(claim: &Claim, value: f64, interval: [f64; 2]) -> Call {
        let [lo, hi] = interval;
        if !(value.is_finite() && lo.is_finite() && hi.is_finite()) {
            Call::Inconclusive
        } else if claim.supported.met(lo) && claim.supported.met(hi) {
            Call::Supported
        } else if claim.refuted.met(lo) && claim.refuted.met(hi) {
            Call::NotSupported
        } else {
            Call::Inconclusive
        }
    }

    /// The verdict of a value alone, ignoring its noise (for the two ends of a lever, whose noise the
    /// lever's own test has already weighed).
    pub(super) fn of_value(claim: &Claim, value: f64) -> Call {
        Call::of(claim, value, [value, value])
    }

    pub fn words(self) -> &'static str {
        match self {
            Call::Supported => "supported",
            Call::NotSupported => "not supported",
            Call::Inconclusive => "inconclusive",
        }
    }
}

/// Why an answer is inconclusive, in words (empty when it is not).
pub(super) fn why_inconclusive(claim: &Claim, a: &Answer) -> String {
    if Call::of(claim, a.value, a.interval) != Call::Inconclusive {
        return String::new();
    }
    if !a.value.is_finite() {
        return "no world meets the claim's conditions".into();
    }
    let [lo, hi] = a.interval;
    let crosses = |t: &Threshold| t.met(lo) != t.met(hi);
    if crosses(&claim.supported) || crosses(&claim.refuted) {
        "its 95% interval crosses a threshold".into()
    } else {
        "it lies between the two thresholds".into()
    }
}

/// How one assumption moves a claim's answer: the value over the worlds whose draw of it lies in the
/// lowest fifth of its prior, and over those in the highest fifth.
#[derive(Clone, Debug, Serialize)]
pub struct Lever {
    pub key: String,
    /// What the assumption means, in plain words (data/assumptions.toml).
    pub meaning: String,
    pub low: f64,
    pub high: f64,
    /// `high − low`, and its standard error.
    pub swing: f64,
    pub swing_se: f64,
    /// `swing / swing_se`: named only when beyond the corrected critical value.
    pub z: f64,
    /// The same over each half of the worlds (even and odd), two independent ensembles: a lever is
    /// named only if both halves agree in sign and each is beyond 1.96 on its own.
    pub z_halves: [f64; 2],
    /// Whether the value alone gives different verdicts at the two ends.
    pub decides: bool,
    /// Whether the lever is firm: its |z| clears the corrected critical value, and each half's |z|
    /// clears 1.96, by a further 1.96 each, so the whole 95% interval of each swing lies beyond its
    /// bar (as a verdict needs its whole interval past a threshold). A firm lever found with one seed
    /// is found again with another in most seeds; one that passes only narrowly is tentative.
    pub firm: bool,
}

/// The model's answer to one claim.
#[derive(Clone, Debug, Serialize)]
pub struct Verdict {
    pub claim: Claim,
    /// At the assumptions' defaults.
    pub answer: Answer,
    pub call: Call,
    /// With every assumption drawn from its prior.
    pub under_priors: Answer,
    pub call_under_priors: Call,
    /// The verdict in plain words, the difference between the two said first.
    pub words: String,
    /// Why an inconclusive answer is inconclusive (at the defaults, then with the priors sampled).
    pub inconclusive_because: Vec<String>,
    /// Assumptions whose effect survives the correction for all those screened: the firm ones, then
    /// the tentative ones, each group largest |z| first.
    pub levers: Vec<Lever>,
    /// How many assumptions were screened, and the critical |z| that the correction sets.
    pub screened: usize,
    pub z_critical: f64,
    /// "Decided by: …" or "No single assumption decides it …".
    pub levers_words: String,
    /// Values named in the claim's conditions that no world took (a typo, or a path the model never
    /// takes).
    pub unseen: Vec<String>,
}

/// One probability, with its interval.
#[derive(Clone, Debug, Serialize)]
pub struct Share {
    pub p: f64,
    pub interval: [f64; 2],
}

pub(super) fn share(hits: usize, n: usize) -> Share {
    Share {
        p: if n > 0 {
            hits as f64 / n as f64
        } else {
            f64::NAN
        },
        interval: wilson(hits, n),
    }
}

/// The quantiles of a numeric outcome over the worlds that have a value.
#[derive(Clone, Debug, Serialize)]
pub struct Quantiles {
    /// Worlds with a value, of `of`.
    pub n: usize,
    pub of: usize,
    pub p05: f64,
    pub p25: f64,
    pub p50: f64,
    pub p75: f64,
    pub p95: f64,
}

pub(super) fn quantiles(values: &[f64], of: usize) -> Quantiles {
    let mut v: Vec<f64> = values.iter().copied().filter(|x| x.is_finite()).collect();
    v.sort_by(f64::total_cmp);
    // The nearest-rank quantile, so that every figure is a value some world took.
    let q = |p: f64| {
        if v.is_empty() {
            f64::NAN
        } else {
            v[((p * v.len() as f64).ceil() as usize).clamp(1, v.len()) - 1]
        }
    };
    Quantiles {
        n: v.len(),
        of,
        p05: q(0.05),
        p25: q(0.25),
        p50: q(0.5),
        p75: q(0.75),
        p95: q(0.95),
    }
}

/// One value of a categorical outcome, in the question's world and its baseline.
#[derive(Clone, Debug, Serialize)]
pub struct CategoryRow {
    pub value: String,
    pub world: Share,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub base: Option<Share>,
}

/// One part of a question's answer.
#[derive(Clone, Debug, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Part {
    /// Every value a categorical outcome took, most common in the question's world first.
    Categorical {
        outcome: String,
        rows: Vec<CategoryRow>,
    },
    /// A numeric outcome's quantiles.
    Numeric {
        outcome: String,
        world: Quantiles,
        #[serde(skip_serializing_if = "Option::is_none")]
        base: Option<Quantiles>,
    },
    /// The probability of a named event.
    Event {
        label: String,
        world: Share,
        #[serde(skip_serializing_if = "Option::is_none")]
        base: Option<Share>,
    },
}

/// The model's answer to one question: distributions, no verdict.
#[derive(Clone, Debug, Serialize)]
pub struct QuestionAnswer {
    pub question: Question,
    /// Worlds the answer is taken over (those meeting `given`), in the world and the baseline.
    pub n_world: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub n_base: Option<usize>,
    pub parts: Vec<Part>,
}

/// Everything `razvilka claims` answers: the JSON of `claims --json`.
#[derive(Clone, Debug, Serialize)]
pub struct Answers {
    pub runs: u32,
    pub prior_runs: u32,
    pub seed: u64,
    /// The title of every scenario named, by name.
    pub scenarios: BTreeMap<String, String>,
    pub claims: Vec<Verdict>,
    pub questions: Vec<QuestionAnswer>,
}

/// How many worlds and which seed.
#[derive(Clone, Copy, Debug)]
pub struct Settings {
    /// Worlds (or twin pairs) for the answers.
    pub runs: u32,
    /// Worlds (or twin pairs) with the assumptions drawn from their priors.
    pub prior_runs: u32,
    pub seed: u64,
    pub threads: usize,
}

impl Settings {
    /// Worlds (or twin pairs) per claim by default, on the command line and on the web's claims page
    /// alike, so that both give the verdicts `docs/claims.md` prints. Enough that a verdict changes
    /// between seeds only when the model's value lies within about one interval's width of its bar.
    pub const DEFAULT_RUNS: u32 = 2000;
    /// Worlds (or twin pairs) with the assumptions drawn from their priors, by default. More than
    /// at the defaults: the priors spread the answers, and at 3,000 two verdicts with the priors
    /// (claims 2 and 14, about one interval's width from their bars) changed between seeds 1 to 5; at
    /// 12,000 the interval is half as wide (docs/claims.md).
    pub const DEFAULT_PRIOR_RUNS: u32 = 12_000;
}

/// Why the claims could not be answered.
#[derive(Debug, thiserror::Error)]
pub enum ClaimsError {
    #[error(transparent)]
    Scenario(#[from] Diagnostic),
    #[error(transparent)]
    Run(#[from] razvilka_ensemble::EnsembleError),
}
