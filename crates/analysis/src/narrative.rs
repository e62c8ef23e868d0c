//! The timeline: one world told as dated prose, with the points where it parts from recorded history
//! marked, in plain text, Markdown, BBCode or JSON.
//!
//! The prose is built in four passes over the world's event log: events that belong together (several
//! men expelled in one month, a promotion from candidate to full member) are merged into one entry;
//! each entry gets a sentence, its phrasing chosen by the event's month and place in the log, never
//! the phrasing its kind used last; the first entry of a month may open with a time phrase ("Three
//! months later", "That autumn"); and each person is introduced by name and 1922 role at first
//! mention, by surname after. Nothing is random: the same world always reads the same.

use std::collections::HashMap;

use razvilka_kernel::{Month, Origin};
use razvilka_model::{
    Alignment, CominternLine, DeathCause, Event, EventKind, Fate, GermanRegime, Office, PersonId,
    Policy, Regime, WarOutcome,
};
use razvilka_world::{Data, RecordedDates, RecordedKind, Run, Scenario};
use serde::Serialize;

/// How an entry stands to recorded history.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Mark {
    /// Replayed from the record.
    Recorded,
    /// Forced by the scenario: the divergence itself.
    Divergence,
    /// Produced by the model and also in the record (within six months).
    AsInHistory,
    /// Produced by the model and not in the record: where this world parts from ours.
    PartsFromHistory,
    /// Produced by the model; the record has nothing to compare it with.
    Model,
}

impl Mark {
    pub fn symbol(self) -> &'static str {
        match self {
            Mark::Recorded => "·",
            Mark::Divergence => "⑂",
            Mark::AsInHistory => "=",
            Mark::PartsFromHistory => "≠",
            Mark::Model => " ",
        }
    }
}

/// One dated entry: one event, or several of one kind in one month told together.
#[derive(Clone, Debug, Serialize)]
pub struct Entry {
    /// `YYYY-MM`.
    pub month: String,
    /// "May 1924".
    pub date: String,
    pub text: String,
    pub mark: Mark,
    /// The kind of event told, as in the event log (`fate_changed`, `office_gained`, `note` …).
    pub kind: String,
}

/// A sampled world as prose.
#[derive(Clone, Debug, Serialize)]
pub struct Timeline {
    pub scenario: String,
    pub title: String,
    pub seed: u64,
    pub run: u64,
    /// `YYYY-MM`: recorded history is replayed before this month.
    pub divergence: String,
    /// The scenario's premise, as its file describes it.
    pub description: String,
    /// How this world turned out, in one paragraph drawn from its outcome and events.
    pub summary: String,
    pub entries: Vec<Entry>,
}

// ---------------------------------------------------------------------------------------------
// Recorded dates outside the party
// ---------------------------------------------------------------------------------------------

/// Is `month` within `months` of the recorded date `id` (data/germany.toml, data/war.toml, or their
/// copies under `--data`)? `None` if the files lack it.
fn near_recorded(dates: &RecordedDates, id: &str, month: Month, months: i32) -> Option<bool> {
    dates.month(id).map(|r| month.since(r).abs() <= months)
}

/// The `[[date]]` ids the marks compare with.
#[cfg(test)]
const DATE_IDS: [&str; 8] = [
    "comintern_6th_congress",
    "comintern_7th_congress",
    "hitler_chancellor",
    "molotov_ribbentrop_pact",
    "germany_invades_poland",
    "france_armistice",
    "barbarossa",
    "german_surrender_karlshorst",
];

/// Does the record hold an event like this one nearby? `None`: nothing to compare with.
fn in_record(data: &Data, dates: &RecordedDates, event: &Event) -> Option<bool> {
    let near = |m: Month| m.since(event.month).abs() <= 6;
    let matches = |person: PersonId, want: &dyn Fn(RecordedKind) -> bool| {
        data.recorded
            .iter()
            .any(|r| r.person == Some(person) && near(r.month) && want(r.kind))
    };
    let month = event.month;
    match event.kind {
        EventKind::OfficeGained { person, office } => Some(matches(person, &|k| {
            k == RecordedKind::OfficeGained(office)
        })),
        EventKind::OfficeLost { person, office } => {
            Some(matches(person, &|k| k == RecordedKind::OfficeLost(office)))
        }
        EventKind::Died { person, cause } => {
            Some(matches(person, &|k| k == RecordedKind::Death(cause)))
        }
        EventKind::FateChanged { person, to, .. } => {
            let kind = match to {
                Fate::Expelled => RecordedKind::Expelled,
                Fate::InternalExile => RecordedKind::InternalExile,
                Fate::Abroad => RecordedKind::Deported,
                Fate::Imprisoned => RecordedKind::Arrested,
                Fate::Readmitted => RecordedKind::Readmitted,
                _ => return Some(false),
            };
            Some(matches(person, &|k| k == kind))
        }
        EventKind::Incapacitated { person } => {
            Some(matches(person, &|k| k == RecordedKind::Incapacitated))
        }
        EventKind::TestamentRead => Some(
            data.recorded
                .iter()
                .any(|r| r.kind == RecordedKind::TestamentRead && near(r.month)),
        ),
        // Germany, 1939 and the war: as in history within half a year of the recorded date (a
        // year for the Comintern's slow turns).
        EventKind::CominternLineChanged { to, .. } => match to {
            CominternLine::ThirdPeriod => near_recorded(dates, "comintern_6th_congress", month, 12),
            CominternLine::PopularFront => {
                near_recorded(dates, "comintern_7th_congress", month, 12)
            }
            CominternLine::UnitedFront => Some(false),
        },
        EventKind::GermanRegimeChanged { to, .. } => match to {
            GermanRegime::Nazi => near_recorded(dates, "hitler_chancellor", month, 6),
            _ => Some(false),
        },
        // The crisis over Poland came to its head in the month of the pact, August 1939.
        EventKind::EuropeanCrisis => near_recorded(dates, "molotov_ribbentrop_pact", month, 6),
        EventKind::Aligned { alignment } => match alignment {
            Alignment::Pact => near_recorded(dates, "molotov_ribbentrop_pact", month, 6),
            _ => Some(false),
        },
        EventKind::WarInWest => near_recorded(dates, "germany_invades_poland", month, 6),
        EventKind::FranceFalls => near_recorded(dates, "france_armistice", month, 6),
        EventKind::WarBegan { .. } => near_recorded(dates, "barbarossa", month, 6),
        EventKind::WarEnded { outcome } => match outcome {
            WarOutcome::SovietVictory => {
                near_recorded(dates, "german_surrender_karlshorst", month, 6)
            }
            _ => Some(false),
        },
        EventKind::Deterred | EventKind::MilitaryCoup { .. } => Some(false),
        // A change of policy counts as history's if the record has the same one within a year.
        EventKind::PolicyChanged { to, .. } => {
            Some(data.recorded.iter().any(|r| {
                r.kind == RecordedKind::Policy(to) && r.month.since(event.month).abs() <= 12
            }))
        }
        _ => None,
    }
}

// ---------------------------------------------------------------------------------------------
// Phrasing
// ---------------------------------------------------------------------------------------------

/// Chooses among phrasings deterministically: by a key taken from the event, and never the phrasing
/// the same slot used last, so that two entries of a kind in a row never share a sentence frame.
#[derive(Default)]
struct Voice {
    last: HashMap<&'static str, usize>,
}

impl Voice {
    fn pick<T: AsRef<str>>(&mut self, slot: &'static str, key: u64, options: &[T]) -> String {
        let n = options.len();
        if n == 0 {
            return String::new();
        }
        let mut i = (mix(key) % n as u64) as usize;
        if n > 1 && self.last.get(slot) == Some(&i) {
            i = (i + 1) % n;
        }
        self.last.insert(slot, i);
        options[i].as_ref().to_string()
    }

