//! The figures by which issue 13 judges the party's history, measured over an ensemble of worlds from
//! each world's event log (the log the timelines tell) and its month-by-month state. Not a pass/fail
//! test: it prints the figures, for the record of a mechanism change, and runs only when asked:
//!
//! ```sh
//! cargo test -p razvilka-model --test politics_audit -- --ignored --nocapture
//! RAZVILKA_AUDIT_SCENARIO=stalin-expelled RAZVILKA_AUDIT_RUNS=500 cargo test ...
//! RAZVILKA_AUDIT_DATA=some/data/dir cargo test ...
//! ```
//!
//! The dates of abolition are read from `data/people.toml` (`[[office]]` tables) as text, so that
//! the same helper measures a tree from before they were data.

use razvilka_kernel::{Month, Origin, Streams};
use razvilka_model::politics::KEY_OFFICES as KEY_POSTS;
use razvilka_model::{DeathCause, EventKind, Fate, Office, Params, PersonId, WarOutcome};
use razvilka_world::{builtin_scenario, run_registry, simulate_inspecting, Data, Scenario};

/// Offices abolished (not renamed) before 1946, with the month: from data/people.toml.
fn abolitions() -> Vec<(Office, Month)> {
    let text = include_str!("../../../data/people.toml");
    let value: toml::Value = toml::from_str(text).expect("people.toml is TOML");
    let Some(offices) = value.get("office").and_then(|o| o.as_array()) else {
        // A tree from before the institutions were data: the dates data/people.toml now gives.
        return vec![
            (Office::CominternChair, Month::new(1926, 11)),
            (Office::VsnkhChair, Month::new(1932, 1)),
            (Office::CccChair, Month::new(1934, 2)),
            (Office::TranscaucasiaBoss, Month::new(1936, 12)),
        ];
    };
    offices
        .iter()
        .filter_map(|o| {
            let id = o.get("id")?.as_str()?;
            let month = o.get("abolished")?.as_str()?.parse().ok()?;
            Some((Office::from_id(id)?, month))
        })
        .collect()
}

