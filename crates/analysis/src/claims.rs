//! The thread's claims, tested (DESIGN §7). Each claim of `data/claims.toml` is a question over the
//! outcomes of the JSON contract: a probability in one world, or a difference between two worlds
//! (twin pairs) or between two kinds of world within one. The model answers it with a 95% interval;
//! the thresholds written beside the claim turn the answer into a verdict; and an ensemble with every
//! assumption drawn from its prior shows which assumptions move the answer most, and whether any of
//! them moves it across a threshold.

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;

use razvilka_ensemble::{
    categorical_outcomes, numeric_outcomes, wilson, Categorical, Numeric, Options,
};
use razvilka_kernel::Diagnostic;
use razvilka_world::{builtin_scenario, Data, Outcome, Scenario};
use serde::{Deserialize, Serialize};
use toml::Spanned;

/// The shipped claims.
pub const CLAIMS: &str = include_str!("../../../data/claims.toml");

/// What is tested.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Test {
    /// The probability of the event in the claim's world.
    Level,
    /// That probability in the claim's world minus the same in the baseline (twin pairs).
    Difference,
    /// In the claim's world, the probability where `given` holds minus where it does not.
    Contrast,
}

/// One condition on one outcome.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Condition {
    pub outcome: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub r#in: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub not_in: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub at_least: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub at_most: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub missing: Option<bool>,
}

/// A threshold on the tested value.
#[derive(Clone, Copy, Debug, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Threshold {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub at_least: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub at_most: Option<f64>,
}

impl Threshold {
    fn met(&self, value: f64) -> bool {
        self.at_least.is_none_or(|t| value >= t) && self.at_most.is_none_or(|t| value <= t)
    }
    /// The threshold in the unit the value is shown in.
    fn describe(&self, show: impl Fn(f64) -> String) -> String {
        match (self.at_least, self.at_most) {
            (Some(a), None) => format!("≥ {}", show(a)),
            (None, Some(b)) => format!("≤ {}", show(b)),
            (Some(a), Some(b)) => format!("{} to {}", show(a), show(b)),
            (None, None) => "any".into(),
        }
    }
}

