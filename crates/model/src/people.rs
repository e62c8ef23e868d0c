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
    institutions: Spanned<RawRules>,
    office: Vec<Spanned<RawOffice>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRules {
    max_posts: Spanned<i64>,
    source: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawOffice {
    id: Spanned<String>,
    created: Spanned<String>,
    /// The month the body or post ceased to exist (empty: it outlives the model's calendar).
    #[serde(default)]
    abolished: Option<Spanned<String>>,
    /// The month it was renamed, and its title from then on.
    #[serde(default)]
    renamed: Option<Spanned<String>>,
    #[serde(default)]
    renamed_title: String,
    /// Offices one man may not hold together with this one.
    #[serde(default)]
    incompatible: Vec<Spanned<String>>,
    /// Counted against `max_posts` (a post with its own apparatus, not a seat in a body).
    post: bool,
    /// The body's recorded size: from each month, the number of seats a congress fills.
    #[serde(default)]
    seats: Vec<(Spanned<String>, Spanned<i64>)>,
    #[serde(default)]
    seats_source: String,
    source: String,
    #[serde(default)]
    note: String,
}

/// One office's dates and rules, from the `[[office]]` tables of `data/people.toml`.
#[derive(Clone, Debug)]
pub struct OfficeRule {
    pub created: Month,
    pub abolished: Option<Month>,
    pub renamed: Option<(Month, String)>,
    pub incompatible: Vec<Office>,
    pub post: bool,
    /// The recorded size of the body, from each month on, in date order.
    pub seats: Vec<(Month, usize)>,
}

/// The institutions as data: when each body and post exists, what it is called, which offices one
/// man may not combine, and how many posts he may hold at once.
#[derive(Clone, Debug)]
pub struct Institutions {
    rules: Vec<OfficeRule>,
    pub max_posts: usize,
    /// For each office, the offices it may not be held with (the rules read both ways), as a set:
    /// a compatibility check is one mask test.
    excludes: Vec<crate::OfficeSet>,
    /// The offices that are posts (count against `max_posts`).
    posts: crate::OfficeSet,
}

impl Institutions {
    pub fn rule(&self, office: Office) -> &OfficeRule {
        &self.rules[office as usize]
    }
    /// Whether `office` exists in `month` (created, not yet abolished).
    pub fn exists(&self, office: Office, month: Month) -> bool {
        let r = self.rule(office);
        r.created <= month && r.abolished.is_none_or(|a| month < a)
    }
    /// The office's title in `month`: its name after a renaming, else the usual title.
    pub fn title(&self, office: Office, month: Month) -> &str {
        match &self.rule(office).renamed {
            Some((from, title)) if month >= *from => title,
            _ => office.title(),
        }
    }
    /// Whether one man may hold `a` and `b` together (the rule is read both ways).
    pub fn compatible(&self, a: Office, b: Office) -> bool {
        a == b || !self.excludes[a as usize].has(b)
    }
    /// The offices none of `held` may be held with: `office` goes with all of `held` iff it is not
    /// in this set (an office is never excluded by itself).
    pub fn excluded_by(&self, held: crate::OfficeSet) -> crate::OfficeSet {
        held.iter().fold(crate::OfficeSet::default(), |acc, o| {
            acc.union(self.excludes[o as usize])
        })
    }
    /// How many of `held` are posts.
    pub fn posts_among(&self, held: crate::OfficeSet) -> usize {
        held.intersection(self.posts).len()
    }
    /// The body's recorded size in `month` (the last size recorded before it), if the data gives one.
    pub fn seats(&self, office: Office, month: Month) -> Option<usize> {
        self.rule(office)
            .seats
            .iter()
            .take_while(|(from, _)| *from <= month)
            .last()
            .map(|(_, n)| *n)
    }
    /// Whether `office` counts against [`Institutions::max_posts`].
    pub fn is_post(&self, office: Office) -> bool {
        self.rule(office).post
    }
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
    /// The bodies and posts, with their dates and rules.
    pub institutions: Institutions,
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
        let institutions = parse_institutions(&raw, text, file)?;
        Ok(People {
            people,
            distances,
            institutions,
        })
    }

    /// The ideological distance between two people.
    pub fn distance(&self, a: PersonId, b: PersonId) -> f64 {
        self.distances[a.index() * self.people.len() + b.index()]
    }

    /// The ideological distances from `a` to everyone, in table order (`distance(a, b)` is element
    /// `b`): one slice for a loop over many `b`.
    pub fn distances_from(&self, a: PersonId) -> &[f64] {
        let n = self.people.len();
        &self.distances[a.index() * n..(a.index() + 1) * n]
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

/// Reads the `[institutions]` rules and the `[[office]]` tables: every office exactly once, with
/// valid months and offices named by their ids.
fn parse_institutions(raw: &RawFile, text: &str, file: &str) -> Result<Institutions, Diagnostic> {
    let at = |span: std::ops::Range<usize>, msg: String| Diagnostic::at(file, text, span, msg);
    let month = |s: &Spanned<String>| -> Result<Month, Diagnostic> {
        s.get_ref()
            .parse()
            .map_err(|e: razvilka_kernel::MonthParseError| at(s.span(), e.to_string()))
    };
    let office_of = |s: &Spanned<String>| -> Result<Office, Diagnostic> {
        Office::from_id(s.get_ref()).ok_or_else(|| {
            at(s.span(), format!("unknown office `{}`", s.get_ref()))
                .with_help(format!("valid offices: {}", Office::valid_ids()))
        })
    };
    let rules_span = raw.institutions.span();
    let max = &raw.institutions.get_ref().max_posts;
    if !(1..=8).contains(max.get_ref()) {
        return Err(at(
            max.span(),
            format!("`max_posts` is {}; it must lie in 1..=8", max.get_ref()),
        ));
    }
    let _ = &raw.institutions.get_ref().source;
    let mut rules: Vec<Option<OfficeRule>> = vec![None; Office::ALL.len()];
    for entry in &raw.office {
        let o = entry.get_ref();
        let office = office_of(&o.id)?;
        if rules[office as usize].is_some() {
            return Err(at(
                o.id.span(),
                format!("office `{}` is described twice", o.id.get_ref()),
            ));
        }
        let created = month(&o.created)?;
        let abolished = o.abolished.as_ref().map(month).transpose()?;
        if let (Some(a), Some(s)) = (abolished, o.abolished.as_ref()) {
            if a <= created {
                return Err(at(
                    s.span(),
                    format!(
                        "`{}` is abolished in {a}, not after its creation in {created}",
                        o.id.get_ref()
                    ),
                ));
            }
        }
        let renamed = match &o.renamed {
            None => None,
            Some(s) => {
                if o.renamed_title.trim().is_empty() {
                    return Err(at(
                        s.span(),
                        format!("`{}` is renamed but has no `renamed_title`", o.id.get_ref()),
                    ));
                }
                Some((month(s)?, o.renamed_title.clone()))
            }
        };
        let mut incompatible = Vec::new();
        for i in &o.incompatible {
            let other = office_of(i)?;
            if other == office {
                return Err(at(
                    i.span(),
                    format!("`{}` cannot exclude itself", o.id.get_ref()),
                ));
            }
            incompatible.push(other);
        }
        let _ = (&o.source, &o.note, &o.seats_source);
        let mut seats: Vec<(Month, usize)> = Vec::new();
        for (from, n) in &o.seats {
            let from_month = month(from)?;
            if seats.last().is_some_and(|(m, _)| *m >= from_month) {
                return Err(at(
                    from.span(),
                    format!("the seats of `{}` must be in date order", o.id.get_ref()),
                ));
            }
            if !(1..=50).contains(n.get_ref()) {
                return Err(at(
                    n.span(),
                    format!("{} seats: a body has 1 to 50", n.get_ref()),
                ));
            }
            seats.push((from_month, *n.get_ref() as usize));
        }
        rules[office as usize] = Some(OfficeRule {
            seats,
            created,
            abolished,
            renamed,
            incompatible,
            post: o.post,
        });
    }
    let mut out = Vec::with_capacity(rules.len());
    for (rule, office) in rules.into_iter().zip(Office::ALL) {
        match rule {
            Some(r) => out.push(r),
            None => {
                return Err(at(
                    rules_span.clone(),
                    format!(
                    "office `{}` has no [[office]] table: every office needs its dates and rules",
                    office.id()
                ),
                ))
            }
        }
    }
    // The incompatibility rule read both ways, once, as sets.
    let mut excludes = vec![crate::OfficeSet::default(); out.len()];
    for (i, rule) in out.iter().enumerate() {
        for &other in &rule.incompatible {
            if other as usize != i {
                excludes[i].insert(other);
                excludes[other as usize].insert(Office::ALL[i]);
            }
        }
    }
    let posts = crate::OfficeSet::of(
        &Office::ALL
            .iter()
            .copied()
            .filter(|&o| out[o as usize].post)
            .collect::<Vec<_>>(),
    );
    Ok(Institutions {
        rules: out,
        max_posts: *max.get_ref() as usize,
        excludes,
        posts,
    })
}