    /// A phrasing with its `{name}` holes filled.
    fn say(
        &mut self,
        slot: &'static str,
        key: u64,
        options: &[&str],
        holes: &[(&str, &str)],
    ) -> String {
        let mut text = self.pick(slot, key, options);
        for (name, value) in holes {
            text = text.replace(&format!("{{{name}}}"), value);
        }
        text
    }
}

/// SplitMix64's finaliser: spreads neighbouring keys over the whole range.
fn mix(key: u64) -> u64 {
    let mut z = key.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// "A", "A and B", "A, B and C".
fn list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// Introduces people at first mention: "Joseph Stalin, the General Secretary," then "Stalin".
struct Namer<'a> {
    data: &'a Data,
    seen: Vec<bool>,
}

impl Namer<'_> {
    /// `text` with everyone not yet met introduced at his first plain mention (not a possessive).
    /// The role is the one held in 1922, said as such after 1925. Where the text already names the
    /// role ("elects Stalin General Secretary"), the full name is enough.
    fn introduce(&mut self, text: &str, month: Month) -> String {
        let people = &self.data.people;
        let mut text = text.to_string();
        let mut from = 0;
        loop {
            let next = people
                .ids()
                .filter(|(id, _)| !self.seen[id.index()])
                .filter_map(|(id, p)| mention(&text[from..], &p.short).map(|at| (from + at, id)))
                .min_by_key(|(at, _)| *at);
            let Some((at, id)) = next else {
                return text;
            };
            self.seen[id.index()] = true;
            let p = people.get(id);
            let end = at + p.short.len();
            // "Joseph Stalin" already in full: start from the first name.
            let first_names = p.name.strip_suffix(p.short.as_str()).unwrap_or("");
            let start = if !first_names.is_empty() && text[..at].ends_with(first_names) {
                at - first_names.len()
            } else {
                at
            };
            let (before, after) = (&text[..start], &text[end..]);
            let core = ["the ", "a ", "an "]
                .iter()
                .find_map(|article| p.role.strip_prefix(article))
                .unwrap_or(&p.role);
            let role = if month.year() <= 1925 {
                p.role.clone()
            } else {
                format!("in 1922 {}", p.role)
            };
            let in_list = after.starts_with(',')
                || after.starts_with(" and ")
                || after.starts_with(" or ")
                || after.starts_with(" (")
                || before.ends_with(" and ");
            let intro = if text.to_lowercase().contains(&core.to_lowercase()) {
                p.name.clone()
            } else if in_list {
                format!("{} ({role})", p.name)
            } else if after.is_empty() || after.starts_with(['.', ';', ':']) {
                format!("{}, {role}", p.name)
            } else {
                format!("{}, {role},", p.name)
            };
            text = format!("{before}{intro}{after}");
            from = start + intro.len();
        }
    }
}

/// Byte offset of the first mention of `short` as a whole word and not in the possessive.
fn mention(text: &str, short: &str) -> Option<usize> {
    let mut from = 0;
    while let Some(i) = text[from..].find(short) {
        let at = from + i;
        let end = at + short.len();
        let rest = &text[end..];
        let starts_word = text[..at]
            .chars()
            .next_back()
            .is_none_or(|c| !c.is_alphanumeric());
        let ends_word = rest.chars().next().is_none_or(|c| !c.is_alphanumeric());
        let possessive = rest.starts_with("'s") || rest.starts_with("’s");
        if starts_word && ends_word && !possessive {
            return Some(at);
        }
        from = end;
    }
    None
}

fn seat_phrase(office: Office) -> Option<&'static str> {
    Some(match office {
        Office::Politburo => "his seat in the Politburo",
        Office::PolitburoCandidate => "his candidate seat in the Politburo",
        Office::CentralCommittee => "his seat on the Central Committee",
        Office::Orgburo => "his seat in the Orgburo",
        Office::GeneralSecretary => "the post of General Secretary",
        _ => return None,
    })
}

/// Offices the party's own bodies fill by election.
fn elected(office: Office) -> bool {
    matches!(
        office,
        Office::Politburo
            | Office::PolitburoCandidate
            | Office::Orgburo
            | Office::Secretariat
            | Office::CentralCommittee
            | Office::GeneralSecretary
    )
}

fn policy_name(policy: Policy) -> &'static str {
    match policy {
        Policy::Nep => "the New Economic Policy",
        other => other.describe(),
    }
}

/// Would [`sentence`] tell this event? (Some events only move the model's state.)
fn tellable(data: &Data, event: &Event) -> bool {
    match &event.kind {
        EventKind::Meeting { congress, .. } => *congress,
        EventKind::FateChanged { to, .. } => !matches!(
            to,
            Fate::InLeadership
                | Fate::InParty
                | Fate::DeadNatural
                | Fate::Executed
                | Fate::Killed
                | Fate::Suicide
        ),
        EventKind::PatronChanged { from, .. } => from.is_some(),
        EventKind::WarEnded { outcome } => {
            !matches!(outcome, WarOutcome::Ongoing | WarOutcome::NoWar)
        }
        EventKind::Note { record } => data.recorded.get(*record as usize).is_some(),
        _ => true,
    }
}

/// Can `next` be told in one entry with `group` (same month and mark assumed)? Several men reaching
/// the same fate, or taking the same side; one man's new offices; a candidate made a full member.
fn joins(group: &[&Event], next: &Event) -> bool {
    use EventKind as K;
    let (Some(first), Some(last)) = (group.first(), group.last()) else {
        return false;
    };
    match (&first.kind, &last.kind, &next.kind) {
        (
            _,
            K::FateChanged {
                from: f1, to: t1, ..
            },
            K::FateChanged {
                from: f2, to: t2, ..
            },
        ) => t1 == t2 && (f1 == f2 || !matches!(t1, Fate::Abroad | Fate::Readmitted)),
        (_, K::Died { cause: c1, .. }, K::Died { cause: c2, .. }) => {
            c1 == c2 && *c1 != DeathCause::Natural
        }
        (
            _,
            K::PatronChanged {
                from: f1, to: t1, ..
            },
            K::PatronChanged {
                from: f2, to: t2, ..
            },
        ) => f1 == f2 && t1 == t2,
        (
            K::OfficeGained { .. },
            K::OfficeGained { person: p1, .. },
            K::OfficeGained { person: p2, .. },
        ) => p1 == p2,
        (
            _,
            K::OfficeLost {
                person: p1,
                office: Office::PolitburoCandidate,
            },
            K::OfficeGained {
                person: p2,
                office: Office::Politburo,
            },
        ) => p1 == p2 && group.len() == 1,
        // The full seat gained gives up the candidate's seat (data/people.toml: the two exclude
        // each other): one promotion, told once.
        (
            _,
            K::OfficeGained {
                person: p1,
                office: Office::Politburo,
            },
            K::OfficeLost {
                person: p2,
                office: Office::PolitburoCandidate,
            },
        ) => p1 == p2 && group.len() == 1,
        _ => false,
    }
}

/// The people a group of events is about, by surname.
fn subjects(data: &Data, group: &[&Event]) -> String {
    let names: Vec<String> = group
        .iter()
        .filter_map(|e| match e.kind {
            EventKind::FateChanged { person, .. }
            | EventKind::Died { person, .. }
            | EventKind::PatronChanged { person, .. } => {
                Some(data.people.get(person).short.clone())
            }
            _ => None,
        })
        .collect();
    list(&names)
}