/// One claim of the thread.
#[derive(Clone, Debug, Serialize)]
pub struct Claim {
    pub number: u32,
    pub authors: Vec<String>,
    pub claim: String,
    /// How the model reads it.
    pub reading: String,
    pub world: String,
    pub baseline: Option<String>,
    pub test: Test,
    pub event: Vec<Condition>,
    pub given: Vec<Condition>,
    pub supported: Threshold,
    pub refuted: Threshold,
    /// Why the thresholds are where they are.
    pub thresholds: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    claim: Vec<Spanned<RawClaim>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawClaim {
    number: u32,
    authors: Vec<String>,
    claim: String,
    reading: String,
    world: Spanned<String>,
    #[serde(default)]
    baseline: Option<Spanned<String>>,
    test: Test,
    event: Vec<Spanned<RawCondition>>,
    #[serde(default)]
    given: Vec<Spanned<RawCondition>>,
    supported: Spanned<Threshold>,
    refuted: Spanned<Threshold>,
    thresholds: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCondition {
    outcome: Spanned<String>,
    #[serde(default, rename = "in")]
    is_in: Option<Vec<String>>,
    #[serde(default)]
    not_in: Option<Vec<String>>,
    #[serde(default)]
    at_least: Option<f64>,
    #[serde(default)]
    at_most: Option<f64>,
    #[serde(default)]
    missing: Option<bool>,
}

/// Reads a claims file, checking every outcome, scenario and threshold against what exists.
pub fn parse(text: &str, file: &str, data: &Data) -> Result<Vec<Claim>, Diagnostic> {
    let raw: RawFile = toml::from_str(text).map_err(|e| Diagnostic::from_toml(file, text, &e))?;
    let categorical: BTreeSet<&str> = categorical_outcomes(data).iter().map(|(n, _)| *n).collect();
    let numeric: BTreeSet<&str> = numeric_outcomes(data).iter().map(|(n, _)| *n).collect();
    let at = |span: Range<usize>, msg: String, help: String| {
        Diagnostic::at(file, text, span, msg).with_help(help)
    };
    let scenario_names = || {
        razvilka_world::BUILTIN_SCENARIOS
            .iter()
            .map(|(n, _)| *n)
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut claims = Vec::new();
    let mut numbers = BTreeSet::new();
    for spanned in raw.claim {
        let span = spanned.span();
        let c = spanned.into_inner();
        if !numbers.insert(c.number) {
            return Err(at(
                span,
                format!("claim number {} appears twice", c.number),
                "give each claim its own number".into(),
            ));
        }
        for name in std::iter::once(&c.world).chain(c.baseline.as_ref()) {
            if builtin_scenario(name.get_ref()).is_none() {
                return Err(at(
                    name.span(),
                    format!("no shipped scenario `{}`", name.get_ref()),
                    format!("one of: {}", scenario_names()),
                ));
            }
        }
        if c.test == Test::Difference && c.baseline.is_none() {
            return Err(at(
                span,
                format!("claim {}: a `difference` test needs a `baseline`", c.number),
                "add baseline = \"otl\" (or another scenario), or use test = \"level\"".into(),
            ));
        }
        if c.test == Test::Contrast && c.given.is_empty() {
            return Err(at(
                span,
                format!("claim {}: a `contrast` test needs `given` conditions", c.number),
                "add given = [...]: the worlds compared are those where it holds and those where it does not".into(),
            ));
        }
        if c.event.is_empty() {
            return Err(at(
                span,
                format!("claim {}: `event` is empty", c.number),
                "give at least one condition".into(),
            ));
        }
        for t in [&c.supported, &c.refuted] {
            let v = t.get_ref();
            if v.at_least.is_none() && v.at_most.is_none() {
                return Err(at(
                    t.span(),
                    "a threshold needs `at_least` or `at_most`".into(),
                    "e.g. supported = { at_least = 0.5 }".into(),
                ));
            }
        }
        let condition = |raw: Spanned<RawCondition>| -> Result<Condition, Diagnostic> {
            let span = raw.span();
            let r = raw.into_inner();
            let name = r.outcome.get_ref().as_str();
            let is_cat = categorical.contains(name);
            let is_num = numeric.contains(name);
            if !is_cat && !is_num {
                return Err(at(
                    r.outcome.span(),
                    format!("unknown outcome `{name}`"),
                    format!(
                        "categorical: {}; numeric: {}",
                        categorical.iter().copied().collect::<Vec<_>>().join(", "),
                        numeric.iter().copied().collect::<Vec<_>>().join(", ")
                    ),
                ));
            }
            let tests_set = r.is_in.is_some() || r.not_in.is_some();
            let tests_number = r.at_least.is_some() || r.at_most.is_some() || r.missing.is_some();
            if is_cat && (!tests_set || tests_number) {
                return Err(at(
                    span,
                    format!(
                        "`{name}` is categorical: test it with `in = [...]` or `not_in = [...]`"
                    ),
                    "e.g. { outcome = \"war_outcome\", in = [\"soviet_victory\"] }".into(),
                ));
            }
            if is_num && (tests_set || !tests_number) {
                return Err(at(
                    span,
                    format!("`{name}` is numeric: test it with `at_least`, `at_most` or `missing = true`"),
                    "e.g. { outcome = \"industry_1940\", at_least = 200.0 }".into(),
                ));
            }
            Ok(Condition {
                outcome: name.to_string(),
                r#in: r.is_in,
                not_in: r.not_in,
                at_least: r.at_least,
                at_most: r.at_most,
                missing: r.missing,
            })
        };
        claims.push(Claim {
            number: c.number,
            authors: c.authors,
            claim: c.claim,
            reading: c.reading,
            world: c.world.into_inner(),
            baseline: c.baseline.map(Spanned::into_inner),
            test: c.test,
            event: c
                .event
                .into_iter()
                .map(condition)
                .collect::<Result<_, _>>()?,
            given: c
                .given
                .into_iter()
                .map(condition)
                .collect::<Result<_, _>>()?,
            supported: c.supported.into_inner(),
            refuted: c.refuted.into_inner(),
            thresholds: c.thresholds,
        });
    }
    claims.sort_by_key(|c| c.number);
    Ok(claims)
}

/// Evaluates conditions on outcomes, looking each outcome up once.
struct Evaluator {
    categorical: BTreeMap<&'static str, Categorical>,
    numeric: BTreeMap<&'static str, Numeric>,
}

impl Evaluator {
    fn new(data: &Data) -> Evaluator {
        Evaluator {
            categorical: categorical_outcomes(data).into_iter().collect(),
            numeric: numeric_outcomes(data).into_iter().collect(),
        }
    }

    fn holds(&self, c: &Condition, o: &Outcome) -> bool {
        if let Some(f) = self.categorical.get(c.outcome.as_str()) {
            let v = f(o);
            c.r#in.as_ref().is_none_or(|set| set.contains(&v))
                && c.not_in.as_ref().is_none_or(|set| !set.contains(&v))
        } else if let Some(f) = self.numeric.get(c.outcome.as_str()) {
            let v = f(o);
            if let Some(m) = c.missing {
                return v.is_finite() != m;
            }
            v.is_finite() && c.at_least.is_none_or(|t| v >= t) && c.at_most.is_none_or(|t| v <= t)
        } else {
            false
        }
    }

    fn all(&self, cs: &[Condition], o: &Outcome) -> bool {
        cs.iter().all(|c| self.holds(c, o))
    }

    /// Categorical conditions none of whose values any world took (a typo, or a path the model never
    /// takes).
    fn unseen(&self, cs: &[Condition], outcomes: &[&Outcome]) -> Vec<String> {
        let mut out = Vec::new();
        for c in cs {
            let Some(f) = self.categorical.get(c.outcome.as_str()) else {
                continue;
            };
            let seen: BTreeSet<String> = outcomes.iter().map(|o| f(o)).collect();
            if let Some(set) = &c.r#in {
                if !set.iter().any(|v| seen.contains(v)) {
                    out.push(format!("{} in [{}]", c.outcome, set.join(", ")));
                }
            }
        }
        out
    }
}

/// What one world (or twin pair) says about one claim.
#[derive(Clone, Copy, Debug)]
struct Reading {
    event_world: bool,
    given_world: bool,
    event_base: bool,
    given_base: bool,
}

/// The tested value and its 95% interval, with the two sides it is made of.
#[derive(Clone, Debug, Serialize)]
pub struct Answer {
    /// The probability in the baseline (difference, level) or where `given` fails (contrast).
    pub base: Option<Side>,
    /// The probability in the claim's world (or where `given` holds, for a contrast).
    pub world: Side,
    /// The tested value: `world` (level) or `world − base` (difference, contrast).
    pub value: f64,
    pub interval: [f64; 2],
}

/// A probability over some worlds.
#[derive(Clone, Debug, Serialize)]
pub struct Side {
    pub label: String,
    pub p: f64,
    pub interval: [f64; 2],
    /// How many worlds it is taken over.
    pub n: usize,
}

fn side(label: &str, hits: usize, n: usize) -> Side {
    Side {
        label: label.to_string(),
        p: if n > 0 {
            hits as f64 / n as f64
        } else {
            f64::NAN
        },
        interval: wilson(hits, n),
        n,
    }
}

fn answer(claim: &Claim, readings: &[&Reading]) -> Answer {
    let count = |f: &dyn Fn(&Reading) -> bool| readings.iter().filter(|r| f(r)).count();
    let world_label = claim.world.as_str();
    let base_label = claim.baseline.as_deref().unwrap_or("");
    match claim.test {
        Test::Level => {
            let n = count(&|r| r.given_world);
            let world = side(world_label, count(&|r| r.given_world && r.event_world), n);
            let base = claim.baseline.as_ref().map(|_| {
                let n = count(&|r| r.given_base);
                side(base_label, count(&|r| r.given_base && r.event_base), n)
            });
            Answer {
                value: world.p,
                interval: world.interval,
                base,
                world,
            }
        }
        Test::Difference => {
            let nw = count(&|r| r.given_world);
            let nb = count(&|r| r.given_base);
            let world = side(world_label, count(&|r| r.given_world && r.event_world), nw);
            let base = side(base_label, count(&|r| r.given_base && r.event_base), nb);
            let value = world.p - base.p;
            let half = if claim.given.is_empty() {
                // Twin pairs: the interval of the mean paired difference.
                let n = readings.len() as f64;
                let d: Vec<f64> = readings
                    .iter()
                    .map(|r| r.event_world as u8 as f64 - r.event_base as u8 as f64)
                    .collect();
                let var = d.iter().map(|x| (x - value).powi(2)).sum::<f64>() / (n - 1.0).max(1.0);
                1.959964 * (var / n).sqrt()
            } else {
                unpaired_half(&world, &base)
            };
            Answer {
                value,
                interval: [value - half, value + half],
                base: Some(base),
                world,
            }
        }
        Test::Contrast => {
            let n_yes = count(&|r| r.given_world);
            let n_no = readings.len() - n_yes;
            let given = describe(&claim.given);
            let yes = side(
                &format!("{world_label}, where {given}"),
                count(&|r| r.given_world && r.event_world),
                n_yes,
            );
            let no = side(
                &format!("{world_label}, elsewhere"),
                count(&|r| !r.given_world && r.event_world),
                n_no,
            );
            let value = yes.p - no.p;
            let half = unpaired_half(&yes, &no);
            Answer {
                value,
                interval: [value - half, value + half],
                base: Some(no),
                world: yes,
            }
        }
    }
}

/// Conditions in words: "leader_ruthlessness_1940 ≥ 0.85 and …".
fn describe(conditions: &[Condition]) -> String {
    let one = |c: &Condition| {
        let mut parts = Vec::new();
        if let Some(set) = &c.r#in {
            parts.push(format!("{} in {{{}}}", c.outcome, set.join(", ")));
        }
        if let Some(set) = &c.not_in {
            parts.push(format!("{} not in {{{}}}", c.outcome, set.join(", ")));
        }
        if let Some(t) = c.at_least {
            parts.push(format!("{} ≥ {t}", c.outcome));
        }
        if let Some(t) = c.at_most {
            parts.push(format!("{} ≤ {t}", c.outcome));
        }
        if let Some(m) = c.missing {
            parts.push(format!(
                "{} {}",
                c.outcome,
                if m { "missing" } else { "present" }
            ));
        }
        parts.join(" and ")
    };
    conditions.iter().map(one).collect::<Vec<_>>().join(" and ")
}

/// Half-width of the 95% interval of the difference of two independent proportions.
fn unpaired_half(a: &Side, b: &Side) -> f64 {
    let var = |s: &Side| {
        if s.n == 0 {
            f64::INFINITY
        } else {
            s.p * (1.0 - s.p) / s.n as f64
        }
    };
    1.959964 * (var(a) + var(b)).sqrt()
}

/// The verdict the thresholds give a value.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Call {
    Supported,
    NotSupported,
    Undecided,
}

