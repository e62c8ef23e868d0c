//! The thread's claims, tested, and its questions, answered (DESIGN §7). Each claim of
//! `data/claims.toml` quotes its poster and is read as a question over the outcomes of the JSON
//! contract: a probability in one world, or a difference between two worlds (twin pairs) or between
//! two kinds of world within one. The model answers it with a 95% interval, and the thresholds
//! written beside the claim turn the answer into a verdict only when the whole interval clears them
//! ("inconclusive" otherwise). The same claim is answered again with every assumption drawn from its
//! prior; and an assumption is said to decide a claim only when its effect survives a correction
//! for the number of assumptions screened. Where the thread asks rather than claims, a `question`
//! is answered as a distribution, without a verdict.

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;

use razvilka_ensemble::{
    categorical_outcomes, numeric_outcomes, wilson, Categorical, Numeric, Options,
};
use razvilka_kernel::Diagnostic;
use razvilka_world::catalogue::{CATEGORICAL, NUMERIC};
use razvilka_world::{builtin_scenario, Data, Outcome, Scenario};
use serde::{Deserialize, Serialize};
use toml::Spanned;

/// The shipped claims and questions.
pub const CLAIMS: &str = include_str!("../../../data/claims.toml");

/// The family-wise error rate of the lever screen: an assumption is named only if its effect would
/// be this unlikely to arise by chance among all the assumptions screened (Bonferroni).
pub const LEVER_ALPHA: f64 = 0.05;

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

/// Who said it, where, and in what words.
#[derive(Clone, Debug, Serialize)]
pub struct Source {
    /// The posters, the one quoted first.
    pub authors: Vec<String>,
    /// Post numbers: the n-th `## ` heading of the thread (DESIGN §7).
    pub posts: Vec<u32>,
    /// The poster's own words, short.
    pub quote: String,
}

impl Source {
    /// "Admiral Halsey, posts 2 and 7".
    pub fn cite(&self) -> String {
        let posts: Vec<String> = self.posts.iter().map(u32::to_string).collect();
        let posts = match posts.len() {
            0 => String::new(),
            1 => format!("post {}", posts[0]),
            n => format!("posts {} and {}", posts[..n - 1].join(", "), posts[n - 1]),
        };
        format!("{}, {posts}", self.authors.join(", "))
    }
}

/// One claim of the thread.
#[derive(Clone, Debug, Serialize)]
pub struct Claim {
    pub number: u32,
    #[serde(flatten)]
    pub source: Source,
    /// The claim in plain words.
    pub claim: String,
    /// How the model reads it.
    pub reading: String,
    /// Why the model answers as it does: its mechanisms, in a few sentences (no figures).
    pub mechanism: String,
    /// Where the answer is built into the model rather than found by it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub built_in: Option<String>,
    pub world: String,
    pub baseline: Option<String>,
    pub test: Test,
    pub event: Vec<Condition>,
    pub given: Vec<Condition>,
    /// The condition on the baseline's worlds, where it differs from `given`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub baseline_given: Option<Vec<Condition>>,
    pub supported: Threshold,
    pub refuted: Threshold,
    /// Why the thresholds are where they are.
    pub thresholds: String,
}

/// A probability of a named event, shown in a question's answer.
#[derive(Clone, Debug, Serialize)]
pub struct NamedEvent {
    pub label: String,
    pub event: Vec<Condition>,
}

/// A question the thread asks (or a remark it makes in passing), answered as distributions without
/// a verdict.
#[derive(Clone, Debug, Serialize)]
pub struct Question {
    pub number: u32,
    #[serde(flatten)]
    pub source: Source,
    /// The question in plain words.
    pub asks: String,
    /// What the model shows to answer it.
    pub reading: String,
    pub mechanism: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub built_in: Option<String>,
    pub world: String,
    pub baseline: Option<String>,
    /// The worlds the answer is taken over (both sides), if not all of them.
    pub given: Vec<Condition>,
    /// Outcomes whose whole distribution is shown.
    pub outcomes: Vec<String>,
    /// Named events whose probability is shown.
    pub events: Vec<NamedEvent>,
}

/// The claims and questions of one file.
#[derive(Clone, Debug, Serialize)]
pub struct ClaimsFile {
    pub claims: Vec<Claim>,
    pub questions: Vec<Question>,
}

impl ClaimsFile {
    /// The pairs of scenarios to run, and whether each needs the prior-sampled run (claims do,
    /// questions do not).
    fn groups(&self) -> BTreeMap<(String, Option<String>), bool> {
        let mut groups = BTreeMap::new();
        for c in &self.claims {
            groups.insert((c.world.clone(), c.baseline.clone()), true);
        }
        for q in &self.questions {
            groups
                .entry((q.world.clone(), q.baseline.clone()))
                .or_insert(false);
        }
        groups
    }

