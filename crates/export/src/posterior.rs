//! Answers under the calibrated uncertainty: the Parquet file of non-implausible assumption sets that
//! `python -m razvilka.calibrate` writes (docs/calibration.md), read and checked. A scenario carrying
//! the sample (`Scenario::posterior`) gives each world one of its rows: the
//! ensemble, its streamed summary and exports, twin pairs, timelines and the claims run it as they run
//! any scenario (`razvilka_world::PosteriorSample` says how a world picks its row).

use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use razvilka_kernel::Registry;
use razvilka_world::{PosteriorSample, Scenario};

/// A posterior sample, as read (`razvilka_world::PosteriorSample`: the file, the keys and the rows).
pub type Posterior = PosteriorSample;

/// Why a posterior sample could not be used. Every variant names the file.
#[derive(Debug, thiserror::Error)]
pub enum PosteriorError {
    #[error("cannot read the posterior sample {}: {message}", file.display())]
    Read { file: PathBuf, message: String },
    #[error("the posterior sample {} has no column named after an assumption\n  = help: its columns are assumption keys such as `politics.pursuit` (`razvilka assumptions` lists them); other columns, without a dot, are ignored", file.display())]
    NoAssumptions { file: PathBuf },
    #[error("the posterior sample {} has no rows", file.display())]
    Empty { file: PathBuf },
    #[error("the posterior sample {}, column `{column}`: there is no assumption `{column}`\n  = help: a column whose name has a dot must be an assumption key (`razvilka assumptions` lists them)", file.display())]
    UnknownColumn { file: PathBuf, column: String },
    #[error("the posterior sample {}, row {row}, column `{column}`: {message}", file.display())]
    Value {
        file: PathBuf,
        row: usize,
        column: String,
        message: String,
    },
}

/// Reads a Parquet sample and checks every value against its assumption's domain and prior bounds
/// (rows are counted from 0, as pandas counts them).
pub fn read(path: &Path, registry: &Registry) -> Result<Arc<Posterior>, PosteriorError> {
    use parquet::file::reader::{FileReader, SerializedFileReader};
    use parquet::record::Field;

    let file = path.to_path_buf();
    let read_error = |message: String| PosteriorError::Read {
        file: file.clone(),
        message,
    };
    let handle = File::open(path).map_err(|e| read_error(e.to_string()))?;
    let reader = SerializedFileReader::new(handle).map_err(|e| read_error(e.to_string()))?;
    let schema = reader.metadata().file_metadata().schema_descr_ptr();
    let names: Vec<String> = schema
        .columns()
        .iter()
        .map(|c| c.name().to_string())
        .collect();
    let mut keys = Vec::new();
    for name in names.iter().filter(|n| n.contains('.')) {
        if registry.get(name).is_err() {
            return Err(PosteriorError::UnknownColumn {
                file,
                column: name.clone(),
            });
        }
        keys.push(name.clone());
    }
    if keys.is_empty() {
        return Err(PosteriorError::NoAssumptions { file });
    }
    let mut rows = Vec::new();
    let mut check = registry.clone();
    let iter = reader
        .get_row_iter(None)
        .map_err(|e| read_error(e.to_string()))?;
    for (index, row) in iter.enumerate() {
        let row = row.map_err(|e| {
            let codec = if e.to_string().contains("Disabled feature") {
                "\n  = help: write the sample uncompressed (pyarrow: `compression=\"none\"`), as `python -m razvilka.calibrate` does"
            } else {
                ""
            };
            read_error(format!("row {index}: {e}{codec}"))
        })?;
        let mut values = vec![f64::NAN; keys.len()];
        for (name, field) in row.get_column_iter() {
            let Some(slot) = keys.iter().position(|k| k == name) else {
                continue;
            };
            let bad = |message: String| PosteriorError::Value {
                file: file.clone(),
                row: index,
                column: name.clone(),
                message,
            };
            let value = match field {
                Field::Double(v) => *v,
                Field::Float(v) => f64::from(*v),
                Field::Long(v) => *v as f64,
                Field::Int(v) => f64::from(*v),
                Field::Null => return Err(bad("the value is missing (null)".into())),
                other => return Err(bad(format!("`{other}` is not a number"))),
            };
            check.set(name, value).map_err(|e| bad(e.to_string()))?;
            values[slot] = value;
        }
        rows.push(values);
    }
    if rows.is_empty() {
        return Err(PosteriorError::Empty { file });
    }
    Ok(Arc::new(Posterior { file, keys, rows }))
}

/// Writes a sample as `python -m razvilka.calibrate` does: one DOUBLE column per assumption, named by
/// its key, uncompressed. For tests and for samples made in Rust.
pub fn write(path: &Path, keys: &[&str], rows: &[Vec<f64>]) -> Result<(), PosteriorError> {
    use parquet::data_type::DoubleType;
    use parquet::file::properties::WriterProperties;
    use parquet::file::writer::SerializedFileWriter;
    use parquet::schema::parser::parse_message_type;

    let fail = |message: String| PosteriorError::Read {
        file: path.to_path_buf(),
        message,
    };
    let fields: Vec<String> = keys
        .iter()
        .map(|k| format!("REQUIRED DOUBLE {k};"))
        .collect();
    let schema = parse_message_type(&format!("message posterior {{ {} }}", fields.join(" ")))
        .map_err(|e| fail(e.to_string()))?;
    let handle = File::create(path).map_err(|e| fail(e.to_string()))?;
    let mut writer = SerializedFileWriter::new(
        handle,
        Arc::new(schema),
        Arc::new(WriterProperties::builder().build()),
    )
    .map_err(|e| fail(e.to_string()))?;
    let mut group = writer.next_row_group().map_err(|e| fail(e.to_string()))?;
    for j in 0..keys.len() {
        let mut column = group
            .next_column()
            .map_err(|e| fail(e.to_string()))?
            .ok_or_else(|| fail(format!("no column for `{}`", keys[j])))?;
        let values: Vec<f64> = rows.iter().map(|r| r[j]).collect();
        column
            .typed::<DoubleType>()
            .write_batch(&values, None, None)
            .map_err(|e| fail(e.to_string()))?;
        column.close().map_err(|e| fail(e.to_string()))?;
    }
    group.close().map_err(|e| fail(e.to_string()))?;
    writer.close().map_err(|e| fail(e.to_string()))?;
    Ok(())
}

/// The scenario with each world taking a row of `sample`.
pub fn under(scenario: &Scenario, sample: &Arc<Posterior>) -> Scenario {
    Scenario {
        posterior: Some(sample.clone()),
        ..scenario.clone()
    }
}

/// A fingerprint of the sample's keys and values (FNV-1a over their bytes), so that caches keep the
/// answers under one sample apart from those under another or at the defaults.
pub fn fingerprint(sample: &Posterior) -> u64 {
    use razvilka_kernel::{fnv1a, FNV_OFFSET};
    let keys = sample
        .keys
        .iter()
        .fold(FNV_OFFSET, |h, k| fnv1a(fnv1a(h, k.as_bytes()), &[0]));
    sample
        .rows
        .iter()
        .flatten()
        .fold(keys, |h, v| fnv1a(h, &v.to_bits().to_le_bytes()))
}
