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
//! 3. **Elections** fall on the Reichstag's real dates (December 1924 to March 1933; every two years
//!    after that while the republic lasts). Vote shares are linear in German unemployment (an
//!    exogenous series: the world Depression), fitted to 1928–1932; a united left keeps
//!    `unity_votes · u` points from the Nazis; each share has a normal error.
//! 4. **Who governs.** While the Nazis are the largest party — larger than the SPD and the KPD apart,
//!    or than the two together when the left is united — a Nazi government comes by a monthly hazard
//!    `h_largest · (1 − resistance · u)` (elite intrigue offers them the chancellorship; a united left
//!    could answer with a general strike, as in March 1920). A conservative authoritarian government
//!    (a presidential dictatorship backed by the army) comes by a competing hazard while
//!    unemployment stays above `crisis_unemployment`, from the presidential cabinets of 1930.
//!
//! Draws: `germany.line` (July 1928, index 0), `germany.votes` (each election month, index = party),
//! `germany.regime` (each month, index 0 Nazi, 1 authoritarian). Nothing here runs before the
//! divergence, and no German record is replayed: the state starts as in 1924 (the united front, the
//! republic), so a scenario that diverges after 1924 would need Germany's record replayed first.

use crate::{CominternLine, EventKind, GermanRegime, Policy};
use razvilka_kernel::{Month, Origin, Registry, Stream, Streams};

use crate::{param, Calendar, MissingAssumption, World};

const LINE: Stream = Stream::named("germany.line");
const VOTES: Stream = Stream::named("germany.votes");
const REGIME: Stream = Stream::named("germany.regime");

/// The first year of the unemployment series.
pub const FIRST_YEAR: u32 = 1924;

#[derive(Clone, Debug)]
pub struct Params {
    /// The recorded dates the mechanisms obey (elections, the presidential cabinets, the line review).
    pub calendar: Calendar,
    pub c0: f64,
    pub c_turn: f64,
    pub c_coerce: f64,
    pub c_threat: f64,
    pub line_sd: f64,
    pub popular_lag: f64,
    pub unity: f64,
    pub nsdap: (f64, f64, f64),
    pub kpd: (f64, f64, f64),
    pub spd: (f64, f64, f64),
    pub nsdap_floor: f64,
    pub unity_votes: f64,
    pub h_largest: f64,
    pub resistance: f64,
    pub h_authoritarian: f64,
    pub crisis_unemployment: f64,
    /// Registered unemployed, millions, for 1924, 1925, ...; the last value holds afterwards.
    pub unemployment: Vec<f64>,
}

impl Params {
    pub fn from_registry(r: &Registry, calendar: &Calendar) -> Result<Params, MissingAssumption> {
        let p = |k: &str| param(r, &format!("germany.{k}"));
        let party = |name: &str| -> Result<(f64, f64, f64), MissingAssumption> {
            Ok((
                p(&format!("{name}_intercept"))?,
                p(&format!("{name}_per_million"))?,
                p(&format!("{name}_sd"))?,
            ))
        };
        let mut unemployment = Vec::new();
        for year in FIRST_YEAR..=1935 {
            unemployment.push(p(&format!("unemployment_{year}"))?);
        }
        Ok(Params {
            calendar: calendar.clone(),
            c0: p("line_base")?,
            c_turn: p("line_left_turn")?,
            c_coerce: p("line_coercion")?,
            c_threat: p("line_threat")?,
            line_sd: p("line_sd")?,
            popular_lag: p("popular_front_lag")?,
            unity: p("unity")?,
            nsdap: party("nsdap")?,
            kpd: party("kpd")?,
            spd: party("spd")?,
            nsdap_floor: p("nsdap_floor")?,
            unity_votes: p("unity_votes")?,
            h_largest: p("nazi_hazard")?,
            resistance: p("resistance")?,
            h_authoritarian: p("authoritarian_hazard")?,
            crisis_unemployment: p("crisis_unemployment")?,
            unemployment,
        })
    }

    /// German registered unemployment in `year`, millions.
    pub fn unemployment(&self, year: u32) -> f64 {
        let i = year.saturating_sub(FIRST_YEAR) as usize;
        self.unemployment[i.min(self.unemployment.len() - 1)]
    }
}

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
}

