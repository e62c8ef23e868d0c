//! Recorded dates outside the party, read from `data/germany.toml` and `data/war.toml`: the `[[date]]`
//! and `[[election]]` tables (for the timeline's marks) and the `[calendar]` table of institutional
//! dates that the Germany sub-model obeys (for [`razvilka_model::Calendar`]).

use razvilka_kernel::{Diagnostic, Month};
use razvilka_model::Calendar;
use serde::Deserialize;
use toml::Spanned;

#[derive(Deserialize)]
struct Row {
    id: Spanned<String>,
    date: Spanned<String>,
}

#[derive(Deserialize)]
struct CalendarTable {
    reichstag_elections: Vec<Spanned<String>>,
    presidential_cabinets: Spanned<String>,
    comintern_line_review: Spanned<String>,
}

/// Only the tables read here; the files' series and figures are reference data.
#[derive(Deserialize)]
struct File {
    #[serde(default)]
    date: Vec<Row>,
    #[serde(default)]
    election: Vec<Row>,
    calendar: Option<CalendarTable>,
}

/// Every dated row of the two files, by id, and the model's calendar.
#[derive(Clone, Debug)]
pub struct RecordedDates {
    dates: Vec<(String, Month)>,
}

impl RecordedDates {
    /// The recorded month of the `[[date]]` or `[[election]]` row `id`.
    pub fn month(&self, id: &str) -> Option<Month> {
        self.dates.iter().find(|(i, _)| i == id).map(|(_, m)| *m)
    }
}

fn located(file: &str, text: &str, span: std::ops::Range<usize>, message: String) -> Diagnostic {
    Diagnostic::at(file, text, span, message)
}

/// Reads the dated rows of `germany.toml` and `war.toml` (name, text each) and the calendar, which
/// must be in the first file and may name only rows of the two files.
pub fn parse(files: [(&str, &str); 2]) -> Result<(RecordedDates, Calendar), Diagnostic> {
    let mut dates = Vec::new();
    let mut calendar = None;
    for (index, (name, text)) in files.into_iter().enumerate() {
        let file: File = toml::from_str(text).map_err(|e| Diagnostic::from_toml(name, text, &e))?;
        for row in file.date.into_iter().chain(file.election) {
            let month: Month = row.date.get_ref().parse().map_err(|_| {
                located(
                    name,
                    text,
                    row.date.span(),
                    format!("`{}` is not a date: write YYYY-MM-DD", row.date.get_ref()),
                )
            })?;
            dates.push((row.id.into_inner(), month));
        }
        if index == 0 {
            calendar = Some(file.calendar.ok_or_else(|| {
                Diagnostic::whole_file(
                    name,
                    "no [calendar] table: it names the Reichstag elections, the first presidential \
                     cabinet and the Comintern's line review (see data/germany.toml)",
                )
            })?);
        }
    }
    let recorded = RecordedDates { dates };
    let (name, text) = files[0];
    let table = calendar.expect("set from the first file");
    let find = |id: &Spanned<String>| {
        recorded.month(id.get_ref()).ok_or_else(|| {
            located(
                name,
                text,
                id.span(),
                format!("no [[date]] or [[election]] has the id `{}`", id.get_ref()),
            )
        })
    };
    let calendar = Calendar {
        reichstag_elections: table
            .reichstag_elections
            .iter()
            .map(find)
            .collect::<Result<_, _>>()?,
        presidential_cabinets: find(&table.presidential_cabinets)?,
        comintern_line_review: find(&table.comintern_line_review)?,
    };
    if calendar.reichstag_elections.is_empty()
        || calendar
            .reichstag_elections
            .windows(2)
            .any(|w| w[0] >= w[1])
    {
        return Err(located(
            name,
            text,
            table
                .reichstag_elections
                .first()
                .map_or(0..0, |id| id.span()),
            "the Reichstag elections must be listed in date order, at least one".to_string(),
        ));
    }
    Ok((recorded, calendar))
}
