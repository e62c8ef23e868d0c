//! Germany: the Comintern's line, Weimar elections and who governs Germany, 1924–1935. See
//! `docs/model/germany.md`.
//!
//! 1. **The Comintern's line** is reviewed each July from 1928 (the Sixth Congress). The Soviet
//!    leadership turns on the social democrats — the "Third Period" — when its score
//!    `c0 + c_turn·[a left turn at home] + c_coerce·(agrarian − ½) − c_threat·(Nazi vote share) + ε`
//!    is positive. The left turn is forced collectivisation or super-industrialisation; `agrarian` is
//!    the leadership's readiness to coerce the peasants; ε is one draw per world (a disposition that
//!    persists). Once the Nazis have ruled `popular_lag` months the line becomes the Popular Front.
//! 2. **Left unity** `u` is 0 under the Third Period and `unity` under a united or popular front.
//! 3. **Elections** fall on the Reichstag's recorded dates while the republic lasts (December 1924 to
//!    November 1932, the calendar in `data/germany.toml`); after the last, when the Reichstag's term
//!    runs out (`reichstag_term_months`, the constitution's four years); and `dissolution_months`
//!    after a Nazi chancellor is appointed, who dissolves the Reichstag to win a majority (as on
//!    1 February 1933). Vote shares are linear in the German unemployment the voters lived through
//!    (the yearly average six months before the vote: an exogenous series, the world
//!    Depression), fitted to 1928–1932; a united left keeps `unity_votes · u` points from the Nazis;
//!    each share has a normal error. An election a Nazi government runs brings
//!    `campaign_mobilised` new voters per old one to the polls, all for the government
//!    (`government_campaign`).
//! 4. **Who governs: the presidential cabinets.** From the first presidential cabinet (the calendar's
//!    date, March 1930) the chancellor governs by the president's decree until the Reichstag votes
//!    him down (`reichstag_verdict`). Nothing falls in an election's month (the new Reichstag meets
//!    within thirty days) or while the Reichstag is dissolved. A Reichstag in which the Nazis and
//!    the Communists together hold `negative_majority` per cent of the vote votes the cabinet down
//!    at its first sitting; the first time, the president dissolves it instead (Art. 25: "only once
//!    for the same reason") and the cabinet governs until the election that follows; the next time
//!    the cabinet falls. Otherwise a cabinet falls by a monthly hazard: `cabinet_fall_deadlock`
//!    under a negative majority or once it has been voted down, else `cabinet_fall` (a tolerated
//!    cabinet). At each fall the president chooses
//!    the next government. While the Nazis are the largest party — larger than the SPD and the KPD
//!    apart, or than the two together when the left is united — he appoints Hitler with chance
//!    `min(1, hitler_first + hitler_step · n) · (1 − resistance · u)`, n the times he has already
//!    passed Hitler over (each refusal uses up one of his own men, as Papen and Schleicher were used
//!    up in 1932); a united left could answer with a general strike, as in March 1920. Otherwise,
//!    while unemployment stays above `crisis_unemployment`, the cabinet that follows rules by decree
//!    with the army behind it (a conservative authoritarian government) with chance `decree_rule`;
//!    else another presidential cabinet is appointed.
//!
//! Draws: `germany.line` (July 1928, index 0), `germany.votes` (each election month, index = party),
//! `germany.regime` (each month of the cabinets, index 0 the fall, 1 Hitler, 2 rule by decree). Nothing here runs before the
//! divergence, and no German record is replayed: the state starts as in 1924 (the united front, the
//! republic), so a scenario that diverges after 1924 would need Germany's record replayed first.

use crate::{CominternLine, EventKind, GermanRegime, Policy};
use razvilka_kernel::{Month, Origin, Registry, Stream, Streams};

use crate::{Calendar, Log, MissingAssumption, View, World};

const LINE: Stream = Stream::named("germany.line");
const VOTES: Stream = Stream::named("germany.votes");
const REGIME: Stream = Stream::named("germany.regime");

