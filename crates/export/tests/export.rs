//! Per-run exports read back by independent readers (the parquet crate's record reader, the csv
//! crate, serde_json): the documented columns, in order, with their types, and the values the
//! outcomes give, nulls included.

use std::fs::File;
use std::path::{Path, PathBuf};

use parquet::basic::{LogicalType, Repetition, Type as PhysicalType};
use parquet::file::reader::{FileReader, SerializedFileReader};
use parquet::record::Field;
use razvilka_ensemble::{categorical_outcomes, numeric_outcomes, run, Options};
use razvilka_export::{write_runs, ExportError, Format};
use razvilka_world::catalogue::SERIES;
use razvilka_world::{builtin_scenario, Data, Outcome, Scenario};
use serde_json::Value;

const SEED: u64 = 11;

/// A value the export should hold, computed from the outcomes through the public contract.
#[derive(Clone, Debug, PartialEq)]
enum Expected {
    Integer(i64),
    Unsigned(u64),
    Float(Option<f64>),
    Text(Option<String>),
}

/// The kind of a column, as docs/exports.md documents it.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Kind {
    Integer,
    Unsigned,
    Float,
    Text { nullable: bool },
}

struct Table {
    names: Vec<String>,
    kinds: Vec<Kind>,
    rows: Vec<Vec<Expected>>,
}

fn ensemble(name: &str, runs: u32) -> (Data, Vec<Outcome>) {
    let data = Data::builtin().unwrap();
    let scenario = Scenario::parse(builtin_scenario(name).unwrap(), name, &data.context()).unwrap();
    let options = Options {
        runs,
        seed: SEED,
        threads: 1,
    };
    let outcomes = run(&data, &scenario, options, &|| {}).unwrap();
    (data, outcomes)
}

/// The documented table: run, seed, categorical outcomes, numeric outcomes, each person's standing
/// at the end of 1941, then (with `series`) every series year by year.
fn expected(data: &Data, outcomes: &[Outcome], series: bool) -> Table {
    let finite = |v: f64| Some(v).filter(|v| v.is_finite());
    let mut names = vec!["run".to_string(), "seed".to_string()];
    let mut kinds = vec![Kind::Integer, Kind::Unsigned];
    let mut rows: Vec<Vec<Expected>> = (0..outcomes.len())
        .map(|k| vec![Expected::Integer(k as i64), Expected::Unsigned(SEED)])
        .collect();
    let mut add = |name: String, kind: Kind, value: &dyn Fn(&Outcome) -> Expected| {
        names.push(name);
        kinds.push(kind);
        for (row, o) in rows.iter_mut().zip(outcomes) {
            row.push(value(o));
        }
    };
    for (name, f) in categorical_outcomes(data) {
        add(name.into(), Kind::Text { nullable: false }, &|o| {
            Expected::Text(Some(f(o)))
        });
    }
    for (name, f) in numeric_outcomes(data) {
        add(name.into(), Kind::Float, &|o| Expected::Float(finite(f(o))));
    }
    for (id, person) in data.people.ids() {
        add(
            format!("fate_1941_{}", person.id),
            Kind::Text { nullable: true },
            &|o| Expected::Text(o.year(1941).map(|y| y.fates[id.index()].id().to_string())),
        );
    }
    if series {
        let years: Vec<u32> = outcomes[0].years.iter().map(|y| y.year).collect();
        for s in SERIES {
            for &year in &years {
                add(format!("series_{}_{year}", s.about.id), Kind::Float, &|o| {
                    Expected::Float(o.year(year).and_then(|y| finite(s.value(o, y))))
                });
            }
        }
    }
    Table { names, kinds, rows }
}

