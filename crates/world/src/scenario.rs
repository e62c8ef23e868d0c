//! Scenario files: a run's dates, its divergence, its interventions, assumption overrides and
//! ensemble settings. Parsing is strict: an unknown key, a wrong type or an impossible intervention is
//! a [`Diagnostic`] naming file, line, column and what would be valid.

use std::collections::BTreeMap;

use razvilka_kernel::{Diagnostic, Month, Registry};
use razvilka_model::People;
use razvilka_model::{Alignment, CominternLine, Office, Policy};
use serde::Deserialize;
use toml::Spanned;

/// The model's calendar: it knows the world from April 1922 and runs at most to the end of 1953.
pub const EARLIEST: Month = Month::new(1922, 4);
pub const LATEST: Month = Month::new(1953, 12);

pub use razvilka_model::Action;

/// An intervention: an action at a month.
#[derive(Clone, Debug, PartialEq)]
pub struct Intervention {
    pub month: Month,
    pub action: Action,
    pub note: String,
}

/// A checked scenario.
#[derive(Clone, Debug)]
pub struct Scenario {
    pub name: String,
    pub title: String,
    pub description: String,
    pub start: Month,
    pub end: Month,
    /// Recorded history is replayed in the months before this one.
    pub divergence: Month,
    pub interventions: Vec<Intervention>,
    /// Assumption overrides, sorted by key.
    pub overrides: Vec<(String, f64)>,
    pub runs: u32,
    pub seed: u64,
    pub sample_priors: bool,
    /// Each world takes its assumptions from a row of this sample (`--posterior FILE`); set by the
    /// caller, never by the scenario's file.
    pub posterior: Option<std::sync::Arc<crate::PosteriorSample>>,
}

pub const INTERVENTION_KINDS: &str =
    "expel, remove_office, appoint, dies, survives_until, policy, comintern_line, alignment, no_army_purge";