/// The first year of the unemployment series.
pub const FIRST_YEAR: u32 = 1924;

assumptions! {
    /// Germany's parameters from the registry (`Params` adds the calendar of recorded dates).
    pub struct Assumed {
        pub c0: f64 = "germany.line_base",
        pub c_turn: f64 = "germany.line_left_turn",
        pub c_coerce: f64 = "germany.line_coercion",
        pub c_threat: f64 = "germany.line_threat",
        pub line_sd: f64 = "germany.line_sd",
        pub popular_lag: f64 = "germany.popular_front_lag",
        pub unity: f64 = "germany.unity",
        /// Vote share (per cent): intercept, per million unemployed, and spread.
        pub nsdap: [f64; 3] = [
            "germany.nsdap_intercept",
            "germany.nsdap_per_million",
            "germany.nsdap_sd",
        ],
        /// Vote share (per cent): intercept, per million unemployed, and spread.
        pub kpd: [f64; 3] = [
            "germany.kpd_intercept",
            "germany.kpd_per_million",
            "germany.kpd_sd",
        ],
        /// Vote share (per cent): intercept, per million unemployed, and spread.
        pub spd: [f64; 3] = [
            "germany.spd_intercept",
            "germany.spd_per_million",
            "germany.spd_sd",
        ],
        pub nsdap_floor: f64 = "germany.nsdap_floor",
        pub unity_votes: f64 = "germany.unity_votes",
        /// Monthly chance that a presidential cabinet falls while the Reichstag can still tolerate it.
        pub cabinet_fall: f64 = "germany.cabinet_fall",
        /// The same once the Nazis and the Communists together hold a negative majority.
        pub cabinet_fall_deadlock: f64 = "germany.cabinet_fall_deadlock",
        /// Nazi plus Communist vote (per cent) from which no cabinet can find toleration.
        pub negative_majority: f64 = "germany.negative_majority",
        /// Chance the president appoints Hitler at the first fall while the Nazis are the largest party.
        pub hitler_first: f64 = "germany.hitler_first",
        /// Added to that chance for each time he has passed Hitler over.
        pub hitler_step: f64 = "germany.hitler_step",
        pub resistance: f64 = "germany.resistance",
        /// Chance that, at a cabinet's fall in mass unemployment, the next cabinet rules by decree with
        /// the army (a conservative authoritarian government).
        pub decree_rule: f64 = "germany.decree_rule",
        pub crisis_unemployment: f64 = "germany.crisis_unemployment",
        /// Months of a Reichstag's term (Weimar Constitution, Art. 23).
        pub reichstag_term_months: i32 = "germany.reichstag_term_months" => |v: f64| v.round() as i32,
        /// Months from a Nazi chancellor's appointment to the election his dissolution calls.
        pub dissolution_months: i32 = "germany.dissolution_months" => |v: f64| v.round() as i32,
        /// New voters a Nazi government's campaign brings to the polls, per voter of the election before
        /// (`germany.campaign_mobilised`); they vote for the government.
        pub campaign_mobilised: f64 = "germany.campaign_mobilised",
        /// Registered unemployed, millions, for 1924, 1925, ...; the last value holds afterwards.
        pub unemployment: [f64; 12] = [
            "germany.unemployment_1924", "germany.unemployment_1925", "germany.unemployment_1926", "germany.unemployment_1927",
            "germany.unemployment_1928", "germany.unemployment_1929", "germany.unemployment_1930", "germany.unemployment_1931",
            "germany.unemployment_1932", "germany.unemployment_1933", "germany.unemployment_1934", "germany.unemployment_1935",
        ],
    }
}

/// Germany's parameters: the registry's, and the recorded dates the mechanisms obey (elections, the
/// presidential cabinets, the line review). A `Params` reads as its `Assumed` (`params.hitler_first`).
#[derive(Clone, Debug)]
pub struct Params {
    pub calendar: Calendar,
    pub assumed: Assumed,
}

