//! The timeline: one world told as dated prose, with the points where it parts from recorded history
//! marked, in plain text, Markdown, BBCode or JSON.

use razvilka_kernel::{
    Alignment, CominternLine, DeathCause, Event, EventKind, Fate, GermanRegime, Month, Office,
    Origin, PersonId, Regime, WarOutcome,
};
use razvilka_world::{Data, RecordedKind, Run, Scenario};
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
    fn symbol(self) -> &'static str {
        match self {
            Mark::Recorded => "·",
            Mark::Divergence => "⑂",
            Mark::AsInHistory => "=",
            Mark::PartsFromHistory => "≠",
            Mark::Model => " ",
        }
    }
}

/// One dated entry.
#[derive(Clone, Debug, Serialize)]
pub struct Entry {
    pub month: String,
    pub date: String,
    pub text: String,
    pub mark: Mark,
}

/// A sampled world as prose.
#[derive(Clone, Debug, Serialize)]
pub struct Timeline {
    pub scenario: String,
    pub title: String,
    pub seed: u64,
    pub run: u64,
    pub divergence: String,
    pub summary: String,
    pub entries: Vec<Entry>,
}

struct Namer<'a> {
    data: &'a Data,
    seen: Vec<bool>,
}

impl Namer<'_> {
    /// "Joseph Stalin, the General Secretary," at first mention; "Stalin" after.
    fn name(&mut self, id: PersonId) -> String {
        let p = self.data.people.get(id);
        if std::mem::replace(&mut self.seen[id.index()], true) {
            p.short.clone()
        } else {
            format!("{} ({} in 1922)", p.name, p.role)
        }
    }
}

fn office_phrase(office: Office) -> &'static str {
    match office {
        Office::Politburo => "his seat in the Politburo",
        Office::PolitburoCandidate => "his candidate seat in the Politburo",
        Office::CentralCommittee => "his seat on the Central Committee",
        Office::Orgburo => "his seat in the Orgburo",
        Office::GeneralSecretary => "the post of General Secretary",
        _ => "his post",
    }
}

/// Does the record hold an event like this one within six months?
fn within(month: Month, recorded: Month, months: i32) -> bool {
    month.since(recorded).abs() <= months
}