/// The sentence for a group of events (see [`joins`]); `key` varies the phrasing.
fn sentence(data: &Data, voice: &mut Voice, group: &[&Event], key: u64) -> String {
    let people = &data.people;
    let short = |p: PersonId| people.get(p).short.clone();
    let event = group[0];
    let plural = group.len() > 1;
    let who = subjects(data, group);
    let pct = |share: f64| format!("{:.0}", share * 100.0);
    match &event.kind {
        EventKind::OfficeGained { person, .. }
            if group.iter().any(|e| {
                matches!(e.kind, EventKind::OfficeLost { office: Office::PolitburoCandidate, .. })
            }) =>
        {
            voice.say(
                "promoted",
                key,
                &[
                    "{who} is promoted to full membership of the Politburo.",
                    "{who} moves up from candidate to full member of the Politburo.",
                ],
                &[("who", &short(*person))],
            )
        }
        EventKind::OfficeGained { person, .. } => {
            let offices: Vec<String> = group
                .iter()
                .filter_map(|e| match e.kind {
                    // The title the office bears that month (the War Commissariat is the Defence
                    // Commissariat from June 1934).
                    EventKind::OfficeGained { office, .. } => {
                        Some(people.institutions.title(office, e.month).to_string())
                    }
                    _ => None,
                })
                .collect();
            let all_elected = group.iter().all(|e| {
                matches!(e.kind, EventKind::OfficeGained { office, .. } if elected(office))
            });
            let options: &[&str] = if all_elected {
                &[
                    "{who} becomes {office}.",
                    "{who} is elected {office}.",
                    "{who} rises to become {office}.",
                ]
            } else {
                &[
                    "{who} becomes {office}.",
                    "{who} is appointed {office}.",
                    "{who} is named {office}.",
                ]
            };
            let office = list(&offices);
            voice.say("office_gained", key, options, &[("who", &short(*person)), ("office", &office)])
        }
        EventKind::OfficeLost { person, office } => {
            let who = short(*person);
            if group.len() > 1 {
                return voice.say(
                    "promoted",
                    key,
                    &[
                        "{who} is promoted to full membership of the Politburo.",
                        "{who} moves up from candidate to full member of the Politburo.",
                    ],
                    &[("who", &who)],
                );
            }
            match seat_phrase(*office) {
                Some(seat) => voice.say(
                    "seat_lost",
                    key,
                    &["{who} loses {seat}.", "{who} is stripped of {seat}.", "{who} forfeits {seat}."],
                    &[("who", &who), ("seat", seat)],
                ),
                // An office abolished this month: its holder leaves it with the office itself.
                None if !people.institutions.exists(*office, event.month) => voice.say(
                    "office_abolished",
                    key,
                    &[
                        "The post of {office} is abolished, and {who} leaves it.",
                        "{who} ceases to be {office}: the post is abolished.",
                    ],
                    &[("who", &who), ("office", people.institutions.title(*office, event.month))],
                ),
                None => voice.say(
                    "office_lost",
                    key,
                    &[
                        "{who} is relieved as {office}.",
                        "{who} is removed as {office}.",
                        "{who} ceases to be {office}.",
                    ],
                    &[("who", &who), ("office", people.institutions.title(*office, event.month))],
                ),
            }
        }
        EventKind::Incapacitated { person } => voice.say(
            "stroke",
            key,
            &[
                "A stroke leaves {who} unable to work.",
                "{who} suffers a stroke and stops working.",
                "A stroke lays {who} low.",
            ],
            &[("who", &short(*person))],
        ),
        EventKind::Recovered { person } => voice.say(
            "recovered",
            key,
            &[
                "{who} recovers and goes back to work.",
                "{who} is well enough to return to work.",
                "{who} returns to work.",
            ],
            &[("who", &short(*person))],
        ),
        EventKind::Died { person, cause } => {
            let age = event.month.years_since(people.get(*person).born).floor();
            let age = format!("{age}");
            let (slot, options): (&'static str, &[&str]) = match (cause, plural) {
                (DeathCause::Natural, _) => (
                    "died",
                    &[
                        "{who} dies, aged {age}.",
                        "{who} dies at the age of {age}.",
                        "{who} dies a natural death at {age}.",
                    ],
                ),
                (DeathCause::Executed, false) => (
                    "shot",
                    &["{who} is shot.", "{who} is executed.", "The secret police shoot {who}."],
                ),
                (DeathCause::Executed, true) => (
                    "shot",
                    &["{who} are shot.", "{who} are executed.", "The secret police shoot {who}."],
                ),
                (DeathCause::Killed, false) => (
                    "killed",
                    &["{who} is killed.", "{who} meets a violent death."],
                ),
                (DeathCause::Killed, true) => {
                    ("killed", &["{who} are killed.", "{who} meet violent deaths."])
                }
                (DeathCause::Suicide, false) => (
                    "suicide",
                    &["{who} takes his own life.", "{who} kills himself."],
                ),
                (DeathCause::Suicide, true) => (
                    "suicide",
                    &["{who} take their own lives.", "{who} kill themselves."],
                ),
            };
            voice.say(slot, key, options, &[("who", &who), ("age", &age)])
        }
        EventKind::FateChanged { from, to, .. } => {
            let (slot, options): (&'static str, &[&str]) = match (to, plural) {
                (Fate::Expelled, false) => (
                    "expelled",
                    &[
                        "{who} is expelled from the party.",
                        "The party expels {who}.",
                        "{who} is thrown out of the party.",
                    ],
                ),
                (Fate::Expelled, true) => (
                    "expelled",
                    &[
                        "{who} are expelled from the party.",
                        "The party expels {who}.",
                        "{who} are thrown out of the party.",
                    ],
                ),
                (Fate::InternalExile, false) => (
                    "exiled",
                    &[
                        "{who} is sent into internal exile.",
                        "{who} is banished to a remote province.",
                        "The authorities exile {who} far from Moscow.",
                    ],
                ),
                (Fate::InternalExile, true) => (
                    "exiled",
                    &[
                        "{who} are sent into internal exile.",
                        "{who} are banished to remote provinces.",
                        "The authorities exile {who} far from Moscow.",
                    ],
                ),
                (Fate::CaucasusBase, _) => (
                    "caucasus",
                    &[
                        "{who} goes home to the Caucasus and gathers his followers about him.",
                        "{who} withdraws to the Caucasus, where his followers rally to him.",
                    ],
                ),
                (Fate::Revolt, _) => (
                    "revolt",
                    &[
                        "{who} raises the Caucasus in open revolt against Moscow.",
                        "{who} leads the Caucasus into open revolt against Moscow.",
                    ],
                ),
                (Fate::Breakaway, _) => (
                    "breakaway",
                    &[
                        "{who} holds out: a breakaway Caucasian republic stands against Moscow.",
                        "The revolt holds: {who} rules a breakaway Caucasian republic that defies Moscow.",
                    ],
                ),
                (Fate::Imprisoned, false) => (
                    "arrested",
                    &[
                        "{who} is arrested.",
                        "The secret police arrest {who}.",
                        "{who} is taken into custody.",
                    ],
                ),
                (Fate::Imprisoned, true) => (
                    "arrested",
                    &[
                        "{who} are arrested.",
                        "The secret police arrest {who}.",
                        "{who} are taken into custody.",
                    ],
                ),
                (Fate::Abroad, false) if *from == Fate::InternalExile => (
                    "deported",
                    &[
                        "{who} is deported abroad.",
                        "{who} is expelled from the Soviet Union.",
                        "The Politburo has {who} deported abroad.",
                    ],
                ),
                (Fate::Abroad, true) if *from == Fate::InternalExile => (
                    "deported",
                    &[
                        "{who} are deported abroad.",
                        "{who} are expelled from the Soviet Union.",
                        "The Politburo has {who} deported abroad.",
                    ],
                ),
                (Fate::Abroad, _) if *from == Fate::Breakaway => (
                    "escaped",
                    &[
                        "Moscow retakes the Caucasus; {who} escapes abroad.",
                        "The Red Army retakes the Caucasus, and {who} flees abroad.",
                    ],
                ),
                (Fate::Abroad, _) => (
                    "abroad",
                    &["{who} leaves the country.", "{who} goes abroad."],
                ),
                (Fate::Readmitted, false) if *from == Fate::Imprisoned => (
                    "released",
                    &[
                        "{who} is released and readmitted to the party.",
                        "{who} comes out of prison and is readmitted to the party.",
                    ],
                ),
                (Fate::Readmitted, true) if *from == Fate::Imprisoned => (
                    "released",
                    &[
                        "{who} are released and readmitted to the party.",
                        "{who} come out of prison and are readmitted to the party.",
                    ],
                ),
                (Fate::Readmitted, false) => (
                    "readmitted",
                    &[
                        "{who} recants and is readmitted to the party.",
                        "Having recanted, {who} is readmitted to the party.",
                        "The party takes {who} back after he recants.",
                    ],
                ),
                (Fate::Readmitted, true) => (
                    "readmitted",
                    &[
                        "{who} recant and are readmitted to the party.",
                        "Having recanted, {who} are readmitted to the party.",
                        "The party takes {who} back after they recant.",
                    ],
                ),
                // Not told (see `tellable`).
                _ => return String::new(),
            };
            voice.say(slot, key, options, &[("who", &who)])
        }
        EventKind::Meeting { name, .. } => voice.say(
            "congress",
            key,
            &[
                "The {name} opens.",
                "The {name} meets.",
                "Delegates gather in Moscow for the {name}.",
            ],
            &[("name", name)],
        ),
        EventKind::TestamentRead => voice.pick(
            "testament",
            key,
            &[
                "Lenin's letter to the Congress is read to the delegations. It asks that the General Secretary be removed, and spares none of the other leaders.",
                "The delegations hear Lenin's letter to the Congress: it asks that the General Secretary be removed, and spares none of the other leaders.",
            ],
        ),
        EventKind::RemovalVote { target, office, share_for, passed } => voice.say(
            "removal_vote",
            key,
            &[
                "The Central Committee votes on removing {who} as {office}: {pct}% are for it, and the motion {result}.",
                "A motion to remove {who} as {office} {result} in the Central Committee, with {pct}% in favour.",
            ],
            &[
                ("who", &short(*target)),
                ("office", people.institutions.title(*office, event.month)),
                ("pct", &pct(*share_for)),
                ("result", if *passed { "carries" } else { "fails" }),
            ],
        ),
        EventKind::FactionDefeated { target, leader, share, step } => {
            let what = match step {
                1 => "stripped of his posts outside the Politburo",
                2 => "voted out of the Politburo",
                3 => "voted off the Central Committee",
                _ => "expelled from the party",
            };
            voice.say(
                "defeated",
                key,
                &[
                    "A majority of {pct}% led by {leader} turns on {target}, who is {what}.",
                    "{leader} carries {pct}% of the votes against {target}, who is {what}.",
                    "{target} is {what}: {pct}% of the votes go with {leader} against him.",
                ],
                &[
                    ("leader", &short(*leader)),
                    ("target", &short(*target)),
                    ("pct", &pct(*share)),
                    ("what", what),
                ],
            )
        }
        EventKind::Recanted { person } => voice.say(
            "recanted",
            key,
            &[
                "{who} recants and submits to the party line.",
                "{who} admits his errors and submits to the party line.",
                "Beaten, {who} recants.",
            ],
            &[("who", &short(*person))],
        ),
        EventKind::PatronChanged { from, to, .. } => {
            let from = from.map(short).unwrap_or_default();
            let (slot, options): (&'static str, &[&str]) = match (to, plural) {
                (Some(_), false) => (
                    "patron_to",
                    &[
                        "{who} abandons {from} and goes over to {to}.",
                        "{who} deserts {from} for {to}.",
                        "{who} leaves {from}'s following for {to}'s.",
                    ],
                ),
                (Some(_), true) => (
                    "patron_to",
                    &[
                        "{who} abandon {from} and go over to {to}.",
                        "{who} desert {from} for {to}.",
                        "{who} leave {from}'s following for {to}'s.",
                    ],
                ),
                (None, false) => (
                    "patron_none",
                    &[
                        "{who} breaks with {from} and stands alone.",
                        "{who} breaks with {from} and follows no one.",
                        "{who} parts from {from} and goes his own way.",
                    ],
                ),
                (None, true) => (
                    "patron_none",
                    &[
                        "{who} break with {from}; each now stands alone.",
                        "{who} break with {from} and follow no one.",
                        "{who} part from {from} and go their own ways.",
                    ],
                ),
            };
            let to = to.map(short).unwrap_or_default();
            voice.say(slot, key, options, &[("who", &who), ("from", &from), ("to", &to)])
        }
        EventKind::LeaderChanged { to, .. } => match to {
            Some(l) => voice.say(
                "leader",
                key,
                &[
                    "{who} now commands a majority of the Central Committee: he leads the party.",
                    "With a majority of the Central Committee behind him, {who} now leads the party.",
                    "The leadership of the party passes to {who}, who commands a majority of the Central Committee.",
                ],
                &[("who", &short(*l))],
            ),
            None => voice.pick(
                "no_leader",
                key,
                &[
                    "No one commands a majority any longer: the leadership is collective.",
                    "No one man commands the Central Committee any more; the leadership becomes collective.",
                ],
            ),
        },
        EventKind::RegimeChanged { to, .. } => match to {
            Regime::PersonalDictatorship => voice.pick(
                "dictatorship",
                key,
                &[
                    "With no rival left in the Politburo, the regime becomes a personal dictatorship.",
                    "No rival is left in the Politburo: the regime is now a personal dictatorship.",
                ],
            ),
            Regime::Oligarchy => voice.pick(
                "oligarchy",
                key,
                &[
                    "Power settles into an oligarchy around one leader.",
                    "A small circle around one leader now holds power.",
                ],
            ),
            Regime::Collective => voice.pick(
                "collective",
                key,
                &[
                    "Power is shared again among several leaders.",
                    "Several leaders share power once more.",
                ],
            ),
        },
        // Every other kind is an event of the world outside the party.
        _ => world_sentence(data, voice, event, key).unwrap_or_default(),
    }
}