reads_as!(Params => assumed: Assumed);

impl crate::Assumptions for Params {
    fn read(r: &Registry, calendar: &Calendar) -> Result<Params, MissingAssumption> {
        Ok(Params {
            calendar: calendar.clone(),
            assumed: Assumed::from_registry(r)?,
        })
    }
}

impl Params {
    /// German registered unemployment in `year`, millions.
    pub fn unemployment(&self, year: u32) -> f64 {
        let i = year.saturating_sub(FIRST_YEAR) as usize;
        self.unemployment[i.min(self.unemployment.len() - 1)]
    }

    /// The unemployment the voters of an election in `month` had lived through, millions: the
    /// yearly average of the calendar year that holds the middle of the twelve months before the
    /// vote (six months back), so the election's own year from a July vote, the year before until
    /// June. A vote cannot read the months after it: the 1933 average (4.8 M) is the recovery of
    /// the spring to the autumn of 1933, while at the election of 5 March 1933 the registered
    /// unemployed stood at 6.0 M (end of February 1933, `data/germany.toml`
    /// unemployed_peak_1932_33), above 1932's average (5.6 M) that this reads.
    pub fn unemployment_lived(&self, month: Month) -> f64 {
        self.unemployment(month.offset(-LIVED_MONTHS).year())
    }
}

/// Months from an election back to the middle of the year its voters judge the economy by.
const LIVED_MONTHS: i32 = 6;

/// One election's result, per cent.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize)]
pub struct Vote {
    pub month: Month,
    pub nsdap: f64,
    pub kpd: f64,
    pub spd: f64,
    pub nazis_largest: bool,
}

#[derive(Clone, Debug)]
pub struct GermanyState {
    pub line: CominternLine,
    /// The line is held by an intervention: the leadership no longer reviews it.
    pub line_forced: bool,
    pub regime: GermanRegime,
    /// When the regime last changed (the Nazis' or the generals' month of power).
    pub regime_since: Option<Month>,
    pub votes: Vec<Vote>,
    /// When the presidential cabinet in office was appointed (None before the first).
    pub cabinet_since: Option<Month>,
    /// Presidential cabinets that have fallen.
    pub cabinets_fallen: u32,
    /// Times the president passed Hitler over at a cabinet's fall while the Nazis were the largest
    /// party.
    pub hitler_refused: u32,
    /// The election a new chancellor's dissolution has called.
    pub dissolution_election: Option<Month>,
    /// The president has dissolved a Reichstag for its negative majority: the constitution allows
    /// it "only once for the same reason" (Art. 25), so the next such Reichstag brings the cabinet
    /// down.
    pub negative_majority_dissolved: bool,
    /// The election the dissolution of a Reichstag with a negative majority called: until then the
    /// cabinet governs without a Reichstag that could vote it down.
    pub dissolved_until: Option<Month>,
}

impl Default for GermanyState {
    fn default() -> GermanyState {
        GermanyState {
            line: CominternLine::UnitedFront,
            line_forced: false,
            regime: GermanRegime::Weimar,
            regime_since: None,
            votes: Vec::new(),
            cabinet_since: None,
            cabinets_fallen: 0,
            hitler_refused: 0,
            dissolution_election: None,
            negative_majority_dissolved: false,
            dissolved_until: None,
        }
    }
}

impl GermanyState {
    pub fn last_vote(&self) -> Option<&Vote> {
        self.votes.last()
    }

    /// The month the Nazis took power, if they did.
    pub fn nazi_power(&self) -> Option<Month> {
        (self.regime == GermanRegime::Nazi)
            .then_some(self.regime_since)
            .flatten()
    }

    /// The German left's unity under the current line, 0..1.
    pub fn unity(&self, params: &Params) -> f64 {
        match self.line {
            CominternLine::ThirdPeriod => 0.0,
            CominternLine::UnitedFront | CominternLine::PopularFront => params.unity,
        }
    }
}

