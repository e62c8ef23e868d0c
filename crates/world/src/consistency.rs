//! Consistency of the data files with themselves, checked when they are loaded: lifespans, offices
//! held once and single posts held by one man, patrons without cycles, and recorded events inside the
//! model's calendar and consistent with who is alive and in the party. A contradiction is an error
//! at the file, line and column that causes it, not a quiet oddity in every replayed world.

use std::ops::Range;

use razvilka_kernel::{Diagnostic, Month};
use razvilka_model::People;
use razvilka_model::{Office, OfficeSet, PersonId};

use crate::history::{Recorded, RecordedKind};
use crate::{EARLIEST, LATEST};

/// Posts one man holds at a time in the record. The Council of People's Commissars had several deputy
/// chairmen at once (Kamenev and Rykov from 1923), so that seat is not one, whatever an intervention's
/// `appoint` does with it.
fn single_seat(office: Office) -> bool {
    office.is_single_seat() && office != Office::SovnarkomDeputy
}

/// The span of `field` in the `[[person]]` entry whose id is `id` (the entry's id if the field is
/// not found), for errors about people.toml.
fn person_field(text: &str, id: &str, field: &str) -> Range<usize> {
    let needle = format!("id = \"{id}\"");
    let Some(start) = text.find(&needle) else {
        return 0..0;
    };
    let end = text[start..]
        .find("[[person]]")
        .map_or(text.len(), |i| start + i);
    let block = &text[start..end];
    let key = format!("\n{field} = ");
    match block.find(&key) {
        Some(i) => {
            let from = start + i + 1;
            let to = text[from..].find('\n').map_or(text.len(), |j| from + j);
            from..to
        }
        None => start..start + needle.len(),
    }
}

/// Checks the people table: each man born before he dies, holding offices in April 1922 only if he is
/// alive then, no single post held by two men, and patrons without a cycle.
pub(crate) fn check_people(people: &People, file: &str, text: &str) -> Result<(), Diagnostic> {
    let at = |id: &str, field: &str, msg: String| {
        Diagnostic::at(file, text, person_field(text, id, field), msg)
    };
    let mut holders: Vec<(Office, &str)> = Vec::new();
    for (_, p) in people.ids() {
        if let Some(died) = p.died {
            if died < p.born {
                return Err(at(
                    &p.id,
                    "died",
                    format!(
                        "{} dies in {died}, before he is born in {}",
                        p.short, p.born
                    ),
                )
                .with_help("a death date must not come before the birth date"));
            }
        }
        let offices: Vec<Office> = p.offices.clone();
        if !offices.is_empty() {
            let alive = p.born <= EARLIEST && p.died.is_none_or(|d| d >= EARLIEST);
            if !alive {
                return Err(at(
                    &p.id,
                    "offices",
                    format!(
                        "{} holds offices in {EARLIEST}, when the model starts, but is not alive then (born {}{})",
                        p.short,
                        p.born,
                        p.died.map(|d| format!(", died {d}")).unwrap_or_default()
                    ),
                )
                .with_help("`offices` are those held in April 1922: leave them empty, and record later appointments in events.toml"));
            }
        }
        for office in offices.into_iter().filter(|&o| single_seat(o)) {
            if let Some((_, other)) = holders.iter().find(|(o, _)| *o == office) {
                return Err(at(
                    &p.id,
                    "offices",
                    format!("`{office}` is held by `{other}` and by `{}` at once", p.id),
                )
                .with_help("a post is held by one man: remove it from one of them"));
            }
            holders.push((office, p.id.as_str()));
        }
    }
    // Patrons: following them from anyone must end, not come back round.
    for (start, p) in people.ids() {
        let mut seen = vec![start];
        let mut next = p.patron;
        while let Some(patron) = next {
            if seen.contains(&patron) {
                let names: Vec<&str> = seen
                    .iter()
                    .chain(std::iter::once(&patron))
                    .map(|&q| people.get(q).id.as_str())
                    .collect();
                return Err(at(
                    &p.id,
                    "patron",
                    format!("patrons go round in a circle: {}", names.join(" → ")),
                )
                .with_help("a patron is a superior: no one can be his own patron's patron"));
            }
            seen.push(patron);
            next = people.get(patron).patron;
        }
    }
    Ok(())
}

