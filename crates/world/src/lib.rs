//! The world layer: composes the sub-models into one world and runs it month by month.
//!
//! A run reads the scenario, replays recorded history in the months before `replay_until`, applies
//! the scenario's interventions on their dates, lets the sub-models step, and records a yearly
//! snapshot. Nothing here decides an outcome: replay and interventions are the only forced events.
//!
//! ```
//! use razvilka_world::{Data, Scenario, simulate};
//! let data = Data::builtin().unwrap();
//! let scenario = Scenario::parse(razvilka_world::builtin_scenario("stalin-expelled").unwrap(),
//!     "stalin-expelled.toml", &data.context()).unwrap();
//! let run = simulate(&data, &scenario, scenario.divergence, 7, 0).unwrap();
//! assert_eq!(run.outcome.years.first().unwrap().year, 1922);
//! ```

pub mod catalogue;
mod consistency;
mod dates;
mod history;
mod outcome;
mod posterior;
mod scenario;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use razvilka_kernel::{Diagnostic, Month, Origin, Registry, Streams};
use razvilka_model::{Calendar, Params, People, World};
use razvilka_model::{EventKind, Fate, Office};

pub use dates::RecordedDates;
pub use history::{Meeting, Recorded, RecordedKind};
pub use outcome::{Europe, Milestone, Outcome, YearRecord};
pub use posterior::PosteriorSample;
pub use scenario::{Action, Context, Intervention, Scenario, EARLIEST, INTERVENTION_KINDS, LATEST};

/// The data files compiled into the binary, so that it runs anywhere.
const BUILTIN: [(&str, &str); 6] = [
    (
        "data/people.toml",
        include_str!("../../../data/people.toml"),
    ),
    (
        "data/events.toml",
        include_str!("../../../data/events.toml"),
    ),
    (
        "data/calendar.toml",
        include_str!("../../../data/calendar.toml"),
    ),
    (
        "data/assumptions.toml",
        include_str!("../../../data/assumptions.toml"),
    ),
    (
        "data/germany.toml",
        include_str!("../../../data/germany.toml"),
    ),
    ("data/war.toml", include_str!("../../../data/war.toml")),
];

/// The data files, by their path in the repository, with the copies compiled into the binary.
pub const DATA_FILES: [(&str, &str); 6] = BUILTIN;

/// The shipped scenarios, by name.
pub const BUILTIN_SCENARIOS: [(&str, &str); 11] = [
    ("otl", include_str!("../../../scenarios/otl.toml")),
    (
        "stalin-expelled",
        include_str!("../../../scenarios/stalin-expelled.toml"),
    ),
    (
        "stalin-demoted",
        include_str!("../../../scenarios/stalin-demoted.toml"),
    ),
    (
        "lenin-lives",
        include_str!("../../../scenarios/lenin-lives.toml"),
    ),
    (
        "free-1922",
        include_str!("../../../scenarios/free-1922.toml"),
    ),
    (
        "nep-continued",
        include_str!("../../../scenarios/nep-continued.toml"),
    ),
    (
        "bukharin-leads",
        include_str!("../../../scenarios/bukharin-leads.toml"),
    ),
    (
        "united-front",
        include_str!("../../../scenarios/united-front.toml"),
    ),
    ("no-purge", include_str!("../../../scenarios/no-purge.toml")),
    (
        "western-alliance-1939",
        include_str!("../../../scenarios/western-alliance-1939.toml"),
    ),
    (
        "nep-investment",
        include_str!("../../../scenarios/nep-investment.toml"),
    ),
];

/// The text of a shipped scenario.
pub fn builtin_scenario(name: &str) -> Option<&'static str> {
    BUILTIN_SCENARIOS
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, text)| *text)
}

/// Everything a run needs from `data/`.
#[derive(Clone, Debug)]
pub struct Data {
    pub people: Arc<People>,
    pub recorded: Vec<Recorded>,
    pub calendar: Vec<Meeting>,
    pub registry: Registry,
    /// The recorded dates of Germany, 1939 and the war (for the timeline's marks).
    pub dates: RecordedDates,
    /// The recorded dates the mechanisms obey.
    pub model_calendar: Calendar,
    /// The directory the files were read from (`--data DIR`); `None` for the built-in copies. Files
    /// beside the model's own (validation's targets, the claims) are read from it too: see
    /// [`Data::companion`].
    pub dir: Option<PathBuf>,
}

