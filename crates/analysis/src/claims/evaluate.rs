//! Answering the claims and questions over ensembles: conditions read on each world, answers with
//! their intervals, verdicts at the defaults and with the priors sampled.

use super::*;

/// Evaluates conditions on outcomes, looking each outcome up once.
pub(super) struct Evaluator {
    categorical: BTreeMap<&'static str, Categorical>,
    numeric: BTreeMap<&'static str, Numeric>,
}

impl Evaluator {
    pub(super) fn new(data: &Data) -> Evaluator {
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
pub(super) struct Reading {
    pub(super) event_world: bool,
    pub(super) given_world: bool,
    pub(super) event_base: bool,
    pub(super) given_base: bool,
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

pub(super) fn side(label: &str, hits: usize, n: usize) -> Side {
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

pub(super) fn answer(claim: &Claim, readings: &[&Reading]) -> Answer {
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
            let half = paired_half(readings, &world, &base);
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

/// Half the 95% interval of `world.p − base.p` over twin pairs, each pair read on both sides.
///
/// Each side is a ratio (the share of the worlds meeting `given` in which the event happens), and
/// the two ratios come from the same pairs, so their errors are correlated: the variance is the
/// delta method's, the sample variance of each pair's influence
/// `u = g_w (e_w − p_w) / ḡ_w − g_b (e_b − p_b) / ḡ_b` over n, with g whether the pair's world meets
/// the condition and e whether the event happens. Without conditions (every g = 1) this is the
/// variance of the mean paired difference. A side no world meets has no interval.
fn paired_half(readings: &[&Reading], world: &Side, base: &Side) -> f64 {
    let n = readings.len() as f64;
    let (gw, gb) = (world.n as f64 / n, base.n as f64 / n);
    if !(n > 1.0 && gw > 0.0 && gb > 0.0) {
        return f64::NAN;
    }
    let one = |given: bool, event: bool, p: f64, g: f64| {
        if given {
            (f64::from(u8::from(event)) - p) / g
        } else {
            0.0
        }
    };
    let sum_sq: f64 = readings
        .iter()
        .map(|r| {
            let u = one(r.given_world, r.event_world, world.p, gw)
                - one(r.given_base, r.event_base, base.p, gb);
            u * u
        })
        .sum();
    1.959964 * (sum_sq / (n * (n - 1.0))).sqrt()
}

/// Conditions in words: "leader_ruthlessness_1940 ≥ 0.85 and …".
pub(super) fn describe(conditions: &[Condition]) -> String {
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
pub(super) fn unpaired_half(a: &Side, b: &Side) -> f64 {
    let var = |s: &Side| {
        if s.n == 0 {
            f64::INFINITY
        } else {
            s.p * (1.0 - s.p) / s.n as f64
        }
    };
    1.959964 * (var(a) + var(b)).sqrt()
}

pub(super) fn scenario(data: &Data, name: &str) -> Result<Scenario, Diagnostic> {
    let text = builtin_scenario(name).ok_or_else(|| {
        Diagnostic::whole_file("data/claims.toml", format!("no scenario `{name}`"))
    })?;
    Scenario::parse(text, &format!("scenarios/{name}.toml"), &data.context())
}

/// One ensemble: each world with its baseline twin, if any.
pub(super) type Pairs = Vec<(Option<Outcome>, Outcome)>;

pub(super) fn run_group(
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

pub(super) fn read_claim(eval: &Evaluator, c: &Claim, pairs: &Pairs) -> Vec<Reading> {
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

pub(super) fn answer_question(eval: &Evaluator, q: &Question, pairs: &Pairs) -> QuestionAnswer {
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