/// The sentence for an event of the economy, the Comintern, Germany or the war: these are never
/// grouped (see [`joins`]), so one event makes one sentence. `None` for the party's own events.
fn world_sentence(data: &Data, voice: &mut Voice, event: &Event, key: u64) -> Option<String> {
    let pct = |share: f64| format!("{:.0}", share * 100.0);
    Some(match &event.kind {
        EventKind::PolicyChanged { to, crisis, .. } => {
            let options: &[&str] = if *crisis {
                &[
                    "After a grain procurement crisis the leadership turns to {policy}.",
                    "The procurement crisis pushes the leadership to {policy}.",
                    "Short of grain, the leadership turns to {policy}.",
                ]
            } else {
                &[
                    "The leadership adopts {policy}.",
                    "The leadership changes course: {policy}.",
                    "Economic policy turns to {policy}.",
                ]
            };
            voice.say("policy", key, options, &[("policy", to.describe())])
        }
        EventKind::ProcurementCrisis { shortfall } => voice.say(
            "procurement",
            key,
            &[
                "The grain procurement campaign falls {pct}% short of what the plan needs.",
                "Grain procurements fall {pct}% short of the plan.",
                "The state collects {pct}% less grain than the plan needs.",
            ],
            &[("pct", &pct(*shortfall))],
        ),
        EventKind::Famine { deaths_millions } => voice.say(
            "famine",
            key,
            &[
                "Famine strikes the villages: about {m} million excess deaths.",
                "Famine grips the countryside; about {m} million more people die than in a normal year.",
                "The harvest year ends in famine, with about {m} million excess deaths.",
            ],
            &[("m", &format!("{deaths_millions:.1}"))],
        ),
        EventKind::CominternLineChanged { to, .. } => match to {
            CominternLine::ThirdPeriod => voice.pick(
                "third_period",
                key,
                &[
                    "The Comintern turns to \"class against class\": the social democrats are \"social fascists\", and the German communists will make no common cause with them.",
                    "The Comintern brands the social democrats \"social fascists\": \"class against class\", and no common cause with them for the German communists.",
                ],
            ),
            CominternLine::UnitedFront => voice.pick(
                "united_front",
                key,
                &[
                    "The Comintern returns to the united front: the German communists may act with the social democrats.",
                    "The Comintern drops \"class against class\": the German communists may again act with the social democrats.",
                ],
            ),
            CominternLine::PopularFront => voice.pick(
                "popular_front",
                key,
                &[
                    "Alarmed by Hitler, the Comintern turns to a popular front against fascism.",
                    "The Comintern calls for a popular front against fascism.",
                ],
            ),
        },
        EventKind::Election { nsdap, kpd, spd, nazis_largest } => voice.say(
            "election",
            key,
            &[
                "Reichstag election: the Nazis {n}%, the Social Democrats {s}%, the Communists {k}%{largest}.",
                "Germany votes: the Nazis take {n}%, the Social Democrats {s}% and the Communists {k}%{largest}.",
                "In the Reichstag election the Nazis win {n}% of the vote, the Social Democrats {s}%, the Communists {k}%{largest}.",
            ],
            &[
                ("n", &format!("{nsdap:.1}")),
                ("s", &format!("{spd:.1}")),
                ("k", &format!("{kpd:.1}")),
                ("largest", if *nazis_largest { "; the Nazis are the largest party" } else { "" }),
            ],
        ),
        EventKind::GermanRegimeChanged { to, .. } => match to {
            GermanRegime::Nazi => voice.pick(
                "nazi",
                key,
                &[
                    "Hitler is appointed Chancellor of Germany.",
                    "Hitler comes to power in Germany as Chancellor.",
                ],
            ),
            GermanRegime::Authoritarian => voice.pick(
                "authoritarian",
                key,
                &[
                    "The German generals and the President's circle do away with parliament: a conservative dictatorship rules Germany.",
                    "Parliament is set aside in Germany: the generals and the President's circle rule as a conservative dictatorship.",
                ],
            ),
            GermanRegime::Weimar => voice.pick(
                "weimar",
                key,
                &["The German republic is restored.", "Parliamentary government returns to Germany."],
            ),
        },
        EventKind::EuropeanCrisis => voice.pick(
            "crisis",
            key,
            &[
                "Germany's demands on Poland bring Europe to the brink of war.",
                "Europe stands on the brink of war over Germany's demands on Poland.",
            ],
        ),
        EventKind::Aligned { alignment } => match alignment {
            Alignment::Pact => voice.pick(
                "pact",
                key,
                &[
                    "Moscow signs a non-aggression pact with Germany and divides Eastern Europe with it.",
                    "Moscow and Berlin sign a non-aggression pact and divide Eastern Europe between them.",
                ],
            ),
            Alignment::WesternAlliance => voice.pick(
                "alliance",
                key,
                &[
                    "Moscow signs a military alliance with Britain and France against Germany.",
                    "Moscow joins Britain and France in a military alliance against Germany.",
                ],
            ),
            Alignment::Neutrality => voice.pick(
                "neutrality",
                key,
                &[
                    "Moscow stays out: no pact with Germany, no alliance with the West.",
                    "Moscow makes neither a pact with Germany nor an alliance with the West.",
                ],
            ),
        },
        EventKind::WarInWest => voice.pick(
            "war_in_west",
            key,
            &[
                "Germany invades Poland; Britain and France declare war on Germany.",
                "War in the West: Germany invades Poland, and Britain and France declare war on it.",
            ],
        ),
        EventKind::FranceFalls => voice.pick(
            "france",
            key,
            &["France falls to Germany.", "France sues for an armistice: Germany has beaten it."],
        ),
        EventKind::Deterred => voice.pick(
            "deterred",
            key,
            &[
                "Faced with war on two fronts, Germany backs down: there is no war in Europe.",
                "Germany backs down before a war on two fronts: Europe stays at peace.",
            ],
        ),
        EventKind::ArmyPurge { officers } => voice.say(
            "army_purge",
            key,
            &[
                "The purge reaches the Red Army: about {n} officers are discharged this year.",
                "About {n} officers are discharged from the Red Army this year.",
                "The purge of the Red Army discharges about {n} officers this year.",
            ],
            &[("n", &format!("{:.0}", (officers / 100.0).round() * 100.0))],
        ),
        EventKind::MilitaryCoup { succeeded } => {
            if *succeeded {
                voice.pick(
                    "coup",
                    key,
                    &[
                        "Red Army commanders strike first: a coup ends the purge of the army.",
                        "A coup by Red Army commanders ends the purge of the army.",
                    ],
                )
            } else {
                voice.pick(
                    "coup_failed",
                    key,
                    &[
                        "A plot in the Red Army is crushed before it can strike.",
                        "A conspiracy of Red Army commanders is crushed before it can act.",
                    ],
                )
            }
        }
        EventKind::WarBegan { surprise, two_fronts } => voice.say(
            "war_began",
            key,
            &[
                "Germany attacks the Soviet Union{surprise}{two}.",
                "German armies invade the Soviet Union{surprise}{two}.",
            ],
            &[
                ("surprise", if *surprise { ", catching the Red Army by surprise" } else { "" }),
                ("two", if *two_fronts { ", while still at war in the West" } else { "" }),
            ],
        ),
        EventKind::FrontLine { depth_km, soviet_dead_millions } => {
            let place = if *depth_km >= 0.0 {
                format!("{depth_km:.0} km east of the western border on the road to Moscow")
            } else {
                format!("{:.0} km west of the old border on the road to Berlin", -depth_km)
            };
            voice.say(
                "front",
                key,
                &[
                    "At the year's end the front stands {place}; {dead} million Soviet soldiers are dead.",
                    "By December the front lies {place}, and {dead} million Soviet soldiers have died.",
                    "The year ends with the front {place}; the Red Army has lost {dead} million dead.",
                ],
                &[("place", &place), ("dead", &format!("{soviet_dead_millions:.1}"))],
            )
        }
        EventKind::WarEnded { outcome } => match outcome {
            WarOutcome::SovietVictory => voice.pick(
                "victory",
                key,
                &[
                    "The Red Army takes Berlin: Germany surrenders.",
                    "Germany surrenders, with the Red Army in Berlin.",
                ],
            ),
            WarOutcome::NegotiatedPeace => voice.pick(
                "peace",
                key,
                &[
                    "Moscow and Berlin make peace; Germany keeps much of what it holds.",
                    "A negotiated peace ends the war, and Germany keeps much of what it holds.",
                ],
            ),
            WarOutcome::SovietCollapse => voice.pick(
                "collapse",
                key,
                &[
                    "With Moscow lost, the Soviet state collapses.",
                    "Moscow falls, and the Soviet state collapses with it.",
                ],
            ),
            // Not told (see `tellable`).
            WarOutcome::Ongoing | WarOutcome::NoWar => String::new(),
        },
        EventKind::Note { record } => data
            .recorded
            .get(*record as usize)
            .map(|r| r.text.clone())
            .unwrap_or_default(),
        _ => return None,
    })
}