/// Germany: the sub-model. It carries out a scenario's fixed Comintern line.
pub struct Germany;

impl crate::SubModel for Germany {
    const NAME: &'static str = "germany";
    type Params = Params;
    fn step(world: &mut World, params: &Params, streams: &Streams) {
        step(world, params, streams)
    }
    fn apply(world: &mut World, action: &crate::Action) -> crate::Applied {
        let crate::Action::CominternLine(to) = *action else {
            return crate::Applied::NotMine;
        };
        let from = world.germany.line;
        world.germany.line = to;
        world.germany.line_forced = true;
        if from != to {
            world.emit(
                Origin::Intervention,
                EventKind::CominternLineChanged { from, to },
            );
        }
        crate::Applied::Done
    }
}

pub fn step(world: &mut World, params: &Params, streams: &Streams) {
    let (germany, view, mut log) = world.split_germany();
    month(germany, &view, &mut log, params, streams);
}

/// One month: Germany writes its own state and reads the Soviet leadership and its policy.
fn month(g: &mut GermanyState, view: &View, log: &mut Log, params: &Params, streams: &Streams) {
    if !view.free {
        return;
    }
    let month = view.month;
    let review = params.calendar.comintern_line_review;
    if month.month_of_year() == review.month_of_year() && month >= review && !g.line_forced {
        review_line(g, view, log, params, streams);
    }
    if is_election(g, params, month) {
        election(g, view, log, params, streams);
    }
    if g.regime == GermanRegime::Weimar && month >= params.calendar.presidential_cabinets {
        cabinets(g, view, log, params, streams);
    }
}

/// Whether the Reichstag is elected this month.
pub fn is_election(germany: &GermanyState, params: &Params, month: Month) -> bool {
    if germany.dissolution_election == Some(month) {
        return true;
    }
    if germany.regime != GermanRegime::Weimar {
        return false;
    }
    let calendar = &params.calendar;
    if calendar.reichstag_elections.contains(&month) {
        return true;
    }
    // After the recorded calendar, the republic votes when the Reichstag's term runs out.
    match (calendar.reichstag_elections.last(), germany.last_vote()) {
        (Some(&recorded), last) => {
            let last = last.map_or(recorded, |v| v.month.max(recorded));
            month > recorded && month.since(last) == params.reichstag_term_months
        }
        (None, _) => false,
    }
}

/// Mechanism 1: the Comintern's line.
fn review_line(
    g: &mut GermanyState,
    view: &View,
    log: &mut Log,
    params: &Params,
    streams: &Streams,
) {
    let Some(ideology) = view.leadership_ideology() else {
        return;
    };
    let from = g.line;
    let to = match g.nazi_power() {
        Some(since) if view.month.since(since) as f64 >= params.popular_lag => {
            CominternLine::PopularFront
        }
        _ => {
            let turn = matches!(
                view.economy().policy,
                Policy::Collectivization | Policy::SuperIndustrialization
            );
            let nazis = g.last_vote().map_or(0.0, |v| v.nsdap / 100.0);
            let disposition = params.line_sd
                * streams
                    .draws(LINE, params.calendar.comintern_line_review)
                    .normal(0);
            let score = params.c0
                + if turn { params.c_turn } else { 0.0 }
                + params.c_coerce * (ideology[1] - 0.5)
                - params.c_threat * nazis
                + disposition;
            match (score > 0.0, from) {
                (true, _) => CominternLine::ThirdPeriod,
                (false, CominternLine::ThirdPeriod) => CominternLine::UnitedFront,
                (false, line) => line,
            }
        }
    };
    if to != from {
        g.line = to;
        log.emit(
            Origin::Mechanism,
            EventKind::CominternLineChanged { from, to },
        );
    }
}

