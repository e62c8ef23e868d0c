//! The sentence for an event of the world outside the party: the economy, the Comintern, Germany and
//! the war.

use super::*;

/// The sentence for an event of the economy, the Comintern, Germany or the war: these are never
/// grouped (see [`joins`]), so one event makes one sentence. `None` for the party's own events.
pub(super) fn world_sentence(
    data: &Data,
    voice: &mut Voice,
    event: &Event,
    key: u64,
) -> Option<String> {
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
        // Told every year the purge runs, so no phrasing says it is the first; a count is rounded
        // to what a reader can use, and a handful is not "about 0".
        EventKind::ArmyPurge { officers } => voice.say(
            "army_purge",
            key,
            &[
                "{N} officers are discharged from the Red Army this year.",
                "The purge of the Red Army discharges {n} officers this year.",
                "The Red Army loses {n} officers to the purge this year.",
            ],
            &[
                ("N", &crate::capitalise(&officers_count(*officers))),
                ("n", &officers_count(*officers)),
            ],
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

/// "about 12,300", "about 40" or "7" officers (a year's count under one is not told: `tellable`).
fn officers_count(officers: f64) -> String {
    let n = officers.round();
    if n < 10.0 {
        format!("{n:.0}")
    } else {
        let step = if n < 100.0 { 10.0 } else { 100.0 };
        let rounded = ((n / step).round() * step) as u64;
        format!("about {}", thousands(rounded))
    }
}

/// A count with thousands separated by commas: 12300 → "12,300".
fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn officers_are_counted_as_a_reader_uses_a_count() {
        assert_eq!(officers_count(12_345.0), "about 12,300");
        assert_eq!(officers_count(1_450.0), "about 1,500");
        assert_eq!(officers_count(43.0), "about 40");
        assert_eq!(officers_count(7.2), "7");
        assert_eq!(thousands(1_234_567), "1,234,567");
        assert_eq!(thousands(999), "999");
    }
}