fn temp_file(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("razvilka-export-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

/// Compares every cell, and returns how many were null and how many held a value, so a test can
/// insist that both paths were exercised.
fn compare_cells(table: &Table, read: &[Vec<Expected>]) -> (usize, usize) {
    assert_eq!(read.len(), table.rows.len(), "row count");
    let (mut nulls, mut values) = (0, 0);
    for (k, (want, got)) in table.rows.iter().zip(read).enumerate() {
        assert_eq!(got.len(), want.len(), "row {k} width");
        for (c, (w, g)) in want.iter().zip(got).enumerate() {
            assert_eq!(g, w, "row {k}, column {}", table.names[c]);
            match w {
                Expected::Float(None) | Expected::Text(None) => nulls += 1,
                _ => values += 1,
            }
        }
    }
    (nulls, values)
}

fn read_parquet(path: &Path) -> (Vec<String>, Vec<Kind>, Vec<Vec<Expected>>) {
    let reader = SerializedFileReader::new(File::open(path).unwrap()).unwrap();
    let schema = reader.metadata().file_metadata().schema_descr_ptr();
    let mut names = Vec::new();
    let mut kinds = Vec::new();
    for column in schema.columns() {
        names.push(column.name().to_string());
        let repetition = column.self_type().get_basic_info().repetition();
        let kind = match (column.physical_type(), column.logical_type_ref()) {
            (PhysicalType::INT64, None) => Kind::Integer,
            (
                PhysicalType::INT64,
                Some(LogicalType::Integer {
                    bit_width: 64,
                    is_signed: false,
                }),
            ) => Kind::Unsigned,
            (PhysicalType::DOUBLE, None) => Kind::Float,
            (PhysicalType::BYTE_ARRAY, Some(LogicalType::String)) => Kind::Text {
                nullable: repetition == Repetition::OPTIONAL,
            },
            other => panic!("column {}: undocumented type {other:?}", column.name()),
        };
        // Integers are never null; floats always may be.
        match kind {
            Kind::Integer | Kind::Unsigned => assert_eq!(repetition, Repetition::REQUIRED),
            Kind::Float => assert_eq!(repetition, Repetition::OPTIONAL),
            Kind::Text { .. } => {}
        }
        kinds.push(kind);
    }
    let rows = reader
        .get_row_iter(None)
        .unwrap()
        .map(|row| {
            row.unwrap()
                .get_column_iter()
                .zip(&kinds)
                .map(|((_, field), kind)| match (field, kind) {
                    (Field::Long(v), Kind::Integer) => Expected::Integer(*v),
                    (Field::ULong(v), Kind::Unsigned) => Expected::Unsigned(*v),
                    (Field::Double(v), Kind::Float) => Expected::Float(Some(*v)),
                    (Field::Null, Kind::Float) => Expected::Float(None),
                    (Field::Str(v), Kind::Text { .. }) => Expected::Text(Some(v.clone())),
                    (Field::Null, Kind::Text { .. }) => Expected::Text(None),
                    other => panic!("unexpected field {other:?}"),
                })
                .collect()
        })
        .collect();
    (names, kinds, rows)
}

#[test]
fn parquet_round_trip_with_series() {
    let (data, outcomes) = ensemble("stalin-expelled", 30);
    let path = temp_file("runs.parquet");
    let format = write_runs(&path, &data, SEED, &outcomes, true).unwrap();
    assert_eq!(format, Format::Parquet);
    let table = expected(&data, &outcomes, true);
    let (names, kinds, rows) = read_parquet(&path);
    assert_eq!(names, table.names);
    assert_eq!(kinds, table.kinds);
    assert!(
        names.iter().any(|n| n == "series_gdp_1930"),
        "series columns"
    );
    let mut unique = names.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), names.len(), "column names are unique");
    let (nulls, values) = compare_cells(&table, &rows);
    assert!(nulls > 0 && values > 0, "{nulls} nulls, {values} values");
    std::fs::remove_file(&path).unwrap();
}

#[test]
fn parquet_without_series_has_no_series_columns() {
    let (data, outcomes) = ensemble("otl", 20);
    let path = temp_file("plain.parquet");
    write_runs(&path, &data, SEED, &outcomes, false).unwrap();
    let table = expected(&data, &outcomes, false);
    let (names, kinds, rows) = read_parquet(&path);
    assert_eq!(names, table.names);
    assert_eq!(kinds, table.kinds);
    assert!(!names.iter().any(|n| n.starts_with("series_")));
    compare_cells(&table, &rows);
    std::fs::remove_file(&path).unwrap();
}