const LAST_DIVERGENCE_WHY: &str = "only the Soviet side's history is replayed (data/events.toml), \
     and Germany's sub-model decides from the earliest date of data/germany.toml's [calendar]";

impl Data {
    /// The data compiled into the program.
    pub fn builtin() -> Result<Data, Diagnostic> {
        Data::from_texts(|i| Ok((BUILTIN[i].0.to_string(), BUILTIN[i].1.to_string())))
    }

    /// The data in a directory laid out like `data/` (for researchers editing the files). Errors
    /// name the file as read.
    pub fn from_dir(dir: &Path) -> Result<Data, Diagnostic> {
        let mut data = Data::from_texts(|i| read_text(dir, BUILTIN[i].0))?;
        data.dir = Some(dir.to_path_buf());
        Ok(data)
    }

    /// A file that lives beside the model's own in `data/` but that the model does not read
    /// (`targets.toml`, `economy.toml`, `claims.toml`): its name as errors give it and its text, from
    /// the directory the data came from, else the built-in copy `builtin`. A directory without the
    /// file is an error naming it, never a silent fall back to the built-in copy.
    pub fn companion(&self, file: &str, builtin: &str) -> Result<(String, String), Diagnostic> {
        match &self.dir {
            Some(dir) => read_text(dir, file).map_err(|d| {
                d.with_help(format!(
                    "a --data directory holds {file} beside the model's files (copy data/{file})"
                ))
            }),
            None => Ok((format!("data/{file}"), builtin.to_string())),
        }
    }

    /// The data from the texts of the six files, each with the name errors give it, in the order
    /// of [`DATA_FILES`] (for tools and tests that edit the files in memory).
    pub fn from_files(files: &[(String, String); 6]) -> Result<Data, Diagnostic> {
        Data::from_texts(|i| Ok(files[i].clone()))
    }

    /// Reads the six files; `read(i)` gives the name and text of `BUILTIN[i]`'s counterpart.
    fn from_texts(
        read: impl Fn(usize) -> Result<(String, String), Diagnostic>,
    ) -> Result<Data, Diagnostic> {
        let (name, text) = read(0)?;
        let people = People::parse(&text, &name)?;
        consistency::check_people(&people, &name, &text)?;
        let (name, text) = read(1)?;
        let recorded = history::parse_events(&text, &name, &people)?;
        let (name, text) = read(2)?;
        let calendar = history::parse_calendar(&text, &name)?;
        let (name, text) = read(3)?;
        let registry = Registry::parse(&text, &name)?;
        let (germany_name, germany) = read(4)?;
        let (war_name, war) = read(5)?;
        let (dates, model_calendar) = dates::parse([(&germany_name, &germany), (&war_name, &war)])?;
        // Every assumption the model reads must be there: found now, at the file, not as a failed
        // run later.
        if let Err(razvilka_model::MissingAssumption(key)) = Params::new(&registry, &model_calendar)
        {
            let end = text.trim_end().len();
            return Err(Diagnostic::at(
                &name,
                &text,
                end.saturating_sub(1)..end,
                format!("the model needs the assumption `{key}`, and this file does not define it"),
            )
            .with_help(format!(
                "add a [[assumption]] with key = \"{key}\", its domain and its provenance"
            )));
        }
        Ok(Data {
            people: Arc::new(people),
            recorded,
            calendar,
            registry,
            dates,
            model_calendar,
            dir: None,
        })
    }

    pub fn context(&self) -> Context<'_> {
        Context {
            people: &self.people,
            registry: &self.registry,
            recorded: &self.recorded,
            last_divergence: (self.last_divergence(), LAST_DIVERGENCE_WHY),
        }
    }

    /// The latest divergence the data can replay up to. Only the Soviet side's history is replayed
    /// (`data/events.toml`); Germany's sub-model makes its first decision at the earliest of its
    /// calendar's dates (the first Reichstag election it holds, the first presidential cabinet, the
    /// Comintern's first line review: `data/germany.toml`'s `[calendar]`), and diplomacy and the war
    /// follow from Germany. A divergence after that month would leave Germany, and all that follows
    /// from it, where it stood at the run's start, so it is refused.
    pub fn last_divergence(&self) -> Month {
        let c = &self.model_calendar;
        c.reichstag_elections
            .iter()
            .copied()
            .chain([c.presidential_cabinets, c.comintern_line_review])
            .min()
            .unwrap_or(c.presidential_cabinets)
    }

    /// The registry as a scenario sets it, before any prior is sampled.
    pub fn registry_for(&self, scenario: &Scenario) -> Registry {
        let mut registry = self.registry.clone();
        for (key, value) in &scenario.overrides {
            // Checked when the scenario was parsed.
            let _ = registry.set(key, *value);
        }
        registry
    }
}

