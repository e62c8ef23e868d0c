//! The people table: who the agents are, read from `data/people.toml`.

use crate::{DeathCause, Office, PersonId};
use razvilka_kernel::{Diagnostic, Month};
use serde::Deserialize;
use toml::Spanned;

/// One person as the data file describes him in 1922–24. Scores in 0..1 are judgment, with the
/// reasoning in `judgment`; dates and offices are sourced in `source`.
#[derive(Clone, Debug)]
pub struct Person {
    pub id: String,
    pub name: String,
    pub short: String,
    /// How prose introduces him at first mention.
    pub role: String,
    pub born: Month,
    /// Recorded death: reference only, never forced after the divergence.
    pub died: Option<Month>,
    pub death_cause: DeathCause,
    pub homeland: String,
    /// Offices on 3 April 1922.
    pub offices: Vec<Office>,
    pub patron: Option<PersonId>,
    pub loyalty: f64,
    /// Ideology: [pace of industrialization, coercion of the peasantry, Comintern militancy].
    pub ideology: [f64; 3],
    pub prestige: f64,
    pub organization: f64,
    pub ambition: f64,
    pub ruthlessness: f64,
    pub frailty: f64,
    pub military: bool,
    /// His part in Lenin's letter to the Congress (the Testament).
    pub testament: Option<Testament>,
    pub judgment: String,
    pub source: String,
}

/// A person's part in Lenin's letter to the Congress (December 1922–January 1923).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Testament {
    /// He wrote it: his strokes and his death decide when it is read.
    Author,
    /// It criticises him (besides the General Secretary, whom the mechanism finds by his office).
    Named,
}

