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

mod party;
mod summary;
mod voice;
mod world;

use party::*;
use summary::*;
use voice::*;
use world::*;

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

/// The month of the record's first murder of a leader followed here: the trigger of its terror
/// (Kirov, December 1934). `None` if the record has none.
fn first_recorded_murder(data: &Data) -> Option<(Month, Option<PersonId>)> {
    data.recorded
        .iter()
        .filter(|r| r.kind == RecordedKind::Death(DeathCause::Killed))
        .map(|r| (r.month, r.person))
        .min_by_key(|&(month, _)| month)
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
        // The record's terror opened with the first murder of a leader followed here (Kirov's,
        // December 1934: data/events.toml) under Stalin: a trigger is history's only if it is that
        // murder, under Stalin, within half a year of it (another victim, a plot scare or another
        // leader's terror is the model's own).
        EventKind::TerrorBegan { leader, victim } => first_recorded_murder(data).map(|(m, who)| {
            m.since(month).abs() <= 6
                && Some(leader) == data.people.find("stalin")
                && victim.is_some()
                && victim == who
        }),
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
            // Offices lost, or an expulsion, in the month of a faction's defeat are told by the
            // defeat; a terror's murder by its trigger.
            let told_by_another = match event.kind {
                EventKind::OfficeLost { person, .. } => same_month().any(|e| {
                    matches!(e.kind, EventKind::FactionDefeated { target, .. } if target == person)
                }),
                EventKind::FateChanged { person, to: Fate::Expelled, .. } => same_month().any(|e| {
                    matches!(e.kind, EventKind::FactionDefeated { target, step, .. } if target == person && step >= 4)
                }),
                // The assassination that triggers a terror is told with the trigger, logged just
                // before the death.
                EventKind::Died { person, cause: DeathCause::Killed } => same_month().any(|e| {
                    matches!(e.kind, EventKind::TerrorBegan { victim: Some(v), .. } if v == person)
                }),
                _ => false,
            };
            if told_by_another || !tellable(data, event) {
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
    fn the_records_first_murder_of_a_leader_is_kirovs() {
        // The mark of a terror's trigger compares with it (`in_record`).
        let data = Data::builtin().unwrap();
        let first = first_recorded_murder(&data);
        assert_eq!(first.map(|(m, _)| m), Some(Month::new(1934, 12)));
        assert_eq!(first.and_then(|(_, who)| who), data.people.find("kirov"));
        let kirov = data.recorded.iter().find(|r| {
            r.month == Month::new(1934, 12) && r.kind == RecordedKind::Death(DeathCause::Killed)
        });
        let kirov = kirov
            .and_then(|r| r.person)
            .map(|p| data.people.get(p).short.clone());
        assert_eq!(kirov.as_deref(), Some("Kirov"));
    }

    #[test]
    fn a_years_purge_of_under_one_officer_is_not_told() {
        let data = Data::builtin().unwrap();
        let purge = |officers: f64| Event {
            month: Month::new(1938, 12),
            origin: razvilka_kernel::Origin::Mechanism,
            kind: EventKind::ArmyPurge { officers },
        };
        assert!(!tellable(&data, &purge(0.4)));
        assert!(tellable(&data, &purge(1.0)));
        assert!(tellable(&data, &purge(12_000.0)));
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