// ---------------------------------------------------------------------------------------------
// Time phrases
// ---------------------------------------------------------------------------------------------

/// A count as a reader would write it in prose: words up to ten, digits beyond.
fn count_words(n: usize) -> String {
    match NUMBERS.get(n) {
        Some(word) if n > 0 && n <= 10 => word.to_lowercase(),
        _ => n.to_string(),
    }
}

const NUMBERS: [&str; 12] = [
    "", "One", "Two", "Three", "Four", "Five", "Six", "Seven", "Eight", "Nine", "Ten", "Eleven",
];

fn month_name(month: Month) -> String {
    month
        .in_words()
        .split(' ')
        .next()
        .unwrap_or_default()
        .to_string()
}

fn season(month: Month) -> &'static str {
    match month.month_of_year() {
        3..=5 => "spring",
        6..=8 => "summer",
        9..=11 => "autumn",
        _ => "winter",
    }
}

/// The ways to say when `month` comes after `previous` ("Three months later,", "That autumn,").
fn time_phrases(previous: Month, month: Month) -> Vec<String> {
    let gap = month.since(previous);
    let year = month.year();
    let mut options = Vec::new();
    if gap == 1 {
        options.push("The next month,".to_string());
        options.push("A month later,".to_string());
    }
    if year == previous.year() {
        if (2..12).contains(&gap) {
            options.push(format!("{} months later,", NUMBERS[gap as usize]));
        }
        if gap > 1 && season(month) != season(previous) && month.month_of_year() != 12 {
            options.push(format!("That {},", season(month)));
        }
        options.push(format!("In {},", month_name(month)));
    } else {
        options.push(format!("In {},", month.in_words()));
        options.push(match month.month_of_year() {
            1 | 2 => format!("Early in {year},"),
            11 | 12 => format!("Late in {year},"),
            _ => format!("In the {} of {year},", season(month)),
        });
        match gap {
            12 => options.push("A year later,".to_string()),
            24 => options.push("Two years later,".to_string()),
            _ => {}
        }
    }
    options
}

