//! Germany's own mechanisms on hand-built worlds: the Comintern's line, the Reichstag elections,
//! and who comes to govern.

mod support;

use razvilka_kernel::Month;
use razvilka_model::germany::{self, Vote};
use razvilka_model::{CominternLine, GermanRegime, Policy};
use razvilka_model::{Params, World};
use support::{id, next_month, params, streams, world};

fn run(world: &mut World, params: &Params, seed: u64, months: u32) {
    let streams = streams(seed);
    for _ in 0..months {
        germany::step(world, &params.germany, &streams);
        next_month(world);
    }
}

/// The republic held: no presidential cabinet ever falls, so no one else takes power.
fn weimar_held() -> Params {
    let mut p = params();
    p.germany.cabinet_fall = 0.0;
    p.germany.cabinet_fall_deadlock = 0.0;
    p
}

/// Every presidential cabinet falls in its first month; Hitler is appointed at a fall with chance
/// `hitler`, rule by decree follows with chance `decree`.
fn cabinets_fall(hitler: f64, decree: f64) -> Params {
    let mut p = params();
    p.germany.cabinet_fall = 1.0;
    p.germany.cabinet_fall_deadlock = 1.0;
    p.germany.hitler_first = hitler;
    p.germany.hitler_step = 0.0;
    p.germany.decree_rule = decree;
    p
}

/// The last election's result, with the Nazis the largest party or not.
fn vote(month: Month, nazis_largest: bool) -> Vote {
    Vote {
        month,
        nsdap: if nazis_largest { 37.0 } else { 18.0 },
        kpd: 14.0,
        spd: 22.0,
        nazis_largest,
    }
}

/// A world after an election, the Nazis the largest party or not, the left united or not.
fn after_election(year: u32, month: u32, nazis_largest: bool, line: CominternLine) -> World {
    let mut w = world(year, month);
    w.germany
        .votes
        .push(vote(Month::new(1930, 9), nazis_largest));
    w.germany.line = line;
    // A presidential cabinet in office since the calendar's first one.
    if w.month > Month::new(1930, 3) {
        w.germany.cabinet_since = Some(Month::new(1930, 3));
    }
    w
}

#[test]
fn elections_fall_on_the_reichstag_calendar_then_when_the_term_runs_out() {
    let p = weimar_held();
    let mut w = world(1924, 1);
    run(&mut w, &p, 1, 18 * 12);
    let months: Vec<Month> = w.germany.votes.iter().map(|v| v.month).collect();
    let term = p.germany.reichstag_term_months;
    assert_eq!(term, 48, "the constitution's four years");
    let expected: Vec<Month> = [
        (1924, 12),
        (1928, 5),
        (1930, 9),
        (1932, 7),
        (1932, 11),
        (1936, 11),
        (1940, 11),
    ]
    .iter()
    .map(|&(y, m)| Month::new(y, m))
    .collect();
    assert_eq!(months, expected);
}

#[test]
fn a_nazi_chancellor_dissolves_the_reichstag_and_an_election_follows() {
    let p = cabinets_fall(1.0, 0.0);
    let mut w = after_election(1933, 1, true, CominternLine::ThirdPeriod);
    run(&mut w, &p, 10, 4);
    assert_eq!(w.germany.nazi_power(), Some(Month::new(1933, 1)));
    let after: Vec<Month> = w.germany.votes.iter().skip(1).map(|v| v.month).collect();
    assert_eq!(
        after,
        vec![Month::new(1933, 1).offset(p.germany.dissolution_months)]
    );
}

#[test]
fn a_negative_majority_brings_the_cabinets_down_faster() {
    let p = params();
    let mut w = world(1932, 8);
    for (nsdap, kpd, deadlock) in [(37.0, 14.0, true), (18.0, 14.0, false), (35.0, 14.0, false)] {
        w.germany.votes = vec![Vote {
            month: Month::new(1932, 7),
            nsdap,
            kpd,
            spd: 22.0,
            nazis_largest: true,
        }];
        let expected = if deadlock {
            p.germany.cabinet_fall_deadlock
        } else {
            p.germany.cabinet_fall
        };
        assert_eq!(
            germany::fall_hazard(&w.germany, &p.germany),
            expected,
            "{nsdap} + {kpd}"
        );
    }
    assert!(p.germany.cabinet_fall_deadlock > p.germany.cabinet_fall);
}

