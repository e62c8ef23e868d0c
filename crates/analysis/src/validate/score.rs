//! Scoring one target against an ensemble: the model's share or distribution, the null's, and the
//! verdict; and the table that shows them.

use super::*;

impl Target {
    pub fn run(&self) -> RunKind {
        self.raw.run
    }

    pub fn role(&self) -> Role {
        self.raw.role
    }

    /// For a series target: the series it checks, its recorded points and their source (for
    /// drawing history over a fan chart).
    pub fn recorded_series(&self) -> Option<RecordedSeries<'_>> {
        let t = &self.raw;
        match (t.kind.as_str(), &t.statistic) {
            ("series", Some(series)) => Some(RecordedSeries {
                series,
                base: t.base,
                points: &self.points,
                source: &self.series_source,
            }),
            _ => None,
        }
    }

    /// Scores the target against the outcomes of its ensemble.
    pub fn check(&self, data: &Data, outcomes: &[Outcome]) -> Row {
        let t = &self.raw;
        let observed = match &t.observed {
            Some(toml::Value::String(s)) => s.clone(),
            Some(v) => v.to_string(),
            None => String::new(),
        };
        let null = t.null.as_ref();
        let null_why = null.map_or(String::new(), |n| n.why.clone());
        let mut row = Row {
            id: t.id.clone(),
            run: t.run,
            role: t.role,
            fitted: t.fitted.clone(),
            kind: t.kind.clone(),
            text: t.text.clone(),
            source: t.source.clone(),
            observed: observed.clone(),
            model: String::new(),
            share: None,
            band: None,
            null: String::new(),
            score: Score {
                metric: "log",
                model: 0.0,
                null: 0.0,
            },
            skill: 0.0,
            beats_null: false,
            rule: String::new(),
            rule_holds: true,
            pass: false,
            years: Vec::new(),
        };
        let person = t.person.as_deref().and_then(|p| data.people.find(p));
        match t.kind.as_str() {
            "date" => {
                let n = null.expect("checked");
                let (from, to) = (n.from.expect("checked"), n.to.expect("checked"));
                let obs: Month = observed.parse().expect("checked");
                let months: Vec<Option<Month>> =
                    outcomes.iter().map(|o| self.date_of(o, person)).collect();
                // The recorded month give or take DATE_TOLERANCE, for the model and the null alike.
                let near = |m: Month| m.since(obs).abs() <= DATE_TOLERANCE;
                let k = months.iter().filter(|m| m.is_some_and(near)).count();
                let null_months = (-DATE_TOLERANCE..=DATE_TOLERANCE)
                    .filter(|d| (from..=to).contains(&obs.offset(*d)))
                    .count();
                let null_p = null_months as f64 / (to.since(from) + 1) as f64;
                let log = log_score(k, outcomes.len(), null_p);
                let never = months.iter().filter(|m| m.is_none()).count();
                // Never = after every month: the band runs over all worlds.
                let mut keys: Vec<f64> = months
                    .iter()
                    .map(|m| m.map_or(f64::INFINITY, |m| m.index() as f64))
                    .collect();
                keys.sort_by(f64::total_cmp);
                let pit = mid_pit(&keys, obs.index() as f64);
                let label = |x: f64| {
                    if x.is_finite() {
                        month_of_index(x as u32).to_string()
                    } else {
                        "never".to_string()
                    }
                };
                let (lo, mid, hi) = (
                    quantile(&keys, 0.05),
                    quantile(&keys, 0.5),
                    quantile(&keys, 0.95),
                );
                row.model = format!(
                    "{:.1}% of worlds within a month of {obs}; median {}, 5–95%: {} to {}; never by the run's end in {:.0}%",
                    k as f64 / outcomes.len().max(1) as f64 * 100.0,
                    label(mid),
                    label(lo),
                    label(hi),
                    never as f64 / outcomes.len().max(1) as f64 * 100.0
                );
                row.share = Some(k as f64 / outcomes.len().max(1) as f64);
                row.band = Some([label(lo), label(hi)]);
                row.null = format!(
                    "evenly over {from} to {to} ({:.1}% within a month of {obs}): {null_why}",
                    null_p * 100.0
                );
                row.score = log.score;
                row.skill = log.skill;
                row.beats_null = log.beats;
                if t.rule.as_deref() == Some("in_band") {
                    row.rule = "beats the null, and the recorded month lies inside the 5–95% band of all worlds (never counts as after the end)".into();
                    row.rule_holds = (0.05..=0.95).contains(&pit);
                } else {
                    row.rule = "beats the null".into();
                }
            }
            "category" | "path" => {
                let n = outcomes.len();
                let (k, null_p, model, null_text, ranked_first) = if t.kind == "path" {
                    self.path_counts(data, outcomes)
                } else {
                    self.category_counts(data, outcomes, &observed)
                };
                let log = log_score(k, n, null_p);
                if t.kind == "path" {
                    row.observed = t
                        .conditions
                        .iter()
                        .map(|c| {
                            format!(
                                "{}{}{} = {}",
                                c.statistic,
                                c.person
                                    .as_ref()
                                    .map_or(String::new(), |p| format!(" of {p}")),
                                c.year.map_or(String::new(), |y| format!(" {y}")),
                                c.values.join(" or ")
                            )
                        })
                        .collect::<Vec<_>>()
                        .join("; ");
                }
                row.share = Some(k as f64 / n.max(1) as f64);
                row.model = model;
                row.null = if t.kind == "path" {
                    null_text
                } else {
                    format!("{null_text}: {null_why}")
                };
                row.score = log.score;
                row.skill = log.skill;
                row.beats_null = log.beats;
                match t.rule.as_deref() {
                    Some("commonest") => {
                        row.rule = "beats the null, and the recorded value is the commonest (ranked first)".into();
                        row.rule_holds = ranked_first;
                    }
                    Some("share_at_least") => {
                        let min = t.min_share.expect("checked");
                        row.rule = format!(
                            "beats the null, and at least {:.0}% of worlds: {}",
                            min * 100.0,
                            t.why.as_deref().unwrap_or_default()
                        );
                        row.rule_holds = k as f64 / n.max(1) as f64 >= min;
                    }
                    _ if t.kind == "path" => {
                        row.rule = "the share of worlds that follow the whole path beats the product of its outcomes' shares (the model ties them together)".into();
                    }
                    _ => row.rule = "beats the null".into(),
                }
            }
            "number" => {
                let stat = t.statistic.as_deref().unwrap_or_default();
                let mut values: Vec<f64> = outcomes
                    .iter()
                    .map(|o| number_statistic(data, o, t, stat))
                    .filter(|v| v.is_finite())
                    .collect();
                values.sort_by(f64::total_cmp);
                let (low, high) = {
                    let n = null.expect("checked");
                    (n.low.expect("checked"), n.high.expect("checked"))
                };
                let obs: f64 = observed.parse().unwrap_or(f64::NAN);
                // No world with the number at all scores as badly as can be written (finite, for JSON).
                let model = if values.is_empty() {
                    f64::MAX
                } else {
                    crps_sorted(&values, obs)
                };
                let null_crps = crps_uniform(low, high, obs);
                row.score = Score {
                    metric: "crps",
                    model,
                    null: null_crps,
                };
                row.skill = 1.0 - model / null_crps;
                row.beats_null = !values.is_empty() && model < null_crps;
                let (p05, p50, p95) = (
                    quantile(&values, 0.05),
                    quantile(&values, 0.5),
                    quantile(&values, 0.95),
                );
                row.model = format!(
                    "median {}; 5–95%: {} to {}{}",
                    number(p50),
                    number(p05),
                    number(p95),
                    if values.len() < outcomes.len() {
                        format!(
                            " (in the {} of {} worlds that have it)",
                            values.len(),
                            outcomes.len()
                        )
                    } else {
                        String::new()
                    }
                );
                row.band = Some([number(p05), number(p95)]);
                row.null = format!(
                    "uniform over {} to {}: {null_why}",
                    number(low),
                    number(high)
                );
                if t.rule.as_deref() == Some("in_band") {
                    row.rule = "beats the null (lower CRPS), and the recorded value lies inside the 5–95% band of all worlds".into();
                    row.rule_holds =
                        !values.is_empty() && (0.05..=0.95).contains(&mid_pit(&values, obs));
                } else {
                    row.rule = "beats the null (lower CRPS)".into();
                }
            }
            _ => {
                // A yearly series.
                let stat = t.statistic.as_deref().unwrap_or_default();
                let series = catalogue::series_def(stat).expect("checked");
                let (low, high) = {
                    let n = null.expect("checked");
                    (n.low.expect("checked"), n.high.expect("checked"))
                };
                let (mut model_sum, mut null_sum) = (0.0, 0.0);
                for &(year, value) in &self.points {
                    let mut values: Vec<f64> = outcomes
                        .iter()
                        .map(|o| series_value(o, series, year, t.base))
                        .filter(|v| v.is_finite())
                        .collect();
                    values.sort_by(f64::total_cmp);
                    if values.is_empty() {
                        continue;
                    }
                    model_sum += crps_sorted(&values, value);
                    null_sum += crps_uniform(low, high, value);
                    row.years.push(SeriesYear {
                        year,
                        observed: value,
                        p05: quantile(&values, 0.05),
                        p50: quantile(&values, 0.5),
                        p95: quantile(&values, 0.95),
                        pit: mid_pit(&values, value),
                    });
                }
                let coverage = Coverage::of(&row.years);
                row.score = Score {
                    metric: "crps",
                    model: model_sum,
                    null: null_sum,
                };
                row.skill = if null_sum > 0.0 {
                    1.0 - model_sum / null_sum
                } else {
                    0.0
                };
                row.beats_null = !row.years.is_empty() && model_sum < null_sum;
                row.share = Some(coverage.covered as f64 / coverage.years.max(1) as f64);
                let outside: Vec<String> = row
                    .years
                    .iter()
                    .filter(|y| !(0.05..=0.95).contains(&y.pit))
                    .map(|y| {
                        format!(
                            "{} ({} vs {}–{})",
                            y.year,
                            number(y.observed),
                            number(y.p05),
                            number(y.p95)
                        )
                    })
                    .collect();
                row.model = format!(
                    "{} of {} years inside the 5–95% band{}; {} of {} below the median",
                    coverage.covered,
                    coverage.years,
                    if outside.is_empty() {
                        String::new()
                    } else {
                        format!(" (outside: {})", outside.join(", "))
                    },
                    coverage.below,
                    coverage.years
                );
                row.observed = self
                    .points
                    .iter()
                    .map(|(y, v)| format!("{y}: {}", number(*v)))
                    .collect::<Vec<_>>()
                    .join(", ");
                row.null = format!(
                    "uniform over {} to {} each year: {null_why}",
                    number(low),
                    number(high)
                );
                row.rule = format!(
                    "beats the null (lower CRPS summed over the years); coverage of the 90% band not below what a calibrated band gives 19 times in 20, and every year when there are fewer than three (at least {} of {} years); the record not on one side of the median too often (two-sided binomial test at 5%)",
                    coverage.min_covered, coverage.years
                );
                row.rule_holds = coverage.covered >= coverage.min_covered && !coverage.biased;
            }
        }
        row.pass = row.beats_null && row.rule_holds;
        row
    }

    /// The month of a dated target's event in one world, if it happened by the run's end.
    pub(super) fn date_of(&self, o: &Outcome, person: Option<PersonId>) -> Option<Month> {
        let t = &self.raw;
        match (person, t.milestone.as_deref().and_then(milestone)) {
            (Some(p), Some(m)) => o.first(p, m),
            _ => match t.statistic.as_deref() {
                Some("nazi_power") => o.europe.nazi_power,
                Some("war_start") => o.europe.war_start,
                Some("war_end") => o.europe.outcome.map(|(_, m)| m),
                _ => None,
            },
        }
    }

    /// A category target: (worlds with the recorded value, the null's probability of it, the model's
    /// distribution in words, the null in words, whether the recorded value ranks first).
    pub(super) fn category_counts(
        &self,
        data: &Data,
        outcomes: &[Outcome],
        observed: &str,
    ) -> (usize, f64, String, String, bool) {
        let t = &self.raw;
        let stat = t.statistic.as_deref().unwrap_or_default();
        let person = t.person.as_deref().and_then(|p| data.people.find(p));
        let mut counts: BTreeMap<String, usize> = BTreeMap::new();
        for o in outcomes {
            let v = category(data, o, stat, t.year.unwrap_or(1945), person);
            let v = if t.categories.contains(&v) {
                v
            } else {
                "other".to_string()
            };
            *counts.entry(v).or_default() += 1;
        }
        let k = counts.get(observed).copied().unwrap_or(0);
        let base = &t.null.as_ref().expect("checked").base_rate;
        let (null_p, null_text) = if base.is_empty() {
            let support = t.categories.len();
            (
                1.0 / support as f64,
                format!(
                    "uniform over {} ({:.1}% each)",
                    t.categories.join(", "),
                    100.0 / support as f64
                ),
            )
        } else {
            (
                base.get(observed).copied().unwrap_or(0.0),
                format!(
                    "base rate {}",
                    base.iter()
                        .map(|(c, p)| format!("{c} {:.0}%", p * 100.0))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            )
        };
        let mut ranked: Vec<(&String, &usize)> = counts.iter().collect();
        ranked.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
        // Ranked first: no other value is as common (a tie is not first).
        let first = ranked
            .first()
            .is_some_and(|(v, c)| *v == observed && ranked.get(1).is_none_or(|(_, d)| d < c));
        let n = outcomes.len().max(1) as f64;
        let model = ranked
            .iter()
            .take(4)
            .map(|(v, c)| format!("{v} {:.0}%", **c as f64 / n * 100.0))
            .collect::<Vec<_>>()
            .join(", ");
        (k, null_p, model, null_text, first)
    }

    /// A path target: (worlds following the whole path, the product of the conditions' shares, the
    /// model in words, the null in words, false).
    pub(super) fn path_counts(
        &self,
        data: &Data,
        outcomes: &[Outcome],
    ) -> (usize, f64, String, String, bool) {
        let conditions = &self.raw.conditions;
        let holds: Vec<Vec<bool>> = outcomes
            .iter()
            .map(|o| {
                conditions
                    .iter()
                    .map(|c| {
                        let person = c.person.as_deref().and_then(|p| data.people.find(p));
                        let v = category(data, o, &c.statistic, c.year.unwrap_or(1945), person);
                        c.values.contains(&v)
                    })
                    .collect()
            })
            .collect();
        let n = outcomes.len().max(1) as f64;
        let k = holds.iter().filter(|h| h.iter().all(|x| *x)).count();
        let marginals: Vec<f64> = (0..conditions.len())
            .map(|i| holds.iter().filter(|h| h[i]).count() as f64 / n)
            .collect();
        let product: f64 = marginals.iter().product();
        let model = format!(
            "{:.1}% of worlds follow the whole path (each outcome alone: {})",
            k as f64 / n * 100.0,
            marginals
                .iter()
                .map(|m| format!("{:.0}%", m * 100.0))
                .collect::<Vec<_>>()
                .join(", ")
        );
        let null = format!(
            "the product of the outcomes' shares, {:.1}%: what the model would give if it did not tie them together",
            product * 100.0
        );
        (k, product, model, null, false)
    }
}

/// A number for a table: two decimals below 10, none above 1,000.
pub(super) fn number(x: f64) -> String {
    if !x.is_finite() {
        "none".into()
    } else if x.abs() >= 1000.0 {
        format!("{x:.0}")
    } else if x.abs() >= 10.0 {
        format!("{x:.1}")
    } else {
        format!("{x:.2}")
    }
}