/// Words that open a sentence and may follow a time phrase in lower case.
const COMMON_OPENINGS: [&str; 17] = [
    "A",
    "An",
    "The",
    "Having",
    "Beaten,",
    "Famine",
    "Grain",
    "War",
    "No",
    "Power",
    "Economic",
    "Short",
    "Delegates",
    "With",
    "Alarmed",
    "Faced",
    "After",
];

/// Proper nouns that open sentences here and keep their capital after a time phrase.
const PROPER_OPENINGS: [&str; 9] = [
    "Germany",
    "German",
    "Germany's",
    "Europe",
    "Moscow",
    "Red",
    "France",
    "Hitler",
    "Parliament",
];

/// `text` opened by the time phrase `when`, if its first word allows (names and common words do;
/// a sentence that opens with its own time or place does not).
fn opened(data: &Data, when: &str, text: &str) -> Option<String> {
    let first = text.split(' ').next()?;
    let name = first.trim_end_matches("'s").trim_end_matches(',');
    if COMMON_OPENINGS.contains(&first) && first != "Parliament" {
        let mut chars = text.chars();
        let head = chars.next()?.to_lowercase().to_string();
        return Some(format!("{when} {head}{}", chars.as_str()));
    }
    let is_name = data.people.ids().any(|(_, p)| p.short == name);
    (is_name || PROPER_OPENINGS.contains(&first)).then(|| format!("{when} {text}"))
}

// ---------------------------------------------------------------------------------------------
// The timeline
// ---------------------------------------------------------------------------------------------

fn kind_id(kind: &EventKind) -> String {
    serde_json::to_value(kind)
        .ok()
        .and_then(|v| v.get("kind").and_then(|k| k.as_str()).map(str::to_string))
        .unwrap_or_default()
}

impl Timeline {
    /// Tells the world of `run`.
    pub fn of(data: &Data, scenario: &Scenario, run: &Run, seed: u64, index: u64) -> Timeline {
        let dates = &data.dates;
        let log = &run.world.log;
        // Events grouped into entries: (first log index, events, mark).
        let mut groups: Vec<(usize, Vec<&Event>, Mark)> = Vec::new();
        for (i, event) in log.iter().enumerate() {
            let same_month = || log[..i].iter().rev().take_while(|e| e.month == event.month);
            // Offices lost, or an expulsion, in the month of a faction's defeat are told by the defeat.
            let told_by_defeat = match event.kind {
                EventKind::OfficeLost { person, .. } => same_month().any(|e| {
                    matches!(e.kind, EventKind::FactionDefeated { target, .. } if target == person)
                }),
                EventKind::FateChanged { person, to: Fate::Expelled, .. } => same_month().any(|e| {
                    matches!(e.kind, EventKind::FactionDefeated { target, step, .. } if target == person && step >= 4)
                }),
                _ => false,
            };
            if told_by_defeat || !tellable(data, event) {
                continue;
            }
            let mark = match event.origin {
                Origin::Recorded => Mark::Recorded,
                Origin::Intervention => Mark::Divergence,
                Origin::Mechanism => match in_record(data, dates, event) {
                    Some(true) => Mark::AsInHistory,
                    Some(false) => Mark::PartsFromHistory,
                    None => Mark::Model,
                },
            };
            match groups.last_mut() {
                Some((_, group, m))
                    if *m == mark && group[0].month == event.month && joins(group, event) =>
                {
                    group.push(event)
                }
                _ => groups.push((i, vec![event], mark)),
            }
        }

        let mut voice = Voice::default();
        let mut namer = Namer {
            data,
            seen: vec![false; data.people.len()],
        };
        let mut entries = Vec::new();
        let mut previous: Option<Month> = None;
        for (i, group, mark) in groups {
            let month = group[0].month;
            let key = (u64::from(month.index()) << 20) ^ i as u64;
            let mut text = sentence(data, &mut voice, &group, key);
            if text.is_empty() {
                continue;
            }
            // The first entry of a month may say how it follows the last (two in three do).
            if let Some(prev) = previous.filter(|&p| p != month) {
                if mix(key ^ 0x7157) % 3 < 2 {
                    let when = voice.pick("when", key, &time_phrases(prev, month));
                    if let Some(t) = opened(data, &when, &text) {
                        text = t;
                    }
                }
            }
            previous = Some(month);
            entries.push(Entry {
                month: month.to_string(),
                date: month.in_words(),
                text: namer.introduce(&text, month),
                mark,
                kind: kind_id(&group[0].kind),
            });
        }
        Timeline {
            scenario: scenario.name.clone(),
            title: scenario.title.clone(),
            seed,
            run: index,
            divergence: scenario.divergence.to_string(),
            description: scenario
                .description
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" "),
            summary: summary(data, run),
            entries,
        }
    }

    const LEGEND: &'static str = "· recorded history (replayed)   ⑂ the divergence   = as in our history   ≠ parts from our history";

    /// "World 3 of seed 1; history replayed before May 1924."
    fn provenance(&self) -> String {
        let divergence = self
            .divergence
            .parse::<Month>()
            .map_or(self.divergence.clone(), |m| m.in_words());
        format!(
            "World {} of seed {}; history replayed before {divergence}.",
            self.run, self.seed
        )
    }

    /// The entries by year.
    fn years(&self) -> Vec<(&str, Vec<&Entry>)> {
        let mut years: Vec<(&str, Vec<&Entry>)> = Vec::new();
        for e in &self.entries {
            let year = e.month.get(..4).unwrap_or(&e.month);
            match years.last_mut() {
                Some((y, list)) if *y == year => list.push(e),
                _ => years.push((year, vec![e])),
            }
        }
        years
    }

    /// Plain text: the summary, then one line per entry (`1924-05 ⑂ …`), a blank line between years.
    pub fn text(&self) -> String {
        let mut out = format!("{}\n\n{}\n\n", self.title, wrap(&self.summary, 100, ""));
        if !self.description.is_empty() {
            out.push_str(&wrap(&self.description, 100, ""));
            out.push('\n');
        }
        out.push_str(&format!("{}\n\n{}\n", self.provenance(), Self::LEGEND));
        for (_, entries) in self.years() {
            out.push('\n');
            for e in entries {
                out.push_str(&format!("{} {} ", e.month, e.mark.symbol()));
                out.push_str(&wrap(&e.text, 90, "          "));
                out.push('\n');
            }
        }
        out
    }

    /// Markdown for a forum post: the summary, then a heading and a list for each year. No HTML.
    pub fn markdown(&self) -> String {
        let mut out = format!(
            "## {}\n\n{}\n\n",
            md_escape(&self.title),
            md_escape(&self.summary)
        );
        if !self.description.is_empty() {
            out.push_str(&format!("*{}*\n\n", md_escape(&self.description)));
        }
        out.push_str(&format!("*{}*\n\n*{}*\n", self.provenance(), Self::LEGEND));
        for (year, entries) in self.years() {
            out.push_str(&format!("\n### {year}\n\n"));
            for e in entries {
                out.push_str(&format!(
                    "- **{}** {} {}\n",
                    e.date,
                    e.mark.symbol(),
                    md_escape(&e.text)
                ));
            }
        }
        out
    }

    /// phpBB BBCode for a forum post: the summary quoted, then a bold year and a list for each year.
    pub fn bbcode(&self) -> String {
        let mut out = format!(
            "[b]{}[/b]\n\n[quote]{}[/quote]\n\n",
            bb_escape(&self.title),
            bb_escape(&self.summary)
        );
        if !self.description.is_empty() {
            out.push_str(&format!("[i]{}[/i]\n\n", bb_escape(&self.description)));
        }
        out.push_str(&format!(
            "[i]{}[/i]\n[i]{}[/i]\n",
            self.provenance(),
            Self::LEGEND
        ));
        for (year, entries) in self.years() {
            out.push_str(&format!("\n[b]{year}[/b]\n[list]\n"));
            for e in entries {
                out.push_str(&format!(
                    "[*][b]{}[/b] {} {}\n",
                    e.date,
                    e.mark.symbol(),
                    bb_escape(&e.text)
                ));
            }
            out.push_str("[/list]\n");
        }
        out
    }
}