fn in_record(data: &Data, event: &Event) -> Option<bool> {
    let near = |m: Month| m.since(event.month).abs() <= 6;
    let matches = |person: PersonId, want: &dyn Fn(RecordedKind) -> bool| {
        data.recorded
            .iter()
            .any(|r| r.person == Some(person) && near(r.month) && want(r.kind))
    };
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
        // Germany, 1939 and the war: as in history if within half a year of the recorded month
        // (data/germany.toml, data/war.toml; a year for the Comintern's slow turns).
        EventKind::CominternLineChanged { to, .. } => Some(match to {
            CominternLine::ThirdPeriod => within(event.month, Month::new(1928, 7), 12),
            CominternLine::PopularFront => within(event.month, Month::new(1935, 7), 12),
            CominternLine::UnitedFront => false,
        }),
        EventKind::GermanRegimeChanged { to, .. } => {
            Some(to == GermanRegime::Nazi && within(event.month, Month::new(1933, 1), 6))
        }
        EventKind::EuropeanCrisis => Some(within(event.month, Month::new(1939, 8), 6)),
        EventKind::Aligned { alignment } => {
            Some(alignment == Alignment::Pact && within(event.month, Month::new(1939, 8), 6))
        }
        EventKind::WarInWest => Some(within(event.month, Month::new(1939, 9), 6)),
        EventKind::FranceFalls => Some(within(event.month, Month::new(1940, 6), 6)),
        EventKind::WarBegan { .. } => Some(within(event.month, Month::new(1941, 6), 6)),
        EventKind::WarEnded { outcome } => Some(
            outcome == WarOutcome::SovietVictory && within(event.month, Month::new(1945, 5), 6),
        ),
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

impl Timeline {
    /// Tells the world of `run`.
    pub fn of(data: &Data, scenario: &Scenario, run: &Run, seed: u64, index: u64) -> Timeline {
        let mut namer = Namer {
            data,
            seen: vec![false; data.people.len()],
        };
        let mut entries = Vec::new();
        let log = &run.world.log;
        for (i, event) in log.iter().enumerate() {
            // Offices lost in the same month as a faction's defeat are told by the defeat.
            if let EventKind::OfficeLost { person, .. } = event.kind {
                let told = log[..i].iter().rev().take_while(|e| e.month == event.month).any(|e| {
                    matches!(e.kind, EventKind::FactionDefeated { target, .. } if target == person)
                });
                if told {
                    continue;
                }
            }
            let Some(text) = sentence(data, &mut namer, event) else {
                continue;
            };
            let mark = match event.origin {
                Origin::Recorded => Mark::Recorded,
                Origin::Intervention => Mark::Divergence,
                Origin::Mechanism => match in_record(data, event) {
                    Some(true) => Mark::AsInHistory,
                    Some(false) => Mark::PartsFromHistory,
                    None => Mark::Model,
                },
            };
            entries.push(Entry {
                month: event.month.to_string(),
                date: event.month.in_words(),
                text,
                mark,
            });
        }
        Timeline {
            scenario: scenario.name.clone(),
            title: scenario.title.clone(),
            seed,
            run: index,
            divergence: scenario.divergence.to_string(),
            summary: summary(data, scenario, run),
            entries,
        }
    }

    const LEGEND: &'static str = "· recorded history (replayed)   ⑂ the divergence   = as in our history   ≠ parts from our history";

    pub fn text(&self) -> String {
        let mut out = format!(
            "{}\nworld {} of seed {} — history replayed before {}\n\n{}\n\n{}\n\n",
            self.title,
            self.run,
            self.seed,
            self.divergence,
            wrap(&self.summary, 96),
            Self::LEGEND
        );
        for e in &self.entries {
            out.push_str(&format!("{} {} {}\n", e.month, e.mark.symbol(), e.text));
        }
        out
    }

    pub fn markdown(&self) -> String {
        let mut out = format!(
            "## {}\n\n*World {} of seed {}; history replayed before {}.*\n\n{}\n\n*{}*\n\n",
            self.title,
            self.run,
            self.seed,
            self.divergence,
            self.summary,
            Self::LEGEND
        );
        for e in &self.entries {
            out.push_str(&format!(
                "- **{}** {} {}\n",
                e.date,
                e.mark.symbol(),
                e.text
            ));
        }
        out
    }

    pub fn bbcode(&self) -> String {
        let mut out = format!(
            "[b]{}[/b]\n[i]World {} of seed {}; history replayed before {}.[/i]\n\n{}\n\n[i]{}[/i]\n\n[list]\n",
            self.title, self.run, self.seed, self.divergence, self.summary, Self::LEGEND
        );
        for e in &self.entries {
            out.push_str(&format!(
                "[*][b]{}[/b] {} {}\n",
                e.date,
                e.mark.symbol(),
                e.text
            ));
        }
        out.push_str("[/list]\n");
        out
    }
}

fn sentence(data: &Data, n: &mut Namer, event: &Event) -> Option<String> {
    let people = &data.people;
    Some(match &event.kind {
        EventKind::OfficeGained { person, office } => {
            format!("{} becomes {}.", n.name(*person), office.title())
        }
        EventKind::OfficeLost { person, office } => match office {
            Office::Politburo | Office::PolitburoCandidate | Office::CentralCommittee | Office::Orgburo | Office::GeneralSecretary => {
                format!("{} loses {}.", n.name(*person), office_phrase(*office))
            }
            _ => format!("{} is relieved as {}.", n.name(*person), office.title()),
        },
        EventKind::Incapacitated { person } => format!("A stroke leaves {} unable to work.", n.name(*person)),
        EventKind::Recovered { person } => format!("{} recovers and goes back to work.", n.name(*person)),
        EventKind::Died { person, cause } => {
            let age = event.month.years_since(people.get(*person).born).floor();
            let who = n.name(*person);
            match cause {
                DeathCause::Natural => format!("{who} dies, aged {age}."),
                DeathCause::Executed => format!("{who} is shot."),
                DeathCause::Killed => format!("{who} is killed."),
                DeathCause::Suicide => format!("{who} takes his own life."),
            }
        }
        EventKind::FateChanged { person, from, to } => {
            let who = n.name(*person);
            match to {
                Fate::Expelled => format!("{who} is expelled from the party."),
                Fate::InternalExile => format!("{who} is sent into internal exile."),
                Fate::CaucasusBase => format!("{who} goes home to the Caucasus and gathers his followers about him."),
                Fate::Revolt => format!("{who} raises the Caucasus in open revolt against Moscow."),
                Fate::Breakaway => format!("{who} holds out: a breakaway Caucasian republic stands against Moscow."),
                Fate::Imprisoned => format!("{who} is arrested."),
                Fate::Abroad if *from == Fate::InternalExile => format!("{who} is deported abroad."),
                Fate::Abroad if *from == Fate::Breakaway => format!("Moscow retakes the Caucasus; {who} escapes abroad."),
                Fate::Abroad => format!("{who} leaves the country."),
                Fate::Readmitted if *from == Fate::Imprisoned => format!("{who} is released and readmitted to the party."),
                Fate::Readmitted => format!("{who} recants and is readmitted to the party."),
                _ => return None,
            }
        }
        EventKind::Meeting { name, congress } => {
            if !congress {
                return None;
            }
            format!("The {name} opens.")
        }
        EventKind::TestamentRead => "Lenin's letter to the Congress is read to the delegations. It asks that the General Secretary be removed, and spares none of the other leaders.".to_string(),
        EventKind::RemovalVote { target, office, share_for, passed } => format!(
            "The Central Committee votes on removing {} as {}: {:.0}% are for it, and the motion {}.",
            n.name(*target),
            office.title(),
            share_for * 100.0,
            if *passed { "carries" } else { "fails" }
        ),
        EventKind::FactionDefeated { target, leader, share, step } => {
            let (leader, target) = (n.name(*leader), n.name(*target));
            let what = match step {
                1 => "stripped of his posts outside the Politburo",
                2 => "voted out of the Politburo",
                3 => "voted off the Central Committee",
                _ => "expelled from the party",
            };
            format!("A majority led by {leader} ({:.0}% of the votes) turns on {target}, who is {what}.", share * 100.0)
        }
        EventKind::Recanted { person } => {
            format!("{} recants and submits to the party line.", n.name(*person))
        }
        EventKind::PatronChanged { person, from, to } => {
            let who = n.name(*person);
            match (from, to) {
                (Some(f), Some(t)) => format!("{who} abandons {} and goes over to {}.", people.get(*f).short, people.get(*t).short),
                (Some(f), None) => format!("{who} breaks with {} and stands alone.", people.get(*f).short),
                _ => return None,
            }
        }
        EventKind::LeaderChanged { to, .. } => match to {
            Some(l) => format!("{} now commands a majority of the Central Committee: he leads the party.", n.name(*l)),
            None => "No one commands a majority any longer: the leadership is collective.".to_string(),
        },
        EventKind::RegimeChanged { to, .. } => match to {
            Regime::PersonalDictatorship => "With no rival left in the Politburo, the regime becomes a personal dictatorship.".to_string(),
            Regime::Oligarchy => "Power settles into an oligarchy around one leader.".to_string(),
            Regime::Collective => "Power is shared again among several leaders.".to_string(),
        },
        EventKind::PolicyChanged { to, crisis, .. } => {
            if *crisis {
                format!("After a grain procurement crisis the leadership turns to {}.", to.describe())
            } else {
                format!("The leadership adopts {}.", to.describe())
            }
        }
        EventKind::ProcurementCrisis { shortfall } => format!(
            "The grain procurement campaign falls {:.0}% short of what the plan needs.",
            shortfall * 100.0
        ),
        EventKind::Famine { deaths_millions } => format!(
            "Famine in the villages: about {:.1} million excess deaths.",
            deaths_millions
        ),
        EventKind::CominternLineChanged { to, .. } => match to {
            CominternLine::ThirdPeriod => "The Comintern turns to \"class against class\": the social democrats are \"social fascists\", and the German communists will make no common cause with them.".to_string(),
            CominternLine::UnitedFront => "The Comintern returns to the united front: the German communists may act with the social democrats.".to_string(),
            CominternLine::PopularFront => "Alarmed by Hitler, the Comintern turns to a popular front against fascism.".to_string(),
        },
        EventKind::Election { nsdap, kpd, spd, nazis_largest } => format!(
            "Reichstag election: the Nazis {:.1}%, the Social Democrats {:.1}%, the Communists {:.1}%{}.",
            nsdap,
            spd,
            kpd,
            if *nazis_largest { "; the Nazis are the largest party" } else { "" }
        ),
        EventKind::GermanRegimeChanged { to, .. } => match to {
            GermanRegime::Nazi => "Hitler is appointed Chancellor of Germany.".to_string(),
            GermanRegime::Authoritarian => "The German generals and the President's circle do away with parliament: a conservative dictatorship rules Germany.".to_string(),
            GermanRegime::Weimar => "The German republic is restored.".to_string(),
        },
        EventKind::EuropeanCrisis => "Germany's demands on Poland bring Europe to the brink of war.".to_string(),
        EventKind::Aligned { alignment } => match alignment {
            Alignment::Pact => "Moscow signs a non-aggression pact with Germany and divides Eastern Europe with it.".to_string(),
            Alignment::WesternAlliance => "Moscow signs a military alliance with Britain and France against Germany.".to_string(),
            Alignment::Neutrality => "Moscow stays out: no pact with Germany, no alliance with the West.".to_string(),
        },
        EventKind::WarInWest => "Germany invades Poland; Britain and France declare war on Germany.".to_string(),
        EventKind::FranceFalls => "France falls to Germany.".to_string(),
        EventKind::Deterred => "Faced with war on two fronts, Germany backs down: there is no war in Europe.".to_string(),
        EventKind::ArmyPurge { officers } => format!(
            "The purge reaches the Red Army: about {:.0} officers are discharged this year.",
            (officers / 100.0).round() * 100.0
        ),
        EventKind::MilitaryCoup { succeeded } => if *succeeded {
            "Red Army commanders strike first: a coup ends the purge of the army.".to_string()
        } else {
            "A plot in the Red Army is crushed before it can strike.".to_string()
        },
        EventKind::WarBegan { surprise, two_fronts } => format!(
            "Germany attacks the Soviet Union{}{}.",
            if *surprise { ", catching the Red Army by surprise" } else { "" },
            if *two_fronts { ", while still at war in the West" } else { "" }
        ),
        EventKind::FrontLine { depth_km, soviet_dead_millions } => {
            let place = if *depth_km >= 0.0 {
                format!("{:.0} km east of the 1941 border on the road to Moscow", depth_km)
            } else {
                format!("{:.0} km west of the 1941 border on the road to Berlin", -depth_km)
            };
            format!("At the year's end the front stands {place}; {soviet_dead_millions:.1} million Soviet soldiers are dead.")
        }
        EventKind::WarEnded { outcome } => match outcome {
            WarOutcome::SovietVictory => "The Red Army takes Berlin: Germany surrenders.".to_string(),
            WarOutcome::NegotiatedPeace => "Moscow and Berlin make peace; Germany keeps much of what it holds.".to_string(),
            WarOutcome::SovietCollapse => "With Moscow lost, the Soviet state collapses.".to_string(),
            WarOutcome::Ongoing | WarOutcome::NoWar => return None,
        },
        EventKind::Note { record } => data.recorded.get(*record as usize)?.text.clone(),
    })
}

/// A paragraph on how this world turned out.
fn summary(data: &Data, scenario: &Scenario, run: &Run) -> String {
    let people = &data.people;
    let name = |p: Option<PersonId>| {
        p.map_or("no single leader".to_string(), |p| {
            people.get(p).short.clone()
        })
    };
    let years = &run.outcome.years;
    let description = scenario.description.trim();
    let mut parts = Vec::new();
    if description.ends_with(['.', '?', '!']) {
        parts.push(description.to_string());
    } else if !description.is_empty() {
        parts.push(format!("{description}."));
    }
    let leaders: Vec<String> = [1926, 1930, 1940]
        .iter()
        .filter_map(|&y| {
            run.outcome
                .year(y)
                .map(|r| format!("{} in {y}", name(r.leader)))
        })
        .collect();
    if !leaders.is_empty() {
        parts.push(format!(
            "In this world the party is led by {}.",
            leaders.join(", ")
        ));
    }
    // The economy: the policy of 1930, the famine, and where output stood in 1940.
    if let (Some(y1930), Some(e1928), Some(e1940)) = (
        run.outcome.year(1930),
        run.outcome.year(1928).and_then(|y| y.economy),
        run.outcome.year(1940).and_then(|y| y.economy),
    ) {
        let famine: f64 = (1927..=1940)
            .filter_map(|y| run.outcome.year(y).and_then(|r| r.economy))
            .map(|e| e.famine_deaths)
            .sum();
        let hunger = if famine >= 0.05 {
            format!("famine kills about {famine:.1} million people by 1940")
        } else {
            "there is no famine".to_string()
        };
        parts.push(format!(
            "In 1930 the leadership pursues {}; {hunger}; by 1940 industry stands at {:.0} and GDP at {:.0} (1928 = 100).",
            y1930.policy.describe(),
            e1940.industry / e1928.industry * 100.0,
            e1940.gdp / e1928.gdp * 100.0
        ));
    }
    if let (Some(stalin), Some(last)) = (people.find("stalin"), years.last()) {
        parts.push(format!(
            "At the end of {} Stalin is {}.",
            last.year,
            last.fates[stalin.index()].describe()
        ));
    }
    if let Some(peak) = years
        .iter()
        .max_by(|a, b| a.repression.total_cmp(&b.repression))
    {
        let killed = years.last().map_or(0, |y| {
            y.fates
                .iter()
                .filter(|f| matches!(f, Fate::Executed | Fate::Killed))
                .count()
        });
        parts.push(format!(
            "Repression peaks in {} at {:.2} on the model's 0–1 index; {} of the {} leaders followed here are shot or killed by the end.",
            peak.year,
            peak.repression,
            killed,
            people.len()
        ));
    }
    parts.join(" ")
}

fn wrap(text: &str, width: usize) -> String {
    let mut out = String::new();
    let mut line = 0;
    for word in text.split_whitespace() {
        if line + word.len() + 1 > width && line > 0 {
            out.push('\n');
            line = 0;
        } else if line > 0 {
            out.push(' ');
            line += 1;
        }
        out.push_str(word);
        line += word.chars().count();
    }
    out
}