impl Default for GermanyState {
    fn default() -> GermanyState {
        GermanyState {
            line: CominternLine::UnitedFront,
            line_forced: false,
            regime: GermanRegime::Weimar,
            regime_since: None,
            votes: Vec::new(),
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

pub fn step(world: &mut World, params: &Params, streams: &Streams) {
    if !world.free {
        return;
    }
    let month = world.month;
    let review = params.calendar.comintern_line_review;
    if month.month_of_year() == review.month_of_year()
        && month >= review
        && !world.germany.line_forced
    {
        review_line(world, params, streams);
    }
    if is_election(world, &params.calendar, month) {
        election(world, params, streams);
    }
    if world.germany.regime == GermanRegime::Weimar
        && month >= params.calendar.presidential_cabinets
    {
        takeover(world, params, streams);
    }
}

fn is_election(world: &World, calendar: &Calendar, month: Month) -> bool {
    if world.germany.regime != GermanRegime::Weimar {
        return false;
    }
    if calendar.reichstag_elections.contains(&month) {
        return true;
    }
    // After the recorded calendar, the republic votes every two years.
    match calendar.reichstag_elections.last() {
        Some(&last) => month > last && month.since(last) % 24 == 0,
        None => false,
    }
}

/// Mechanism 1: the Comintern's line.
fn review_line(world: &mut World, params: &Params, streams: &Streams) {
    let Some(ideology) = world.leadership_ideology() else {
        return;
    };
    let from = world.germany.line;
    let to = match world.germany.nazi_power() {
        Some(since) if world.month.since(since) as f64 >= params.popular_lag => {
            CominternLine::PopularFront
        }
        _ => {
            let turn = matches!(
                world.economy.policy,
                Policy::Collectivization | Policy::SuperIndustrialization
            );
            let nazis = world.germany.last_vote().map_or(0.0, |v| v.nsdap / 100.0);
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
        world.germany.line = to;
        world.emit(
            Origin::Mechanism,
            EventKind::CominternLineChanged { from, to },
        );
    }
}

/// Mechanism 3: a Reichstag election.
fn election(world: &mut World, params: &Params, streams: &Streams) {
    let u = params.unemployment(world.month.year());
    let unity = world.germany.unity(params);
    let mut draws = streams.draws(VOTES, world.month);
    let mut share = |(a, b, sd): (f64, f64, f64), index: u32| a + b * u + sd * draws.normal(index);
    let nsdap = (share(params.nsdap, 0) - params.unity_votes * unity).max(params.nsdap_floor);
    let kpd = share(params.kpd, 1).max(0.0);
    let spd = share(params.spd, 2).max(0.0);
    let left = if unity > 0.0 { kpd + spd } else { kpd.max(spd) };
    let vote = Vote {
        month: world.month,
        nsdap,
        kpd,
        spd,
        nazis_largest: nsdap > left,
    };
    world.germany.votes.push(vote);
    world.emit(
        Origin::Mechanism,
        EventKind::Election {
            nsdap,
            kpd,
            spd,
            nazis_largest: vote.nazis_largest,
        },
    );
}

/// Mechanism 4: a Nazi or an authoritarian government, by competing monthly hazards.
fn takeover(world: &mut World, params: &Params, streams: &Streams) {
    let unity = world.germany.unity(params);
    let nazi = match world.germany.last_vote() {
        Some(v) if v.nazis_largest => params.h_largest * (1.0 - params.resistance * unity),
        _ => 0.0,
    };
    let generals = if params.unemployment(world.month.year()) >= params.crisis_unemployment {
        params.h_authoritarian
    } else {
        0.0
    };
    let mut draws = streams.draws(REGIME, world.month);
    let to = if draws.chance(0, nazi) {
        GermanRegime::Nazi
    } else if draws.chance(1, generals) {
        GermanRegime::Authoritarian
    } else {
        return;
    };
    let from = world.germany.regime;
    world.germany.regime = to;
    world.germany.regime_since = Some(world.month);
    world.emit(
        Origin::Mechanism,
        EventKind::GermanRegimeChanged { from, to },
    );
}