#[derive(Default)]
struct Tally {
    worlds: usize,
    abolished_held: usize,
    promoted_after_defeat: usize,
    /// Worlds where a key post (any the majority fills) is given by the mechanisms to a man within
    /// twelve months of his defeat, other than the man who now leads.
    key_post_after_defeat: usize,
    /// Worlds where a prisoner is released and readmitted within two months of his arrest.
    quick_release: usize,
    /// Worlds where an expelled man is arrested within two months of his expulsion before any
    /// terror's trigger.
    quick_arrest: usize,
    /// Of those, the worlds where each such promotion went to a man heading the strongest faction
    /// that month (a reversal of the majority, the one mechanism that allows it).
    promoted_by_reversal: usize,
    shot: Vec<usize>,
    natural: Vec<usize>,
    stalin_natural: usize,
    peak_1936_39: usize,
    peak_1937_38: usize,
    /// Worlds whose terror began by 1941, and of them those whose repression peaks in 1936-39.
    terror_worlds: usize,
    terror_peak_1936_39: usize,
    trotsky_readmitted: usize,
    /// Trotsky's readmissions by the standing he was readmitted from.
    trotsky_readmitted_from: Vec<Fate>,
    deported_after_1930: usize,
    /// The standing each man went abroad from after 1930 (internal exile: deported; expelled:
    /// emigrated; a Caucasian base: fled).
    abroad_after_1930_from: Vec<Fate>,
    /// The men gone abroad after 1930, by name.
    abroad_after_1930_who: Vec<String>,
    /// Worlds where a man goes abroad of his own will (from expulsion or a Caucasian base: no
    /// sentence of the regime sent him) before 1941, and each such move's (name, standing left).
    own_will_before_1941: usize,
    own_will_who: Vec<(String, Fate)>,
    /// Months from going abroad to being killed there, for each man killed abroad (to 1945), and
    /// the months from the first terror's trigger to the killing (negative: before it; none: no
    /// trigger).
    killed_abroad_after: Vec<usize>,
    killed_abroad_since_trigger: Vec<Option<i64>>,
    /// Trotsky's standing at the end of 1941, and, if he was killed abroad, the months he had been
    /// abroad (recorded: deported February 1929, killed August 1940, 138).
    trotsky_1941: std::collections::BTreeMap<String, usize>,
    trotsky_killed_after: Vec<usize>,
    collapsed: usize,
    political_after_collapse: usize,
    packed_politburo_1924: usize,
    trotsky_out_may_1924: usize,
    same_month_contradiction: usize,
    stalin_leads_1930: usize,
    /// Worlds whose army purge discharged nobody, and the share of the 1937 officer corps
    /// discharged in each world.
    no_army_purge: usize,
    /// Why the army purge discharged nobody: no terror in the run (with the leader's regime and
    /// Germany's at the end of 1936), a terror that never reached the army, or one that did.
    no_army_purge_why: std::collections::BTreeMap<String, usize>,
    /// Worlds whose terror's trigger came within six months of the record's (Kirov, December 1934).
    trigger_near_kirov: usize,
    /// Months from the Nazis' (or the generals') month of power to the terror's trigger, in the
    /// worlds with both (recorded: January 1933 to December 1934, 23).
    trigger_after_takeover: Vec<usize>,
    discharged_share: Vec<f64>,
    /// The year of the army purge's first discharges (None: no discharges in the run).
    first_discharge: Vec<Option<usize>>,
    /// The year of the terror's trigger, in the worlds that have one by 1941.
    terror_year: Vec<usize>,
    /// The year repression peaks (to 1941).
    peak_year: Vec<usize>,
    /// The first year of a personal dictatorship, in the worlds that have one by 1941.
    dictatorship_year: Vec<usize>,
    /// The standing of the show trials' first men (Zinoviev, Kamenev, Bukharin) when the terror
    /// begins and at the end of 1941: (man, "trigger" or "1941", standing) → worlds.
    trial_men: std::collections::BTreeMap<(String, &'static str, String), usize>,
    /// Of the show trials' first men in prison when the terror begins: (man, the standing he was
    /// arrested from, the year of his arrest) → worlds.
    trial_taken: std::collections::BTreeMap<(String, String, usize), usize>,
    /// Worlds with a trigger by 1941 (the first terror's, as `trial_men` counts them).
    triggered: usize,
    /// Triggers before 1933, by Germany's regime in the trigger's month and the leader's regime.
    early_trigger: std::collections::BTreeMap<String, usize>,
    /// Natural deaths by 1941 (without Lenin) of men in prison or internal exile at the time.
    natural_in_hardship: Vec<usize>,
    /// Worlds whose terror was halted by the end of 1939, and of them those whose repression at the
    /// end of 1941 stands above its level in the month of the halt (the drift rising again).
    halted_by_1939: usize,
    risen_after_halt: usize,
    /// Of the same worlds, those whose drift at the end of 1941 stands above its level at the halt.
    drift_risen_after_halt: usize,
    /// Of the same worlds, those whose repression peaks (to 1941) after the year of the halt.
    peak_after_halt: usize,
}

fn median(v: &mut [usize]) -> f64 {
    v.sort_unstable();
    if v.is_empty() {
        return f64::NAN;
    }
    let n = v.len();
    if n % 2 == 1 {
        v[n / 2] as f64
    } else {
        (v[n / 2 - 1] + v[n / 2]) as f64 / 2.0
    }
}

const TOP: [Office; 3] = [
    Office::GeneralSecretary,
    Office::WarCommissar,
    Office::SovnarkomChair,
];

fn audit_world(data: &Data, scenario: &Scenario, run: u64, abolished: &[(Office, Month)]) -> Tally {
    let streams = Streams::new(scenario.seed, run);
    let registry = run_registry(data, scenario, &streams);
    let params = Params::new(&registry, &data.model_calendar).expect("registry");
    let mut t = Tally {
        worlds: 1,
        ..Tally::default()
    };
    let mut held_abolished = false;
    let (may_1924, june_1924) = (Month::new(1924, 5), Month::new(1924, 6));
    let mut packed = false;
    let mut first_discharge = None;
    let trial_names = ["zinoviev", "kamenev", "bukharin"];
    let trial_ids: Vec<(&str, PersonId)> = trial_names
        .iter()
        .filter_map(|n| data.people.find(n).map(|id| (*n, id)))
        .collect();
    let mut at_trigger: Vec<(String, &'static str, String)> = Vec::new();
    // Each trial man's last arrest: the standing he was taken from, and the month.
    let mut last_arrest: Vec<Option<(Fate, Month)>> = vec![None; trial_ids.len()];
    let mut taken: Vec<(String, String, usize)> = Vec::new();
    let mut early: Vec<String> = Vec::new();
    let mut previous: Vec<Fate> = Vec::new();
    let mut natural_in_hardship = 0;
    let mut at_halt: Option<(f64, f64)> = None;
    let mut end_repression = (0.0, 0.0);
    let mut regimes_1936 = String::new();
    // The first terror's trigger (a later one replaces `terror.began`).
    let mut first_trigger: Option<Month> = None;
    let (world, years) = simulate_inspecting(
        data,
        scenario,
        scenario.divergence,
        &params,
        &streams,
        |w| {
            for &(office, from) in abolished {
                if w.month >= from && w.holder(office).is_some() {
                    held_abolished = true;
                }
            }
            if w.month <= Month::new(1941, 12) {
                for (k, (_, id)) in trial_ids.iter().enumerate() {
                    let was = previous.get(id.index()).copied();
                    if w.person(*id).fate == Fate::Imprisoned
                        && was.is_some_and(|f| f != Fate::Imprisoned)
                    {
                        last_arrest[k] = was.map(|f| (f, w.month));
                    }
                }
                if w.politics.terror.began.is_some_and(|(_, m)| m == w.month)
                    && at_trigger.is_empty()
                {
                    if w.month.year() < 1933 {
                        early.push(format!(
                            "{:?} under {:?}",
                            w.germany.regime, w.politics.regime
                        ));
                    }
                    for (k, (name, id)) in trial_ids.iter().enumerate() {
                        at_trigger.push((
                            name.to_string(),
                            "trigger",
                            w.person(*id).fate.to_string(),
                        ));
                        if w.person(*id).fate == Fate::Imprisoned {
                            if let Some((from, m)) = last_arrest[k] {
                                // An arrest in the trigger's own month is the trigger's (year 0).
                                let year = if m == w.month { 0 } else { m.year() as usize };
                                taken.push((name.to_string(), from.to_string(), year));
                            }
                        }
                    }
                }
                if w.month == Month::new(1936, 12) {
                    let stalin = w.people.find("stalin").map(|id| w.person(id).fate);
                    regimes_1936 = format!(
                        "{:?} under {}{}",
                        w.germany.regime,
                        match w.politics.leader {
                            None => "collective leadership".to_string(),
                            Some(l) => format!(
                                "{:?} of {}",
                                w.politics.regime,
                                w.people
                                    .get(l)
                                    .name
                                    .split_whitespace()
                                    .last()
                                    .unwrap_or("?")
                            ),
                        },
                        match stalin {
                            Some(f) if !f.is_member() => format!(" (Stalin {f})"),
                            _ => String::new(),
                        }
                    );
                }
                if w.month == Month::new(1941, 12) {
                    for (name, id) in &trial_ids {
                        at_trigger.push((name.to_string(), "1941", w.person(*id).fate.to_string()));
                    }
                    end_repression = (w.politics.repression, w.politics.terror.drift);
                }
                if w.politics.terror.halted == Some(w.month) && w.month <= Month::new(1939, 12) {
                    at_halt.get_or_insert((w.politics.repression, w.politics.terror.drift));
                }
                for id in w.ids() {
                    let fate = w.person(id).fate;
                    if fate == Fate::DeadNatural
                        && Some(id) != w.lenin
                        && previous
                            .get(id.index())
                            .is_some_and(|f| matches!(f, Fate::Imprisoned | Fate::InternalExile))
                    {
                        natural_in_hardship += 1;
                    }
                }
                previous = w.ids().map(|id| w.person(id).fate).collect();
            }
            if first_trigger.is_none() {
                first_trigger = w.politics.terror.began.map(|(_, m)| m);
            }
            if first_discharge.is_none() && w.war.discharged > 0.0 {
                first_discharge = Some(w.month.year() as usize);
            }
            if w.month == june_1924 {
                packed = ["kaganovich", "kuibyshev"].iter().any(|name| {
                    w.people
                        .find(name)
                        .is_some_and(|id| w.person(id).offices.has(Office::Politburo))
                });
            }
        },
    )
    .expect("the scenario runs");
    t.abolished_held = held_abolished as usize;
    t.triggered = at_trigger.iter().any(|(_, s, _)| *s == "trigger") as usize;
    for key in at_trigger {
        *t.trial_men.entry(key).or_insert(0) += 1;
    }
    for key in early {
        *t.early_trigger.entry(key).or_insert(0) += 1;
    }
    for key in taken {
        *t.trial_taken.entry(key).or_insert(0) += 1;
    }
    t.natural_in_hardship.push(natural_in_hardship);
    t.first_discharge.push(first_discharge);
    t.packed_politburo_1924 = packed as usize;
    let end_1941 = Month::new(1941, 12);
    let lenin = world.lenin;
    let trotsky = world.people.find("trotsky");
    let stalin = world.people.find("stalin");
    let mut shot = 0;
    let mut natural = 0;
    let mut defeated: Vec<(PersonId, Month)> = Vec::new();
    let mut promoted = false;
    let mut unexplained = false;
    let mut leader_at: Vec<(Month, Option<PersonId>)> = Vec::new();
    let mut collapse: Option<Month> = None;
    let mut after_collapse = false;
    // (person, month) of each change of standing, to find two in one month.
    let mut fate_changes: Vec<(PersonId, Month, Fate)> = Vec::new();
    let mut gained: Vec<(PersonId, Month)> = Vec::new();
    for e in &world.log {
        if let Some(c) = collapse {
            let political = match &e.kind {
                EventKind::OfficeGained { .. }
                | EventKind::FactionDefeated { .. }
                | EventKind::Recanted { .. }
                | EventKind::LeaderChanged { .. }
                | EventKind::RegimeChanged { .. }
                | EventKind::PatronChanged { .. }
                | EventKind::Meeting { .. }
                | EventKind::RemovalVote { .. } => true,
                EventKind::Died { cause, .. } => *cause != DeathCause::Natural,
                EventKind::FateChanged { to, .. } => !to.is_dead(),
                _ => false,
            };
            if political && e.month > c {
                if std::env::var_os("RAZVILKA_AUDIT_SHOW").is_some() && !after_collapse {
                    eprintln!(
                        "run {run}: after the collapse of {c}: {} {:?} ({:?})",
                        e.month, e.kind, e.origin
                    );
                }
                after_collapse = true;
            }
        }
        match &e.kind {
            EventKind::WarEnded {
                outcome: WarOutcome::SovietCollapse,
            } => collapse = Some(e.month),
            EventKind::Died { person, cause } if e.month <= end_1941 => {
                if *cause == DeathCause::Natural {
                    if Some(*person) != lenin {
                        natural += 1;
                    }
                    if Some(*person) == stalin {
                        t.stalin_natural = 1;
                    }
                } else {
                    shot += 1;
                }
            }
            EventKind::FactionDefeated { target, .. } => defeated.push((*target, e.month)),
            EventKind::LeaderChanged { to, .. } => leader_at.push((e.month, *to)),
            // A full seat lost by a vote or with one's faction (a candidate's seat is also lost on
            // promotion to a full one, so it is not counted).
            EventKind::OfficeLost { person, office }
                if e.origin == Origin::Mechanism && *office == Office::Politburo =>
            {
                defeated.push((*person, e.month))
            }
            EventKind::OfficeLost { person, office }
                if *office == Office::WarCommissar
                    && Some(*person) == trotsky
                    && e.month == may_1924 =>
            {
                t.trotsky_out_may_1924 = 1;
            }
            EventKind::OfficeGained { person, office } => {
                gained.push((*person, e.month));
                let leader = leader_at.last().and_then(|(_, l)| *l);
                if e.origin == Origin::Mechanism
                    && KEY_POSTS.contains(office)
                    && leader != Some(*person)
                    && defeated
                        .iter()
                        .any(|(p, m)| p == person && e.month.since(*m) <= 12)
                {
                    t.key_post_after_defeat = 1;
                }
                if TOP.contains(office)
                    && defeated
                        .iter()
                        .any(|(p, m)| p == person && e.month.since(*m) <= 2)
                {
                    promoted = true;
                    // The leader as last announced: a reversal makes the beaten man the leader.
                    let leader = leader_at.last().and_then(|(_, l)| *l);
                    if leader != Some(*person) {
                        unexplained = true;
                        if std::env::var_os("RAZVILKA_AUDIT_SHOW").is_some() {
                            eprintln!(
                                "run {run}: {} {} -> {office} ({:?}), defeats {:?}",
                                e.month,
                                world.people.get(*person).id,
                                e.origin,
                                defeated
                                    .iter()
                                    .filter(|(p, _)| p == person)
                                    .map(|(_, m)| m.to_string())
                                    .collect::<Vec<_>>()
                            );
                        }
                    }
                }
            }
            EventKind::FateChanged { person, to, from } => {
                // His last change of standing before this one: (month, the standing he entered).
                let last = fate_changes
                    .iter()
                    .rev()
                    .find(|(p, _, _)| p == person)
                    .map(|(_, m, f)| (*m, *f));
                if let Some((m, f)) = last {
                    let quick = e.month.since(m) <= 2 && e.origin == Origin::Mechanism;
                    if quick && *from == Fate::Imprisoned && f == Fate::Imprisoned {
                        if *to == Fate::Readmitted {
                            t.quick_release = 1;
                        }
                    }
                    let before_terror =
                        world.politics.terror.began.is_none_or(|(_, b)| e.month < b);
                    if quick
                        && *to == Fate::Imprisoned
                        && *from == Fate::Expelled
                        && f == Fate::Expelled
                        && before_terror
                    {
                        t.quick_arrest = 1;
                    }
                }
                if *to == Fate::Readmitted
                    && Some(*person) == trotsky
                    && e.origin == Origin::Mechanism
                {
                    t.trotsky_readmitted_from.push(*from);
                }
                fate_changes.push((*person, e.month, *to));
                if *to == Fate::Readmitted
                    && Some(*person) == trotsky
                    && e.origin == Origin::Mechanism
                {
                    t.trotsky_readmitted = 1;
                }
                if *to == Fate::Abroad
                    && matches!(from, Fate::Expelled | Fate::CaucasusBase)
                    && e.month.year() <= 1940
                    && e.origin == Origin::Mechanism
                {
                    t.own_will_before_1941 = 1;
                    t.own_will_who
                        .push((world.people.get(*person).id.to_string(), *from));
                }
                if *from == Fate::Abroad && *to == Fate::Killed {
                    if let Some((m, Fate::Abroad)) = last {
                        let months = e.month.since(m).max(0) as usize;
                        t.killed_abroad_after.push(months);
                        t.killed_abroad_since_trigger
                            .push(first_trigger.map(|b| i64::from(e.month.since(b))));
                        if Some(*person) == trotsky {
                            t.trotsky_killed_after.push(months);
                        }
                    }
                }
                if *to == Fate::Abroad && e.month.year() > 1930 && e.origin == Origin::Mechanism {
                    t.deported_after_1930 = 1;
                    t.abroad_after_1930_from.push(*from);
                    t.abroad_after_1930_who
                        .push(world.people.get(*person).id.to_string());
                }
            }
            _ => {}
        }
    }
    // A contradiction: two changes of standing for one man in one month (other than a death, which
    // follows whatever came before it), or an office gained in the month he leaves the party.
    let contradiction = fate_changes.iter().enumerate().any(|(i, (p, m, to))| {
        (!to.is_dead()
            && fate_changes[i + 1..]
                .iter()
                .any(|(q, n, to2)| q == p && n == m && !to2.is_dead()))
            || (!to.is_member() && gained.iter().any(|(q, n)| q == p && n == m))
    });
    t.same_month_contradiction = contradiction as usize;
    if let Some(id) = trotsky {
        // His standing at the end of 1941: the last change of standing up to then.
        let fate = fate_changes
            .iter()
            .rev()
            .find(|(p, m, _)| *p == id && *m <= end_1941)
            .map_or("member".to_string(), |(_, _, f)| f.to_string());
        t.trotsky_1941.insert(fate, 1);
    }
    t.shot.push(shot);
    t.natural.push(natural);
    t.promoted_after_defeat = promoted as usize;
    t.promoted_by_reversal = (promoted && !unexplained) as usize;
    if let Some(c) = collapse {
        let _ = c;
        t.collapsed = 1;
        t.political_after_collapse = after_collapse as usize;
    }
    if let Some(peak) = years
        .iter()
        .filter(|y| y.year <= 1941)
        .max_by(|a, b| a.repression.total_cmp(&b.repression))
    {
        t.peak_year.push(peak.year as usize);
        t.peak_1936_39 = (1936..=1939).contains(&peak.year) as usize;
        t.peak_1937_38 = (1937..=1938).contains(&peak.year) as usize;
    }
    if let Some(y) = years
        .iter()
        .find(|y| y.year <= 1941 && y.regime == razvilka_model::Regime::PersonalDictatorship)
    {
        t.dictatorship_year.push(y.year as usize);
    }
    if let Some(r) = at_halt {
        t.halted_by_1939 = 1;
        t.risen_after_halt = (end_repression.0 > r.0) as usize;
        t.drift_risen_after_halt = (end_repression.1 > r.1) as usize;
        let halt_year = world
            .politics
            .terror
            .halted
            .map_or(0, |m| m.year() as usize);
        t.peak_after_halt = t.peak_year.last().is_some_and(|y| *y > halt_year) as usize;
    }
    t.no_army_purge = (world.war.discharged == 0.0) as usize;
    if t.no_army_purge == 1 {
        let terror = &world.politics.terror;
        let why = match (terror.began, terror.army_reached) {
            (None, _) => format!("no terror; end of 1936: {regimes_1936}"),
            (Some((_, m)), None) => format!("a terror ({}) that never reached the army", m.year()),
            (Some((_, m)), Some(a)) => {
                format!(
                    "a terror ({}) that reached the army ({})",
                    m.year(),
                    a.year()
                )
            }
        };
        t.no_army_purge_why.insert(why, 1);
    }
    if let (Some((_, m)), Some(since)) = (world.politics.terror.began, world.germany.regime_since) {
        if m <= end_1941 && m >= since {
            t.trigger_after_takeover.push(m.since(since) as usize);
        }
    }
    if let Some((_, m)) = world.politics.terror.began {
        t.trigger_near_kirov = (m.since(Month::new(1934, 12)).abs() <= 6) as usize;
    }
    t.discharged_share
        .push(world.war.discharged / world.war.officers.max(1.0));
    if let Some((_, m)) = world.politics.terror.began {
        if m <= end_1941 {
            t.terror_year.push(m.year() as usize);
            t.terror_worlds = 1;
            t.terror_peak_1936_39 = t.peak_1936_39;
        }
    }
    t.stalin_leads_1930 = years
        .iter()
        .find(|y| y.year == 1930)
        .is_some_and(|y| y.leader.is_some() && y.leader == stalin)
        as usize;
    t
}

fn merge(mut a: Tally, b: Tally) -> Tally {
    a.worlds += b.worlds;
    a.abolished_held += b.abolished_held;
    a.promoted_after_defeat += b.promoted_after_defeat;
    a.key_post_after_defeat += b.key_post_after_defeat;
    a.quick_release += b.quick_release;
    a.quick_arrest += b.quick_arrest;
    a.promoted_by_reversal += b.promoted_by_reversal;
    a.shot.extend(b.shot);
    a.natural.extend(b.natural);
    a.stalin_natural += b.stalin_natural;
    a.peak_1936_39 += b.peak_1936_39;
    a.peak_1937_38 += b.peak_1937_38;
    a.terror_worlds += b.terror_worlds;
    a.terror_peak_1936_39 += b.terror_peak_1936_39;
    a.trotsky_readmitted += b.trotsky_readmitted;
    a.trotsky_readmitted_from.extend(b.trotsky_readmitted_from);
    a.deported_after_1930 += b.deported_after_1930;
    a.abroad_after_1930_from.extend(b.abroad_after_1930_from);
    a.abroad_after_1930_who.extend(b.abroad_after_1930_who);
    a.own_will_before_1941 += b.own_will_before_1941;
    a.own_will_who.extend(b.own_will_who);
    a.killed_abroad_after.extend(b.killed_abroad_after);
    a.killed_abroad_since_trigger
        .extend(b.killed_abroad_since_trigger);
    for (k, v) in b.trotsky_1941 {
        *a.trotsky_1941.entry(k).or_insert(0) += v;
    }
    a.trotsky_killed_after.extend(b.trotsky_killed_after);
    a.collapsed += b.collapsed;
    a.political_after_collapse += b.political_after_collapse;
    a.packed_politburo_1924 += b.packed_politburo_1924;
    a.trotsky_out_may_1924 += b.trotsky_out_may_1924;
    a.same_month_contradiction += b.same_month_contradiction;
    a.stalin_leads_1930 += b.stalin_leads_1930;
    a.no_army_purge += b.no_army_purge;
    for (k, v) in b.no_army_purge_why {
        *a.no_army_purge_why.entry(k).or_insert(0) += v;
    }
    a.trigger_near_kirov += b.trigger_near_kirov;
    a.trigger_after_takeover.extend(b.trigger_after_takeover);
    a.discharged_share.extend(b.discharged_share);
    a.first_discharge.extend(b.first_discharge);
    a.terror_year.extend(b.terror_year);
    a.dictatorship_year.extend(b.dictatorship_year);
    a.peak_year.extend(b.peak_year);
    for (k, v) in b.trial_men {
        *a.trial_men.entry(k).or_insert(0) += v;
    }
    for (k, v) in b.trial_taken {
        *a.trial_taken.entry(k).or_insert(0) += v;
    }
    a.triggered += b.triggered;
    for (k, v) in b.early_trigger {
        *a.early_trigger.entry(k).or_insert(0) += v;
    }
    a.natural_in_hardship.extend(b.natural_in_hardship);
    a.halted_by_1939 += b.halted_by_1939;
    a.risen_after_halt += b.risen_after_halt;
    a.drift_risen_after_halt += b.drift_risen_after_halt;
    a.peak_after_halt += b.peak_after_halt;
    a
}

#[test]
#[ignore = "an ensemble measurement: run with --ignored --nocapture"]
fn audit() {
    let name = std::env::var("RAZVILKA_AUDIT_SCENARIO").unwrap_or_else(|_| "otl".into());
    let runs: u64 = std::env::var("RAZVILKA_AUDIT_RUNS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(2000);
    // RAZVILKA_AUDIT_DATA=DIR reads the data files from DIR (to try a calibration without a rebuild).
    let data = match std::env::var_os("RAZVILKA_AUDIT_DATA") {
        Some(dir) => Data::from_dir(std::path::Path::new(&dir)).expect("data"),
        None => Data::builtin().expect("data"),
    };
    let scenario = Scenario::parse(
        builtin_scenario(&name).expect("a shipped scenario"),
        &format!("{name}.toml"),
        &data.context(),
    )
    .expect("scenario");
    let abolished = abolitions();
    let threads = 2u64;
    let t = std::thread::scope(|s| {
        let handles: Vec<_> = (0..threads)
            .map(|k| {
                let (data, scenario, abolished) = (&data, &scenario, &abolished);
                s.spawn(move || {
                    (k..runs)
                        .step_by(threads as usize)
                        .map(|run| audit_world(data, scenario, run, abolished))
                        .fold(Tally::default(), merge)
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("thread"))
            .fold(Tally::default(), merge)
    });
    let mut t = t;
    let n = t.worlds as f64;
    let pct = |k: usize| format!("{:.1}%", 100.0 * k as f64 / n);
    println!(
        "scenario {name}, {} worlds, seed {}",
        t.worlds, scenario.seed
    );
    println!(
        "abolished offices ({}) held after abolition: {} of worlds",
        abolished.len(),
        pct(t.abolished_held)
    );
    println!(
        "top office (GS, War, Sovnarkom) within 2 months of a defeat: {}",
        pct(t.promoted_after_defeat)
    );
    println!(
        "  of which every such promotion went to the man who leads (a reversal): {}",
        pct(t.promoted_by_reversal)
    );
    println!(
        "leaders shot/killed/suicide by 1941: median {} (recorded 21)",
        median(&mut t.shot)
    );
    println!(
        "natural deaths by 1941 (33 without Lenin): median {} (recorded 3)",
        median(&mut t.natural)
    );
    println!(
        "  natural deaths by 1941 at most 3 (the record's count or fewer): {}; distribution {:?}",
        pct(t.natural.iter().filter(|&&k| k <= 3).count()),
        (0..=12)
            .map(|k| t.natural.iter().filter(|&&x| x == k).count())
            .collect::<Vec<_>>()
    );
    println!("Stalin dies naturally by 1941: {}", pct(t.stalin_natural));
    println!(
        "a key post to a man within 12 months of his defeat (not the leader): {}",
        pct(t.key_post_after_defeat)
    );
    println!(
        "a prisoner released and readmitted within 2 months of his arrest: {}",
        pct(t.quick_release)
    );
    println!(
        "an expelled man arrested within 2 months of his expulsion, before the terror: {}",
        pct(t.quick_arrest)
    );
    println!(
        "repression peak (to 1941) in 1936-39: {}; in 1937-38: {}",
        pct(t.peak_1936_39),
        pct(t.peak_1937_38)
    );
    println!(
        "  of the worlds with a terror by 1941 ({}), peak in 1936-39: {:.1}%",
        pct(t.terror_worlds),
        100.0 * t.terror_peak_1936_39 as f64 / t.terror_worlds.max(1) as f64
    );
    let mut hist = std::collections::BTreeMap::new();
    for y in &t.peak_year {
        *hist.entry(*y).or_insert(0usize) += 1;
    }
    println!(
        "repression peak year: {}",
        hist.iter()
            .map(|(y, k)| format!("{y} {}", pct(*k)))
            .collect::<Vec<_>>()
            .join(", ")
    );
    println!("Trotsky readmitted: {}", pct(t.trotsky_readmitted));
    let mut from = std::collections::BTreeMap::new();
    for f in &t.trotsky_readmitted_from {
        *from.entry(f.to_string()).or_insert(0usize) += 1;
    }
    println!("  readmitted from: {from:?}");
    println!(
        "someone deported/emigrates abroad after 1930: {}",
        pct(t.deported_after_1930)
    );
    let mut from = std::collections::BTreeMap::new();
    for f in &t.abroad_after_1930_from {
        *from.entry(f.to_string()).or_insert(0usize) += 1;
    }
    println!("  men gone abroad after 1930, by the standing they left: {from:?}");
    let mut who = std::collections::BTreeMap::new();
    for n in &t.abroad_after_1930_who {
        *who.entry(n.clone()).or_insert(0usize) += 1;
    }
    println!("  and by name: {who:?}");
    println!(
        "someone goes abroad of his own will (from expulsion or a Caucasian base) before 1941: {}",
        pct(t.own_will_before_1941)
    );
    let mut who = std::collections::BTreeMap::new();
    for (n, f) in &t.own_will_who {
        *who.entry(format!("{n} from {f}")).or_insert(0usize) += 1;
    }
    println!("  moves, by name and standing left: {who:?}");
    let months_hist = |v: &[usize]| {
        let bins = [
            ("0-5", 0, 5),
            ("6-11", 6, 11),
            ("12-35", 12, 35),
            ("36-71", 36, 71),
            ("72-119", 72, 119),
            ("120+", 120, usize::MAX),
        ];
        bins.iter()
            .map(|(l, lo, hi)| {
                format!(
                    "{l} {}",
                    v.iter().filter(|m| (*lo..=*hi).contains(*m)).count()
                )
            })
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut after = t.killed_abroad_after.clone();
    after.sort_unstable();
    if !after.is_empty() {
        let q = |f: f64| after[((after.len() - 1) as f64 * f) as usize];
        println!(
            "killed abroad (to 1945): {} men; months from going abroad to the killing: quartiles {}, {}, {}; {}",
            after.len(),
            q(0.25),
            q(0.5),
            q(0.75),
            months_hist(&after)
        );
    } else {
        println!("killed abroad (to 1945): none");
    }
    let before = t
        .killed_abroad_since_trigger
        .iter()
        .filter(|m| m.is_none_or(|m| m < 0))
        .count();
    let mut since: Vec<usize> = t
        .killed_abroad_since_trigger
        .iter()
        .filter_map(|m| m.filter(|m| *m >= 0).map(|m| m as usize))
        .collect();
    println!(
        "  of them killed before the first terror's trigger: {before}; months from that trigger to the killing, after it (recorded 68): median {}; {}",
        median(&mut since),
        months_hist(&since)
    );
    let trotsky: Vec<String> = t
        .trotsky_1941
        .iter()
        .map(|(f, k)| format!("{f} {}", pct(*k)))
        .collect();
    println!("Trotsky at the end of 1941: {}", trotsky.join(", "));
    let mut after = t.trotsky_killed_after.clone();
    after.sort_unstable();
    println!(
        "  Trotsky killed abroad (to 1945): {}; months from going abroad (recorded 138): median {}; {}",
        pct(after.len()),
        median(&mut after),
        months_hist(&after)
    );
    println!(
        "collapse: {} of worlds; of them, political events after it: {}",
        pct(t.collapsed),
        if t.collapsed > 0 {
            format!(
                "{:.1}%",
                100.0 * t.political_after_collapse as f64 / t.collapsed as f64
            )
        } else {
            "n/a".into()
        }
    );
    println!(
        "Kaganovich or Kuibyshev full Politburo member in June 1924: {}",
        pct(t.packed_politburo_1924)
    );
    println!(
        "Trotsky loses the War Commissariat in May 1924: {}",
        pct(t.trotsky_out_may_1924)
    );
    println!("same-month contradiction (two changes of standing, or office gained as he leaves the party): {}", pct(t.same_month_contradiction));
    println!("Stalin leads in 1930: {}", pct(t.stalin_leads_1930));
    println!("army purge discharges nobody: {}", pct(t.no_army_purge));
    let mut why: Vec<_> = t.no_army_purge_why.iter().collect();
    why.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
    for (k, v) in why.iter().take(12) {
        println!("  {v} worlds: {k}");
    }
    let mut d = t.discharged_share.clone();
    d.sort_by(f64::total_cmp);
    if !d.is_empty() {
        println!(
            "officers discharged (share of the 1937 corps): median {:.3} (recorded 1937-38: 33,460 of 142,427 = 0.235)",
            d[d.len() / 2]
        );
    }
    // The recorded purge began in May 1937 with the Tukhachevsky affair (politics.md §4).
    let bins = [
        ("before 1927", 0, 1926),
        ("1927-32", 1927, 1932),
        ("1933-34", 1933, 1934),
        ("1935-36", 1935, 1936),
        ("1937-38", 1937, 1938),
        ("1939 or later", 1939, 9999),
    ];
    let first: Vec<String> = bins
        .iter()
        .map(|(label, lo, hi)| {
            let k = t
                .first_discharge
                .iter()
                .filter(|y| y.is_some_and(|y| (*lo..=*hi).contains(&y)))
                .count();
            format!("{label} {}", pct(k))
        })
        .chain(std::iter::once(format!(
            "never {}",
            pct(t.first_discharge.iter().filter(|y| y.is_none()).count())
        )))
        .collect();
    println!(
        "first year with officers discharged (recorded 1937): {}",
        first.join(", ")
    );
    let mut by_year = std::collections::BTreeMap::new();
    for y in t.first_discharge.iter().flatten() {
        *by_year.entry(*y).or_insert(0usize) += 1;
    }
    println!(
        "  by year: {}",
        by_year
            .iter()
            .map(|(y, k)| format!("{y} {}", pct(*k)))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let mut by_year = std::collections::BTreeMap::new();
    for y in &t.terror_year {
        *by_year.entry(*y).or_insert(0usize) += 1;
    }
    println!(
        "terror's trigger within six months of December 1934 (Kirov): {}",
        pct(t.trigger_near_kirov)
    );
    let mut after = t.trigger_after_takeover.clone();
    after.sort_unstable();
    if !after.is_empty() {
        let q = |f: f64| after[((after.len() - 1) as f64 * f) as usize];
        println!(
            "  months from Germany's new regime to the trigger (recorded 23), in {} worlds: quartiles {}, {}, {}; 10-90%: {} to {}",
            after.len(),
            q(0.25),
            q(0.5),
            q(0.75),
            q(0.1),
            q(0.9)
        );
    }
    println!(
        "terror's trigger by year: {}",
        by_year
            .iter()
            .map(|(y, k)| format!("{y} {}", pct(*k)))
            .collect::<Vec<_>>()
            .join(", ")
    );
    println!(
        "  triggers before 1933, by Germany's regime and the Soviet regime that month: {:?}",
        t.early_trigger
    );
    println!(
        "personal dictatorship by 1941: {}; median first year {}",
        pct(t.dictatorship_year.len()),
        median(&mut t.dictatorship_year)
    );
    println!(
        "terror triggered by 1941: {}; median year {}",
        pct(t.terror_year.len()),
        median(&mut t.terror_year)
    );
    let hardship: usize = t.natural_in_hardship.iter().sum();
    let natural: usize = t.natural.iter().sum();
    println!(
        "natural deaths by 1941 in prison or internal exile: {hardship} of {natural} ({:.1}%)",
        100.0 * hardship as f64 / natural.max(1) as f64
    );
    println!(
        "terror halted by 1939: {}; of them, repression at the end of 1941 above its level at the halt: {:.1}%",
        pct(t.halted_by_1939),
        100.0 * t.risen_after_halt as f64 / t.halted_by_1939.max(1) as f64
    );
    println!(
        "  of them, the drift at the end of 1941 above its level at the halt: {:.1}%",
        100.0 * t.drift_risen_after_halt as f64 / t.halted_by_1939.max(1) as f64
    );
    println!(
        "  of them, repression peaking (to 1941) after the year of the halt: {:.1}%",
        100.0 * t.peak_after_halt as f64 / t.halted_by_1939.max(1) as f64
    );
    for name in ["zinoviev", "kamenev", "bukharin"] {
        for stage in ["trigger", "1941"] {
            let row: Vec<String> = t
                .trial_men
                .iter()
                .filter(|((n, s, _), _)| n == name && *s == stage)
                .map(|((_, _, f), k)| format!("{f} {}", pct(*k)))
                .collect();
            println!("{name} at the {stage}: {}", row.join(", "));
        }
        let imprisoned = t
            .trial_men
            .get(&(name.to_string(), "trigger", Fate::Imprisoned.to_string()))
            .copied()
            .unwrap_or(0);
        let mut by_from = std::collections::BTreeMap::new();
        let mut by_year = std::collections::BTreeMap::new();
        for ((n, from, year), k) in &t.trial_taken {
            if n == name {
                *by_from.entry(from.clone()).or_insert(0usize) += k;
                *by_year.entry(*year).or_insert(0usize) += k;
            }
        }
        println!(
            "  {name} in prison at the trigger: {:.1}% of the {} worlds with a trigger by 1941 ({:.1}% taken before its month); taken from {by_from:?}; in {by_year:?} (0: the trigger's month)",
            100.0 * imprisoned as f64 / t.triggered.max(1) as f64,
            t.triggered,
            100.0 * imprisoned.saturating_sub(by_year.get(&0).copied().unwrap_or(0)) as f64
                / t.triggered.max(1) as f64,
        );
    }
    assert_eq!(t.worlds as u64, runs);
}