impl Call {
    fn of(claim: &Claim, value: f64) -> Call {
        if !value.is_finite() {
            Call::Undecided
        } else if claim.supported.met(value) {
            Call::Supported
        } else if claim.refuted.met(value) {
            Call::NotSupported
        } else {
            Call::Undecided
        }
    }
    pub fn words(self) -> &'static str {
        match self {
            Call::Supported => "supported",
            Call::NotSupported => "not supported",
            Call::Undecided => "undecided (between the thresholds)",
        }
    }
}

/// How one assumption moves a claim's answer: the value over the worlds whose draw of it lies in the
/// lowest fifth of its prior, and over those in the highest fifth.
#[derive(Clone, Debug, Serialize)]
pub struct Lever {
    pub key: String,
    pub low: f64,
    pub high: f64,
    /// `high − low`, and the half-width of its 95% interval.
    pub swing: f64,
    pub swing_half: f64,
    /// The verdicts at the two ends, when they differ and the swing is beyond noise.
    pub flips: Option<(Call, Call)>,
}

/// The model's answer to one claim.
#[derive(Clone, Debug, Serialize)]
pub struct Verdict {
    pub claim: Claim,
    pub answer: Answer,
    pub call: Call,
    /// The verdict in plain words: "supported", "not supported", "undecided …" or "depends on: …".
    pub words: String,
    /// The value with every assumption drawn from its prior.
    pub under_priors: f64,
    /// The assumptions that move the answer most (by the size of their swing), at most three.
    pub levers: Vec<Lever>,
    /// Values named in the claim's conditions that no world took (a typo, or a path the model never
    /// takes).
    pub unseen: Vec<String>,
}