/// The name (as read) and text of `file` in `dir` (a leading `data/` is dropped).
fn read_text(dir: &Path, file: &str) -> Result<(String, String), Diagnostic> {
    let path = dir.join(file.trim_start_matches("data/"));
    let name = path.display().to_string();
    let bytes = std::fs::read(&path)
        .map_err(|e| Diagnostic::whole_file(&name, format!("cannot read: {e}")))?;
    let text = Diagnostic::text_of(&name, bytes)?;
    Ok((name, text))
}

/// Why a run could not start.
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    #[error(transparent)]
    Missing(#[from] razvilka_model::MissingAssumption),
    #[error("replay_until {replay} must lie within the run ({start} to {end})")]
    Replay {
        replay: Month,
        start: Month,
        end: Month,
    },
}

/// One finished world.
#[derive(Clone, Debug)]
pub struct Run {
    pub world: World,
    pub outcome: Outcome,
    /// The assumption values this run used.
    pub registry: Registry,
}

/// Parameters for a run: fixed once per ensemble unless priors are sampled or the scenario runs under
/// a posterior sample (then each world takes its row of it, after any prior draws).
pub fn run_registry(data: &Data, scenario: &Scenario, streams: &Streams) -> Registry {
    let registry = data.registry_for(scenario);
    let mut registry = if scenario.sample_priors {
        let keep: Vec<String> = scenario.overrides.iter().map(|(k, _)| k.clone()).collect();
        registry.sampled(streams, &keep)
    } else {
        registry
    };
    if let Some(sample) = &scenario.posterior {
        sample.apply(&mut registry, streams, &scenario.overrides);
    }
    registry
}

/// Runs one world: `run` of an ensemble seeded with `seed`, replaying history before `replay_until`.
pub fn simulate(
    data: &Data,
    scenario: &Scenario,
    replay_until: Month,
    seed: u64,
    run: u64,
) -> Result<Run, RunError> {
    let streams = Streams::new(seed, run);
    let registry = run_registry(data, scenario, &streams);
    let params = Params::new(&registry, &data.model_calendar)?;
    let world = simulate_with(data, scenario, replay_until, &params, &streams)?;
    let outcome = Outcome::from_world(&world.0, world.1);
    Ok(Run {
        world: world.0,
        outcome,
        registry,
    })
}

/// Runs one world with parameters already read; returns it with its yearly snapshots.
pub fn simulate_with(
    data: &Data,
    scenario: &Scenario,
    replay_until: Month,
    params: &Params,
    streams: &Streams,
) -> Result<(World, Vec<YearRecord>), RunError> {
    simulate_inspecting(data, scenario, replay_until, params, streams, |_| {})
}

/// As [`simulate_with`], calling `inspect` with the world after every month (for tests of
/// invariants and for tools that watch a run unfold).
pub fn simulate_inspecting(
    data: &Data,
    scenario: &Scenario,
    replay_until: Month,
    params: &Params,
    streams: &Streams,
    mut inspect: impl FnMut(&World),
) -> Result<(World, Vec<YearRecord>), RunError> {
    let (start, end) = (scenario.start, scenario.end);
    if replay_until < start || replay_until > end {
        return Err(RunError::Replay {
            replay: replay_until,
            start,
            end,
        });
    }
    let mut world = World::new(data.people.clone(), start);
    razvilka_model::init(&mut world, params);
    let mut years = Vec::new();
    let mut record = data.recorded.iter().enumerate().peekable();
    let mut meetings = data.calendar.iter().peekable();
    let mut interventions = scenario.interventions.iter().peekable();
    let mut month = start;
    while month <= end {
        world.month = month;
        world.free = month >= replay_until;
        world.politics.meeting = None;
        while let Some(m) = meetings.next_if(|m| m.month <= month) {
            let better = world
                .politics
                .meeting
                .as_ref()
                .is_none_or(|(_, congress)| !congress);
            if m.month == month && better {
                world.politics.meeting = Some((m.name.clone(), m.congress));
            }
        }
        // A collapsed state holds no party congress (the calendar's later meetings are not held).
        if world.state_collapsed() {
            world.politics.meeting = None;
        }
        if let Some((name, congress)) = world.politics.meeting.clone() {
            world.emit(Origin::Recorded, EventKind::Meeting { name, congress });
        }
        // A month's recorded events come after its meeting opens: what a congress or plenum decided
        // is told after "the congress meets", in causal order.
        while let Some((index, r)) = record.next_if(|(_, r)| r.month <= month) {
            if !world.free && r.month == month {
                replay(&mut world, r, index);
            }
        }
        while let Some(i) = interventions.next_if(|i| i.month <= month) {
            if i.month == month {
                razvilka_model::apply(&mut world, &i.action);
            }
        }
        razvilka_model::step_month(&mut world, params, streams);
        inspect(&world);
        if month.month_of_year() == 12 || month == end {
            years.push(YearRecord::snapshot(&world));
        }
        month = month.next();
    }
    Ok((world, years))
}