#[test]
fn each_refusal_brings_hitler_nearer() {
    // Hitler is never appointed at the first fall, certainly at the second.
    let mut p = cabinets_fall(0.0, 0.0);
    p.germany.hitler_step = 1.0;
    let mut w = after_election(1932, 8, true, CominternLine::ThirdPeriod);
    run(&mut w, &p, 11, 1);
    assert_eq!(w.germany.regime, GermanRegime::Weimar);
    assert_eq!(
        (w.germany.hitler_refused, w.germany.cabinets_fallen),
        (1, 1)
    );
    assert_eq!(
        w.germany.cabinet_since,
        Some(Month::new(1932, 8)),
        "another cabinet"
    );
    run(&mut w, &p, 11, 1);
    assert_eq!(w.germany.nazi_power(), Some(Month::new(1932, 9)));
}

#[test]
fn a_united_left_keeps_votes_from_the_nazis() {
    // The same draws in both worlds: the Nazi share differs by exactly `unity_votes · unity`, the
    // left's shares not at all.
    let p = weimar_held();
    let at = |line: CominternLine| {
        let mut w = world(1930, 9);
        w.germany.line = line;
        run(&mut w, &p, 2, 1);
        *w.germany
            .last_vote()
            .expect("September 1930 is an election")
    };
    let (split, united) = (
        at(CominternLine::ThirdPeriod),
        at(CominternLine::UnitedFront),
    );
    let kept = p.germany.unity_votes * p.germany.unity;
    assert!(kept > 0.0);
    assert!(
        (split.nsdap - united.nsdap - kept).abs() < 1e-9,
        "{split:?} {united:?}"
    );
    assert_eq!((split.kpd, split.spd), (united.kpd, united.spd));
}

#[test]
fn a_nazi_government_needs_the_nazis_to_be_the_largest_party() {
    let p = cabinets_fall(1.0, 0.0);
    for (largest, regime) in [(true, GermanRegime::Nazi), (false, GermanRegime::Weimar)] {
        let mut w = after_election(1931, 1, largest, CominternLine::ThirdPeriod);
        run(&mut w, &p, 3, 1);
        assert_eq!(w.germany.regime, regime);
    }
}

#[test]
fn no_one_takes_power_before_the_presidential_cabinets() {
    let p = cabinets_fall(1.0, 1.0);
    let mut w = after_election(1930, 2, true, CominternLine::ThirdPeriod);
    run(&mut w, &p, 4, 1);
    assert_eq!(w.germany.regime, GermanRegime::Weimar, "February 1930");
    assert_eq!(w.germany.cabinet_since, None);
    run(&mut w, &p, 4, 1);
    assert_eq!(
        w.germany.regime,
        GermanRegime::Weimar,
        "March 1930: the first cabinet"
    );
    assert_eq!(w.germany.cabinet_since, Some(Month::new(1930, 3)));
    run(&mut w, &p, 4, 1);
    assert_eq!(
        w.germany.nazi_power(),
        Some(Month::new(1930, 4)),
        "its fall"
    );
}

#[test]
fn a_united_left_can_stop_the_nazis() {
    // With full resistance and full unity the chance `h · (1 − resistance · u)` is zero.
    let mut p = cabinets_fall(1.0, 0.0);
    p.germany.resistance = 1.0;
    p.germany.unity = 1.0;
    for (line, regime) in [
        (CominternLine::UnitedFront, GermanRegime::Weimar),
        (CominternLine::ThirdPeriod, GermanRegime::Nazi),
    ] {
        let mut w = after_election(1931, 1, true, line);
        run(&mut w, &p, 5, 1);
        assert_eq!(w.germany.regime, regime, "{line:?}");
    }
}