/// Markdown's emphasis and HTML characters, escaped.
fn md_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '*' | '_' | '<' | '>' | '`') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// BBCode has no escape: square brackets in prose become round ones, so no text reads as a tag.
fn bb_escape(text: &str) -> String {
    text.replace('[', "(").replace(']', ")")
}

// ---------------------------------------------------------------------------------------------
// The summary
// ---------------------------------------------------------------------------------------------

/// Stalin's standing after a change of fate, for the summary.
fn fate_fragment(to: Fate, month: Month) -> Option<String> {
    let when = month.in_words();
    Some(match to {
        Fate::Expelled => format!("expelled from the party in {when}"),
        Fate::InternalExile => format!("sent into internal exile in {when}"),
        Fate::CaucasusBase => {
            format!("back in the Caucasus at the head of his followers by {when}")
        }
        Fate::Revolt => format!("in open revolt by {when}"),
        Fate::Breakaway => format!("at the head of a breakaway Caucasian republic by {when}"),
        Fate::Imprisoned => format!("arrested in {when}"),
        Fate::Abroad => format!("abroad from {when}"),
        Fate::Readmitted => format!("readmitted to the party in {when}"),
        _ => return None,
    })
}

/// A paragraph on how this world turned out. Every clause reads the run's outcome or its log.
fn summary(data: &Data, run: &Run) -> String {
    let people = &data.people;
    let outcome = &run.outcome;
    let log = &run.world.log;
    let short = |p: PersonId| people.get(p).short.clone();
    let Some(last) = outcome.years.last() else {
        return String::new();
    };
    let end = last.year;
    let mut parts = Vec::new();

    // Who leads.
    let leader = |year: u32| outcome.year(year).map(|r| r.leader);
    match (leader(1930), leader(1941)) {
        (Some(Some(a)), Some(Some(b))) if a == b => parts.push(format!(
            "{} leads the Soviet Union in 1930 and still leads it in 1941.",
            short(a)
        )),
        (Some(Some(a)), Some(Some(b))) => parts.push(format!(
            "{} leads the Soviet Union in 1930; by 1941 {} does.",
            short(a),
            short(b)
        )),
        (Some(Some(a)), Some(None)) => parts.push(format!(
            "{} leads the Soviet Union in 1930; by 1941 no one man leads it, and power is shared.",
            short(a)
        )),
        (Some(None), Some(Some(b))) => parts.push(format!(
            "In 1930 no one man leads the Soviet Union; by 1941 {} does.",
            short(b)
        )),
        (Some(None), Some(None)) => parts.push(
            "No one man leads the Soviet Union in 1930 or in 1941: power is shared.".to_string(),
        ),
        (Some(Some(a)), None) => {
            parts.push(format!("{} leads the Soviet Union in 1930.", short(a)))
        }
        (Some(None), None) => parts.push("In 1930 no one man leads the Soviet Union.".to_string()),
        _ => {}
    }

    // Stalin's road.
    if let Some(stalin) = people.find("stalin") {
        let mut road = Vec::new();
        let mut death = None;
        for e in log {
            match e.kind {
                EventKind::FateChanged { person, to, .. } if person == stalin => {
                    road.extend(fate_fragment(to, e.month))
                }
                EventKind::Died { person, cause } if person == stalin => {
                    let age = e.month.years_since(people.get(stalin).born).floor();
                    let when = e.month.in_words();
                    death = Some(match cause {
                        DeathCause::Natural => format!("dies in {when}, aged {age}"),
                        DeathCause::Executed => format!("is shot in {when}"),
                        DeathCause::Killed => format!("is killed in {when}"),
                        DeathCause::Suicide => format!("takes his own life in {when}"),
                    });
                }
                _ => {}
            }
        }
        parts.push(match (road.is_empty(), death) {
            (true, None) if last.leader == Some(stalin) => {
                format!("Stalin holds power to the end of {end}.")
            }
            (true, None) => format!(
                "At the end of {end} Stalin is {}.",
                last.fates[stalin.index()].describe()
            ),
            (true, Some(d)) => format!("Stalin {d}."),
            (false, None) => format!(
                "Stalin is {}; at the end of {end} he is {}.",
                list(&road),
                last.fates[stalin.index()].describe()
            ),
            (false, Some(d)) => format!("Stalin is {}; he {d}.", list(&road)),
        });
    }

    // The economy: the road of policy, famine, and where output stood in 1940.
    let changes: Vec<(Policy, Policy, u32)> = log
        .iter()
        .filter_map(|e| match e.kind {
            EventKind::PolicyChanged { from, to, .. } => Some((from, to, e.month.year())),
            _ => None,
        })
        .collect();
    match changes.as_slice() {
        [] => parts.push(format!(
            "Economic policy never changes: {} lasts to {end}.",
            policy_name(outcome.years[0].policy)
        )),
        [(from, ..), ..] => {
            // Up to five turns are each told; beyond that the middle ones are counted, never "after
            // 0 more" or "after 1 more".
            let told = if changes.len() <= 5 { changes.len() } else { 3 };
            let steps: Vec<String> = changes[..told]
                .iter()
                .map(|(_, to, y)| format!("to {} in {y}", to.describe()))
                .collect();
            let tail = match changes.len() {
                n if n > told => {
                    let (_, to, y) = changes[n - 1];
                    format!(
                        "; after {} more turns, it ends with {} in {y}",
                        count_words(n - told - 1),
                        to.describe()
                    )
                }
                _ => String::new(),
            };
            parts.push(format!(
                "The leadership turns from {} {}{tail}.",
                policy_name(*from),
                list(&steps)
            ));
        }
    }
    let famine: Vec<(u32, f64)> = outcome
        .years
        .iter()
        .filter_map(|y| y.economy.map(|e| (y.year, e.famine_deaths)))
        .filter(|(_, d)| *d >= 0.05)
        .collect();
    let deaths: f64 = famine.iter().map(|(_, d)| d).sum();
    parts.push(match (famine.first(), famine.last()) {
        (Some((a, _)), Some((b, _))) if a == b => {
            format!("Famine kills about {deaths:.1} million people in {a}.")
        }
        (Some((a, _)), Some((b, _))) => {
            format!("Famine kills about {deaths:.1} million people between {a} and {b}.")
        }
        _ => "There is no famine.".to_string(),
    });
    if let (Some(e1928), Some(e1940)) = (
        outcome.year(1928).and_then(|y| y.economy),
        outcome.year(1940).and_then(|y| y.economy),
    ) {
        parts.push(format!(
            "By 1940 industry stands at {:.0} and GDP at {:.0} (1928 = 100).",
            e1940.industry / e1928.industry * 100.0,
            e1940.gdp / e1928.gdp * 100.0
        ));
    }

    // The terror.
    if let Some(peak) = outcome
        .years
        .iter()
        .max_by(|a, b| a.repression.total_cmp(&b.repression))
    {
        let killed = last
            .fates
            .iter()
            .filter(|f| matches!(f, Fate::Executed | Fate::Killed))
            .count();
        let tracked = people.len();
        let toll = match killed {
            0 => {
                format!("none of the {tracked} leaders followed here is shot or killed by the end")
            }
            1 => format!("one of the {tracked} leaders followed here is shot or killed by the end"),
            n => format!(
                "{} of the {tracked} leaders followed here are shot or killed by the end",
                count_words(n)
            ),
        };
        parts.push(format!(
            "Repression peaks in {} at {:.2} on the model's 0–1 index; {toll}.",
            peak.year, peak.repression
        ));
    }

    // Germany, 1939 and the war.
    let europe = &outcome.europe;
    if let Some(y1934) = outcome.year(1934) {
        parts.push(match (y1934.german_regime, europe.nazi_power) {
            (GermanRegime::Nazi, Some(m)) => {
                format!("In 1934 Hitler rules Germany, Chancellor since {}.", m.in_words())
            }
            (GermanRegime::Nazi, None) => "In 1934 Hitler rules Germany.".to_string(),
            (GermanRegime::Authoritarian, _) => {
                "In 1934 Germany is ruled by its generals and the President's circle, not by Hitler."
                    .to_string()
            }
            (GermanRegime::Weimar, Some(m)) => format!(
                "In 1934 the German republic still stands; Hitler comes to power only in {}.",
                m.in_words()
            ),
            (GermanRegime::Weimar, None) => {
                format!("In 1934 the German republic still stands, and Hitler never rules by {end}.")
            }
        });
    }
    match (europe.crisis, europe.alignment) {
        (Some(c), Some(a)) => parts.push(format!(
            "When Germany's demands on Poland bring Europe to the brink in {}, Moscow {}.",
            c.in_words(),
            match a {
                Alignment::Pact => "signs a pact with Berlin",
                Alignment::WesternAlliance => "allies with Britain and France",
                Alignment::Neutrality => "stays neutral",
            }
        )),
        (Some(c), None) => parts.push(format!(
            "Germany's demands on Poland bring Europe to the brink in {}.",
            c.in_words()
        )),
        _ => parts.push(format!("No crisis over Poland comes by {end}.")),
    }
    let deterred = log.iter().any(|e| matches!(e.kind, EventKind::Deterred));
    match europe.war_start {
        Some(start) => {
            let opening = format!(
                "Germany attacks the Soviet Union in {}{}",
                start.in_words(),
                if europe.surprise == Some(true) {
                    ", by surprise"
                } else {
                    ""
                }
            );
            let close = match europe.outcome {
                Some((WarOutcome::SovietVictory, m)) => {
                    format!("the war ends in Soviet victory in {}", m.in_words())
                }
                Some((WarOutcome::NegotiatedPeace, m)) => {
                    format!("a negotiated peace ends it in {}", m.in_words())
                }
                Some((WarOutcome::SovietCollapse, m)) => format!(
                    "the Soviet state collapses in {}, and with it the party's politics: no office, \
                     vote or sentence of the party-state follows",
                    m.in_words()
                ),
                _ => format!("the war is still being fought at the end of {end}"),
            };
            parts.push(format!(
                "{opening}; {close}. About {:.1} million Soviet soldiers die.",
                europe.soviet_dead
            ));
        }
        None if deterred => parts.push(
            "Faced with war on two fronts, Germany backs down: there is no German–Soviet war."
                .to_string(),
        ),
        None => parts.push(format!(
            "Germany does not attack the Soviet Union by the end of {end}."
        )),
    }
    parts.join(" ")
}

