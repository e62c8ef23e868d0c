//! Per-run exports: one row per world of an ensemble, as CSV, JSON Lines or Parquet, for pandas,
//! DuckDB or R (the columns are documented in `docs/exports.md`).
//!
//! The columns are those of the JSON contract, read per run instead of aggregated: the run and its
//! seed, every categorical and numeric outcome, each person's standing at the end of 1941 and, on
//! request, every yearly series year by year. A value a run does not have is a null (an empty CSV
//! field, a JSON `null`, a Parquet null), never a NaN or a placeholder.
//!
//! ```no_run
//! # fn example(data: &razvilka_world::Data, outcomes: &[razvilka_world::Outcome]) {
//! use std::path::Path;
//! let format = razvilka_export::write_runs(Path::new("runs.parquet"), data, 7, outcomes, false);
//! # }
//! ```

pub mod posterior;

use std::fmt;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use parquet::data_type::{ByteArray, ByteArrayType, DoubleType, Int64Type};
use parquet::file::properties::WriterProperties;
use parquet::file::writer::SerializedFileWriter;
use parquet::schema::parser::parse_message_type;
use razvilka_world::{Data, Outcome};
use serde::ser::{SerializeMap, Serializer};
use serde::Serialize;

/// The year whose end gives each person's standing (`fate_1941_<person>`), as in the summary's
/// `people`.
const FATE_YEAR: u32 = 1941;

/// Runs per Parquet row group: bounds the memory the writer buffers (with every series, about
/// 400 columns × 10,000 values) while keeping groups large enough to scan quickly.
const ROW_GROUP_RUNS: usize = 10_000;

/// A file format of the export, chosen by the file's extension.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// `.csv`: a header row, then one row per run; nulls are empty fields.
    Csv,
    /// `.jsonl` or `.ndjson`: one JSON object per run, keys in column order.
    JsonLines,
    /// `.parquet`: typed columns (INT64, DOUBLE, UTF-8 strings), uncompressed, dictionary-encoded.
    Parquet,
}

/// The extensions [`Format::from_path`] accepts, for error messages and help.
pub const EXTENSIONS: &str = ".csv, .jsonl (or .ndjson), .parquet";

impl Format {
    /// The format named by the file's extension (case-insensitive).
    pub fn from_path(path: &Path) -> Result<Format, ExportError> {
        let extension = path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase);
        match extension.as_deref() {
            Some("csv") => Ok(Format::Csv),
            Some("jsonl" | "ndjson") => Ok(Format::JsonLines),
            Some("parquet") => Ok(Format::Parquet),
            _ => Err(ExportError::Extension {
                path: path.to_path_buf(),
            }),
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Format::Csv => "CSV",
            Format::JsonLines => "JSON Lines",
            Format::Parquet => "Parquet",
        })
    }
}

/// Why an export could not be written. Every variant names the file.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error("cannot tell the format of {}: give a file ending in {EXTENSIONS}", path.display())]
    Extension { path: PathBuf },
    #[error("cannot write {}: {source}", path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot write {}: {source}", path.display())]
    Csv { path: PathBuf, source: csv::Error },
    #[error("cannot write {}: {source}", path.display())]
    Parquet {
        path: PathBuf,
        source: parquet::errors::ParquetError,
    },
}

type TextValue<'a> = Box<dyn Fn(&Outcome) -> Option<String> + Send + Sync + 'a>;

/// How one column reads a run (`usize` is the run's index).
enum Values<'a> {
    /// A signed 64-bit integer, never null.
    Integer(Box<dyn Fn(usize) -> i64 + Send + Sync + 'a>),
    /// An unsigned 64-bit integer, never null.
    Unsigned(Box<dyn Fn(usize) -> u64 + Send + Sync + 'a>),
    /// A float; NaN and infinities are written as null.
    Float(Box<dyn Fn(&Outcome) -> f64 + Send + Sync + 'a>),
    /// A string, null where the function gives `None` (only if `nullable`).
    Text {
        nullable: bool,
        value: TextValue<'a>,
    },
}

struct Column<'a> {
    name: String,
    values: Values<'a>,
}

/// One cell, as the text formats write it.
enum Cell {
    Integer(i64),
    Unsigned(u64),
    Float(Option<f64>),
    Text(Option<String>),
}

impl Column<'_> {
    fn cell(&self, index: usize, outcome: &Outcome) -> Cell {
        match &self.values {
            Values::Integer(f) => Cell::Integer(f(index)),
            Values::Unsigned(f) => Cell::Unsigned(f(index)),
            Values::Float(f) => Cell::Float(Some(f(outcome)).filter(|v| v.is_finite())),
            Values::Text { value, .. } => Cell::Text(value(outcome)),
        }
    }

    /// The column's line in the Parquet message type.
    fn parquet_field(&self) -> String {
        let name = &self.name;
        match &self.values {
            Values::Integer(_) => format!("REQUIRED INT64 {name};"),
            Values::Unsigned(_) => format!("REQUIRED INT64 {name} (INTEGER(64, false));"),
            Values::Float(_) => format!("OPTIONAL DOUBLE {name};"),
            Values::Text { nullable, .. } => format!(
                "{} BYTE_ARRAY {name} (STRING);",
                if *nullable { "OPTIONAL" } else { "REQUIRED" }
            ),
        }
    }
}