#[test]
fn the_generals_take_power_only_in_mass_unemployment() {
    let p = cabinets_fall(0.0, 1.0);
    for (year, regime) in [
        (1930, GermanRegime::Weimar),
        (1932, GermanRegime::Authoritarian),
    ] {
        let crisis = p.germany.unemployment(year) >= p.germany.crisis_unemployment;
        assert_eq!(crisis, regime == GermanRegime::Authoritarian, "{year}");
        let mut w = after_election(year, 6, false, CominternLine::ThirdPeriod);
        run(&mut w, &p, 6, 1);
        assert_eq!(w.germany.regime, regime, "{year}");
    }
}

#[test]
fn the_third_period_follows_a_left_turn_at_home() {
    // The line's score without noise, coercion or threat: negative at home under the NEP, positive
    // after a left turn.
    let mut p = weimar_held();
    p.germany.line_sd = 0.0;
    p.germany.c_coerce = 0.0;
    p.germany.c_threat = 0.0;
    p.germany.c0 = -0.5 * p.germany.c_turn;
    for (policy, line) in [
        (Policy::Collectivization, CominternLine::ThirdPeriod),
        (Policy::SuperIndustrialization, CominternLine::ThirdPeriod),
        (Policy::Nep, CominternLine::UnitedFront),
    ] {
        let mut w = world(1928, 7);
        w.politics.leader = Some(id(&w, "stalin"));
        w.economy.policy = policy;
        run(&mut w, &p, 7, 1);
        assert_eq!(w.germany.line, line, "{policy:?}");
    }
}

#[test]
fn the_popular_front_follows_nazi_rule_after_its_lag() {
    let p = params();
    let lag = p.germany.popular_lag.round() as i32;
    for (ruled, line) in [
        (lag, CominternLine::PopularFront),
        (lag - 1, CominternLine::ThirdPeriod),
    ] {
        let mut w = world(1935, 7);
        w.politics.leader = Some(id(&w, "stalin"));
        w.germany.line = CominternLine::ThirdPeriod;
        w.germany.regime = GermanRegime::Nazi;
        w.germany.regime_since = Some(w.month.offset(-ruled));
        // A certain Third Period score otherwise, so the lag alone decides.
        let mut p = p.clone();
        p.germany.c0 = 100.0;
        run(&mut w, &p, 8, 1);
        assert_eq!(w.germany.line, line, "after {ruled} months of Nazi rule");
    }
}

#[test]
fn germany_stands_still_while_history_is_replayed() {
    let p = cabinets_fall(1.0, 1.0);
    let mut w = after_election(1930, 9, true, CominternLine::ThirdPeriod);
    w.free = false;
    run(&mut w, &p, 9, 24);
    assert_eq!(w.germany.regime, GermanRegime::Weimar);
    assert_eq!(w.germany.votes.len(), 1, "no election held by the model");
}

#[test]
fn an_election_run_by_a_nazi_government_brings_new_voters_to_the_government() {
    // The same month and draws under a presidential cabinet and under a Nazi government: the
    // government's campaign adds `campaign_mobilised` voters per old one, all for the NSDAP, and
    // every other share is of the larger electorate.
    let p = weimar_held();
    let m = p.germany.campaign_mobilised;
    assert!(m > 0.0);
    let at = |regime: GermanRegime| {
        let mut w = world(1930, 9);
        w.germany.regime = regime;
        // A Nazi chancellor's dissolution calls this month's election (the republic's calendar
        // has one too).
        w.germany.dissolution_election = Some(w.month);
        run(&mut w, &p, 2, 1);
        *w.germany.last_vote().expect("an election this month")
    };
    let (cabinet, nazi) = (at(GermanRegime::Weimar), at(GermanRegime::Nazi));
    assert!(
        (nazi.nsdap - (cabinet.nsdap + 100.0 * m) / (1.0 + m)).abs() < 1e-9,
        "{cabinet:?} {nazi:?}"
    );
    assert!(nazi.nsdap > cabinet.nsdap + 5.0, "{cabinet:?} {nazi:?}");
    assert!((nazi.kpd - cabinet.kpd / (1.0 + m)).abs() < 1e-9);
    assert!((nazi.spd - cabinet.spd / (1.0 + m)).abs() < 1e-9);
    // Without the mobilisation the government's election is like any other.
    let mut none = p.clone();
    none.germany.campaign_mobilised = 0.0;
    let (n, k, s) = germany::government_campaign(&none.germany, 30.0, 15.0, 20.0);
    assert_eq!((n, k, s), (30.0, 15.0, 20.0));
}