#[test]
fn csv_round_trip_with_nulls_as_empty_fields() {
    let (data, outcomes) = ensemble("stalin-expelled", 25);
    let path = temp_file("runs.csv");
    assert_eq!(
        write_runs(&path, &data, SEED, &outcomes, true).unwrap(),
        Format::Csv
    );
    let table = expected(&data, &outcomes, true);
    let mut reader = csv::Reader::from_path(&path).unwrap();
    let headers: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(headers, table.names);
    let rows: Vec<Vec<Expected>> = reader
        .records()
        .map(|record| {
            record
                .unwrap()
                .iter()
                .zip(&table.kinds)
                .map(|(field, kind)| match kind {
                    Kind::Integer => Expected::Integer(field.parse().unwrap()),
                    Kind::Unsigned => Expected::Unsigned(field.parse().unwrap()),
                    Kind::Float if field.is_empty() => Expected::Float(None),
                    Kind::Float => {
                        // Written so that type-guessing readers see floats.
                        assert!(field.contains(['.', 'e']), "float field `{field}`");
                        Expected::Float(Some(field.parse().unwrap()))
                    }
                    Kind::Text { nullable: true } if field.is_empty() => Expected::Text(None),
                    Kind::Text { .. } => Expected::Text(Some(field.to_string())),
                })
                .collect()
        })
        .collect();
    let (nulls, _) = compare_cells(&table, &rows);
    assert!(nulls > 0);
    std::fs::remove_file(&path).unwrap();
}

/// A JSON object's entries in the order they were written.
struct Entries(Vec<(String, Value)>);

impl<'de> serde::Deserialize<'de> for Entries {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = Entries;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<Entries, A::Error> {
                let mut entries = Vec::new();
                while let Some(entry) = map.next_entry()? {
                    entries.push(entry);
                }
                Ok(Entries(entries))
            }
        }
        deserializer.deserialize_map(Visitor)
    }
}

#[test]
fn json_lines_round_trip_with_nulls() {
    let (data, outcomes) = ensemble("otl", 25);
    // .ndjson is the other common name of the format; the extension's case does not matter.
    let path = temp_file("runs.NDJSON");
    assert_eq!(
        write_runs(&path, &data, SEED, &outcomes, true).unwrap(),
        Format::JsonLines
    );
    let table = expected(&data, &outcomes, true);
    let text = std::fs::read_to_string(&path).unwrap();
    let rows: Vec<Vec<Expected>> = text
        .lines()
        .map(|line| {
            let Entries(entries) = serde_json::from_str(line).unwrap();
            let keys: Vec<&str> = entries.iter().map(|(k, _)| k.as_str()).collect();
            assert_eq!(keys, table.names);
            entries
                .iter()
                .zip(&table.kinds)
                .map(|((_, value), kind)| match (value, kind) {
                    (Value::Number(n), Kind::Integer) => Expected::Integer(n.as_i64().unwrap()),
                    (Value::Number(n), Kind::Unsigned) => Expected::Unsigned(n.as_u64().unwrap()),
                    (Value::Number(n), Kind::Float) => Expected::Float(n.as_f64()),
                    (Value::Null, Kind::Float) => Expected::Float(None),
                    (Value::String(s), Kind::Text { .. }) => Expected::Text(Some(s.clone())),
                    (Value::Null, Kind::Text { nullable: true }) => Expected::Text(None),
                    other => panic!("unexpected value {other:?}"),
                })
                .collect()
        })
        .collect();
    let (nulls, _) = compare_cells(&table, &rows);
    assert!(nulls > 0);
    std::fs::remove_file(&path).unwrap();
}

#[test]
fn unknown_extensions_and_unwritable_paths_are_clear_errors() {
    let (data, outcomes) = ensemble("otl", 2);
    for name in ["runs.xlsx", "runs"] {
        let path = temp_file(name);
        let error = write_runs(&path, &data, SEED, &outcomes, false).unwrap_err();
        assert!(matches!(error, ExportError::Extension { .. }), "{error:?}");
        let message = error.to_string();
        assert!(message.contains(&path.display().to_string()), "{message}");
        for extension in [".csv", ".jsonl", ".ndjson", ".parquet"] {
            assert!(message.contains(extension), "{message}");
        }
        assert!(!path.exists(), "no file is created for an unknown format");
    }
    let path = temp_file("no-such-directory").join("runs.parquet");
    let error = write_runs(&path, &data, SEED, &outcomes, false).unwrap_err();
    assert!(matches!(error, ExportError::Io { .. }), "{error:?}");
    assert!(error.to_string().contains("no-such-directory"), "{error}");
}