/// The world as recorded history alone leaves it at the start of `until` (no sub-model steps).
pub(crate) fn replayed_until(
    people: &Arc<People>,
    recorded: &[Recorded],
    start: Month,
    until: Month,
) -> World {
    let mut world = World::new(people.clone(), start);
    for (index, r) in recorded.iter().enumerate() {
        if r.month >= start && r.month < until {
            world.month = r.month;
            replay(&mut world, r, index);
        }
    }
    world
}

/// Applies one recorded event. Losing the War Commissariat, a Politburo or CC seat, or expulsion also
/// moves the person down the defeat ladder, so that a later divergence inherits who had been beaten.
fn replay(world: &mut World, r: &Recorded, index: usize) {
    let origin = Origin::Recorded;
    let Some(person) = r.person else {
        match r.kind {
            RecordedKind::Policy(to) => razvilka_model::economy::adopt_policy(world, to, origin),
            RecordedKind::TestamentRead => {
                world.politics.testament_read = Some(world.month);
                world.politics.testament_due = false;
                world.emit(origin, EventKind::TestamentRead);
            }
            _ => world.emit(
                origin,
                EventKind::Note {
                    record: index as u16,
                },
            ),
        }
        return;
    };
    let month = world.month;
    let beaten = |world: &mut World, rung: u8| {
        let p = world.person_mut(person);
        p.defeats = p.defeats.max(rung);
        p.opposition = true;
        p.last_defeat = Some(month);
    };
    match r.kind {
        RecordedKind::OfficeGained(office) => world.gain_office(person, office, origin),
        RecordedKind::OfficeLost(office) => {
            let promoted = office == Office::PolitburoCandidate;
            world.lose_office(person, office, origin);
            if office == Office::Politburo || office == Office::CentralCommittee {
                let rung = if office == Office::Politburo { 2 } else { 3 };
                beaten(world, rung);
            } else if !promoted && office == Office::WarCommissar {
                beaten(world, 1);
            }
        }
        RecordedKind::Death(cause) => world.die(person, cause, origin),
        RecordedKind::Incapacitated => {
            let p = world.person_mut(person);
            p.incapacitated = true;
            p.strokes += 1;
            world.emit(origin, EventKind::Incapacitated { person });
        }
        RecordedKind::Recovered => {
            world.person_mut(person).incapacitated = false;
            world.emit(origin, EventKind::Recovered { person });
        }
        RecordedKind::Expelled => {
            beaten(world, 4);
            world.set_fate(person, Fate::Expelled, origin);
        }
        RecordedKind::Readmitted => {
            world.set_fate(person, Fate::Readmitted, origin);
            let p = world.person_mut(person);
            p.submitted = true;
            p.patron = None;
        }
        RecordedKind::InternalExile => world.set_fate(person, Fate::InternalExile, origin),
        RecordedKind::Deported => world.set_fate(person, Fate::Abroad, origin),
        RecordedKind::Arrested => world.set_fate(person, Fate::Imprisoned, origin),
        RecordedKind::TestamentRead | RecordedKind::Note | RecordedKind::Policy(_) => world.emit(
            origin,
            EventKind::Note {
                record: index as u16,
            },
        ),
    }
}