/// Mechanism 3: a Reichstag election.
fn election(g: &mut GermanyState, view: &View, log: &mut Log, params: &Params, streams: &Streams) {
    let u = params.unemployment_lived(view.month);
    let unity = g.unity(params);
    let mut draws = streams.draws(VOTES, view.month);
    let mut share = |[a, b, sd]: [f64; 3], index: u32| a + b * u + sd * draws.normal(index);
    let nsdap = (share(params.nsdap, 0) - params.unity_votes * unity).max(params.nsdap_floor);
    let kpd = share(params.kpd, 1).max(0.0);
    let spd = share(params.spd, 2).max(0.0);
    let (nsdap, kpd, spd) = if g.regime == GermanRegime::Nazi {
        government_campaign(params, nsdap, kpd, spd)
    } else {
        (nsdap, kpd, spd)
    };
    let left = if unity > 0.0 { kpd + spd } else { kpd.max(spd) };
    let vote = Vote {
        month: view.month,
        nsdap,
        kpd,
        spd,
        nazis_largest: nsdap > left,
    };
    g.votes.push(vote);
    log.emit(
        Origin::Mechanism,
        EventKind::Election {
            nsdap,
            kpd,
            spd,
            nazis_largest: vote.nazis_largest,
        },
    );
}

/// An election run by a Nazi government (March 1933): the state's radio and police, the left's
/// press banned and its meetings broken up, bring `campaign_mobilised` new voters per voter of the
/// election before to the polls, and they vote for the government; every share is then of the
/// larger electorate: `n' = (n + 100 m) / (1 + m)`, the others `x / (1 + m)`.
pub fn government_campaign(params: &Params, nsdap: f64, kpd: f64, spd: f64) -> (f64, f64, f64) {
    let m = params.campaign_mobilised;
    (
        (nsdap + 100.0 * m) / (1.0 + m),
        kpd / (1.0 + m),
        spd / (1.0 + m),
    )
}

/// Mechanism 4: the presidential cabinets, their fall, and the president's choice.
fn cabinets(g: &mut GermanyState, view: &View, log: &mut Log, params: &Params, streams: &Streams) {
    let month = view.month;
    if g.cabinet_since.is_none() {
        // The first presidential cabinet takes office on the calendar's date.
        g.cabinet_since = Some(month);
        return;
    }
    let mut draws = streams.draws(REGIME, month);
    match reichstag_verdict(g, params, month, || draws.chance(0, fall_hazard(g, params))) {
        Verdict::Stays => return,
        Verdict::Dissolves { election } => {
            g.negative_majority_dissolved = true;
            g.dissolved_until = Some(election);
            if !params.calendar.reichstag_elections.contains(&election) {
                g.dissolution_election = Some(election);
            }
            return;
        }
        Verdict::Falls => {}
    }
    g.cabinets_fallen += 1;
    let unity = g.unity(params);
    let nazis_largest = g.last_vote().is_some_and(|v| v.nazis_largest);
    let hitler = if nazis_largest {
        hitler_chance(g, params) * (1.0 - params.resistance * unity)
    } else {
        0.0
    };
    let decree = params.unemployment(month.year()) >= params.crisis_unemployment;
    let to = if draws.chance(1, hitler) {
        GermanRegime::Nazi
    } else if decree && draws.chance(2, params.decree_rule) {
        GermanRegime::Authoritarian
    } else {
        // Another of the president's men.
        g.cabinet_since = Some(month);
        if nazis_largest {
            g.hitler_refused += 1;
        }
        return;
    };
    let from = g.regime;
    g.regime = to;
    g.regime_since = Some(month);
    if to == GermanRegime::Nazi {
        // Hitler dissolves the Reichstag to win the majority his coalition lacks.
        g.dissolution_election = Some(month.offset(params.dissolution_months));
    }
    log.emit(
        Origin::Mechanism,
        EventKind::GermanRegimeChanged { from, to },
    );
}