/// The Reichstag of July 1932: the Nazis and the Communists hold a negative majority (37 + 14 of
/// the vote), under a presidential cabinet in office since March 1930.
fn deadlocked_july_1932(at_year: u32, at_month: u32) -> World {
    let mut w = world(at_year, at_month);
    w.germany.votes.push(vote(Month::new(1932, 7), true));
    w.germany.line = CominternLine::ThirdPeriod;
    w.germany.cabinet_since = Some(Month::new(1930, 3));
    w
}

#[test]
fn a_reichstag_with_a_negative_majority_is_dissolved_once_then_brings_the_cabinet_down() {
    use germany::Verdict;
    let p = params();
    let never = || false;
    let always = || true;
    // The month of the election: the new Reichstag has not met, whatever the hazard says.
    let w = deadlocked_july_1932(1932, 7);
    assert_eq!(
        germany::reichstag_verdict(&w.germany, &p.germany, w.month, always),
        Verdict::Stays
    );
    // Its first sitting votes the cabinet down; the first time the president dissolves it, and
    // the calendar's November 1932 election is the one the dissolution brings.
    let w = deadlocked_july_1932(1932, 8);
    assert_eq!(
        germany::reichstag_verdict(&w.germany, &p.germany, w.month, never),
        Verdict::Dissolves {
            election: Month::new(1932, 11)
        }
    );
    // The same sitting once a Reichstag has already been dissolved for its negative majority
    // ("only once for the same reason"): the cabinet falls, whatever the hazard says.
    let mut again = deadlocked_july_1932(1932, 8);
    again.germany.negative_majority_dissolved = true;
    assert_eq!(
        germany::reichstag_verdict(&again.germany, &p.germany, again.month, never),
        Verdict::Falls
    );
    // While the Reichstag is dissolved no vote can bring the cabinet down.
    let mut dissolved = deadlocked_july_1932(1932, 10);
    dissolved.germany.negative_majority_dissolved = true;
    dissolved.germany.dissolved_until = Some(Month::new(1932, 11));
    assert_eq!(
        germany::reichstag_verdict(&dissolved.germany, &p.germany, dissolved.month, always),
        Verdict::Stays
    );
    // A cabinet appointed after the election meets no first sitting: the monthly hazard decides.
    let mut later = deadlocked_july_1932(1932, 8);
    later.germany.cabinet_since = Some(Month::new(1932, 8));
    for (falls, verdict) in [(false, Verdict::Stays), (true, Verdict::Falls)] {
        assert_eq!(
            germany::reichstag_verdict(&later.germany, &p.germany, later.month, || falls),
            verdict
        );
    }
}

#[test]
fn a_dissolution_without_a_recorded_election_calls_one_within_sixty_days() {
    let p = params();
    let months = p.germany.dissolution_months;
    assert_eq!(months, 2);
    // No recorded election within three months of October 1936: the dissolution calls its own.
    assert_eq!(
        germany::dissolution_election_month(&p.germany, Month::new(1936, 10)),
        Month::new(1936, 12)
    );
    // August 1932: the recorded November election is the dissolution's.
    assert_eq!(
        germany::dissolution_election_month(&p.germany, Month::new(1932, 8)),
        Month::new(1932, 11)
    );
}

#[test]
fn a_cabinet_that_lived_on_a_dissolution_falls_after_the_next_election_not_before() {
    // Cabinets fall every month they can: yet the cabinet in office at the July 1932 election
    // survives to November on the dissolution, and only the Reichstag of November brings it down.
    let mut p = cabinets_fall(0.0, 0.0);
    p.germany.hitler_step = 0.0;
    let mut w = deadlocked_july_1932(1932, 8);
    run(&mut w, &p, 12, 3);
    assert_eq!(w.month, Month::new(1932, 11));
    assert_eq!(w.germany.cabinets_fallen, 0, "August to October 1932");
    assert!(w.germany.negative_majority_dissolved);
    assert_eq!(w.germany.dissolved_until, Some(Month::new(1932, 11)));
    assert_eq!(
        w.germany.dissolution_election, None,
        "the calendar holds the election"
    );
    // November: the recorded election, and still no fall in its month.
    run(&mut w, &p, 12, 1);
    assert_eq!(
        w.germany.votes.last().map(|v| v.month),
        Some(Month::new(1932, 11))
    );
    assert_eq!(w.germany.cabinets_fallen, 0, "the election's month");
    // December: the new Reichstag sits and the cabinet falls (by its first sitting if the
    // negative majority held, or by the lost toleration's hazard, here certain).
    run(&mut w, &p, 12, 1);
    assert_eq!(w.germany.cabinets_fallen, 1, "December 1932");
}