/// The columns of the export, in order; with `series`, one per series and year of `years`.
fn columns<'a>(data: &'a Data, seed: u64, years: &[u32], series: bool) -> Vec<Column<'a>> {
    let mut out = vec![
        Column {
            name: "run".into(),
            values: Values::Integer(Box::new(|index| index as i64)),
        },
        Column {
            name: "seed".into(),
            values: Values::Unsigned(Box::new(move |_| seed)),
        },
    ];
    for (name, value) in razvilka_world::catalogue::categorical_outcomes(data) {
        out.push(Column {
            name: name.into(),
            values: Values::Text {
                nullable: false,
                value: Box::new(move |o| Some(value(o))),
            },
        });
    }
    for (name, value) in razvilka_world::catalogue::numeric_outcomes(data) {
        out.push(Column {
            name: name.into(),
            values: Values::Float(value),
        });
    }
    for (id, person) in data.people.ids() {
        let index = id.index();
        out.push(Column {
            name: format!("fate_{FATE_YEAR}_{}", person.id),
            values: Values::Text {
                nullable: true,
                value: Box::new(move |o| {
                    let fate = o.year(FATE_YEAR)?.fates.get(index)?;
                    Some(fate.id().to_string())
                }),
            },
        });
    }
    if series {
        // The prefix keeps `series_gdp_1940` (the yearly series) apart from the numeric outcome
        // `gdp_1940` (both are indices over the world's 1928 = 100).
        for s in razvilka_world::catalogue::SERIES {
            for &year in years {
                out.push(Column {
                    name: format!("series_{}_{year}", s.about.id),
                    values: Values::Float(Box::new(move |o| {
                        o.year(year).map_or(f64::NAN, |y| s.value(o, y))
                    })),
                });
            }
        }
    }
    out
}

/// Writes one row per run of `outcomes` (in run order; `run` is the index in the slice) to `path`,
/// in the format its extension names; with `series`, adds every yearly series year by year.
pub fn write_runs(
    path: &Path,
    data: &Data,
    seed: u64,
    outcomes: &[Outcome],
    series: bool,
) -> Result<Format, ExportError> {
    // Every year any run recorded (all runs of one scenario share them), so the columns are the
    // same whatever the runs did.
    let mut years: Vec<u32> = outcomes
        .iter()
        .flat_map(|o| o.years.iter().map(|y| y.year))
        .collect();
    years.sort_unstable();
    years.dedup();
    let mut writer = RunWriter::create(path, data, seed, series)?;
    writer.open(Some(&years))?;
    for (run, outcome) in outcomes.iter().enumerate() {
        writer.write(run as u64, outcome.clone())?;
    }
    writer.finish()
}

/// An export written as the runs arrive (in run order), so that an ensemble of any size can be
/// exported without keeping its worlds: CSV and JSON Lines rows go to the file at once; Parquet keeps
/// one row group (10,000 runs) at a time. The series' columns are the years of the first run (every
/// run of a scenario records the same years).
pub struct RunWriter<'a> {
    path: PathBuf,
    format: Format,
    data: &'a Data,
    seed: u64,
    series: bool,
    /// The file until the first run arrives and fixes the columns.
    file: Option<File>,
    columns: Vec<Column<'a>>,
    sink: Option<Sink>,
    rows: usize,
}

enum Sink {
    Csv {
        writer: csv::Writer<BufWriter<File>>,
        record: Vec<String>,
    },
    JsonLines(BufWriter<File>),
    Parquet {
        writer: SerializedFileWriter<BufWriter<File>>,
        /// The runs of the row group being filled, and the first one's index.
        group: Vec<Outcome>,
        first: usize,
    },
}