    /// How many worlds (or twin pairs) `evaluate` runs, for a progress bar.
    pub fn work(&self, settings: Settings) -> u64 {
        self.groups()
            .values()
            .map(|&priors| {
                settings.runs as u64
                    + if priors {
                        settings.prior_runs as u64
                    } else {
                        0
                    }
            })
            .sum()
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    #[serde(default)]
    claim: Vec<Spanned<RawClaim>>,
    #[serde(default)]
    question: Vec<Spanned<RawQuestion>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawClaim {
    number: u32,
    authors: Vec<String>,
    posts: Spanned<Vec<u32>>,
    quote: Spanned<String>,
    claim: String,
    reading: String,
    mechanism: String,
    #[serde(default)]
    built_in: Option<String>,
    world: Spanned<String>,
    #[serde(default)]
    baseline: Option<Spanned<String>>,
    test: Test,
    event: Vec<Spanned<RawCondition>>,
    #[serde(default)]
    given: Vec<Spanned<RawCondition>>,
    #[serde(default)]
    baseline_given: Option<Vec<Spanned<RawCondition>>>,
    supported: Spanned<Threshold>,
    refuted: Spanned<Threshold>,
    thresholds: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawQuestion {
    number: u32,
    authors: Vec<String>,
    posts: Spanned<Vec<u32>>,
    quote: Spanned<String>,
    asks: String,
    reading: String,
    mechanism: String,
    #[serde(default)]
    built_in: Option<String>,
    world: Spanned<String>,
    #[serde(default)]
    baseline: Option<Spanned<String>>,
    #[serde(default)]
    given: Vec<Spanned<RawCondition>>,
    #[serde(default)]
    outcomes: Vec<Spanned<String>>,
    #[serde(default)]
    events: Vec<RawEvent>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEvent {
    label: String,
    event: Vec<Spanned<RawCondition>>,
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

/// Checks names against what exists and turns raw entries into claims and questions.
struct Checker<'a> {
    file: &'a str,
    text: &'a str,
    categorical: BTreeSet<&'static str>,
    numeric: BTreeSet<&'static str>,
}

impl Checker<'_> {
    fn at(&self, span: Range<usize>, msg: String, help: impl Into<String>) -> Diagnostic {
        Diagnostic::at(self.file, self.text, span, msg).with_help(help)
    }

    fn outcome_names(&self) -> String {
        format!(
            "categorical: {}; numeric: {}",
            self.categorical
                .iter()
                .copied()
                .collect::<Vec<_>>()
                .join(", "),
            self.numeric.iter().copied().collect::<Vec<_>>().join(", ")
        )
    }

    fn scenario(&self, name: &Spanned<String>) -> Result<String, Diagnostic> {
        if builtin_scenario(name.get_ref()).is_none() {
            let names: Vec<&str> = razvilka_world::BUILTIN_SCENARIOS
                .iter()
                .map(|(n, _)| *n)
                .collect();
            return Err(self.at(
                name.span(),
                format!("no shipped scenario `{}`", name.get_ref()),
                format!("one of: {}", names.join(", ")),
            ));
        }
        Ok(name.get_ref().clone())
    }

    /// Post numbers and a quote: every claim and question must say where it comes from.
    fn source(
        &self,
        authors: Vec<String>,
        posts: Spanned<Vec<u32>>,
        quote: Spanned<String>,
        span: Range<usize>,
        what: &str,
    ) -> Result<Source, Diagnostic> {
        if authors.is_empty() {
            return Err(self.at(
                span,
                format!("{what}: `authors` is empty"),
                "name the poster(s), the one quoted first",
            ));
        }
        if posts.get_ref().is_empty() || posts.get_ref().contains(&0) {
            return Err(self.at(
                posts.span(),
                format!("{what}: `posts` must list the post numbers, counting from 1"),
                "e.g. posts = [2, 7]: post N is the N-th `## ` heading of the thread",
            ));
        }
        if quote.get_ref().trim().is_empty() {
            return Err(self.at(
                quote.span(),
                format!("{what}: `quote` is empty"),
                "quote the poster's own words, briefly",
            ));
        }
        Ok(Source {
            authors,
            posts: posts.into_inner(),
            quote: quote.into_inner(),
        })
    }

    fn condition(&self, raw: Spanned<RawCondition>) -> Result<Condition, Diagnostic> {
        let span = raw.span();
        let r = raw.into_inner();
        let name = r.outcome.get_ref().as_str();
        let is_cat = self.categorical.contains(name);
        let is_num = self.numeric.contains(name);
        if !is_cat && !is_num {
            return Err(self.at(
                r.outcome.span(),
                format!("unknown outcome `{name}`"),
                self.outcome_names(),
            ));
        }
        let tests_set = r.is_in.is_some() || r.not_in.is_some();
        let tests_number = r.at_least.is_some() || r.at_most.is_some() || r.missing.is_some();
        if is_cat && (!tests_set || tests_number) {
            return Err(self.at(
                span,
                format!("`{name}` is categorical: test it with `in = [...]` or `not_in = [...]`"),
                "e.g. { outcome = \"war_outcome\", in = [\"soviet_victory\"] }",
            ));
        }
        if is_num && (tests_set || !tests_number) {
            return Err(self.at(
                span,
                format!(
                    "`{name}` is numeric: test it with `at_least`, `at_most` or `missing = true`"
                ),
                "e.g. { outcome = \"industry_1940\", at_least = 200.0 }",
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
    }

    fn conditions(&self, raw: Vec<Spanned<RawCondition>>) -> Result<Vec<Condition>, Diagnostic> {
        raw.into_iter().map(|c| self.condition(c)).collect()
    }

    fn claim(&self, spanned: Spanned<RawClaim>) -> Result<Claim, Diagnostic> {
        let span = spanned.span();
        let c = spanned.into_inner();
        let what = format!("claim {}", c.number);
        let world = self.scenario(&c.world)?;
        let baseline = c.baseline.as_ref().map(|b| self.scenario(b)).transpose()?;
        if c.test == Test::Difference && baseline.is_none() {
            return Err(self.at(
                span,
                format!("{what}: a `difference` test needs a `baseline`"),
                "add baseline = \"otl\" (or another scenario), or use test = \"level\"",
            ));
        }
        if c.test == Test::Contrast && c.given.is_empty() {
            return Err(self.at(
                span,
                format!("{what}: a `contrast` test needs `given` conditions"),
                "add given = [...]: the worlds compared are those where it holds and those where it does not",
            ));
        }
        if c.baseline_given.is_some() && baseline.is_none() {
            return Err(self.at(
                span,
                format!("{what}: `baseline_given` needs a `baseline`"),
                "add baseline = \"otl\" (or another scenario), or remove baseline_given",
            ));
        }
        if c.event.is_empty() {
            return Err(self.at(
                span,
                format!("{what}: `event` is empty"),
                "give at least one condition",
            ));
        }
        for t in [&c.supported, &c.refuted] {
            let v = t.get_ref();
            if v.at_least.is_none() && v.at_most.is_none() {
                return Err(self.at(
                    t.span(),
                    "a threshold needs `at_least` or `at_most`".into(),
                    "e.g. supported = { at_least = 0.5 }",
                ));
            }
        }
        let source = self.source(c.authors, c.posts, c.quote, span, &what)?;
        Ok(Claim {
            number: c.number,
            source,
            claim: c.claim,
            reading: c.reading,
            mechanism: c.mechanism,
            built_in: c.built_in,
            world,
            baseline,
            test: c.test,
            event: self.conditions(c.event)?,
            given: self.conditions(c.given)?,
            baseline_given: c.baseline_given.map(|g| self.conditions(g)).transpose()?,
            supported: c.supported.into_inner(),
            refuted: c.refuted.into_inner(),
            thresholds: c.thresholds,
        })
    }

    fn question(&self, spanned: Spanned<RawQuestion>) -> Result<Question, Diagnostic> {
        let span = spanned.span();
        let q = spanned.into_inner();
        let what = format!("question {}", q.number);
        let world = self.scenario(&q.world)?;
        let baseline = q.baseline.as_ref().map(|b| self.scenario(b)).transpose()?;
        if q.outcomes.is_empty() && q.events.is_empty() {
            return Err(self.at(
                span,
                format!("{what}: nothing to show"),
                "give outcomes = [\"...\"] (distributions) or events = [{ label = \"...\", event = [...] }]",
            ));
        }
        let mut outcomes = Vec::new();
        for o in q.outcomes {
            let name = o.get_ref().as_str();
            if !self.categorical.contains(name) && !self.numeric.contains(name) {
                return Err(self.at(
                    o.span(),
                    format!("unknown outcome `{name}`"),
                    self.outcome_names(),
                ));
            }
            outcomes.push(name.to_string());
        }
        let events = q
            .events
            .into_iter()
            .map(|e| {
                Ok(NamedEvent {
                    label: e.label,
                    event: self.conditions(e.event)?,
                })
            })
            .collect::<Result<_, Diagnostic>>()?;
        let source = self.source(q.authors, q.posts, q.quote, span, &what)?;
        Ok(Question {
            number: q.number,
            source,
            asks: q.asks,
            reading: q.reading,
            mechanism: q.mechanism,
            built_in: q.built_in,
            world,
            baseline,
            given: self.conditions(q.given)?,
            outcomes,
            events,
        })
    }
}

/// Reads a claims file, checking every outcome, scenario, source and threshold against what exists.
pub fn parse(text: &str, file: &str) -> Result<ClaimsFile, Diagnostic> {
    let raw: RawFile = toml::from_str(text).map_err(|e| Diagnostic::from_toml(file, text, &e))?;
    let checker = Checker {
        file,
        text,
        categorical: CATEGORICAL.iter().map(|d| d.about.id).collect(),
        numeric: NUMERIC.iter().map(|d| d.about.id).collect(),
    };
    let mut claims = Vec::new();
    let mut numbers = BTreeSet::new();
    for spanned in raw.claim {
        if !numbers.insert(spanned.get_ref().number) {
            return Err(checker.at(
                spanned.span(),
                format!("claim number {} appears twice", spanned.get_ref().number),
                "give each claim its own number",
            ));
        }
        claims.push(checker.claim(spanned)?);
    }
    let mut questions = Vec::new();
    let mut numbers = BTreeSet::new();
    for spanned in raw.question {
        if !numbers.insert(spanned.get_ref().number) {
            return Err(checker.at(
                spanned.span(),
                format!("question number {} appears twice", spanned.get_ref().number),
                "give each question its own number",
            ));
        }
        questions.push(checker.question(spanned)?);
    }
    if claims.is_empty() && questions.is_empty() {
        return Err(Diagnostic::whole_file(
            file,
            "no [[claim]] or [[question]] in the file".to_string(),
        )
        .with_help("see docs/claims.md for the format"));
    }
    claims.sort_by_key(|c| c.number);
    questions.sort_by_key(|q| q.number);
    Ok(ClaimsFile { claims, questions })
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
            let half = if claim.given.is_empty() && claim.baseline_given.is_none() {
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
    fn of_value(claim: &Claim, value: f64) -> Call {
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
fn why_inconclusive(claim: &Claim, a: &Answer) -> String {
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

fn share(hits: usize, n: usize) -> Share {
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

fn quantiles(values: &[f64], of: usize) -> Quantiles {
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

/// One ensemble: each world with its baseline twin, if any.
type Pairs = Vec<(Option<Outcome>, Outcome)>;

fn run_group(
    data: &Data,
    world: &Scenario,
    baseline: Option<&Scenario>,
    options: Options,
    progress: &(dyn Fn() + Sync),
) -> Result<Pairs, ClaimsError> {
    Ok(match baseline {
        Some(b) => razvilka_ensemble::run_pairs(data, b, world, options, progress)?
            .into_iter()
            .map(|(a, w)| (Some(a), w))
            .collect(),
        None => razvilka_ensemble::run(data, world, options, progress)?
            .into_iter()
            .map(|w| (None, w))
            .collect(),
    })
}

fn read_claim(eval: &Evaluator, c: &Claim, pairs: &Pairs) -> Vec<Reading> {
    let given_base = c.baseline_given.as_deref().unwrap_or(&c.given);
    pairs
        .iter()
        .map(|(b, w)| Reading {
            event_world: eval.all(&c.event, w),
            given_world: eval.all(&c.given, w),
            event_base: b.as_ref().is_some_and(|b| eval.all(&c.event, b)),
            given_base: b.as_ref().is_some_and(|b| eval.all(given_base, b)),
        })
        .collect()
}

fn answer_question(eval: &Evaluator, q: &Question, pairs: &Pairs) -> QuestionAnswer {
    let world: Vec<&Outcome> = pairs
        .iter()
        .map(|(_, w)| w)
        .filter(|w| eval.all(&q.given, w))
        .collect();
    let base: Option<Vec<&Outcome>> = q.baseline.as_ref().map(|_| {
        pairs
            .iter()
            .filter_map(|(b, _)| b.as_ref())
            .filter(|b| eval.all(&q.given, b))
            .collect()
    });
    let mut parts = Vec::new();
    for name in &q.outcomes {
        if let Some(f) = eval.categorical.get(name.as_str()) {
            let tally = |worlds: &[&Outcome]| {
                let mut t: BTreeMap<String, usize> = BTreeMap::new();
                for o in worlds {
                    *t.entry(f(o)).or_default() += 1;
                }
                t
            };
            let tw = tally(&world);
            let tb = base.as_deref().map(tally);
            // The most common value in the question's world first; values only the baseline took
            // after them, most common first; ties by name.
            let mut values: Vec<&String> = tw.keys().collect();
            if let Some(tb) = &tb {
                values.extend(tb.keys().filter(|v| !tw.contains_key(*v)));
            }
            let count = |t: &BTreeMap<String, usize>, v: &str| t.get(v).copied().unwrap_or(0);
            values.sort_by(|a, b| {
                count(&tw, b)
                    .cmp(&count(&tw, a))
                    .then_with(|| {
                        tb.as_ref()
                            .map_or(std::cmp::Ordering::Equal, |t| count(t, b).cmp(&count(t, a)))
                    })
                    .then(a.cmp(b))
            });
            let rows = values
                .into_iter()
                .map(|v| CategoryRow {
                    value: v.clone(),
                    world: share(count(&tw, v), world.len()),
                    base: tb
                        .as_ref()
                        .zip(base.as_ref())
                        .map(|(t, b)| share(count(t, v), b.len())),
                })
                .collect();
            parts.push(Part::Categorical {
                outcome: name.clone(),
                rows,
            });
        } else if let Some(f) = eval.numeric.get(name.as_str()) {
            let q_of = |worlds: &[&Outcome]| {
                let v: Vec<f64> = worlds.iter().map(|o| f(o)).collect();
                quantiles(&v, worlds.len())
            };
            parts.push(Part::Numeric {
                outcome: name.clone(),
                world: q_of(&world),
                base: base.as_deref().map(q_of),
            });
        }
    }
    for e in &q.events {
        let p = |worlds: &[&Outcome]| {
            share(
                worlds.iter().filter(|o| eval.all(&e.event, o)).count(),
                worlds.len(),
            )
        };
        parts.push(Part::Event {
            label: e.label.clone(),
            world: p(&world),
            base: base.as_deref().map(p),
        });
    }
    QuestionAnswer {
        question: q.clone(),
        n_world: world.len(),
        n_base: base.as_ref().map(Vec::len),
        parts,
    }
}

/// Answers every claim and question. Those about the same pair of worlds share one ensemble of
/// twin pairs (and, for claims, one more with the priors sampled).
pub fn evaluate(
    data: &Data,
    file: &ClaimsFile,
    settings: Settings,
    progress: &(dyn Fn() + Sync),
) -> Result<Answers, ClaimsError> {
    let eval = Evaluator::new(data);
    let mut verdicts = Vec::new();
    let mut questions = Vec::new();
    let mut scenarios = BTreeMap::new();
    for ((world_name, base_name), needs_priors) in file.groups() {
        let world = scenario(data, &world_name)?;
        let base = base_name
            .as_deref()
            .map(|b| scenario(data, b))
            .transpose()?;
        for s in std::iter::once(&world).chain(base.as_ref()) {
            scenarios.insert(s.name.clone(), s.title.clone());
        }
        let in_group = |w: &str, b: &Option<String>| w == world_name && *b == base_name;
        let fixed = Options {
            runs: settings.runs,
            seed: settings.seed,
            threads: settings.threads,
        };
        let main = run_group(data, &world, base.as_ref(), fixed, progress)?;
        for q in file
            .questions
            .iter()
            .filter(|q| in_group(&q.world, &q.baseline))
        {
            questions.push(answer_question(&eval, q, &main));
        }
        if !needs_priors {
            continue;
        }
        let members: Vec<&Claim> = file
            .claims
            .iter()
            .filter(|c| in_group(&c.world, &c.baseline))
            .collect();
        // The same worlds with every assumption drawn from its prior (the scenarios' own overrides
        // kept).
        let sampled = |s: &Scenario| Scenario {
            sample_priors: true,
            ..s.clone()
        };
        let (world_p, base_p) = (sampled(&world), base.as_ref().map(sampled));
        let prior_options = Options {
            runs: settings.prior_runs,
            ..fixed
        };
        let prior = run_group(data, &world_p, base_p.as_ref(), prior_options, progress)?;
        let draws = prior_draws(data, &world_p, settings.seed, settings.prior_runs);
        let all: Vec<&Outcome> = main
            .iter()
            .flat_map(|(b, w)| b.iter().chain(std::iter::once(w)))
            .collect();
        for claim in members {
            let readings = read_claim(&eval, claim, &main);
            let refs: Vec<&Reading> = readings.iter().collect();
            let answer = answer(claim, &refs);
            let call = Call::of(claim, answer.value, answer.interval);
            let prior_readings = read_claim(&eval, claim, &prior);
            let prior_refs: Vec<&Reading> = prior_readings.iter().collect();
            let under_priors = crate::claims::answer(claim, &prior_refs);
            let call_under_priors = Call::of(claim, under_priors.value, under_priors.interval);
            let screen = levers(claim, &prior_readings, &draws);
            let words = if call == call_under_priors {
                format!(
                    "{} (at the defaults and with the priors sampled)",
                    call.words()
                )
            } else {
                format!(
                    "changes with the priors: {} at the defaults, {} with the priors sampled",
                    call.words(),
                    call_under_priors.words()
                )
            };
            let inconclusive_because = [
                ("at the defaults", &answer),
                ("with the priors sampled", &under_priors),
            ]
            .iter()
            .filter_map(|(when, a)| {
                let why = why_inconclusive(claim, a);
                (!why.is_empty()).then(|| format!("{when}, {why}"))
            })
            .collect();
            let mut unseen = eval.unseen(&claim.event, &all);
            unseen.extend(eval.unseen(&claim.given, &all));
            verdicts.push(Verdict {
                claim: claim.clone(),
                answer,
                call,
                under_priors,
                call_under_priors,
                words,
                inconclusive_because,
                levers_words: screen.words(),
                levers: screen.named,
                screened: screen.screened,
                z_critical: screen.z_critical,
                unseen,
            });
        }
    }
    verdicts.sort_by_key(|v| v.claim.number);
    questions.sort_by_key(|q| q.question.number);
    Ok(Answers {
        runs: settings.runs,
        prior_runs: settings.prior_runs,
        seed: settings.seed,
        scenarios,
        claims: verdicts,
        questions,
    })
}

/// For each assumption with a prior the scenario leaves free: its key, meaning and each world's draw.
struct Draws {
    keys: Vec<(String, String)>,
    /// `u[world][assumption]`, in the order of `keys`.
    u: Vec<Vec<f64>>,
}

fn prior_draws(data: &Data, scenario: &Scenario, seed: u64, runs: u32) -> Draws {
    let registry = data.registry_for(scenario);
    let free = crate::sensitivity::free_assumptions(&registry, scenario);
    let keys = free
        .iter()
        .map(|&i| {
            let a = &registry.assumptions()[i];
            (a.key.clone(), a.meaning.clone())
        })
        .collect();
    let u = (0..runs as u64)
        .map(|k| {
            let all = registry.prior_draws(&razvilka_kernel::Streams::new(seed, k));
            free.iter().map(|&i| all[i]).collect()
        })
        .collect();
    Draws { keys, u }
}

/// The lever screen of one claim.
struct Screen {
    /// The assumptions whose effect passes the correction: the firm ones, then the tentative ones,
    /// each group largest |z| first.
    named: Vec<Lever>,
    screened: usize,
    z_critical: f64,
}

impl Screen {
    fn words(&self) -> String {
        let deciding = |firm: bool| -> Vec<String> {
            self.named
                .iter()
                .filter(|l| l.decides && l.firm == firm)
                .map(|l| format!("{} ({})", l.meaning, l.key))
                .collect()
        };
        let (firm, tentative) = (deciding(true), deciding(false));
        if !firm.is_empty() {
            format!("Decided by: {}.", firm.join("; "))
        } else if !tentative.is_empty() {
            format!(
                "Perhaps decided by: {} (tentative: it passes the correction, but not by the margin that makes it replicate with another seed).",
                tentative.join("; ")
            )
        } else if self.named.is_empty() {
            format!(
                "No single assumption decides it: none of the {} screened moves it beyond chance (|z| > {:.2}, Bonferroni over all of them, and again in each half of the worlds).",
                self.screened, self.z_critical
            )
        } else {
            "No single assumption decides it: the assumptions below move it, but not across a threshold.".into()
        }
    }
}

/// Screens every free assumption: the answer over the worlds whose draw of it lies in the lowest
/// fifth of its prior, against the highest fifth. With a couple of hundred assumptions screened, a
/// handful of swings beyond their own 95% intervals come by chance alone, so an assumption is named
/// only when its swing passes a Bonferroni correction over all of them, and is found again, with
/// the same sign, in each half of the worlds (even and odd worlds draw from independent streams, so
/// the halves are two independent ensembles). A lever is firm when both tests pass by a further
/// 1.96 (the whole interval of each swing beyond its bar): such a lever passes again with another
/// seed in most seeds, where one that passes narrowly may not, so the narrow ones are shown as
/// tentative and never as deciding the claim outright.
fn levers(claim: &Claim, readings: &[Reading], draws: &Draws) -> Screen {
    let screened = draws.keys.len();
    let z_critical =
        razvilka_kernel::inverse_normal_cdf(1.0 - LEVER_ALPHA / (2.0 * screened.max(1) as f64));
    // The swing and its z over the worlds `part` keeps.
    let swing_of = |j: usize, part: &dyn Fn(usize) -> bool| {
        let pick = |inside: &dyn Fn(f64) -> bool| -> Vec<&Reading> {
            readings
                .iter()
                .zip(&draws.u)
                .enumerate()
                .filter(|(k, (_, u))| part(*k) && inside(u[j]))
                .map(|(_, (r, _))| r)
                .collect()
        };
        let low = answer(claim, &pick(&|u| u < 0.2));
        let high = answer(claim, &pick(&|u| u >= 0.8));
        let se = |a: &Answer| (a.interval[1] - a.interval[0]) / (2.0 * 1.959964);
        let swing = high.value - low.value;
        let swing_se = (se(&low).powi(2) + se(&high).powi(2)).sqrt();
        (low.value, high.value, swing, swing_se)
    };
    let mut named: Vec<Lever> = draws
        .keys
        .iter()
        .enumerate()
        .map(|(j, (key, meaning))| {
            let (low, high, swing, swing_se) = swing_of(j, &|_| true);
            let half_z = |parity: usize| {
                let (_, _, s, se) = swing_of(j, &|k| k % 2 == parity);
                s / se
            };
            Lever {
                key: key.clone(),
                meaning: meaning.clone(),
                low,
                high,
                swing,
                swing_se,
                z: swing / swing_se,
                z_halves: [half_z(0), half_z(1)],
                decides: Call::of_value(claim, low) != Call::of_value(claim, high),
                firm: false,
            }
        })
        .filter(|l| passes(l, z_critical, 1.959964))
        .map(|l| Lever {
            // Firm: each test passed with a further 1.96 to spare.
            firm: passes(&l, z_critical + 1.959964, 2.0 * 1.959964),
            ..l
        })
        .collect();
    // Firm first, then tentative, each largest |z| first. None is cut: a lever left off the list
    // for want of room at one seed would read as a lever not found.
    named.sort_by(|a, b| {
        b.firm
            .cmp(&a.firm)
            .then(b.z.abs().total_cmp(&a.z.abs()))
            .then(a.key.cmp(&b.key))
    });
    Screen {
        named,
        screened,
        z_critical,
    }
}

/// Whether a lever's swing clears `z_all` over all the worlds and `z_half` in each half, with one sign.
fn passes(l: &Lever, z_all: f64, z_half: f64) -> bool {
    l.z.is_finite()
        && l.z.abs() > z_all
        && l.z_halves
            .iter()
            .all(|h| h.is_finite() && h.signum() == l.z.signum() && h.abs() > z_half)
}

/// A probability as a percentage: one decimal under 10%, where a whole percent would hide a rare
/// event.
fn pct(x: f64) -> String {
    if !x.is_finite() {
        "n/a".into()
    } else if x.abs() < 0.1 && (1000.0 * x).round() != 0.0 && (100.0 * x).round().abs() < 10.0 {
        format!("{:.1}%", 100.0 * x)
    } else {
        format!("{:.0}%", 100.0 * x)
    }
}

/// A difference of probabilities in percentage points, signed.
fn points(x: f64) -> String {
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
fn number(x: f64) -> String {
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

fn show(c: &Claim, x: f64) -> String {
    match c.test {
        Test::Level => pct(x),
        _ => points(x),
    }
}

fn with_interval(c: &Claim, a: &Answer) -> String {
    format!(
        "{} [{}, {}]",
        show(c, a.value),
        show(c, a.interval[0]),
        show(c, a.interval[1])
    )
}

fn share_words(s: &Share) -> String {
    format!(
        "{} [{}, {}]",
        pct(s.p),
        pct(s.interval[0]),
        pct(s.interval[1])
    )
}

fn quantile_words(q: &Quantiles) -> String {
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
fn visible_rows(rows: &[CategoryRow]) -> (Vec<&CategoryRow>, Vec<&str>) {
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

fn header(settings: Settings, answers: &Answers) -> String {
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

/// The claims, then the questions, as readable text.
pub fn table(answers: &Answers, settings: Settings) -> String {
    let mut out = header(settings, answers);
    for v in &answers.claims {
        let c = &v.claim;
        out += &format!(
            "{:>2}. {} — \"{}\"\n",
            c.number,
            c.source.cite(),
            c.source.quote
        );
        out += &format!("    Claim: {}\n", c.claim);
        out += &format!("    Read as: {}\n", c.reading);
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
        out += &format!(
            "    Tested ({}): {}; supported if {}, not supported if {}.\n",
            match c.test {
                Test::Level => "level",
                Test::Difference => "difference",
                Test::Contrast => "contrast",
            },
            with_interval(c, &v.answer),
            c.supported.describe(|x| show(c, x)),
            c.refuted.describe(|x| show(c, x)),
        );
        out += &format!(
            "    With the priors sampled: {}.\n",
            with_interval(c, &v.under_priors)
        );
        out += &format!("    Verdict: {}.\n", v.words);
        for why in &v.inconclusive_because {
            out += &format!("      Inconclusive {why}.\n");
        }
        out += &format!("    {}\n", v.levers_words);
        for l in &v.levers {
            out += &format!(
                "      {} ({}): {} → {} from the lowest to the highest fifth of its prior (z = {:.1}{})\n",
                l.meaning,
                l.key,
                show(c, l.low),
                show(c, l.high),
                l.z,
                if l.firm { "" } else { ", tentative" }
            );
        }
        if let Some(b) = &c.built_in {
            out += &format!("    Built into the model: {b}\n");
        }
        if !v.unseen.is_empty() {
            out += &format!(
                "    Note: no world has {} (a typo in the claim, or a path the model never takes).\n",
                v.unseen.join(", ")
            );
        }
        out += "\n";
    }
    if !answers.questions.is_empty() {
        out += "The thread's questions, answered as distributions (no verdicts).\n\n";
    }
    for a in &answers.questions {
        let q = &a.question;
        out += &format!(
            "Q{}. {} — \"{}\"\n",
            q.number,
            q.source.cite(),
            q.source.quote
        );
        out += &format!("    Asks: {}\n", q.asks);
        out += &format!("    Shown: {}\n", q.reading);
        let sides = match (&q.baseline, a.n_base) {
            (Some(b), Some(nb)) => format!(
                "{} ({} worlds) against {} ({} worlds)",
                q.world, a.n_world, b, nb
            ),
            _ => format!("{} ({} worlds)", q.world, a.n_world),
        };
        out += &format!("    In {sides}:\n");
        for part in &a.parts {
            match part {
                Part::Categorical { outcome, rows } => {
                    out += &format!("      {outcome}:\n");
                    let (shown, rest) = visible_rows(rows);
                    for r in shown {
                        out += &format!("        {:<24} {}", r.value, share_words(&r.world));
                        if let Some(b) = &r.base {
                            out += &format!("   against {}", share_words(b));
                        }
                        out += "\n";
                    }
                    if !rest.is_empty() {
                        out += &format!("        under 1% each: {}\n", rest.join(", "));
                    }
                }
                Part::Numeric {
                    outcome,
                    world,
                    base,
                } => {
                    out += &format!("      {outcome}: {}", quantile_words(world));
                    if let Some(b) = base {
                        out += &format!("; against {}", quantile_words(b));
                    }
                    out += "\n";
                }
                Part::Event { label, world, base } => {
                    out += &format!("      {label}: {}", share_words(world));
                    if let Some(b) = base {
                        out += &format!("; against {}", share_words(b));
                    }
                    out += "\n";
                }
            }
        }
        if let Some(b) = &q.built_in {
            out += &format!("    Built into the model: {b}\n");
        }
        out += "\n";
    }
    out
}

/// The scenario's title, for readers who do not know the file names.
fn title<'a>(answers: &'a Answers, name: &'a str) -> &'a str {
    answers.scenarios.get(name).map_or(name, String::as_str)
}

/// One plain sentence for a verdict, the difference between the two verdicts first.
fn verdict_sentence(v: &Verdict) -> String {
    let c = &v.claim;
    let what = match c.test {
        Test::Level => "the model gives",
        Test::Difference => "the model gives a difference of",
        Test::Contrast => "the model gives a gap of",
    };
    let needed = format!(
        "The claim needed {} and fails at {}",
        c.supported.describe(|x| show(c, x)),
        c.refuted.describe(|x| show(c, x))
    );
    if v.call != v.call_under_priors {
        format!(
            "**The verdict changes with the assumptions: {} at their defaults ({}), {} with them drawn from their priors ({}).** {needed}.",
            v.call.words(),
            with_interval(c, &v.answer),
            v.call_under_priors.words(),
            with_interval(c, &v.under_priors),
        )
    } else {
        format!(
            "**{}.** At the defaults {what} {}; with every assumption drawn from its prior, {}. {needed}.",
            capitalise(v.call.words()),
            with_interval(c, &v.answer),
            with_interval(c, &v.under_priors),
        )
    }
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

/// The answers as the generated part of `docs/claims.md`: each claim quoted, its verdict in one
/// sentence, the mechanism behind it, and each question's answer in small tables.
pub fn markdown(answers: &Answers, settings: Settings) -> String {
    let mut out = format!(
        "<!-- Generated by `razvilka claims --markdown --runs {} --prior-runs {} --seed {}`; do not edit by hand. -->\n\n",
        settings.runs, settings.prior_runs, settings.seed
    );
    out += "## The claims\n\n";
    for v in &answers.claims {
        let c = &v.claim;
        out += &format!(
            "### {}. {}\n\n> \"{}\" — {}\n\n",
            c.number,
            c.claim,
            c.source.quote,
            c.source.cite()
        );
        out += &format!("*Read as:* {}\n\n", c.reading);
        out += &verdict_sentence(v);
        for why in &v.inconclusive_because {
            out += &format!(" Inconclusive {why}.");
        }
        out += "\n\n";
        out += &format!("{}\n\n", c.mechanism);
        let sides: Vec<String> = v
            .answer
            .base
            .iter()
            .chain(std::iter::once(&v.answer.world))
            .map(|s| {
                let label = match c.test {
                    Test::Contrast => s.label.clone(),
                    _ => title(answers, &s.label).to_string(),
                };
                format!(
                    "{label}: {} [{}, {}] of {} worlds",
                    pct(s.p),
                    pct(s.interval[0]),
                    pct(s.interval[1]),
                    s.n
                )
            })
            .collect();
        out += &format!("The figures: {}.\n\n", sides.join("; "));
        if v.levers.is_empty() {
            out += &format!("*Which assumption decides it:* {}\n\n", v.levers_words);
        } else {
            out += &format!(
                "*Which assumption decides it:* {}\n\n",
                if v.levers.iter().any(|l| l.decides && l.firm) {
                    "the assumption marked below carries the answer across a bar as it moves through its range."
                } else if v.levers.iter().any(|l| l.decides) {
                    "perhaps the assumption marked below, which carries the answer across a bar; its effect is tentative (it may not pass with another seed)."
                } else {
                    "no single assumption; those below move the answer, but not across a bar."
                }
            );
            for l in &v.levers {
                out += &format!(
                    "- {} (`{}`): {} in the lowest fifth of its range, {} in the highest{}{}\n",
                    l.meaning.trim_end_matches('.'),
                    l.key,
                    show(c, l.low),
                    show(c, l.high),
                    if l.decides { " (**decides it**)" } else { "" },
                    if l.firm { "" } else { " (tentative)" }
                );
            }
            out += "\n";
        }
        if let Some(b) = &c.built_in {
            out += &format!("> **Built into the model, not found by it:** {b}\n\n");
        }
    }
    out += "## The questions\n\n";
    for a in &answers.questions {
        let q = &a.question;
        out += &format!(
            "### Q{}. {}\n\n> \"{}\" — {}\n\n",
            q.number,
            q.asks,
            q.source.quote,
            q.source.cite()
        );
        out += &format!("{}\n\n{}\n\n", q.reading, q.mechanism);
        let world = title(answers, &q.world);
        let base = q.baseline.as_deref().map(|b| title(answers, b));
        for part in &a.parts {
            match part {
                Part::Categorical { outcome, rows } => {
                    let (shown, rest) = visible_rows(rows);
                    out += &format!("| `{outcome}` | {world} |");
                    if let Some(b) = base {
                        out += &format!(" {b} |");
                    }
                    out += &format!("\n|---|---|{}\n", if base.is_some() { "---|" } else { "" });
                    for r in shown {
                        out += &format!("| {} | {} |", r.value, share_words(&r.world));
                        if let Some(b) = &r.base {
                            out += &format!(" {} |", share_words(b));
                        }
                        out += "\n";
                    }
                    if !rest.is_empty() {
                        out += &format!(
                            "| under 1% each: {} | |{}\n",
                            rest.join(", "),
                            if base.is_some() { " |" } else { "" }
                        );
                    }
                    out += "\n";
                }
                Part::Numeric {
                    outcome,
                    world: w,
                    base: b,
                } => {
                    out += &format!("- `{outcome}`, {world}: {}", quantile_words(w));
                    if let (Some(b), Some(name)) = (b, base) {
                        out += &format!("; {name}: {}", quantile_words(b));
                    }
                    out += ".\n\n";
                }
                Part::Event {
                    label,
                    world: w,
                    base: b,
                } => {
                    out += &format!("- {label}: {world} {}", share_words(w));
                    if let (Some(b), Some(name)) = (b, base) {
                        out += &format!("; {name} {}", share_words(b));
                    }
                    out += ".\n\n";
                }
            }
        }
        if let Some(b) = &q.built_in {
            out += &format!("> **Built into the model, not found by it:** {b}\n\n");
        }
    }
    out
}

/// The CSS class of a verdict.
fn verdict_class(call: Call) -> &'static str {
    match call {
        Call::Supported => "v-supported",
        Call::NotSupported => "v-not",
        Call::Inconclusive => "v-inconclusive",
    }
}

/// The claims and questions as one self-contained HTML page (`claims --report`, and the web's
/// claims page): an overview table, then each claim with its quote, its two probabilities as bars
/// with their intervals, the tested value and its thresholds, both verdicts and the levers; then
/// each question's distributions.
pub fn page(answers: &Answers, settings: Settings) -> String {
    use crate::html::{figure, Page};
    use crate::svg::{escape, probability_bars, ProbabilityBar};
    let mut overview = String::from(
        "<table><tr><th class=\"num\">#</th><th>claim</th><th>world</th><th class=\"num\">at the defaults [95%]</th><th class=\"num\">priors sampled [95%]</th><th>verdict</th></tr>",
    );
    let mut body = String::new();
    for v in &answers.claims {
        let c = &v.claim;
        overview += &format!(
            "<tr><td class=\"num\"><a href=\"#claim-{n}\">{n}</a></td><td>{}<br><span class=\"note\">{}</span></td><td><code>{}</code></td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"verdict {}\">{}</td></tr>",
            escape(&c.claim),
            escape(&c.source.cite()),
            escape(&c.world),
            escape(&with_interval(c, &v.answer)),
            escape(&with_interval(c, &v.under_priors)),
            verdict_class(v.call),
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
            "<h3 id=\"claim-{}\">{}. {}</h3><blockquote>“{}” <span class=\"note\">— {}</span></blockquote><p><b>Read as:</b> {}</p>",
            c.number,
            c.number,
            escape(&c.claim),
            escape(&c.source.quote),
            escape(&c.source.cite()),
            escape(&c.reading)
        );
        body += &format!(
            "<div class=\"solo\">{}</div>",
            figure(
                &chart,
                &format!(
                    "the probability of the claim's event at the defaults, with its 95% interval ({})",
                    counts.join("; ")
                )
            )
        );
        body += &format!(
            "<p>Tested ({}): <b>{}</b> at the defaults; <b>{}</b> with every assumption drawn from its prior. Supported if the whole interval is {}, not supported if it is {}.<br><span class=\"note\">Thresholds: {}</span></p>",
            match c.test {
                Test::Level => "the probability in the claim's world",
                Test::Difference => "the claim's world minus the baseline",
                Test::Contrast => "where the condition holds minus where it does not",
            },
            escape(&with_interval(c, &v.answer)),
            escape(&with_interval(c, &v.under_priors)),
            escape(&c.supported.describe(|x| show(c, x))),
            escape(&c.refuted.describe(|x| show(c, x))),
            escape(&c.thresholds)
        );
        body += &format!(
            "<p>Verdict: <span class=\"verdict {}\">{}</span>",
            verdict_class(v.call),
            escape(&v.words)
        );
        for why in &v.inconclusive_because {
            body += &format!(
                "<br><span class=\"note\">Inconclusive {}.</span>",
                escape(why)
            );
        }
        body += "</p>";
        body += &format!("<p>{}</p>", escape(&c.mechanism));
        body += &format!("<p>{}</p>", escape(&v.levers_words));
        if !v.levers.is_empty() {
            body += "<table><tr><th>assumption</th><th class=\"num\">lowest fifth of its prior</th><th class=\"num\">highest fifth</th><th class=\"num\">z</th></tr>";
            for l in &v.levers {
                body += &format!(
                    "<tr><td>{} <code>{}</code>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{:.1}</td></tr>",
                    escape(&l.meaning),
                    escape(&l.key),
                    if l.firm { "" } else { " <span class=\"note\">(tentative)</span>" },
                    show(c, l.low),
                    show(c, l.high),
                    l.z
                );
            }
            body += "</table>";
        }
        if let Some(b) = &c.built_in {
            body += &format!(
                "<p class=\"note\"><b>Built into the model, not found by it:</b> {}</p>",
                escape(b)
            );
        }
        if !v.unseen.is_empty() {
            body += &format!(
                "<p class=\"note\">No world has {} (a typo in the claim, or a path the model never takes).</p>",
                escape(&v.unseen.join(", "))
            );
        }
    }
    overview += "</table>";
    let mut questions = String::new();
    for a in &answers.questions {
        let q = &a.question;
        questions += &format!(
            "<h3 id=\"question-{}\">Q{}. {}</h3><blockquote>“{}” <span class=\"note\">— {}</span></blockquote><p>{}</p><p class=\"note\">{}</p>",
            q.number,
            q.number,
            escape(&q.asks),
            escape(&q.source.quote),
            escape(&q.source.cite()),
            escape(&q.reading),
            escape(&q.mechanism)
        );
        let base_head = q.baseline.as_ref().map_or(String::new(), |b| {
            format!(
                "<th class=\"num\"><code>{}</code> ({} worlds)</th>",
                escape(b),
                a.n_base.unwrap_or(0)
            )
        });
        let head = |first: &str| {
            format!(
                "<table><tr><th>{}</th><th class=\"num\"><code>{}</code> ({} worlds)</th>{base_head}</tr>",
                escape(first),
                escape(&q.world),
                a.n_world
            )
        };
        let cell = |s: &Option<Share>| {
            s.as_ref().map_or(String::new(), |s| {
                format!("<td class=\"num\">{}</td>", share_words(s))
            })
        };
        let mut events = String::new();
        for part in &a.parts {
            match part {
                Part::Categorical { outcome, rows } => {
                    questions += &head(outcome);
                    let (shown, rest) = visible_rows(rows);
                    for r in shown {
                        questions += &format!(
                            "<tr><td>{}</td><td class=\"num\">{}</td>{}</tr>",
                            escape(&r.value),
                            share_words(&r.world),
                            cell(&r.base)
                        );
                    }
                    if !rest.is_empty() {
                        questions += &format!(
                            "<tr><td colspan=\"3\" class=\"note\">under 1% each: {}</td></tr>",
                            escape(&rest.join(", "))
                        );
                    }
                    questions += "</table>";
                }
                Part::Numeric {
                    outcome,
                    world,
                    base,
                } => {
                    questions += &format!(
                        "<p><code>{}</code>: <code>{}</code> {}{}</p>",
                        escape(outcome),
                        escape(&q.world),
                        escape(&quantile_words(world)),
                        match (base, &q.baseline) {
                            (Some(b), Some(name)) => format!(
                                "; <code>{}</code> {}",
                                escape(name),
                                escape(&quantile_words(b))
                            ),
                            _ => String::new(),
                        }
                    );
                }
                Part::Event { label, world, base } => {
                    events += &format!(
                        "<tr><td>{}</td><td class=\"num\">{}</td>{}</tr>",
                        escape(label),
                        share_words(world),
                        cell(base)
                    );
                }
            }
        }
        if !events.is_empty() {
            questions += &head("event");
            questions += &events;
            questions += "</table>";
        }
        if let Some(b) = &q.built_in {
            questions += &format!(
                "<p class=\"note\"><b>Built into the model, not found by it:</b> {}</p>",
                escape(b)
            );
        }
    }
    let mut p = Page::new("The thread's claims, tested");
    p.kicker("razvilka · claims")
        .intro(&format!(
            "<p>{} claims from the forum thread, each quoted and read as a question over the model's outcomes, and {} questions the thread asks, answered as distributions (data/claims.toml). {} worlds (or twin pairs) per pair of scenarios, seed {}; the same claims again over {} worlds with every assumption drawn from its prior.</p>",
            answers.claims.len(),
            answers.questions.len(),
            settings.runs,
            settings.seed,
            settings.prior_runs
        ))
        .section("overview", "Overview", &overview)
        .section("claims", "The claims one by one", &body)
        .section("questions", "The thread's questions", &questions)
        .section(
            "method",
            "How to read this",
            "<p>A verdict is <b>supported</b> or <b>not supported</b> only when the whole 95% interval of the tested value meets the threshold written beside the claim in <code>data/claims.toml</code>; otherwise it is <b>inconclusive</b>. It is given twice: with the assumptions at their defaults, and with every assumption drawn from its prior; when the two differ, that is said first. An assumption is named only when its effect, the answer over the worlds in the top fifth of its prior minus the bottom fifth, passes a Bonferroni correction over all the assumptions screened; it <b>decides</b> the claim when the two fifths fall on different sides of a threshold. One that passes only narrowly is marked <i>tentative</i>: another seed may not find it. See <code>docs/claims.md</code>.</p>",
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
            source: Source {
                authors: vec!["a".into()],
                posts: vec![1],
                quote: "q".into(),
            },
            claim: "c".into(),
            reading: "r".into(),
            mechanism: "m".into(),
            built_in: None,
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
            baseline_given: None,
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
    fn a_verdict_is_decided_only_when_the_whole_interval_clears_a_threshold() {
        let c = claim(Test::Level, false);
        assert_eq!(Call::of(&c, 0.6, [0.55, 0.65]), Call::Supported);
        assert_eq!(Call::of(&c, 0.1, [0.05, 0.15]), Call::NotSupported);
        // The value clears the threshold, its interval does not.
        assert_eq!(Call::of(&c, 0.52, [0.48, 0.56]), Call::Inconclusive);
        assert_eq!(Call::of(&c, 0.18, [0.15, 0.21]), Call::Inconclusive);
        // Between the thresholds.
        assert_eq!(Call::of(&c, 0.3, [0.28, 0.32]), Call::Inconclusive);
        assert_eq!(Call::of(&c, f64::NAN, [0.0, 1.0]), Call::Inconclusive);
        let a = |value: f64, lo: f64, hi: f64| Answer {
            base: None,
            world: side("w", 0, 0),
            value,
            interval: [lo, hi],
        };
        assert_eq!(
            why_inconclusive(&c, &a(0.52, 0.48, 0.56)),
            "its 95% interval crosses a threshold"
        );
        assert_eq!(
            why_inconclusive(&c, &a(0.3, 0.28, 0.32)),
            "it lies between the two thresholds"
        );
        assert_eq!(why_inconclusive(&c, &a(0.6, 0.55, 0.65)), "");
    }

    /// Draws for `assumptions` assumptions over `worlds` worlds from a fixed generator, and
    /// readings whose event depends on assumption 0 only when `planted` is given: (the event's
    /// probability below the median of assumption 0, above it).
    fn screen(assumptions: usize, worlds: usize, planted: Option<(f64, f64)>) -> Screen {
        use rand_core::{RngCore, SeedableRng};
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(7);
        let mut uniform = move || (rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64;
        let u: Vec<Vec<f64>> = (0..worlds)
            .map(|_| (0..assumptions).map(|_| uniform()).collect())
            .collect();
        let readings: Vec<Reading> = u
            .iter()
            .map(|row| {
                // The event comes in 30% of the worlds, or (planted) with one probability below the
                // median of assumption 0 and another above it.
                let p = match planted {
                    Some((below, above)) => {
                        if row[0] < 0.5 {
                            below
                        } else {
                            above
                        }
                    }
                    None => 0.3,
                };
                r(uniform() < p, true, false, true)
            })
            .collect();
        let keys = (0..assumptions)
            .map(|j| (format!("a.{j}"), format!("assumption {j}")))
            .collect();
        levers(&claim(Test::Level, false), &readings, &Draws { keys, u })
    }

    #[test]
    fn pure_noise_names_no_lever_among_two_hundred_assumptions() {
        // Uncorrected, about ten of 200 null swings would pass |z| > 1.96.
        let s = screen(200, 3000, None);
        assert!(s.named.is_empty(), "{:?}", s.named);
        assert!(s.z_critical > 3.5 && s.z_critical < 4.0, "{}", s.z_critical);
        assert!(s.words().starts_with("No single assumption decides it"));
    }

    #[test]
    fn a_planted_effect_is_named_and_decides_the_claim() {
        let s = screen(200, 3000, Some((0.1, 0.6)));
        assert_eq!(s.named.len(), 1, "{:?}", s.named);
        let l = &s.named[0];
        assert_eq!(l.key, "a.0");
        // 10% in the lowest fifth (not supported), 60% in the highest (supported).
        assert!(l.low < 0.2 && l.high > 0.5, "{l:?}");
        assert!(l.decides && l.firm);
        assert_eq!(s.words(), "Decided by: assumption 0 (a.0).");
    }

    /// A smaller effect (16% against 26%, z of about 4) passes the correction but not with the
    /// margin that makes it replicate: it is named as tentative, and only "perhaps" decides.
    #[test]
    fn a_narrow_effect_is_named_as_tentative() {
        let s = screen(200, 3000, Some((0.16, 0.26)));
        assert_eq!(s.named.len(), 1, "{:?}", s.named);
        let l = &s.named[0];
        assert_eq!(l.key, "a.0");
        assert!(
            l.z.abs() > s.z_critical && l.z.abs() < s.z_critical + 1.96,
            "{l:?}"
        );
        assert!(l.decides && !l.firm, "{l:?}");
        assert!(
            s.words()
                .starts_with("Perhaps decided by: assumption 0 (a.0) (tentative"),
            "{}",
            s.words()
        );
    }

    #[test]
    fn nearest_rank_quantiles_are_values_some_world_took() {
        let v: Vec<f64> = (1..=20).map(f64::from).chain([f64::NAN]).collect();
        let q = quantiles(&v, 21);
        assert_eq!((q.n, q.of), (20, 21));
        assert_eq!((q.p05, q.p50, q.p95), (1.0, 10.0, 19.0));
    }

    #[test]
    fn sources_cite_their_posts() {
        let s = Source {
            authors: vec!["Admiral Halsey".into()],
            posts: vec![2, 7],
            quote: String::new(),
        };
        assert_eq!(s.cite(), "Admiral Halsey, posts 2 and 7");
    }
}
