//! The summary paragraph that opens every timeline: who rules, the fates, the economy, the terror,
//! Germany and the war, as this world's outcome has them.

use super::*;

/// Stalin's standing after a change of fate, for the summary.
pub(super) fn fate_fragment(to: Fate, month: Month) -> Option<String> {
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
pub(super) fn summary(data: &Data, run: &Run) -> String {
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