#[test]
fn docs_name_every_column() {
    let docs = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/exports.md"),
    )
    .unwrap();
    let data = Data::builtin().unwrap();
    let mut names: Vec<String> = ["run", "seed", "fate_1941_<person id>"]
        .map(String::from)
        .to_vec();
    names.extend(
        categorical_outcomes(&data)
            .into_iter()
            .map(|(n, _)| n.to_string()),
    );
    names.extend(
        numeric_outcomes(&data)
            .into_iter()
            .map(|(n, _)| n.to_string()),
    );
    names.extend(
        SERIES
            .iter()
            .map(|s| format!("series_{}_<year>", s.about.id)),
    );
    for name in names {
        assert!(
            docs.contains(&format!("`{name}`")),
            "docs/exports.md does not document `{name}`"
        );
    }
}

/// Reads the Parquet file with pyarrow, the reader pandas uses. Ignored by default because pyarrow is
/// not part of the build; run with `cargo test -p razvilka-analysis -- --ignored` where it is
/// installed (`PYTHON` names the interpreter, default `python3`). It fails, rather than passes, when
/// pyarrow is missing.
#[test]
#[ignore = "needs python3 with pyarrow"]
fn pyarrow_reads_the_parquet_file() {
    let (data, outcomes) = ensemble("stalin-expelled", 20);
    let path = temp_file("pyarrow.parquet");
    write_runs(&path, &data, SEED, &outcomes, true).unwrap();
    let python = std::env::var("PYTHON").unwrap_or_else(|_| "python3".into());
    let script = r#"
import json, sys
import pyarrow.parquet as pq
table = pq.read_table(sys.argv[1])
print(json.dumps({
    "rows": table.num_rows,
    "types": {f.name: str(f.type) for f in table.schema},
    "columns": table.to_pydict(),
}))
"#;
    let out = std::process::Command::new(&python)
        .args(["-c", script])
        .arg(&path)
        .output()
        .unwrap_or_else(|e| panic!("cannot run {python}: {e}"));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let table = expected(&data, &outcomes, true);
    assert_eq!(v["rows"], outcomes.len());
    for (c, (name, kind)) in table.names.iter().zip(&table.kinds).enumerate() {
        let want_type = match kind {
            Kind::Integer => "int64",
            Kind::Unsigned => "uint64",
            Kind::Float => "double",
            Kind::Text { .. } => "string",
        };
        assert_eq!(v["types"][name], want_type, "{name}");
        for (k, row) in table.rows.iter().enumerate() {
            let got = &v["columns"][name][k];
            let want = match &row[c] {
                Expected::Integer(i) => Value::from(*i),
                Expected::Unsigned(u) => Value::from(*u),
                Expected::Float(f) => f.map_or(Value::Null, Value::from),
                Expected::Text(t) => t.clone().map_or(Value::Null, Value::from),
            };
            assert_eq!(got, &want, "row {k}, column {name}");
        }
    }
    std::fs::remove_file(&path).unwrap();
}

/// Rows handed over one at a time as the worlds finish (the CLI's `run --out`) make the same file,
/// byte for byte, as the whole ensemble written at once, in every format.
#[test]
fn streamed_rows_make_the_same_file() {
    use razvilka_export::RunWriter;
    let (data, outcomes) = ensemble("stalin-expelled", 25);
    for name in ["stream.csv", "stream.jsonl", "stream.parquet"] {
        let whole = temp_file(&format!("whole-{name}"));
        let streamed = temp_file(name);
        write_runs(&whole, &data, SEED, &outcomes, true).unwrap();
        let mut writer = RunWriter::create(&streamed, &data, SEED, true).unwrap();
        for (run, outcome) in outcomes.iter().enumerate() {
            writer.write(run as u64, outcome.clone()).unwrap();
        }
        assert_eq!(writer.rows(), 25);
        writer.finish().unwrap();
        let (a, b) = (
            std::fs::read(&whole).unwrap(),
            std::fs::read(&streamed).unwrap(),
        );
        assert!(a.len() > 1000, "{name}: {} bytes", a.len());
        assert!(a == b, "{name}: the streamed file differs");
        std::fs::remove_file(&whole).unwrap();
        std::fs::remove_file(&streamed).unwrap();
    }
}
