//! The party's events told as sentences: which events are told, which belong together, and the
//! sentence for each group.

use super::*;

/// Would [`sentence`] tell this event? (Some events only move the model's state.)
pub(super) fn tellable(data: &Data, event: &Event) -> bool {
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
        // The purge's yearly count is the model's expectation: under one officer, nobody.
        EventKind::ArmyPurge { officers } => officers.round() >= 1.0,
        _ => true,
    }
}

/// Can `next` be told in one entry with `group` (same month and mark assumed)? Several men reaching
/// the same fate, or taking the same side; one man's new offices; a candidate made a full member.
pub(super) fn joins(group: &[&Event], next: &Event) -> bool {
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
        ) => {
            // Men taken in a crushed revolt are told apart from the arrested (they have their
            // own sentence).
            let rebels = *f1 == Fate::Revolt || *f2 == Fate::Revolt;
            t1 == t2 && (f1 == f2 || !(rebels || matches!(t1, Fate::Abroad | Fate::Readmitted)))
        }
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
pub(super) fn subjects(data: &Data, group: &[&Event]) -> String {
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
pub(super) fn sentence(data: &Data, voice: &mut Voice, group: &[&Event], key: u64) -> String {
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
                (Fate::Imprisoned, false) if *from == Fate::Revolt => (
                    "crushed",
                    &[
                        "The Red Army crushes the revolt in the Caucasus; {who} is taken prisoner.",
                        "The revolt is crushed, and {who} is taken alive and imprisoned.",
                    ],
                ),
                (Fate::Imprisoned, true) if *from == Fate::Revolt => (
                    "crushed",
                    &[
                        "The Red Army crushes the revolt in the Caucasus; {who} are taken prisoner.",
                        "The revolt is crushed, and {who} are taken alive and imprisoned.",
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
        // The murder that opens a terror is told here, not as a death of its own (see
        // `Timeline::of`).
        EventKind::TerrorBegan { leader, victim: Some(victim) } => voice.say(
            "terror_murder",
            key,
            &[
                "{victim} is assassinated. {leader} calls the murder the work of a conspiracy, and the secret police set out to find it: the terror begins.",
                "An assassin kills {victim}; {leader} blames a plot of the party's enemies, and the terror begins.",
                "The murder of {victim} gives {leader} his conspiracy: the hunt for the plotters behind it opens the terror.",
            ],
            &[("leader", &short(*leader)), ("victim", &short(*victim))],
        ),
        EventKind::TerrorBegan { leader, victim: None } => voice.say(
            "terror_scare",
            key,
            &[
                "The secret police report a plot against {leader}, and he turns the scare into a terror against the party.",
                "A plot scare grips the Kremlin: {leader} sets the secret police on the party, and the terror begins.",
                "{leader}, told of a conspiracy against him, unleashes the secret police on the party: the terror begins.",
            ],
            &[("leader", &short(*leader))],
        ),
        EventKind::TerrorHalted { leader, successor: false } => voice.say(
            "terror_halted",
            key,
            &[
                "{leader} calls a halt to the terror: the mass arrests wind down, though the prisons stay full.",
                "The terror has reached the army and the apparatus {leader} rules through, and he calls it off.",
                "{leader} reins in the secret police and calls off the terror.",
            ],
            &[("leader", &short(*leader))],
        ),
        EventKind::TerrorHalted { leader, successor: true } => voice.say(
            "terror_ended",
            key,
            &[
                "With {leader} no longer at the head of the party, the terror he began is called off.",
                "The new leadership does not carry on the terror {leader} began: the secret police are reined in.",
            ],
            &[("leader", &short(*leader))],
        ),
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
            // A world may come back to one man's rule after a spell of oligarchy: the second time
            // is told as a return, not as news.
            Regime::PersonalDictatorship if voice.last.contains_key("dictatorship") => voice.pick(
                "dictatorship",
                key,
                &[
                    "With no rival left in the Politburo, one man rules alone once more.",
                    "No rival is left in the Politburo again: the personal dictatorship returns.",
                ],
            ),
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