/// Checks recorded events (`spans` gives each event's date and person spans) in the order they are
/// replayed: inside the model's calendar, a person's events inside his life, offices gained only by a
/// living party member who does not hold them yet, lost only by their holder, and single posts held
/// by one man at the end of every month.
pub(crate) fn check_events(
    people: &People,
    events: &[(Recorded, Range<usize>, Range<usize>)],
    file: &str,
    text: &str,
) -> Result<(), Diagnostic> {
    let at = |span: &Range<usize>, msg: String| Diagnostic::at(file, text, span.clone(), msg);
    let n = people.len();
    let mut offices: Vec<Vec<Office>> = people.ids().map(|(_, p)| p.offices.clone()).collect();
    let mut dead: Vec<Option<Month>> = vec![None; n];
    let mut member = vec![true; n];
    // The offices gained since the end of the last month with events.
    let mut gained = OfficeSet::default();
    for (index, (r, date, person_span)) in events.iter().enumerate() {
        if r.month < EARLIEST || r.month > LATEST {
            return Err(at(
                date,
                format!(
                    "{} is outside the model's calendar ({EARLIEST} to {LATEST}): the event would never be replayed",
                    r.month
                ),
            ));
        }
        if let Some(person) = r.person {
            let i = person.index();
            let p = people.get(person);
            if r.month < p.born {
                return Err(at(
                    date,
                    format!(
                        "{} is not yet born in {} (born {})",
                        p.short, r.month, p.born
                    ),
                ));
            }
            if let Some(d) = dead[i] {
                return Err(at(
                    date,
                    format!(
                        "{} is dead by {}: this file has him die in {d}",
                        p.short, r.month
                    ),
                ));
            }
            match r.kind {
                RecordedKind::OfficeGained(office) => {
                    if !member[i] {
                        return Err(at(
                            person_span,
                            format!(
                                "{} gains `{office}` in {} while out of the party",
                                p.short, r.month
                            ),
                        )
                        .with_help("record his readmission first"));
                    }
                    if !people.institutions.exists(office, r.month) {
                        let rule = people.institutions.rule(office);
                        return Err(at(
                            person_span,
                            format!(
                                "{} gains `{office}` in {}, when it does not exist (created {}{})",
                                p.short,
                                r.month,
                                rule.created,
                                rule.abolished
                                    .map_or(String::new(), |a| format!(", abolished {a}"))
                            ),
                        )
                        .with_help("see its [[office]] table in data/people.toml"));
                    }
                    if offices[i].contains(&office) {
                        return Err(at(
                            person_span,
                            format!(
                                "{} gains `{office}` in {}, which he already holds",
                                p.short, r.month
                            ),
                        ));
                    }
                    offices[i].push(office);
                    gained.insert(office);
                }
                RecordedKind::OfficeLost(office) => {
                    if !offices[i].contains(&office) {
                        return Err(at(
                            person_span,
                            format!(
                                "{} loses `{office}` in {}, which he does not hold",
                                p.short, r.month
                            ),
                        ));
                    }
                    offices[i].retain(|&o| o != office);
                }
                RecordedKind::Death(_) => {
                    dead[i] = Some(r.month);
                    offices[i].clear();
                }
                RecordedKind::Expelled => {
                    member[i] = false;
                    offices[i].clear();
                }
                RecordedKind::Readmitted => member[i] = true,
                RecordedKind::InternalExile | RecordedKind::Deported | RecordedKind::Arrested => {
                    offices[i].clear()
                }
                _ => {}
            }
        }
        // At the end of each month, a single post has one holder. Only an office gained this month
        // can have a second one: a holder is added by a gain alone, and check_people leaves each
        // single post with at most one holder in April 1922, so the offices checked are this
        // month's gains, in the order of `Office::ALL` as before (a debug build checks every
        // single post as well).
        let month_ends = events
            .get(index + 1)
            .is_none_or(|(next, _, _)| next.month != r.month);
        if month_ends {
            let doubled = |office: Office| {
                let holding: Vec<usize> =
                    (0..n).filter(|&i| offices[i].contains(&office)).collect();
                (holding.len() > 1).then_some((office, holding))
            };
            let found = gained.iter().filter(|&o| single_seat(o)).find_map(doubled);
            debug_assert_eq!(
                found,
                Office::ALL
                    .iter()
                    .copied()
                    .filter(|&o| single_seat(o))
                    .find_map(doubled),
                "the single posts with two holders at the end of {}",
                r.month
            );
            gained = OfficeSet::default();
            if let Some((office, holding)) = found {
                let names: Vec<&str> = holding
                    .iter()
                    .map(|&i| people.get(PersonId(i as u8)).short.as_str())
                    .collect();
                // The event that made the second holder: the last gain of this office so far.
                let culprit = events[..=index]
                    .iter()
                    .rev()
                    .find(|(e, _, _)| e.kind == RecordedKind::OfficeGained(office))
                    .map_or(date, |(_, d, _)| d);
                return Err(at(
                    culprit,
                    format!(
                        "`{office}` has two holders at the end of {}: {}",
                        r.month,
                        names.join(" and ")
                    ),
                )
                .with_help(
                    "record the previous holder's office_lost in the same month or earlier",
                ));
            }
        }
    }
    Ok(())
}
