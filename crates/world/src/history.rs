//! Recorded history: the dated events and the party calendar, read from `data/`.

use razvilka_kernel::{Diagnostic, Month};
use razvilka_model::People;
use razvilka_model::{DeathCause, Office, PersonId, Policy};
use serde::Deserialize;
use toml::Spanned;

/// What a recorded event does to the world when it is replayed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RecordedKind {
    OfficeGained(Office),
    OfficeLost(Office),
    Death(DeathCause),
    Incapacitated,
    Recovered,
    Expelled,
    Readmitted,
    InternalExile,
    Deported,
    Arrested,
    TestamentRead,
    /// The leadership adopts an economic policy regime.
    Policy(Policy),
    Note,
}

/// One recorded event.
#[derive(Clone, Debug)]
pub struct Recorded {
    pub month: Month,
    pub kind: RecordedKind,
    pub person: Option<PersonId>,
    pub text: String,
    pub source: String,
}

/// A party meeting on its real date.
#[derive(Clone, Debug)]
pub struct Meeting {
    pub month: Month,
    pub congress: bool,
    pub name: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEvent {
    date: Spanned<String>,
    kind: Spanned<String>,
    person: Spanned<String>,
    office: Spanned<String>,
    cause: Spanned<String>,
    #[serde(default)]
    regime: Option<Spanned<String>>,
    text: String,
    source: String,
    #[serde(default)]
    note: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEvents {
    event: Vec<RawEvent>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMeeting {
    date: Spanned<String>,
    kind: Spanned<String>,
    name: String,
    source: String,
    #[serde(default)]
    note: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCalendar {
    meeting: Vec<RawMeeting>,
}

const EVENT_KINDS: &str = "office_gained, office_lost, death, incapacitated, recovered, expelled, readmitted, internal_exile, deported, arrested, testament_read, policy, note";

fn month(file: &str, text: &str, s: &Spanned<String>) -> Result<Month, Diagnostic> {
    s.get_ref()
        .parse()
        .map_err(|e: razvilka_kernel::MonthParseError| {
            Diagnostic::at(file, text, s.span(), e.to_string())
        })
}

/// Reads `data/events.toml`.
pub fn parse_events(text: &str, file: &str, people: &People) -> Result<Vec<Recorded>, Diagnostic> {
    let raw: RawEvents = toml::from_str(text).map_err(|e| Diagnostic::from_toml(file, text, &e))?;
    let mut out = Vec::with_capacity(raw.event.len());
    for e in raw.event {
        let spans = (e.date.span(), e.person.span());
        let at = |s: &Spanned<String>, msg: String| Diagnostic::at(file, text, s.span(), msg);
        let m = month(file, text, &e.date)?;
        let person = if e.person.get_ref().is_empty() {
            None
        } else {
            Some(people.find(e.person.get_ref()).ok_or_else(|| {
                at(
                    &e.person,
                    format!("unknown person `{}`", e.person.get_ref()),
                )
                .with_help(format!("valid people: {}", people.valid_ids()))
            })?)
        };
        let office = || {
            Office::from_id(e.office.get_ref()).ok_or_else(|| {
                at(
                    &e.office,
                    format!("unknown office `{}`", e.office.get_ref()),
                )
                .with_help(format!("valid offices: {}", Office::valid_ids()))
            })
        };
        let kind = match e.kind.get_ref().as_str() {
            "office_gained" => RecordedKind::OfficeGained(office()?),
            "office_lost" => RecordedKind::OfficeLost(office()?),
            "death" => {
                RecordedKind::Death(DeathCause::from_id(e.cause.get_ref()).ok_or_else(|| {
                    at(&e.cause, format!("unknown cause `{}`", e.cause.get_ref()))
                        .with_help(format!("valid causes: {}", DeathCause::valid_ids()))
                })?)
            }
            "incapacitated" => RecordedKind::Incapacitated,
            "recovered" => RecordedKind::Recovered,
            "expelled" => RecordedKind::Expelled,
            "readmitted" => RecordedKind::Readmitted,
            "internal_exile" => RecordedKind::InternalExile,
            "deported" => RecordedKind::Deported,
            "arrested" => RecordedKind::Arrested,
            "testament_read" => RecordedKind::TestamentRead,
            "policy" => {
                let r = e.regime.as_ref().ok_or_else(|| {
                    at(&e.kind, "a `policy` event needs a `regime`".into())
                        .with_help(format!("valid regimes: {}", Policy::valid_ids()))
                })?;
                RecordedKind::Policy(Policy::from_id(r.get_ref()).ok_or_else(|| {
                    at(r, format!("unknown regime `{}`", r.get_ref()))
                        .with_help(format!("valid regimes: {}", Policy::valid_ids()))
                })?)
            }
            "note" => RecordedKind::Note,
            other => {
                return Err(at(&e.kind, format!("unknown event kind `{other}`"))
                    .with_help(format!("valid kinds: {EVENT_KINDS}")))
            }
        };
        let needs_person = !matches!(
            kind,
            RecordedKind::TestamentRead | RecordedKind::Note | RecordedKind::Policy(_)
        );
        if needs_person && person.is_none() {
            return Err(at(
                &e.person,
                format!("a `{}` event needs a person", e.kind.get_ref()),
            ));
        }
        let _ = &e.note;
        out.push((
            Recorded {
                month: m,
                kind,
                person,
                text: e.text,
                source: e.source,
            },
            spans.0,
            spans.1,
        ));
    }
    // Stable: events of one month keep their order in the file, the order they are replayed in.
    out.sort_by_key(|(r, _, _)| r.month);
    crate::consistency::check_events(people, &out, file, text)?;
    let out: Vec<Recorded> = out.into_iter().map(|(r, _, _)| r).collect();
    if out.len() > u16::MAX as usize {
        return Err(Diagnostic::whole_file(file, "too many recorded events"));
    }
    Ok(out)
}

/// Reads `data/calendar.toml`. Only a congress elects the Central Committee and hears the
/// Testament; conferences and plenums are ordinary meetings to the model.
pub fn parse_calendar(text: &str, file: &str) -> Result<Vec<Meeting>, Diagnostic> {
    let raw: RawCalendar =
        toml::from_str(text).map_err(|e| Diagnostic::from_toml(file, text, &e))?;
    let mut out = Vec::new();
    for m in raw.meeting {
        let congress = match m.kind.get_ref().as_str() {
            "congress" => true,
            "conference" | "plenum" => false,
            other => {
                return Err(Diagnostic::at(
                    file,
                    text,
                    m.kind.span(),
                    format!("unknown meeting kind `{other}`"),
                )
                .with_help("valid kinds: congress, conference, plenum"))
            }
        };
        let _ = (&m.source, &m.note);
        out.push(Meeting {
            month: month(file, text, &m.date)?,
            congress,
            name: m.name,
        });
    }
    out.sort_by_key(|m| m.month);
    Ok(out)
}