impl Person {
    /// Whether his home is in the Caucasus (where a power base outside Moscow's reach is thinkable).
    pub fn caucasian(&self) -> bool {
        matches!(self.homeland.as_str(), "georgia" | "armenia" | "azerbaijan")
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPerson {
    id: String,
    name: String,
    short: String,
    role: String,
    born: Spanned<String>,
    died: Spanned<String>,
    death_cause: Spanned<String>,
    homeland: String,
    offices: Vec<Spanned<String>>,
    patron: Spanned<String>,
    loyalty: f64,
    pace: f64,
    agrarian: f64,
    comintern: f64,
    prestige: f64,
    organization: f64,
    ambition: f64,
    ruthlessness: f64,
    frailty: f64,
    military: bool,
    /// His part in Lenin's letter to the Congress: "author" or "named" (empty: none).
    #[serde(default)]
    testament: Option<Spanned<String>>,
    judgment: String,
    source: String,
    #[serde(default)]
    note: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    person: Vec<Spanned<RawPerson>>,
}

/// The most people a table may hold. Per-person random draws are laid out in blocks of this many
/// (`razvilka_kernel::cell`), so a longer table would make two people share a number.
pub const MAX_PEOPLE: usize = 64;

/// Everyone the model knows, in file order (a person's index is his [`PersonId`]).
#[derive(Clone, Debug)]
pub struct People {
    people: Vec<Person>,
    /// [`ideology_distance`] between every two people, row by row (ideology is fixed for life, so
    /// the politics model reads its enmities here instead of recomputing them at every meeting).
    distances: Vec<f64>,
}

/// The distance between two ideologies: Euclidean over the three axes, scaled to [0, 1].
pub fn ideology_distance(a: &[f64; 3], b: &[f64; 3]) -> f64 {
    let sum: f64 = a.iter().zip(b).map(|(x, y)| (x - y).powi(2)).sum();
    (sum / 3.0).sqrt()
}

impl People {
    /// Reads and checks the people table.
    pub fn parse(text: &str, file: &str) -> Result<People, Diagnostic> {
        let raw: RawFile =
            toml::from_str(text).map_err(|e| Diagnostic::from_toml(file, text, &e))?;
        if raw.person.len() > MAX_PEOPLE {
            return Err(Diagnostic::whole_file(
                file,
                format!(
                    "at most {MAX_PEOPLE} people: the random streams give each person one of \
                     {MAX_PEOPLE} slots (razvilka_kernel::cell)"
                ),
            ));
        }
        let ids: Vec<String> = raw.person.iter().map(|p| p.get_ref().id.clone()).collect();
        let mut people = Vec::with_capacity(raw.person.len());
        for (i, spanned) in raw.person.iter().enumerate() {
            let entry_span = spanned.span();
            let p = spanned.get_ref();
            let at =
                |span: std::ops::Range<usize>, msg: String| Diagnostic::at(file, text, span, msg);
            if ids[..i].contains(&p.id) {
                return Err(at(entry_span, format!("person `{}` is listed twice", p.id)));
            }
            let month = |s: &Spanned<String>| -> Result<Month, Diagnostic> {
                s.get_ref()
                    .parse()
                    .map_err(|e: razvilka_kernel::MonthParseError| at(s.span(), e.to_string()))
            };
            let born = month(&p.born)?;
            let died = if p.died.get_ref().is_empty() {
                None
            } else {
                Some(month(&p.died)?)
            };
            let death_cause = DeathCause::from_id(p.death_cause.get_ref()).ok_or_else(|| {
                at(
                    p.death_cause.span(),
                    format!("unknown death cause `{}`", p.death_cause.get_ref()),
                )
                .with_help(format!("valid causes: {}", DeathCause::valid_ids()))
            })?;
            let mut offices = Vec::new();
            for o in &p.offices {
                let office = Office::from_id(o.get_ref()).ok_or_else(|| {
                    at(o.span(), format!("unknown office `{}`", o.get_ref()))
                        .with_help(format!("valid offices: {}", Office::valid_ids()))
                })?;
                offices.push(office);
            }
            let patron = if p.patron.get_ref().is_empty() {
                None
            } else {
                let idx = ids
                    .iter()
                    .position(|id| id == p.patron.get_ref())
                    .ok_or_else(|| {
                        at(
                            p.patron.span(),
                            format!("patron `{}` is not in the people table", p.patron.get_ref()),
                        )
                    })?;
                if idx == i {
                    return Err(at(
                        p.patron.span(),
                        "a person cannot be his own patron".into(),
                    ));
                }
                Some(PersonId(idx as u8))
            };
            let scores = [
                ("loyalty", p.loyalty),
                ("pace", p.pace),
                ("agrarian", p.agrarian),
                ("comintern", p.comintern),
                ("prestige", p.prestige),
                ("organization", p.organization),
                ("ambition", p.ambition),
                ("ruthlessness", p.ruthlessness),
            ];
            for (name, value) in scores {
                if !(0.0..=1.0).contains(&value) {
                    return Err(at(
                        entry_span.clone(),
                        format!("`{name}` of `{}` is {value}; it must lie in 0..1", p.id),
                    ));
                }
            }
            if !(p.frailty > 0.0 && p.frailty <= 50.0) {
                return Err(at(
                    entry_span,
                    format!("`frailty` of `{}` must lie in (0, 50]", p.id),
                ));
            }
            let _ = &p.note;
            people.push(Person {
                id: p.id.clone(),
                name: p.name.clone(),
                short: p.short.clone(),
                role: p.role.clone(),
                born,
                died,
                death_cause,
                homeland: p.homeland.clone(),
                offices,
                patron,
                loyalty: p.loyalty,
                ideology: [p.pace, p.agrarian, p.comintern],
                prestige: p.prestige,
                organization: p.organization,
                ambition: p.ambition,
                ruthlessness: p.ruthlessness,
                frailty: p.frailty,
                military: p.military,
                testament: match p.testament.as_ref().map(|t| (t.get_ref().as_str(), t.span())) {
                    None => None,
                    Some(("author", _)) => Some(Testament::Author),
                    Some(("named", _)) => Some(Testament::Named),
                    Some((other, span)) => {
                        return Err(Diagnostic::at(
                            file,
                            text,
                            span,
                            format!(
                                "`testament` of `{}` is `{other}`: write \"author\", \"named\" or leave it out",
                                p.id
                            ),
                        ))
                    }
                },
                judgment: p.judgment.clone(),
                source: p.source.clone(),
            });
        }
        let distances = people
            .iter()
            .flat_map(|a| {
                people
                    .iter()
                    .map(move |b| ideology_distance(&a.ideology, &b.ideology))
            })
            .collect();
        Ok(People { people, distances })
    }

    /// The ideological distance between two people.
    pub fn distance(&self, a: PersonId, b: PersonId) -> f64 {
        self.distances[a.index() * self.people.len() + b.index()]
    }

    pub fn get(&self, id: PersonId) -> &Person {
        &self.people[id.index()]
    }

    /// The people with this part in the Testament, in table order.
    pub fn in_testament(&self, part: Testament) -> impl Iterator<Item = PersonId> + '_ {
        self.people
            .iter()
            .enumerate()
            .filter(move |(_, p)| p.testament == Some(part))
            .map(|(i, _)| PersonId(i as u8))
    }

    pub fn find(&self, id: &str) -> Option<PersonId> {
        self.people
            .iter()
            .position(|p| p.id == id)
            .map(|i| PersonId(i as u8))
    }

    /// The id of `id`, or an error listing the valid ids.
    pub fn ids(&self) -> impl Iterator<Item = (PersonId, &Person)> {
        self.people
            .iter()
            .enumerate()
            .map(|(i, p)| (PersonId(i as u8), p))
    }

    pub fn len(&self) -> usize {
        self.people.len()
    }

    pub fn is_empty(&self) -> bool {
        self.people.is_empty()
    }

    /// Every id, comma-separated, for error messages.
    pub fn valid_ids(&self) -> String {
        self.people
            .iter()
            .map(|p| p.id.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    }
}