impl<'a> RunWriter<'a> {
    /// Creates (truncates) `path`, in the format its extension names.
    pub fn create(
        path: &Path,
        data: &'a Data,
        seed: u64,
        series: bool,
    ) -> Result<RunWriter<'a>, ExportError> {
        let format = Format::from_path(path)?;
        let file = File::create(path).map_err(|source| ExportError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        Ok(RunWriter {
            path: path.to_path_buf(),
            format,
            data,
            seed,
            series,
            file: Some(file),
            columns: Vec::new(),
            sink: None,
            rows: 0,
        })
    }

    /// The format being written.
    pub fn format(&self) -> Format {
        self.format
    }

    /// Rows written so far.
    pub fn rows(&self) -> usize {
        self.rows
    }

    /// Fixes the columns (the series' years: `years`, or none) and writes the header.
    fn open(&mut self, years: Option<&[u32]>) -> Result<(), ExportError> {
        let Some(file) = self.file.take() else {
            return Ok(());
        };
        self.columns = columns(self.data, self.seed, years.unwrap_or_default(), self.series);
        self.sink = Some(match self.format {
            Format::Csv => {
                let mut writer = csv::Writer::from_writer(BufWriter::new(file));
                writer
                    .write_record(self.columns.iter().map(|c| c.name.as_str()))
                    .map_err(|e| self.csv_error(e))?;
                Sink::Csv {
                    writer,
                    record: Vec::with_capacity(self.columns.len()),
                }
            }
            Format::JsonLines => Sink::JsonLines(BufWriter::new(file)),
            Format::Parquet => {
                let fields: Vec<String> = self.columns.iter().map(Column::parquet_field).collect();
                let opened =
                    parse_message_type(&format!("message runs {{ {} }}", fields.join(" ")))
                        .and_then(|schema| {
                            let properties = WriterProperties::builder()
                                .set_created_by(format!("razvilka {}", env!("CARGO_PKG_VERSION")))
                                .build();
                            SerializedFileWriter::new(
                                BufWriter::new(file),
                                Arc::new(schema),
                                Arc::new(properties),
                            )
                        });
                Sink::Parquet {
                    writer: opened.map_err(|e| self.parquet_error(e))?,
                    group: Vec::new(),
                    first: 0,
                }
            }
        });
        Ok(())
    }

    /// Writes run `run`'s row (runs must come in order, without gaps, from 0).
    pub fn write(&mut self, run: u64, outcome: Outcome) -> Result<(), ExportError> {
        if self.sink.is_none() {
            let years: Vec<u32> = outcome.years.iter().map(|y| y.year).collect();
            self.open(Some(&years))?;
        }
        let index = run as usize;
        let columns = &self.columns;
        let result = match self.sink.as_mut() {
            Some(Sink::Csv { writer, record }) => {
                record.clear();
                record.extend(columns.iter().map(|c| c.csv_field(index, &outcome)));
                writer.write_record(&*record).map_err(Failure::Csv)
            }
            Some(Sink::JsonLines(writer)) => {
                let row = JsonRow {
                    columns,
                    index,
                    outcome: &outcome,
                };
                serde_json::to_writer(&mut *writer, &row)
                    .map_err(std::io::Error::from)
                    .and_then(|()| writer.write_all(b"\n"))
                    .map_err(Failure::Io)
            }
            Some(Sink::Parquet {
                writer,
                group,
                first,
            }) => {
                if group.is_empty() {
                    *first = index;
                }
                group.push(outcome);
                if group.len() == ROW_GROUP_RUNS {
                    let written = write_row_group(writer, columns, *first, group);
                    group.clear();
                    written.map_err(Failure::Parquet)
                } else {
                    Ok(())
                }
            }
            None => Ok(()),
        };
        result.map_err(|e| self.failure(e))?;
        self.rows += 1;
        Ok(())
    }

    /// Writes what is buffered and closes the file; returns its format.
    pub fn finish(mut self) -> Result<Format, ExportError> {
        if self.sink.is_none() {
            self.open(None)?;
        }
        let columns = &self.columns;
        let result = match self.sink.take() {
            Some(Sink::Csv { mut writer, .. }) => writer.flush().map_err(Failure::Io),
            Some(Sink::JsonLines(mut writer)) => writer.flush().map_err(Failure::Io),
            Some(Sink::Parquet {
                mut writer,
                group,
                first,
            }) => (if group.is_empty() {
                Ok(())
            } else {
                write_row_group(&mut writer, columns, first, &group)
            })
            .and_then(|()| writer.close().map(|_| ()))
            .map_err(Failure::Parquet),
            None => Ok(()),
        };
        result.map_err(|e| self.failure(e))?;
        Ok(self.format)
    }