/// How many worlds and which seed.
#[derive(Clone, Copy, Debug)]
pub struct Settings {
    /// Worlds (or twin pairs) for the answers.
    pub runs: u32,
    /// Worlds (or twin pairs) with the assumptions drawn from their priors, for the levers.
    pub prior_runs: u32,
    pub seed: u64,
    pub threads: usize,
}

/// Why the claims could not be answered.
#[derive(Debug, thiserror::Error)]
pub enum ClaimsError {
    #[error(transparent)]
    Scenario(#[from] Diagnostic),
    #[error(transparent)]
    Run(#[from] razvilka_ensemble::EnsembleError),
}

fn scenario(data: &Data, name: &str) -> Result<Scenario, Diagnostic> {
    let text = builtin_scenario(name).ok_or_else(|| {
        Diagnostic::whole_file("data/claims.toml", format!("no scenario `{name}`"))
    })?;
    Scenario::parse(text, &format!("scenarios/{name}.toml"), &data.context())
}

/// Runs `world` (with `baseline` as its twin, if any) and reads each claim in every world.
fn readings(
    data: &Data,
    eval: &Evaluator,
    claims: &[&Claim],
    world: &Scenario,
    baseline: Option<&Scenario>,
    options: Options,
    progress: &(dyn Fn() + Sync),
) -> Result<(Vec<Vec<Reading>>, Vec<String>), ClaimsError> {
    let pairs: Vec<(Option<Outcome>, Outcome)> = match baseline {
        Some(b) => razvilka_ensemble::run_pairs(data, b, world, options, progress)?
            .into_iter()
            .map(|(a, w)| (Some(a), w))
            .collect(),
        None => razvilka_ensemble::run(data, world, options, progress)?
            .into_iter()
            .map(|w| (None, w))
            .collect(),
    };
    let per_claim = claims
        .iter()
        .map(|c| {
            pairs
                .iter()
                .map(|(b, w)| Reading {
                    event_world: eval.all(&c.event, w),
                    given_world: eval.all(&c.given, w),
                    event_base: b.as_ref().is_some_and(|b| eval.all(&c.event, b)),
                    given_base: b.as_ref().is_some_and(|b| eval.all(&c.given, b)),
                })
                .collect()
        })
        .collect();
    let all: Vec<&Outcome> = pairs
        .iter()
        .flat_map(|(b, w)| b.iter().chain(std::iter::once(w)))
        .collect();
    let unseen = claims
        .iter()
        .flat_map(|c| {
            let mut u = eval.unseen(&c.event, &all);
            u.extend(eval.unseen(&c.given, &all));
            u.into_iter().map(move |v| format!("{}:{v}", c.number))
        })
        .collect();
    Ok((per_claim, unseen))
}

/// Answers every claim. Claims about the same pair of worlds share one ensemble of twin pairs.
pub fn evaluate(
    data: &Data,
    claims: &[Claim],
    settings: Settings,
    progress: &(dyn Fn() + Sync),
) -> Result<Vec<Verdict>, ClaimsError> {
    let eval = Evaluator::new(data);
    let mut groups: BTreeMap<(String, Option<String>), Vec<&Claim>> = BTreeMap::new();
    for c in claims {
        groups
            .entry((c.world.clone(), c.baseline.clone()))
            .or_default()
            .push(c);
    }
    let mut verdicts = Vec::new();
    for ((world_name, base_name), members) in groups {
        let world = scenario(data, &world_name)?;
        let base = base_name
            .as_deref()
            .map(|b| scenario(data, b))
            .transpose()?;
        let fixed = Options {
            runs: settings.runs,
            seed: settings.seed,
            threads: settings.threads,
        };
        let (main, unseen) = readings(
            data,
            &eval,
            &members,
            &world,
            base.as_ref(),
            fixed,
            progress,
        )?;
        // The same worlds with every assumption drawn from its prior (the scenarios' own overrides
        // kept), for the levers.
        let sampled = |s: &Scenario| Scenario {
            sample_priors: true,
            ..s.clone()
        };
        let (world_p, base_p) = (sampled(&world), base.as_ref().map(sampled));
        let prior_options = Options {
            runs: settings.prior_runs,
            ..fixed
        };
        let (prior, _) = readings(
            data,
            &eval,
            &members,
            &world_p,
            base_p.as_ref(),
            prior_options,
            progress,
        )?;
        let draws = prior_draws(data, &world_p, settings.seed, settings.prior_runs);
        for ((claim, main), prior) in members.iter().zip(&main).zip(&prior) {
            let refs: Vec<&Reading> = main.iter().collect();
            let answer = answer(claim, &refs);
            let call = Call::of(claim, answer.value);
            let prior_refs: Vec<&Reading> = prior.iter().collect();
            let under_priors = crate::claims::answer(claim, &prior_refs).value;
            let levers = levers(claim, prior, &draws);
            // The verdict depends on an assumption when, across its prior, the answer goes from one
            // decided verdict to the other, or (the model being undecided) reaches either.
            let flips: Vec<&str> = levers
                .iter()
                .filter(|l| match l.flips {
                    Some((a, b)) => {
                        call == Call::Undecided || (a != Call::Undecided && b != Call::Undecided)
                    }
                    None => false,
                })
                .map(|l| l.key.as_str())
                .collect();
            let words = if flips.is_empty() {
                call.words().to_string()
            } else {
                format!("depends on: {}", flips.join(", "))
            };
            let prefix = format!("{}:", claim.number);
            verdicts.push(Verdict {
                claim: (*claim).clone(),
                answer,
                call,
                words,
                under_priors,
                levers,
                unseen: unseen
                    .iter()
                    .filter_map(|u| u.strip_prefix(&prefix).map(str::to_string))
                    .collect(),
            });
        }
    }
    verdicts.sort_by_key(|v| v.claim.number);
    Ok(verdicts)
}

/// For each assumption with a prior the scenario leaves free: its key and each world's draw.
struct Draws {
    keys: Vec<String>,
    /// `u[world][assumption]`, in the order of `keys`.
    u: Vec<Vec<f64>>,
}

fn prior_draws(data: &Data, scenario: &Scenario, seed: u64, runs: u32) -> Draws {
    let registry = data.registry_for(scenario);
    let free = crate::sensitivity::free_assumptions(&registry, scenario);
    let keys = free
        .iter()
        .map(|&i| registry.assumptions()[i].key.clone())
        .collect();
    let u = (0..runs as u64)
        .map(|k| {
            let all = registry.prior_draws(&razvilka_kernel::Streams::new(seed, k));
            free.iter().map(|&i| all[i]).collect()
        })
        .collect();
    Draws { keys, u }
}

/// The three assumptions whose lowest and highest fifths give the most different answers.
fn levers(claim: &Claim, readings: &[Reading], draws: &Draws) -> Vec<Lever> {
    let mut levers: Vec<Lever> = draws
        .keys
        .iter()
        .enumerate()
        .map(|(j, key)| {
            let pick = |inside: &dyn Fn(f64) -> bool| -> Vec<&Reading> {
                readings
                    .iter()
                    .zip(&draws.u)
                    .filter(|(_, u)| inside(u[j]))
                    .map(|(r, _)| r)
                    .collect()
            };
            let low = answer(claim, &pick(&|u| u < 0.2));
            let high = answer(claim, &pick(&|u| u >= 0.8));
            let half = |a: &Answer| (a.interval[1] - a.interval[0]) / 2.0;
            let swing = high.value - low.value;
            let swing_half = (half(&low).powi(2) + half(&high).powi(2)).sqrt();
            let (cl, ch) = (Call::of(claim, low.value), Call::of(claim, high.value));
            Lever {
                key: key.clone(),
                low: low.value,
                high: high.value,
                swing,
                swing_half,
                flips: (cl != ch && swing.abs() > swing_half).then_some((cl, ch)),
            }
        })
        .filter(|l| l.swing.is_finite())
        .collect();
    levers.sort_by(|a, b| {
        b.swing
            .abs()
            .total_cmp(&a.swing.abs())
            .then(a.key.cmp(&b.key))
    });
    levers.truncate(3);
    levers
}

fn pct(x: f64) -> String {
    if x.is_finite() {
        format!("{:.0}%", 100.0 * x)
    } else {
        "n/a".into()
    }
}

fn points(x: f64) -> String {
    if x.is_finite() {
        // No "-0 pts": a value that rounds to nothing reads as 0.
        let p = (100.0 * x).round();
        if p == 0.0 {
            return "0 pts".into();
        }
        format!("{p:+.0} pts")
    } else {
        "n/a".into()
    }
}

/// The claims as a readable table.
pub fn table(verdicts: &[Verdict], settings: Settings) -> String {
    let mut out = format!(
        "The thread's claims, tested: {} claims, {} worlds (or twin pairs) each, seed {}.\n\
         Levers: the same worlds again ({} each) with every assumption drawn from its prior; an\n\
         assumption's swing is the answer over the worlds whose draw of it lies in the top fifth of\n\
         its prior minus the answer over those in the bottom fifth.\n\n",
        verdicts.len(),
        settings.runs,
        settings.seed,
        settings.prior_runs
    );
    for v in verdicts {
        let c = &v.claim;
        out += &format!("{:>2}. {} — {}\n", c.number, c.authors.join(", "), c.claim);
        out += &format!("    Reading: {}\n", c.reading);
        let fmt_side = |s: &Side| {
            format!(
                "{} {} [{}, {}] of {} worlds",
                s.label,
                pct(s.p),
                pct(s.interval[0]),
                pct(s.interval[1]),
                s.n
            )
        };
        if let Some(b) = &v.answer.base {
            out += &format!("    {}\n", fmt_side(b));
        }
        out += &format!("    {}\n", fmt_side(&v.answer.world));
        let show = |x: f64| match c.test {
            Test::Level => pct(x),
            _ => points(x),
        };
        let (value, lo, hi) = (
            show(v.answer.value),
            show(v.answer.interval[0]),
            show(v.answer.interval[1]),
        );
        out += &format!(
            "    Tested ({}): {} [{}, {}]; supported if {}, not supported if {}. With the priors sampled: {} ({}).\n",
            match c.test {
                Test::Level => "level",
                Test::Difference => "difference",
                Test::Contrast => "contrast",
            },
            value,
            lo,
            hi,
            c.supported.describe(show),
            c.refuted.describe(show),
            show(v.under_priors),
            Call::of(c, v.under_priors).words()
        );
        out += &format!("    Verdict: {}.\n", v.words);
        if !v.levers.is_empty() {
            let list: Vec<String> = v
                .levers
                .iter()
                .map(|l| {
                    format!(
                        "{} ({} → {}{})",
                        l.key,
                        show(l.low),
                        show(l.high),
                        match l.flips {
                            Some((a, b)) => format!("; {} → {}", a.words(), b.words()),
                            None => String::new(),
                        }
                    )
                })
                .collect();
            out += &format!("    Most sensitive to: {}.\n", list.join("; "));
        }
        if !v.unseen.is_empty() {
            out += &format!(
                "    Note: no world has {} (a typo in the claim, or a path the model never takes).\n",
                v.unseen.join(", ")
            );
        }
        out += "\n";
    }
    out
}

/// The CSS class of a verdict's words.
fn verdict_class(v: &Verdict) -> &'static str {
    if v.words.starts_with("depends") {
        "v-depends"
    } else {
        match v.call {
            Call::Supported => "v-supported",
            Call::NotSupported => "v-not",
            Call::Undecided => "v-undecided",
        }
    }
}

/// The claims as one self-contained HTML page (`claims --report`): an overview table, then each claim
/// with its two probabilities as bars with their intervals, the tested value and its thresholds, the
/// verdict, and the levers.
pub fn page(verdicts: &[Verdict], settings: Settings) -> String {
    use crate::html::{figure, Page};
    use crate::svg::{escape, probability_bars, ProbabilityBar};
    let show = |c: &Claim, x: f64| match c.test {
        Test::Level => pct(x),
        _ => points(x),
    };
    let mut overview = String::from(
        "<table><tr><th class=\"num\">#</th><th>claim</th><th>world</th><th class=\"num\">tested value</th><th>verdict</th></tr>",
    );
    let mut body = String::new();
    for v in verdicts {
        let c = &v.claim;
        overview += &format!(
            "<tr><td class=\"num\"><a href=\"#claim-{n}\">{n}</a></td><td>{}<br><span class=\"note\">{}</span></td><td><code>{}</code></td><td class=\"num\">{}</td><td class=\"verdict {}\">{}</td></tr>",
            escape(&c.claim),
            escape(&c.authors.join(", ")),
            escape(&c.world),
            show(c, v.answer.value),
            verdict_class(v),
            escape(&v.words),
            n = c.number,
        );
        let mut bars = Vec::new();
        let mut counts = Vec::new();
        let sides: Vec<&Side> = v
            .answer
            .base
            .iter()
            .chain(std::iter::once(&v.answer.world))
            .collect();
        for (k, s) in sides.iter().enumerate() {
            // Contrast labels carry the condition: the bars say which side, the caption the rest.
            let label = match (c.test, k) {
                (Test::Contrast, 0) => "elsewhere".to_string(),
                (Test::Contrast, _) => "where given".to_string(),
                _ => s.label.clone(),
            };
            counts.push(format!("{}: {} worlds", s.label, s.n));
            bars.push(ProbabilityBar {
                label,
                value: s.p,
                interval: s.interval,
            });
        }
        let chart = probability_bars("", &bars, "");
        body += &format!(
            "<h3 id=\"claim-{}\">{}. {}</h3><p class=\"note\">{}</p><p><b>Read as:</b> {}</p>",
            c.number,
            c.number,
            escape(&c.claim),
            escape(&c.authors.join(", ")),
            escape(&c.reading)
        );
        body += &format!(
            "<div class=\"solo\">{}</div>",
            figure(
                &chart,
                &format!(
                    "the probability of the claim's event, with its 95% interval ({})",
                    counts.join("; ")
                )
            )
        );
        body += &format!(
            "<p>Tested ({}): <b>{}</b> [{}, {}]; supported if {}, not supported if {}. With every assumption drawn from its prior: {}.<br><span class=\"note\">Thresholds: {}</span></p>",
            match c.test {
                Test::Level => "the probability in the claim's world",
                Test::Difference => "the claim's world minus the baseline, over twin pairs",
                Test::Contrast => "where the condition holds minus where it does not",
            },
            show(c, v.answer.value),
            show(c, v.answer.interval[0]),
            show(c, v.answer.interval[1]),
            c.supported.describe(|x| show(c, x)),
            c.refuted.describe(|x| show(c, x)),
            show(c, v.under_priors),
            escape(&c.thresholds)
        );
        body += &format!(
            "<p>Verdict: <span class=\"verdict {}\">{}</span></p>",
            verdict_class(v),
            escape(&v.words)
        );
        if !v.levers.is_empty() {
            body += "<table><tr><th>assumption</th><th class=\"num\">lowest fifth of its prior</th><th class=\"num\">highest fifth</th><th>verdicts at the two ends</th></tr>";
            for l in &v.levers {
                body += &format!(
                    "<tr><td><code>{}</code></td><td class=\"num\">{}</td><td class=\"num\">{}</td><td>{}</td></tr>",
                    escape(&l.key),
                    show(c, l.low),
                    show(c, l.high),
                    match l.flips {
                        Some((a, b)) => format!("{} → {}", a.words(), b.words()),
                        None => "the same".into(),
                    }
                );
            }
            body += "</table>";
        }
        if !v.unseen.is_empty() {
            body += &format!(
                "<p class=\"note\">No world has {} (a typo in the claim, or a path the model never takes).</p>",
                escape(&v.unseen.join(", "))
            );
        }
    }
    overview += "</table>";
    let mut p = Page::new("The thread's claims, tested");
    p.kicker("razvilka · claims")
        .intro(&format!(
            "<p>Fifteen claims from the forum thread, each read as a question over the model's outcomes (data/claims.toml). {} worlds (or twin pairs) per question, seed {}; the levers come from {} more worlds with every assumption drawn from its prior.</p>",
            settings.runs, settings.seed, settings.prior_runs
        ))
        .section("overview", "Overview", &overview)
        .section("claims", "The claims one by one", &body)
        .section(
            "method",
            "How to read this",
            "<p>A verdict is <b>supported</b> or <b>not supported</b> when the tested value meets the threshold written beside the claim in <code>data/claims.toml</code>, and <b>undecided</b> between them. It <b>depends on</b> an assumption when moving that assumption across its prior carries the answer from one verdict to the other. The levers are the three assumptions whose lowest and highest fifths give the most different answers, in worlds where every assumption is drawn from its prior. See <code>docs/claims.md</code>.</p>",
        )
        .footer("Made by razvilka claims. Same seed, same page.");
    p.render()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn claim(test: Test, given: bool) -> Claim {
        Claim {
            number: 1,
            authors: vec!["a".into()],
            claim: "c".into(),
            reading: "r".into(),
            world: "stalin-expelled".into(),
            baseline: Some("otl".into()),
            test,
            event: vec![],
            given: if given {
                vec![Condition {
                    outcome: "x".into(),
                    r#in: None,
                    not_in: None,
                    at_least: Some(1.0),
                    at_most: None,
                    missing: None,
                }]
            } else {
                vec![]
            },
            supported: Threshold {
                at_least: Some(0.5),
                at_most: None,
            },
            refuted: Threshold {
                at_least: None,
                at_most: Some(0.2),
            },
            thresholds: String::new(),
        }
    }

    fn r(event_world: bool, given_world: bool, event_base: bool, given_base: bool) -> Reading {
        Reading {
            event_world,
            given_world,
            event_base,
            given_base,
        }
    }

    #[test]
    fn the_three_tests_compute_what_they_say() {
        // 4 pairs: the event in 3 of the claim's worlds and 1 of the baseline's; given holds in the
        // first two worlds of each side.
        let rs = [
            r(true, true, true, true),
            r(true, true, false, true),
            r(true, false, false, false),
            r(false, false, false, false),
        ];
        let refs: Vec<&Reading> = rs.iter().collect();
        // Without `given` conditions, every world meets them.
        let all: Vec<Reading> = rs
            .iter()
            .map(|x| r(x.event_world, true, x.event_base, true))
            .collect();
        let all: Vec<&Reading> = all.iter().collect();
        let level = answer(&claim(Test::Level, false), &all);
        assert_eq!(level.value, 0.75);
        assert_eq!(level.base.as_ref().unwrap().p, 0.25);
        let diff = answer(&claim(Test::Difference, false), &all);
        assert_eq!(diff.value, 0.5);
        assert!(diff.interval[0] < 0.5 && diff.interval[1] > 0.5);
        // Given: world 2/2 = 1.0, baseline 1/2 = 0.5.
        let cond = answer(&claim(Test::Difference, true), &refs);
        assert_eq!(cond.value, 0.5);
        // Contrast within the claim's world: where given 2/2, elsewhere 1/2.
        let contrast = answer(&claim(Test::Contrast, true), &refs);
        assert_eq!(contrast.world.p, 1.0);
        assert_eq!(contrast.base.as_ref().unwrap().p, 0.5);
        assert_eq!(contrast.value, 0.5);
    }

    #[test]
    fn thresholds_decide_the_call() {
        let c = claim(Test::Level, false);
        assert_eq!(Call::of(&c, 0.5), Call::Supported);
        assert_eq!(Call::of(&c, 0.3), Call::Undecided);
        assert_eq!(Call::of(&c, 0.2), Call::NotSupported);
        assert_eq!(Call::of(&c, f64::NAN), Call::Undecided);
    }
}
