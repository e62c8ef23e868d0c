//! What a request asks to run: a shipped scenario, the number of worlds, the seed, extra
//! interventions and assumption overrides; read from a query string, a form or JSON, and turned into
//! scenario TOML that the library's own parser checks (so a bad value gets its located message).

use std::collections::BTreeMap;

use razvilka_world::{builtin_scenario, Data, Scenario, BUILTIN_SCENARIOS};
use serde::{Deserialize, Serialize};

use crate::error::AppError;

/// Extra intervention rows the builder offers.
pub const INTERVENTION_ROWS: usize = 3;

/// Extra interventions one request may add, on every route (the form's rows iv1 to iv9 and the
/// JSON save alike): judgment, three times the builder's rows, so that a scenario edited by hand
/// still fits while a request cannot grow a scenario (and its saved link) without bound.
pub const MAX_INTERVENTIONS: usize = 9;

/// The keys every run's parameters may use, as the error for an unknown key lists them.
const RUN_KEYS: &str =
    "scenario, runs, seed, priors (1: draw the assumptions from their priors), a.KEY (an assumption), ivN.kind, ivN.date, ivN.person, ivN.choice (N = 1 to 9)";

/// Defaults of the builder.
pub const DEFAULT_SCENARIO: &str = "stalin-expelled";
pub const DEFAULT_RUNS: u32 = 2000;
pub const DEFAULT_SEED: u64 = 1;

/// One extra intervention, as the builder's row or the API's JSON gives it. `choice` is the kind's
/// second field: the regime of `policy`, the office of `remove_office` and `appoint`, the month
/// `until` of `survives_until`, the line or alignment of `comintern_line` and `alignment`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InterventionParams {
    pub kind: String,
    pub date: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub person: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub choice: Option<String>,
}

/// Everything that fixes a result: the same params give the same numbers.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Params {
    pub scenario: String,
    pub runs: u32,
    pub seed: u64,
    #[serde(default)]
    pub assumptions: BTreeMap<String, f64>,
    #[serde(default)]
    pub interventions: Vec<InterventionParams>,
    /// Each world draws the assumptions from their priors (the assumptions' uncertainty included).
    /// Left out of the JSON when false, so that the links saved before it keep their ids.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub sample_priors: bool,
}

/// What a saved link holds: the params and the scenario text they produced when saved, so that the
/// link reproduces the same worlds even if the shipped scenario changes later.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Saved {
    #[serde(flatten)]
    pub params: Params,
    pub text: String,
}

impl Saved {
    /// The canonical JSON (fields in a fixed order, maps sorted): the key of the store and cache.
    pub fn canonical(&self) -> String {
        serde_json::to_string(self).expect("serialisable")
    }
}

fn scenario_names() -> String {
    BUILTIN_SCENARIOS
        .iter()
        .map(|(n, _)| *n)
        .collect::<Vec<_>>()
        .join(", ")
}

/// Checks a shipped scenario's name.
pub fn check_scenario_name(name: &str) -> Result<&'static str, AppError> {
    builtin_scenario(name).ok_or_else(|| {
        AppError::bad(
            format!("unknown scenario `{name}`"),
            format!("use one of: {}", scenario_names()),
        )
    })
}

/// Checks a number of worlds against the server's cap.
pub fn check_runs(text: &str, max_runs: u32) -> Result<u32, AppError> {
    let runs: u64 = text.trim().parse().map_err(|_| {
        AppError::bad(
            format!("runs = `{text}` is not a whole number"),
            format!("use 1 to {max_runs} worlds"),
        )
    })?;
    if runs == 0 || runs > max_runs as u64 {
        return Err(AppError::bad(
            format!("runs = {runs} is outside this server's limit of 1 to {max_runs} worlds per request"),
            format!("use 1 to {max_runs} worlds (the server's --max-runs), or run `razvilka run` for more"),
        ));
    }
    Ok(runs as u32)
}

/// Checks a seed. The scenario format keeps seeds as TOML integers (signed 64-bit), so a saved
/// scenario's text can carry any seed this accepts.
pub fn check_seed(text: &str) -> Result<u64, AppError> {
    let help = || format!("use a whole number from 0 to {}", i64::MAX);
    let seed: u64 = text
        .trim()
        .parse()
        .map_err(|_| AppError::bad(format!("seed = `{text}` is not a whole number"), help()))?;
    if seed > i64::MAX as u64 {
        return Err(AppError::bad(format!("seed = {seed} is too large"), help()));
    }
    Ok(seed)
}