/// `text` wrapped at `width` characters, continuation lines starting with `indent`.
fn wrap(text: &str, width: usize, indent: &str) -> String {
    let mut out = String::new();
    let mut line = 0;
    for word in text.split_whitespace() {
        let len = word.chars().count();
        if line > 0 && line + 1 + len > width {
            out.push('\n');
            out.push_str(indent);
            line = 0;
        } else if line > 0 {
            out.push(' ');
            line += 1;
        }
        out.push_str(word);
        line += len;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_recorded_date_the_marks_use_is_in_the_data() {
        let data = Data::builtin().unwrap();
        let dates = &data.dates;
        for id in DATE_IDS {
            assert!(
                dates.month(id).is_some(),
                "no [[date]] `{id}` in data/germany.toml or data/war.toml"
            );
        }
        assert_eq!(dates.month("barbarossa"), Some(Month::new(1941, 6)));
    }

    #[test]
    fn a_first_mention_carries_the_role_and_its_punctuation() {
        let data = Data::builtin().unwrap();
        let mut namer = Namer {
            data: &data,
            seen: vec![false; data.people.len()],
        };
        let m = Month::new(1924, 5);
        assert_eq!(
            namer.introduce("Stalin is expelled from the party.", m),
            "Joseph Stalin, the General Secretary, is expelled from the party."
        );
        assert_eq!(
            namer.introduce("The party expels Stalin.", m),
            "The party expels Stalin."
        );
        assert_eq!(
            namer.introduce("Kamenev and Trotsky's men break with Zinoviev.", m),
            "Lev Kamenev (the chairman of the Moscow Soviet) and Trotsky's men break with Grigory Zinoviev, the Comintern chairman."
        );
        assert_eq!(
            namer.introduce("Bukharin recants.", Month::new(1930, 1)),
            "Nikolai Bukharin, in 1922 the editor of Pravda, recants."
        );
    }

    #[test]
    fn time_phrases_agree_with_the_dates() {
        let phrases = time_phrases(Month::new(1925, 3), Month::new(1925, 6));
        assert!(
            phrases.contains(&"Three months later,".to_string()),
            "{phrases:?}"
        );
        assert!(phrases.contains(&"That summer,".to_string()));
        let phrases = time_phrases(Month::new(1925, 11), Month::new(1926, 1));
        assert!(
            phrases.contains(&"In January 1926,".to_string()),
            "{phrases:?}"
        );
        assert!(!phrases.iter().any(|p| p.contains("months later")));
    }
}