/// Interventions on the world rather than on a person.
const WORLD_KINDS: [&str; 4] = ["policy", "comintern_line", "alignment", "no_army_purge"];

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawScenario {
    scenario: RawHeader,
    #[serde(default)]
    intervention: Vec<RawIntervention>,
    #[serde(default)]
    assumptions: BTreeMap<Spanned<String>, Spanned<f64>>,
    #[serde(default)]
    ensemble: Option<RawEnsemble>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawHeader {
    name: Spanned<String>,
    title: String,
    #[serde(default)]
    description: String,
    start: Spanned<String>,
    end: Spanned<String>,
    divergence: Spanned<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawIntervention {
    date: Spanned<String>,
    kind: Spanned<String>,
    #[serde(default)]
    person: Option<Spanned<String>>,
    #[serde(default)]
    office: Option<Spanned<String>>,
    #[serde(default)]
    regime: Option<Spanned<String>>,
    #[serde(default)]
    until: Option<Spanned<String>>,
    #[serde(default)]
    choice: Option<Spanned<String>>,
    #[serde(default)]
    note: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEnsemble {
    #[serde(default)]
    runs: Option<Spanned<i64>>,
    #[serde(default)]
    seed: Option<Spanned<i64>>,
    #[serde(default)]
    sample_priors: Option<bool>,
}

/// What the scenario parser needs to know of the world: who exists, when the record says they died,
/// and which assumptions there are.
pub struct Context<'a> {
    pub people: &'a std::sync::Arc<People>,
    pub registry: &'a Registry,
    /// Recorded history, to check interventions dated at the divergence against the replayed world.
    pub recorded: &'a [crate::Recorded],
    /// The latest divergence the data can replay up to, and why: the first month a sub-model whose
    /// history is not replayed (Germany's) would decide something (`Data::last_divergence`).
    pub last_divergence: (Month, &'a str),
}

impl Scenario {
    /// Parses and checks `text`, the contents of `file`.
    pub fn parse(text: &str, file: &str, ctx: &Context) -> Result<Scenario, Diagnostic> {
        let raw: RawScenario =
            toml::from_str(text).map_err(|e| Diagnostic::from_toml(file, text, &e))?;
        let at = |span: std::ops::Range<usize>, msg: String| Diagnostic::at(file, text, span, msg);
        let month = |s: &Spanned<String>| -> Result<Month, Diagnostic> {
            s.get_ref()
                .parse()
                .map_err(|e: razvilka_kernel::MonthParseError| at(s.span(), e.to_string()))
        };
        let h = &raw.scenario;
        let name = h.name.get_ref().clone();
        if name.is_empty()
            || !name
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        {
            return Err(at(
                h.name.span(),
                format!("scenario name `{name}` must be a lowercase slug"),
            )
            .with_help("use letters a-z, digits and '-', e.g. \"stalin-expelled\""));
        }
        let start = month(&h.start)?;
        let end = month(&h.end)?;
        let divergence = month(&h.divergence)?;
        let window = format!("{EARLIEST} to {LATEST}");
        if start < EARLIEST || start > LATEST {
            return Err(at(
                h.start.span(),
                format!("start {start} is outside the model's calendar"),
            )
            .with_help(format!(
                "the model knows the world from {EARLIEST}: use a start in {window}"
            )));
        }
        if end <= start || end > LATEST {
            return Err(at(
                h.end.span(),
                format!("end {end} must come after start {start} and not after {LATEST}"),
            )
            .with_help(format!("use an end in {start} to {LATEST}")));
        }
        if divergence < start || divergence > end {
            return Err(at(h.divergence.span(), format!("divergence {divergence} is outside the run ({start} to {end})"))
                .with_help("the divergence is the first month the mechanisms run free; use the start for a run with no replayed history"));
        }
        let (last, why) = ctx.last_divergence;
        if divergence > last {
            return Err(at(
                h.divergence.span(),
                format!(
                    "divergence {divergence} is later than the record can be replayed: {why}, \
                     {last}; a later divergence would leave Germany as it stood in {start}"
                ),
            )
            .with_help(format!(
                "use a divergence from {start} to {last}; force what happened later with \
                 interventions dated at or after the divergence"
            )));
        }
        let mut interventions = Vec::new();
        // The world as recorded history leaves it at the divergence: what an intervention dated then
        // acts on. (Later interventions act on whatever the model has made of it.)
        let mut replayed = None;
        let mut placed: Vec<(Intervention, std::ops::Range<usize>)> = Vec::new();
        for i in &raw.intervention {
            let checked = intervention(i, ctx, start, end, divergence, &at, &month)?;
            // Two interventions that cannot both happen: refused, rather than the later in the file
            // silently winning.
            for (earlier, span) in &placed {
                if let Some(why) = contradiction(earlier, &checked) {
                    let (line, _) = razvilka_kernel::line_col(text, span.start);
                    return Err(at(
                        i.kind.span(),
                        format!("this intervention contradicts the one at line {line}: {why}"),
                    )
                    .with_help(format!(
                        "keep one of the two (lines {line} and {}), or date them apart",
                        razvilka_kernel::line_col(text, i.kind.span().start).0
                    )));
                }
            }
            placed.push((checked.clone(), i.kind.span()));
            if checked.month == divergence {
                let world = replayed.get_or_insert_with(|| {
                    crate::replayed_until(ctx.people, ctx.recorded, start, divergence)
                });
                possible(world, &checked, i, &at)?;
            }
            interventions.push(checked);
        }
        interventions.sort_by_key(|i| i.month);
        let mut overrides = Vec::new();
        for (key, value) in &raw.assumptions {
            let k = key.get_ref();
            if ctx.registry.get(k).is_err() {
                let near = nearest(k, ctx.registry.keys());
                let help = match near {
                    Some(n) => format!("did you mean `{n}`? every key is listed in data/assumptions.toml (or `razvilka assumptions`)"),
                    None => "every key is listed in data/assumptions.toml (or `razvilka assumptions`)".to_string(),
                };
                return Err(at(key.span(), format!("unknown assumption `{k}`")).with_help(help));
            }
            let mut probe = ctx.registry.clone();
            if let Err(e) = probe.set(k, *value.get_ref()) {
                let help = match &e {
                    razvilka_kernel::RegistryError::OutOfDomain { valid, .. } => {
                        format!("use {valid}")
                    }
                    _ => "choose a value within the prior's bounds".to_string(),
                };
                return Err(at(value.span(), e.to_string()).with_help(help));
            }
            overrides.push((k.clone(), *value.get_ref()));
        }
        let (mut runs, mut seed, mut sample_priors) = (1000u32, 1u64, false);
        if let Some(e) = &raw.ensemble {
            if let Some(r) = &e.runs {
                if !(1..=1_000_000).contains(r.get_ref()) {
                    return Err(
                        at(r.span(), format!("runs = {} is out of range", r.get_ref()))
                            .with_help("use 1 to 1000000 runs"),
                    );
                }
                runs = *r.get_ref() as u32;
            }
            if let Some(s) = &e.seed {
                if *s.get_ref() < 0 {
                    return Err(at(s.span(), "the seed must not be negative".into())
                        .with_help("use a whole number from 0 upward"));
                }
                seed = *s.get_ref() as u64;
            }
            sample_priors = e.sample_priors.unwrap_or(false);
        }
        Ok(Scenario {
            name,
            title: h.title.clone(),
            description: h.description.clone(),
            start,
            end,
            divergence,
            interventions,
            overrides,
            runs,
            seed,
            sample_priors,
            posterior: None,
        })
    }
}

fn intervention(
    i: &RawIntervention,
    ctx: &Context,
    start: Month,
    end: Month,
    divergence: Month,
    at: &dyn Fn(std::ops::Range<usize>, String) -> Diagnostic,
    month: &dyn Fn(&Spanned<String>) -> Result<Month, Diagnostic>,
) -> Result<Intervention, Diagnostic> {
    let date = month(&i.date)?;
    if date < divergence || date > end {
        let help = if date < divergence {
            "before the divergence, history is replayed: move the divergence to the intervention's date or earlier"
        } else {
            "the run ends before it: move the scenario's end later"
        };
        return Err(at(
            i.date.span(),
            format!("intervention date {date} is outside the free part of the run ({divergence} to {end})"),
        )
        .with_help(help));
    }

    let _ = start;
    let kind = i.kind.get_ref().as_str();
    // The kind first: a misspelled kind is an unknown kind, not a kind missing its fields.
    let kinds = INTERVENTION_KINDS.split(", ");
    if !kinds.clone().any(|k| k == kind) {
        let help = match nearest(kind, kinds) {
            Some(near) => format!("did you mean `{near}`? valid kinds: {INTERVENTION_KINDS}"),
            None => format!("valid kinds: {INTERVENTION_KINDS}"),
        };
        return Err(
            at(i.kind.span(), format!("unknown intervention kind `{kind}`")).with_help(help),
        );
    }
    if kind != "policy" {
        if let Some(r) = &i.regime {
            return Err(at(
                r.span(),
                format!("`regime` is only for policy, not {kind}"),
            ));
        }
    }
    if kind != "comintern_line" && kind != "alignment" {
        if let Some(c) = &i.choice {
            return Err(at(
                c.span(),
                format!("`choice` is only for comintern_line and alignment, not {kind}"),
            ));
        }
    }
    if WORLD_KINDS.contains(&kind) {
        for (field, span) in [
            ("person", i.person.as_ref().map(|p| p.span())),
            ("office", i.office.as_ref().map(|o| o.span())),
            ("until", i.until.as_ref().map(|u| u.span())),
        ] {
            if let Some(span) = span {
                return Err(at(
                    span,
                    format!("`{field}` is not used by a {kind} intervention"),
                ));
            }
        }
        // The one field a world intervention names, parsed against its vocabulary.
        fn pick<T>(
            field: Option<&Spanned<String>>,
            what: (&str, &str, &str),
            parse: fn(&str) -> Option<T>,
            valid: String,
            kind_span: std::ops::Range<usize>,
            at: &dyn Fn(std::ops::Range<usize>, String) -> Diagnostic,
        ) -> Result<T, Diagnostic> {
            let (kind, name, noun) = what;
            let f = field.ok_or_else(|| {
                at(kind_span, format!("{kind} needs a `{name}`"))
                    .with_help(format!("valid {noun}: {valid}"))
            })?;
            parse(f.get_ref()).ok_or_else(|| {
                at(f.span(), format!("unknown {name} `{}`", f.get_ref()))
                    .with_help(format!("valid {noun}: {valid}"))
            })
        }
        let span = i.kind.span();
        let action = match kind {
            "policy" => Action::Policy(pick(
                i.regime.as_ref(),
                ("policy", "regime", "regimes"),
                Policy::from_id,
                Policy::valid_ids(),
                span,
                at,
            )?),
            "comintern_line" => Action::CominternLine(pick(
                i.choice.as_ref(),
                ("comintern_line", "choice", "lines"),
                CominternLine::from_id,
                CominternLine::valid_ids(),
                span,
                at,
            )?),
            "alignment" => Action::Alignment(pick(
                i.choice.as_ref(),
                ("alignment", "choice", "alignments"),
                Alignment::from_id,
                Alignment::valid_ids(),
                span,
                at,
            )?),
            _ => Action::NoArmyPurge,
        };
        return Ok(Intervention {
            month: date,
            action,
            note: i.note.clone(),
        });
    }
    let person_field = i.person.as_ref().ok_or_else(|| {
        at(i.kind.span(), format!("{kind} needs a `person`"))
            .with_help(format!("valid people: {}", ctx.people.valid_ids()))
    })?;
    let person = ctx.people.find(person_field.get_ref()).ok_or_else(|| {
        at(
            person_field.span(),
            format!("unknown person `{}`", person_field.get_ref()),
        )
        .with_help(format!("valid people: {}", ctx.people.valid_ids()))
    })?;
    let info = ctx.people.get(person);
    if let Some(died) = info.died {
        // A death recorded before the divergence is replayed in every world: he cannot be acted on.
        if died < divergence && died <= date {
            return Err(at(person_field.span(), format!(
                "{} is dead by {date}: recorded history, replayed up to the divergence ({divergence}), has him die in {died}",
                info.short
            ))
            .with_help(format!("date the divergence before {died} to act on {}", info.short)));
        }
    }
    if info.born > date {
        return Err(at(
            i.date.span(),
            format!("{} is not yet born in {date}", info.short),
        ));
    }
    if kind != "remove_office" && kind != "appoint" {
        if let Some(o) = &i.office {
            return Err(at(
                o.span(),
                format!("`office` is only for remove_office and appoint, not {kind}"),
            ));
        }
    }
    if kind != "survives_until" {
        if let Some(u) = &i.until {
            return Err(at(
                u.span(),
                format!("`until` is only for survives_until, not {kind}"),
            ));
        }
    }
    let action = match kind {
        "expel" => Action::Expel(person),
        "dies" => Action::Dies(person),
        "remove_office" | "appoint" => {
            let o = i.office.as_ref().ok_or_else(|| {
                at(i.kind.span(), format!("{kind} needs an `office`"))
                    .with_help(format!("valid offices: {}", Office::valid_ids()))
            })?;
            let office = Office::from_id(o.get_ref()).ok_or_else(|| {
                at(o.span(), format!("unknown office `{}`", o.get_ref()))
                    .with_help(format!("valid offices: {}", Office::valid_ids()))
            })?;
            if kind == "appoint" {
                Action::Appoint(person, office)
            } else {
                Action::RemoveOffice(person, office)
            }
        }
        "survives_until" => {
            let u = i.until.as_ref().ok_or_else(|| {
                at(i.kind.span(), "survives_until needs an `until` date".into())
                    .with_help("e.g. until = \"1926-01\"")
            })?;
            let until = month(u)?;
            if until <= date || until > end {
                return Err(at(u.span(), format!("until {until} must come after the intervention ({date}) and not after the end ({end})")));
            }
            Action::SurvivesUntil(person, until)
        }
        other => {
            return Err(at(
                i.kind.span(),
                format!("unknown intervention kind `{other}`"),
            )
            .with_help(format!("valid kinds: {INTERVENTION_KINDS}")))
        }
    };
    Ok(Intervention {
        month: date,
        action,
        note: i.note.clone(),
    })
}

/// Why two interventions cannot both happen, if they cannot: in the same month, two choices of one
/// thing (two policies, two Comintern lines, two alignments, two holders of one post), an act and its
/// undoing on one man, anything done to a man who dies that month, or the same act twice; at any
/// dates, a death inside a window the man is to survive.
fn contradiction(a: &Intervention, b: &Intervention) -> Option<String> {
    use Action::*;
    if let (Dies(p), SurvivesUntil(q, until), d, s) | (SurvivesUntil(q, until), Dies(p), s, d) =
        (a.action.clone(), b.action.clone(), a.month, b.month)
    {
        if p == q && s <= d && d < until {
            return Some(format!(
                "he cannot die in {d} and survive from {s} until {until}"
            ));
        }
    }
    // In date order: a man cannot be acted on after his death, nor given or stripped of office, or
    // expelled again, after his expulsion (no intervention readmits him).
    let (first, then) = if a.month <= b.month { (a, b) } else { (b, a) };
    if first.month < then.month {
        let later = then.month;
        return match (&first.action, &then.action) {
            (Dies(p), other) if other.person() == Some(*p) => Some(format!(
                "he dies in {}, before this intervention in {later}",
                first.month
            )),
            (Expel(p), Appoint(q, _) | RemoveOffice(q, _) | Expel(q)) if p == q => Some(format!(
                "he is expelled in {}, and nothing readmits him before {later}",
                first.month
            )),
            _ => None,
        };
    }
    let when = a.month;
    if a.action == b.action {
        return Some(format!("the same intervention twice in {when}"));
    }
    match (&a.action, &b.action) {
        (Policy(_), Policy(_)) => Some(format!("two economic policies from {when}")),
        (CominternLine(_), CominternLine(_)) => Some(format!("two Comintern lines from {when}")),
        (Alignment(_), Alignment(_)) => Some(format!("two alignments from {when}")),
        (Appoint(p, o), Appoint(q, r)) if o == r && p != q && o.is_single_seat() => Some(format!(
            "two men appointed `{o}` in {when}, a post one man holds"
        )),
        (Appoint(p, o), RemoveOffice(q, r)) | (RemoveOffice(q, r), Appoint(p, o))
            if p == q && o == r =>
        {
            Some(format!(
                "the same man appointed to and removed from `{o}` in {when}"
            ))
        }
        (Appoint(p, _), Expel(q)) | (Expel(q), Appoint(p, _)) if p == q => {
            Some(format!("the same man appointed and expelled in {when}"))
        }
        (Dies(p), other) | (other, Dies(p)) if other.person() == Some(*p) => Some(format!(
            "the same man dies in {when} and is acted on that month"
        )),
        _ => None,
    }
}

/// Whether an intervention at the divergence can act on the replayed world.
fn possible(
    world: &razvilka_model::World,
    checked: &Intervention,
    raw: &RawIntervention,
    at: &dyn Fn(std::ops::Range<usize>, String) -> Diagnostic,
) -> Result<(), Diagnostic> {
    let Some(person) = checked.action.person() else {
        return Ok(());
    };
    let person_span = raw.person.as_ref().map_or(raw.kind.span(), |p| p.span());
    let state = world.person(person);
    let name = &world.people.get(person).short;
    let when = checked.month;
    if state.fate.is_dead() {
        return Err(at(
            person_span.clone(),
            format!("{name} is dead by {when} in recorded history"),
        ));
    }
    match checked.action {
        Action::Expel(_) if !state.fate.is_member() => Err(at(
            raw.kind.span(),
            format!(
                "{name} is not a party member in {when}: recorded history has him {}",
                state.fate.describe()
            ),
        )
        .with_help("expel someone who is in the party at that date, or move the divergence")),
        Action::Appoint(_, office) if !state.fate.is_member() => Err(at(
            raw.office.as_ref().map_or(raw.kind.span(), |o| o.span()),
            format!(
                "{name} cannot be made `{office}` in {when}: recorded history has him {}",
                state.fate.describe()
            ),
        )),
        Action::RemoveOffice(_, office) if !state.offices.has(office) => {
            let held: Vec<&str> = state.offices.iter().map(|o| o.id()).collect();
            let span = raw.office.as_ref().map_or(raw.kind.span(), |o| o.span());
            Err(
                at(span, format!("{name} does not hold `{office}` in {when}")).with_help(
                    if held.is_empty() {
                        format!("in recorded history {name} holds no office then")
                    } else {
                        format!("in recorded history {name} then holds: {}", held.join(", "))
                    },
                ),
            )
        }
        _ => Ok(()),
    }
}

/// The key closest to `key` by edit distance, if it is close enough to be a typo.
fn nearest<'a>(key: &str, keys: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    keys.map(|k| (k, edit_distance(key, k)))
        .filter(|(_, d)| *d <= 3.max(key.len() / 4))
        .min_by_key(|(_, d)| *d)
        .map(|(k, _)| k)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for j in 0..b.len() {
            let old = row[j + 1];
            row[j + 1] = (old + 1)
                .min(row[j] + 1)
                .min(prev + usize::from(ca != b[j]));
            prev = old;
        }
    }
    row[b.len()]
}