/// Refuses keys that no parameter has: `valid` are the route's exact keys; `run_params` says
/// whether the run parameters (`scenario`, `runs`, `seed`, `a.KEY`, `ivN.FIELD`) are accepted too.
/// A misspelt key (`Seed=7`, `run=50` for `runs`) would otherwise be ignored and give another
/// answer than the one asked for.
pub fn check_keys(
    pairs: &[(String, String)],
    valid: &[&str],
    run_params: bool,
) -> Result<(), AppError> {
    let mut unknown: Vec<&str> = Vec::new();
    for (k, _) in pairs {
        let known = valid.contains(&k.as_str())
            || (run_params
                && (["scenario", "runs", "seed", "priors"].contains(&k.as_str())
                    || k.strip_prefix("a.").is_some_and(|a| !a.is_empty())
                    || k.starts_with("iv")));
        if !known && !unknown.contains(&k.as_str()) {
            unknown.push(k);
        }
    }
    if unknown.is_empty() {
        return Ok(());
    }
    let mut takes: Vec<String> = valid.iter().map(|k| k.to_string()).collect();
    if run_params {
        takes.push(RUN_KEYS.to_string());
    }
    Err(AppError::bad(
        format!(
            "unknown parameter{} {}",
            if unknown.len() == 1 { "" } else { "s" },
            unknown
                .iter()
                .map(|k| format!("`{k}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        format!("this address takes: {}", takes.join(", ")),
    ))
}

impl Params {
    /// The params of a query string or form: `scenario`, `runs`, `seed`, `a.KEY`, `ivN.kind|date|
    /// person|choice`. Empty fields take their defaults; an intervention row with every field empty
    /// is ignored. Any other key is refused unless it is one of the route's own `extra` keys (such
    /// as the timeline's `run`), which are left to the caller.
    pub fn from_pairs(
        pairs: &[(String, String)],
        max_runs: u32,
        extra: &[&str],
    ) -> Result<Params, AppError> {
        check_keys(pairs, extra, true)?;
        let get = |key: &str| {
            pairs
                .iter()
                .rev()
                .find(|(k, _)| k == key)
                .map(|(_, v)| v.trim())
                .filter(|v| !v.is_empty())
        };
        let scenario = get("scenario").unwrap_or(DEFAULT_SCENARIO).to_string();
        check_scenario_name(&scenario)?;
        let runs = match get("runs") {
            Some(r) => check_runs(r, max_runs)?,
            None => DEFAULT_RUNS.min(max_runs),
        };
        let seed = match get("seed") {
            Some(s) => check_seed(s)?,
            None => DEFAULT_SEED,
        };
        let sample_priors = match get("priors") {
            None | Some("0") => false,
            Some("1") => true,
            Some(other) => {
                return Err(AppError::bad(
                    format!("priors = `{other}` is neither 1 nor 0"),
                    "priors=1 draws each world's assumptions from their priors; leave it out (or 0) for the defaults".to_string(),
                ))
            }
        };
        let mut assumptions = BTreeMap::new();
        for (key, value) in pairs {
            let Some(name) = key.strip_prefix("a.") else {
                continue;
            };
            let value = value.trim();
            if value.is_empty() {
                continue;
            }
            let v: f64 = value.parse().ok().filter(|v: &f64| v.is_finite()).ok_or_else(|| {
                AppError::bad(
                    format!("assumption `{name}` = `{value}` is not a number"),
                    "give a number within the prior's bounds, or leave the field empty for the default".to_string(),
                )
            })?;
            assumptions.insert(name.to_string(), v);
        }
        let mut rows: BTreeMap<u32, BTreeMap<&str, &str>> = BTreeMap::new();
        for (key, value) in pairs {
            let Some(rest) = key.strip_prefix("iv") else {
                continue;
            };
            let Some((n, field)) = rest.split_once('.') else {
                continue;
            };
            let n: u32 = n.parse().ok().filter(|n| (1..=9).contains(n)).ok_or_else(|| {
                AppError::bad(
                    format!("`{key}` names no intervention row"),
                    "intervention fields are iv1.kind, iv1.date, iv1.person, iv1.choice (rows 1 to 9)".to_string(),
                )
            })?;
            if !["kind", "date", "person", "choice"].contains(&field) {
                return Err(AppError::bad(
                    format!("`{key}`: an intervention has no field `{field}`"),
                    "intervention fields are kind, date, person and choice".to_string(),
                ));
            }
            let value = value.trim();
            if !value.is_empty() {
                rows.entry(n).or_default().insert(field, value);
            }
        }
        let mut interventions = Vec::new();
        for (n, row) in rows {
            let (Some(kind), Some(date)) = (row.get("kind"), row.get("date")) else {
                return Err(AppError::bad(
                    format!("intervention {n} needs both a kind and a date"),
                    format!(
                        "choose a kind ({}) and a month (YYYY-MM), or clear the row",
                        razvilka_world::INTERVENTION_KINDS
                    ),
                ));
            };
            interventions.push(InterventionParams {
                kind: kind.to_string(),
                date: date.to_string(),
                person: row.get("person").map(|s| s.to_string()),
                choice: row.get("choice").map(|s| s.to_string()),
            });
        }
        Ok(Params {
            scenario,
            runs,
            seed,
            assumptions,
            interventions,
            sample_priors,
        })
    }

    /// The canonical query string that gives these params back (for links and hidden form
    /// fields): the scenario, then the number of worlds and the seed unless they are the defaults,
    /// then the changes, with no empty field, so that a link pasted into a forum stays short.
    pub fn pairs(&self) -> Vec<(String, String)> {
        let mut out = vec![("scenario".to_string(), self.scenario.clone())];
        if self.runs != DEFAULT_RUNS {
            out.push(("runs".to_string(), self.runs.to_string()));
        }
        if self.seed != DEFAULT_SEED {
            out.push(("seed".to_string(), self.seed.to_string()));
        }
        if self.sample_priors {
            out.push(("priors".to_string(), "1".to_string()));
        }
        for (k, v) in &self.assumptions {
            out.push((format!("a.{k}"), v.to_string()));
        }
        for (i, iv) in self.interventions.iter().enumerate() {
            let n = i + 1;
            out.push((format!("iv{n}.kind"), iv.kind.clone()));
            out.push((format!("iv{n}.date"), iv.date.clone()));
            if let Some(p) = &iv.person {
                out.push((format!("iv{n}.person"), p.clone()));
            }
            if let Some(c) = &iv.choice {
                out.push((format!("iv{n}.choice"), c.clone()));
            }
        }
        out
    }

    /// Checks the params that JSON gave (the form's are checked as they are read).
    pub fn check(&self, max_runs: u32) -> Result<(), AppError> {
        check_scenario_name(&self.scenario)?;
        check_runs(&self.runs.to_string(), max_runs)?;
        check_seed(&self.seed.to_string())?;
        if self.interventions.len() > MAX_INTERVENTIONS {
            return Err(AppError::bad(
                format!(
                    "{} interventions are more than this server takes in one scenario",
                    self.interventions.len()
                ),
                format!("give at most {MAX_INTERVENTIONS} interventions, or write a scenario file and run it with `razvilka run`"),
            ));
        }
        if let Some((k, _)) = self.assumptions.iter().find(|(_, v)| !v.is_finite()) {
            return Err(AppError::bad(
                format!("assumption `{k}` is not a finite number"),
                "give a number within the prior's bounds".to_string(),
            ));
        }
        Ok(())
    }

    /// The scenario text: the shipped scenario's, its `[ensemble]` saying these params' worlds and
    /// seed (so that a saved scenario's text agrees with its link), with the extra interventions
    /// appended and the assumption overrides merged into its `[assumptions]` table.
    pub fn scenario_text(&self) -> Result<String, AppError> {
        let mut base = with_ensemble(check_scenario_name(&self.scenario)?, self.runs, self.seed);
        if self.sample_priors {
            // with_ensemble has written the table, so there is one to add the key to.
            base = base.replacen("\n[ensemble]\n", "\n[ensemble]\nsample_priors = true\n", 1);
        }
        if self.interventions.is_empty() && self.assumptions.is_empty() {
            return Ok(base);
        }
        let mut table: toml::Table = base
            .parse()
            .map_err(|e| AppError::internal(format!("shipped scenario {}: {e}", self.scenario)))?;
        if !self.interventions.is_empty() {
            let list = table
                .entry("intervention")
                .or_insert_with(|| toml::Value::Array(Vec::new()));
            let toml::Value::Array(list) = list else {
                return Err(AppError::internal("`intervention` is not an array".into()));
            };
            for iv in &self.interventions {
                let mut t = toml::Table::new();
                t.insert("date".into(), iv.date.clone().into());
                t.insert("kind".into(), iv.kind.clone().into());
                if let Some(p) = &iv.person {
                    t.insert("person".into(), p.clone().into());
                }
                if let Some(c) = &iv.choice {
                    let field = match iv.kind.as_str() {
                        "policy" => "regime",
                        "remove_office" | "appoint" => "office",
                        "survives_until" => "until",
                        _ => "choice",
                    };
                    t.insert(field.into(), c.clone().into());
                }
                t.insert("note".into(), "Added in the web builder.".into());
                list.push(toml::Value::Table(t));
            }
        }
        if !self.assumptions.is_empty() {
            let overrides = table
                .entry("assumptions")
                .or_insert_with(|| toml::Value::Table(toml::Table::new()));
            let toml::Value::Table(overrides) = overrides else {
                return Err(AppError::internal("`assumptions` is not a table".into()));
            };
            for (k, v) in &self.assumptions {
                overrides.insert(k.clone(), (*v).into());
            }
        }
        toml::to_string(&table)
            .map_err(|e| AppError::internal(format!("cannot write the scenario: {e}")))
    }

    /// The text and the checked scenario; a bad intervention or assumption is a 400 with the
    /// parser's located message.
    pub fn build(&self, data: &Data) -> Result<(Saved, Scenario), AppError> {
        let text = self.scenario_text()?;
        let scenario = parse_scenario(data, &text, &self.scenario)?;
        Ok((
            Saved {
                params: self.clone(),
                text,
            },
            scenario,
        ))
    }
}

/// `text` with its `[ensemble]` table's `runs` and `seed` set (the table added if it has none).
/// Edited line by line rather than through a TOML round trip, which would drop the shipped
/// scenario's comments.
fn with_ensemble(text: &str, runs: u32, seed: u64) -> String {
    let mut out = String::with_capacity(text.len() + 40);
    let (mut section, mut found, mut wrote_runs, mut wrote_seed) = ("", false, false, false);
    let finish = |out: &mut String, wrote_runs: bool, wrote_seed: bool| {
        if !wrote_runs {
            out.push_str(&format!("runs = {runs}\n"));
        }
        if !wrote_seed {
            out.push_str(&format!("seed = {seed}\n"));
        }
    };
    for line in text.lines() {
        let trimmed = line.trim();
        if trimmed.starts_with('[') {
            if section == "[ensemble]" {
                finish(&mut out, wrote_runs, wrote_seed);
                (wrote_runs, wrote_seed) = (true, true);
            }
            section = if trimmed == "[ensemble]" {
                "[ensemble]"
            } else {
                "other"
            };
            found |= section == "[ensemble]";
        } else if section == "[ensemble]" {
            let key = trimmed.split('=').next().unwrap_or("").trim();
            if key == "runs" {
                out.push_str(&format!("runs = {runs}\n"));
                wrote_runs = true;
                continue;
            }
            if key == "seed" {
                out.push_str(&format!("seed = {seed}\n"));
                wrote_seed = true;
                continue;
            }
        }
        out.push_str(line);
        out.push('\n');
    }
    if section == "[ensemble]" {
        finish(&mut out, wrote_runs, wrote_seed);
    } else if !found {
        out.push_str(&format!("\n[ensemble]\nruns = {runs}\nseed = {seed}\n"));
    }
    out
}

/// Parses scenario text built from `name`, mapping its diagnostic to a 400.
pub fn parse_scenario(data: &Data, text: &str, name: &str) -> Result<Scenario, AppError> {
    let file = format!("scenario `{name}` with the requested changes");
    Scenario::parse(text, &file, &data.context()).map_err(AppError::from)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn a_query_round_trips_through_its_pairs() {
        let p = Params::from_pairs(
            &pairs(&[
                ("scenario", "otl"),
                ("runs", "50"),
                ("seed", "7"),
                ("a.politics.appointment_bias", "0.4"),
                ("a.empty", ""),
                ("iv2.kind", "dies"),
                ("iv2.date", "1925-01"),
                ("iv2.person", "trotsky"),
                ("iv1.kind", ""),
            ]),
            100,
            &[],
        )
        .unwrap();
        assert_eq!(p.runs, 50);
        assert_eq!(p.seed, 7);
        assert_eq!(p.assumptions.len(), 1);
        assert_eq!(p.interventions.len(), 1);
        assert_eq!(Params::from_pairs(&p.pairs(), 100, &[]).unwrap(), p);
    }

    #[test]
    fn bad_fields_are_refused_with_what_would_be_valid() {
        let e = Params::from_pairs(&pairs(&[("runs", "101")]), 100, &[]).unwrap_err();
        assert!(e.message.contains("101") && e.help.contains("100"), "{e:?}");
        let e = Params::from_pairs(&pairs(&[("scenario", "nope")]), 100, &[]).unwrap_err();
        assert!(e.help.contains("stalin-expelled"), "{e:?}");
        let e = Params::from_pairs(&pairs(&[("a.x", "abc")]), 100, &[]).unwrap_err();
        assert!(e.message.contains("abc"), "{e:?}");
        let e = Params::from_pairs(&pairs(&[("iv1.person", "stalin")]), 100, &[]).unwrap_err();
        assert!(e.message.contains("kind and a date"), "{e:?}");
    }

    #[test]
    fn the_scenario_text_carries_the_changes_and_the_parser_checks_them() {
        let data = Data::builtin().unwrap();
        let mut p =
            Params::from_pairs(&pairs(&[("scenario", "stalin-expelled")]), 100, &[]).unwrap();
        let (_, plain) = p.build(&data).unwrap();
        p.interventions.push(InterventionParams {
            kind: "policy".into(),
            date: "1926-01".into(),
            person: None,
            choice: Some("nep".into()),
        });
        let key = data.registry.assumptions()[0].key.clone();
        let default = data.registry.assumptions()[0].default;
        p.assumptions.insert(key.clone(), default);
        let (saved, s) = p.build(&data).unwrap();
        assert_eq!(s.interventions.len(), plain.interventions.len() + 1);
        assert_eq!(s.overrides, vec![(key, default)]);
        assert!(saved.text.contains("regime = \"nep\""), "{}", saved.text);

        p.assumptions.insert("no.such_key".into(), 1.0);
        let e = p.build(&data).unwrap_err();
        assert_eq!(e.status, axum::http::StatusCode::BAD_REQUEST);
        assert!(
            e.message.contains("unknown assumption `no.such_key`"),
            "{e:?}"
        );
    }

    #[test]
    fn unknown_keys_are_refused_by_name() {
        let e = Params::from_pairs(
            &pairs(&[("run", "50"), ("Seed", "7"), ("run", "3")]),
            100,
            &[],
        )
        .unwrap_err();
        assert_eq!(e.status, axum::http::StatusCode::BAD_REQUEST);
        assert_eq!(e.message, "unknown parameters `run`, `Seed`");
        assert!(e.help.contains("runs, seed"), "{e:?}");
        // A route's own key is accepted, and named in the help of another unknown one.
        assert!(Params::from_pairs(&pairs(&[("run", "3")]), 100, &["run"]).is_ok());
        let e = Params::from_pairs(&pairs(&[("a.", "1")]), 100, &["run"]).unwrap_err();
        assert!(
            e.message.contains("`a.`") && e.help.contains("takes: run, "),
            "{e:?}"
        );
    }

    #[test]
    fn the_text_says_the_worlds_and_seed_of_the_link() {
        let p = Params::from_pairs(
            &pairs(&[
                ("scenario", "stalin-expelled"),
                ("runs", "70"),
                ("seed", "42"),
            ]),
            100,
            &[],
        )
        .unwrap();
        let data = Data::builtin().unwrap();
        let (saved, s) = p.build(&data).unwrap();
        assert_eq!((s.runs, s.seed), (70, 42), "{}", saved.text);
        // The shipped scenario's comments and notes are kept.
        assert!(
            saved.text.contains("note = \"The CC plenum"),
            "{}",
            saved.text
        );
        assert_eq!(
            with_ensemble("title = 1\n", 5, 6),
            "title = 1\n\n[ensemble]\nruns = 5\nseed = 6\n"
        );
        assert_eq!(
            with_ensemble("[ensemble]\nruns = 1\n\n[x]\n", 5, 6),
            "[ensemble]\nruns = 5\n\nseed = 6\n[x]\n"
        );
    }

    #[test]
    fn a_saved_scenario_has_at_most_the_capped_interventions_and_a_seed_its_text_can_hold() {
        let iv = InterventionParams {
            kind: "dies".into(),
            date: "1926-01".into(),
            person: Some("trotsky".into()),
            choice: None,
        };
        let mut p = Params::from_pairs(&[], 100, &[]).unwrap();
        p.interventions = vec![iv; MAX_INTERVENTIONS + 1];
        let e = p.check(100).unwrap_err();
        assert!(e.message.starts_with("10 interventions"), "{e:?}");
        p.interventions.pop();
        assert!(p.check(100).is_ok());
        p.seed = u64::MAX;
        assert!(p.check(100).unwrap_err().message.contains("too large"));
    }
}