#[test]
fn a_cabinet_voted_down_once_has_lost_toleration_for_good() {
    let p = params();
    // After the dissolution the new Reichstag has no negative majority (33 + 14 of the vote), yet
    // the cabinet that lived on the dissolution falls at the deadlock's rate; its successor is
    // tolerated again.
    let mut w = deadlocked_july_1932(1932, 12);
    w.germany.votes.push(Vote {
        month: Month::new(1932, 11),
        nsdap: 33.0,
        kpd: 14.0,
        spd: 22.0,
        nazis_largest: true,
    });
    w.germany.negative_majority_dissolved = true;
    w.germany.dissolved_until = Some(Month::new(1932, 11));
    assert_eq!(
        germany::fall_hazard(&w.germany, &p.germany),
        p.germany.cabinet_fall_deadlock
    );
    w.germany.cabinet_since = Some(Month::new(1932, 12));
    assert_eq!(
        germany::fall_hazard(&w.germany, &p.germany),
        p.germany.cabinet_fall
    );
}

#[test]
fn a_vote_reads_the_unemployment_its_voters_lived_through() {
    // With the parties' errors at zero each share is its line at the unemployment the vote reads:
    // the year six months before it. March 1933 (a Nazi chancellor's dissolution) reads 1932's
    // 5.6 M, not 1933's 4.8 M, most of whose months came after the vote; July and November 1932
    // read 1932; May 1928 reads 1927.
    let mut p = weimar_held();
    p.germany.nsdap[2] = 0.0;
    p.germany.kpd[2] = 0.0;
    p.germany.spd[2] = 0.0;
    let g = &p.germany;
    assert!(
        g.unemployment(1932) > g.unemployment(1933) + 0.5,
        "the recovery of 1933 is in the series"
    );
    for (year, month, lived) in [
        (1933, 3, 1932),
        (1932, 7, 1932),
        (1932, 11, 1932),
        (1928, 5, 1927),
    ] {
        assert_eq!(
            g.unemployment_lived(Month::new(year, month)),
            g.unemployment(lived),
            "{year}-{month}"
        );
    }
    let vote_at = |year: u32, month: u32, regime: GermanRegime| {
        let mut w = world(year, month);
        w.germany.regime = regime;
        w.germany.dissolution_election = Some(w.month);
        w.germany.line = CominternLine::ThirdPeriod;
        run(&mut w, &p, 3, 1);
        *w.germany.last_vote().expect("an election this month")
    };
    let line = |[a, b, _]: [f64; 3], u: f64| a + b * u;
    let u1932 = g.unemployment(1932);
    let march = vote_at(1933, 3, GermanRegime::Nazi);
    let (n, k, s) = germany::government_campaign(
        g,
        line(g.nsdap, u1932),
        line(g.kpd, u1932),
        line(g.spd, u1932),
    );
    assert!((march.nsdap - n).abs() < 1e-9, "{march:?} against {n}");
    assert!((march.kpd - k).abs() < 1e-9 && (march.spd - s).abs() < 1e-9);
    // Read from 1933's average, the Nazis would lose what their line gives a million fewer
    // unemployed: several points.
    let (n_1933, _, _) =
        germany::government_campaign(g, line(g.nsdap, g.unemployment(1933)), 0.0, 0.0);
    assert!(march.nsdap > n_1933 + 4.0, "{march:?} against {n_1933}");
    // An election in the second half of the year reads its own year.
    let july = vote_at(1932, 7, GermanRegime::Weimar);
    assert!((july.nsdap - line(g.nsdap, u1932)).abs() < 1e-9, "{july:?}");
}
