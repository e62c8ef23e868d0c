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

#[derive(Deserialize)]
struct WorldPrice {
    year: Spanned<i64>,
    wheat_over_steel: Spanned<f64>,
}

/// Only the tables read here; the files' series and figures are reference data.
#[derive(Deserialize)]
struct File {
    #[serde(default)]
    date: Vec<Row>,
    #[serde(default)]
    election: Vec<Row>,
    calendar: Option<CalendarTable>,
    #[serde(default)]
    world_price: Vec<WorldPrice>,
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
    let mut wheat_over_steel: Vec<(u32, f64)> = Vec::new();
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
        for row in file.world_price {
            let year = *row.year.get_ref();
            if !(1900..=2000).contains(&year)
                || wheat_over_steel.iter().any(|(y, _)| i64::from(*y) >= year)
            {
                return Err(located(
                    name,
                    text,
                    row.year.span(),
                    format!(
                        "`{year}` is not a year after the previous [[world_price]] row: list the \
                         years 1900-2000 in increasing order, once each"
                    ),
                ));
            }
            let value = *row.wheat_over_steel.get_ref();
            if !(value.is_finite() && value > 0.0) {
                return Err(located(
                    name,
                    text,
                    row.wheat_over_steel.span(),
                    format!("`{value}` is not a price ratio: write a positive number (1928 = 1)"),
                ));
            }
            wheat_over_steel.push((year as u32, value));
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
        wheat_over_steel,
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
    if calendar.wheat_over_steel.is_empty() {
        return Err(Diagnostic::whole_file(
            name,
            "no [[world_price]] rows: the economy reads world wheat over steel prices by year \
             (year = 1928, wheat_over_steel = 1.0; see data/germany.toml)",
        ));
    }
    Ok((recorded, calendar))
}