/// What the Reichstag does to the presidential cabinet in office this month.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// The cabinet governs on.
    Stays,
    /// Voted down by a Reichstag with a negative majority, the cabinet has it dissolved by the
    /// president and governs without it until the election the dissolution calls.
    Dissolves { election: Month },
    /// The cabinet falls and the president chooses the next government.
    Falls,
}

/// The Reichstag and the presidential cabinet this month (mechanism 4). Nothing happens in the
/// month of an election or while the Reichstag is dissolved: a new Reichstag meets within thirty
/// days of its election (Weimar Constitution, Art. 23), and the vote against the cabinet comes at
/// the earliest then. A Reichstag whose Nazis and Communists hold a negative majority votes the
/// cabinet down at its first sitting, the month after its election (12 September 1932: 512 to 42);
/// the first time, the president dissolves it instead ("only once for the same reason", Art. 25),
/// and the cabinet governs until the election that follows (the July 1932 Reichstag, dissolved on
/// 12 September, was elected anew on 6 November); the next time the cabinet falls (Papen, November
/// 1932). Between sittings a cabinet falls when `falls()` (the monthly hazard, `fall_hazard`) says
/// so: a tolerated one, as Brüning's did, or one that a deadlocked Reichstag can bring down at any
/// session, as Schleicher's was.
pub fn reichstag_verdict(
    germany: &GermanyState,
    params: &Params,
    month: Month,
    falls: impl FnOnce() -> bool,
) -> Verdict {
    let Some(last) = germany.last_vote() else {
        return if falls() {
            Verdict::Falls
        } else {
            Verdict::Stays
        };
    };
    if last.month == month || germany.dissolved_until.is_some_and(|until| month <= until) {
        return Verdict::Stays;
    }
    let negative_majority = last.nsdap + last.kpd >= params.negative_majority;
    let first_sitting = month == last.month.next();
    let in_office_before = germany
        .cabinet_since
        .is_some_and(|since| since < last.month);
    if negative_majority && first_sitting && in_office_before {
        if germany.negative_majority_dissolved {
            return Verdict::Falls;
        }
        return Verdict::Dissolves {
            election: dissolution_election_month(params, month),
        };
    }
    if falls() {
        Verdict::Falls
    } else {
        Verdict::Stays
    }
}

/// The election a dissolution in `month` brings: the calendar's next recorded one if it falls
/// within `dissolution_months + 1` (the recorded elections each came of a dissolution: the
/// Reichstag that met on 30 August 1932 was dissolved on 12 September and elected on 6 November),
/// otherwise `dissolution_months` later (Art. 25: at the latest the sixtieth day).
pub fn dissolution_election_month(params: &Params, month: Month) -> Month {
    let latest = month.offset(params.dissolution_months + 1);
    params
        .calendar
        .reichstag_elections
        .iter()
        .copied()
        .find(|&e| e > month && e <= latest)
        .unwrap_or_else(|| month.offset(params.dissolution_months))
}

/// The monthly chance that the presidential cabinet in office falls: `cabinet_fall_deadlock` once
/// the last election gave a negative majority, or once this cabinet has been voted down and
/// governed through a dissolution (it has lost toleration for good: Papen resigned in November 1932
/// although the new Reichstag's negative majority was a bare 50.0%), else `cabinet_fall`.
pub fn fall_hazard(germany: &GermanyState, params: &Params) -> f64 {
    let deadlock = germany
        .last_vote()
        .is_some_and(|v| v.nsdap + v.kpd >= params.negative_majority);
    let voted_down = germany
        .dissolved_until
        .is_some_and(|until| germany.cabinet_since.is_some_and(|since| since < until));
    if deadlock || voted_down {
        params.cabinet_fall_deadlock
    } else {
        params.cabinet_fall
    }
}

/// The chance the president appoints Hitler at a cabinet's fall, the Nazis the largest party and
/// the left split.
pub fn hitler_chance(germany: &GermanyState, params: &Params) -> f64 {
    (params.hitler_first + params.hitler_step * germany.hitler_refused as f64).min(1.0)
}