    fn failure(&self, failure: Failure) -> ExportError {
        match failure {
            Failure::Io(source) => ExportError::Io {
                path: self.path.clone(),
                source,
            },
            Failure::Csv(e) => self.csv_error(e),
            Failure::Parquet(e) => self.parquet_error(e),
        }
    }

    fn csv_error(&self, source: csv::Error) -> ExportError {
        ExportError::Csv {
            path: self.path.clone(),
            source,
        }
    }

    fn parquet_error(&self, source: parquet::errors::ParquetError) -> ExportError {
        ExportError::Parquet {
            path: self.path.clone(),
            source,
        }
    }
}

/// A failed write, before the file's name is attached.
enum Failure {
    Io(std::io::Error),
    Csv(csv::Error),
    Parquet(parquet::errors::ParquetError),
}

impl Column<'_> {
    /// The cell as a CSV field.
    fn csv_field(&self, index: usize, outcome: &Outcome) -> String {
        match self.cell(index, outcome) {
            Cell::Integer(v) => v.to_string(),
            Cell::Unsigned(v) => v.to_string(),
            // `{:?}` always writes a point or an exponent (1937.0, 1e-7), so readers that guess
            // types take the column as floats; it round-trips exactly.
            Cell::Float(v) => v.map_or(String::new(), |v| format!("{v:?}")),
            Cell::Text(v) => v.unwrap_or_default(),
        }
    }
}

/// One run as a JSON object, keys in column order.
struct JsonRow<'a> {
    columns: &'a [Column<'a>],
    index: usize,
    outcome: &'a Outcome,
}

impl Serialize for JsonRow<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.columns.len()))?;
        for column in self.columns {
            match column.cell(self.index, self.outcome) {
                Cell::Integer(v) => map.serialize_entry(&column.name, &v)?,
                Cell::Unsigned(v) => map.serialize_entry(&column.name, &v)?,
                Cell::Float(v) => map.serialize_entry(&column.name, &v)?,
                Cell::Text(v) => map.serialize_entry(&column.name, &v)?,
            }
        }
        map.end()
    }
}

/// One Parquet row group: the runs of `group`, the first of which is run `first`.
fn write_row_group(
    writer: &mut SerializedFileWriter<BufWriter<File>>,
    columns: &[Column],
    first: usize,
    group: &[Outcome],
) -> Result<(), parquet::errors::ParquetError> {
    let mut row_group = writer.next_row_group()?;
    for column in columns {
        let Some(mut out) = row_group.next_column()? else {
            return Err(parquet::errors::ParquetError::General(format!(
                "the schema has no column `{}`",
                column.name
            )));
        };
        let indices = first..first + group.len();
        match &column.values {
            Values::Integer(f) => {
                let values: Vec<i64> = indices.map(f).collect();
                out.typed::<Int64Type>().write_batch(&values, None, None)?;
            }
            Values::Unsigned(f) => {
                // Parquet stores unsigned integers in INT64 by their bits.
                let values: Vec<i64> = indices.map(|i| f(i) as i64).collect();
                out.typed::<Int64Type>().write_batch(&values, None, None)?;
            }
            Values::Float(f) => {
                let cells: Vec<f64> = group.iter().map(f).collect();
                let levels: Vec<i16> = cells.iter().map(|v| v.is_finite() as i16).collect();
                let values: Vec<f64> = cells.into_iter().filter(|v| v.is_finite()).collect();
                out.typed::<DoubleType>()
                    .write_batch(&values, Some(&levels), None)?;
            }
            Values::Text { nullable, value } => {
                let cells: Vec<Option<String>> = group.iter().map(value).collect();
                let levels: Vec<i16> = cells.iter().map(|v| v.is_some() as i16).collect();
                let values: Vec<ByteArray> = cells
                    .into_iter()
                    .flatten()
                    .map(|v| ByteArray::from(v.into_bytes()))
                    .collect();
                if !nullable && values.len() != group.len() {
                    return Err(parquet::errors::ParquetError::General(format!(
                        "column `{}` has a null but is declared required",
                        column.name
                    )));
                }
                let levels = nullable.then_some(levels.as_slice());
                out.typed::<ByteArrayType>()
                    .write_batch(&values, levels, None)?;
            }
        }
        out.close()?;
    }
    row_group.close()?;
    Ok(())
}
