//! The simulator as a Python extension module, `razvilka._razvilka`. It holds no model logic: it
//! parses the arguments as the command line does, runs ensembles through the same library calls with
//! the GIL released, and hands results back as JSON text and Parquet files that the Python package
//! (`python/razvilka`) turns into dicts and `pyarrow` tables.

use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use pyo3::exceptions::{PyRuntimeError, PyValueError};
use pyo3::prelude::*;
use razvilka_analysis::validate;
use razvilka_ensemble::Options;
use razvilka_export as export;
use razvilka_export::posterior;
use razvilka_kernel::Diagnostic;
use razvilka_world::{builtin_scenario, Data, Scenario, BUILTIN_SCENARIOS};

/// The data compiled into the library, parsed once per process.
fn data() -> PyResult<&'static Data> {
    static DATA: OnceLock<Result<Data, String>> = OnceLock::new();
    DATA.get_or_init(|| Data::builtin().map_err(|d| d.to_string()))
        .as_ref()
        .map_err(|e| PyRuntimeError::new_err(e.clone()))
}

fn input_error(d: Diagnostic) -> PyErr {
    PyValueError::new_err(d.to_string())
}

fn run_error(e: impl std::fmt::Display) -> PyErr {
    PyRuntimeError::new_err(e.to_string())
}

/// A scenario by path or by the name of a shipped one (as `razvilka run SCENARIO`), with assumption
/// overrides checked against each one's domain and prior bounds (as a scenario's `[assumptions]`).
fn scenario(data: &Data, arg: &str, overrides: &[(String, f64)]) -> PyResult<Scenario> {
    let path = Path::new(arg);
    let (text, file) = if path.exists() {
        let bytes = std::fs::read(path)
            .map_err(|e| PyValueError::new_err(format!("cannot read {arg}: {e}")))?;
        (
            Diagnostic::text_of(arg, bytes).map_err(input_error)?,
            arg.to_string(),
        )
    } else if let Some(text) = builtin_scenario(arg) {
        (text.to_string(), format!("scenarios/{arg}.toml"))
    } else {
        let names: Vec<&str> = BUILTIN_SCENARIOS.iter().map(|(n, _)| *n).collect();
        return Err(PyValueError::new_err(format!(
            "no scenario `{arg}`: give a path to a .toml file, or one of: {}",
            names.join(", ")
        )));
    };
    let mut s = Scenario::parse(&text, &file, &data.context()).map_err(input_error)?;
    let mut check = data.registry_for(&s);
    for (key, value) in overrides {
        check.set(key, *value).map_err(|e| {
            PyValueError::new_err(format!(
                "{e}\n  = help: `razvilka.assumptions()` lists every key with its domain and prior"
            ))
        })?;
        s.overrides.retain(|(k, _)| k != key);
        s.overrides.push((key.clone(), *value));
    }
    Ok(s)
}

fn posterior_of(data: &Data, path: Option<PathBuf>) -> PyResult<Option<Arc<posterior::Posterior>>> {
    path.map(|p| {
        posterior::read(&p, &data.registry).map_err(|e| PyValueError::new_err(e.to_string()))
    })
    .transpose()
}

/// The scenario as it runs: each world under its row of the sample, if one is given (as
/// `--posterior FILE` on the command line).
fn under(scenario: Scenario, sample: &Option<Arc<posterior::Posterior>>) -> Scenario {
    match sample {
        Some(p) => posterior::under(&scenario, p),
        None => scenario,
    }
}

/// The shipped scenarios as a JSON list of {name, title, description, start, end, divergence}.
#[pyfunction]
fn scenarios_json() -> PyResult<String> {
    let data = data()?;
    let mut list = Vec::new();
    for (name, _) in BUILTIN_SCENARIOS {
        let s = scenario(data, name, &[])?;
        list.push(serde_json::json!({
            "name": name,
            "title": s.title,
            "description": s.description,
            "start": s.start.to_string(),
            "end": s.end.to_string(),
            "divergence": s.divergence.to_string(),
            "runs": s.runs,
            "seed": s.seed,
        }));
    }
    serde_json::to_string(&list).map_err(run_error)
}

/// Every assumption as `razvilka assumptions --json` prints it.
#[pyfunction]
fn assumptions_json() -> PyResult<String> {
    let list: Vec<_> = data()?.registry.assumptions().iter().collect();
    serde_json::to_string(&list).map_err(run_error)
}

/// Runs an ensemble, writes one row per world to `out` (Parquet, the export's columns) and returns
/// the summary contract as JSON (`razvilka run SCENARIO --json --out FILE`).
#[pyfunction]
#[pyo3(signature = (scenario_arg, runs, seed, assumptions, threads, out, series, posterior))]
#[allow(clippy::too_many_arguments)]
fn run(
    py: Python<'_>,
    scenario_arg: &str,
    runs: Option<u32>,
    seed: Option<u64>,
    assumptions: Vec<(String, f64)>,
    threads: usize,
    out: PathBuf,
    series: bool,
    posterior: Option<PathBuf>,
) -> PyResult<String> {
    let data = data()?;
    let s = under(
        scenario(data, scenario_arg, &assumptions)?,
        &posterior_of(data, posterior)?,
    );
    let options = Options {
        runs: runs.unwrap_or(s.runs),
        seed: seed.unwrap_or(s.seed),
        threads,
    };
    py.detach(|| {
        // Each world is written and folded into the summary as it finishes, as on the command line.
        let request = razvilka_app::RunRequest {
            export: Some(
                export::RunWriter::create(&out, data, options.seed, series).map_err(run_error)?,
            ),
            ..Default::default()
        };
        let result = razvilka_app::run(data, &s, options, request, &razvilka_app::Quiet, None)
            .map_err(run_error)?;
        serde_json::to_string(&result.summary).map_err(run_error)
    })
}

/// Twin pairs of `a` and `b` (the overrides apply to `b`), as `razvilka compare A B --json` prints
/// them.
#[pyfunction]
#[pyo3(signature = (a, b, runs, seed, assumptions, threads, posterior))]
#[allow(clippy::too_many_arguments)]
fn compare_json(
    py: Python<'_>,
    a: &str,
    b: &str,
    runs: Option<u32>,
    seed: Option<u64>,
    assumptions: Vec<(String, f64)>,
    threads: usize,
    posterior: Option<PathBuf>,
) -> PyResult<String> {
    let data = data()?;
    let sample = posterior_of(data, posterior)?;
    let a = under(scenario(data, a, &[])?, &sample);
    let b = under(scenario(data, b, &assumptions)?, &sample);
    // As the command line: the run count and seed default to the second scenario's.
    let options = Options {
        runs: runs.unwrap_or(b.runs),
        seed: seed.unwrap_or(b.seed),
        threads,
    };
    py.detach(|| {
        let (_, comparison) =
            razvilka_app::twins(data, &a, &b, options, &razvilka_app::Quiet, None)
                .map_err(run_error)?;
        serde_json::to_string(&comparison).map_err(run_error)
    })
}

/// The targets of `data/targets.toml` as JSON: id, run, role, fitted (the parameters set from a
/// calibrated target, in words) and text.
#[pyfunction]
fn targets_json() -> PyResult<String> {
    let targets: Vec<validate::Target> = validate::targets(data()?).map_err(input_error)?;
    let list: Vec<_> = targets
        .iter()
        .map(|t| {
            serde_json::json!({
                "id": t.id(),
                "run": t.run(),
                "role": t.role(),
                "fitted": t.fitted(),
                "text": t.text(),
            })
        })
        .collect();
    serde_json::to_string(&list).map_err(run_error)
}

/// `razvilka validate --json` (the baseline and the free run scored against data/targets.toml), with
/// each world of both ensembles taking an assumption set from `posterior` when one is given: the
/// validation targets before and after calibration.
#[pyfunction]
#[pyo3(signature = (runs, seed, threads, posterior))]
fn validate_json(
    py: Python<'_>,
    runs: u32,
    seed: u64,
    threads: usize,
    posterior: Option<PathBuf>,
) -> PyResult<String> {
    let data = data()?;
    let targets = validate::targets(data).map_err(input_error)?;
    let sample = posterior_of(data, posterior)?;
    let baseline = under(scenario(data, "otl", &[])?, &sample);
    let free = under(scenario(data, "free-1922", &[])?, &sample);
    let options = Options {
        runs,
        seed,
        threads,
    };
    py.detach(|| {
        let validation = razvilka_app::validate(
            data,
            &targets,
            &baseline,
            &free,
            options,
            &razvilka_app::Quiet,
        )
        .map_err(run_error)?;
        serde_json::to_string(&validation.json()).map_err(run_error)
    })
}

/// History matching's simulator: for each design point (a list of assumption overrides), `runs` worlds
/// of `scenario` with the seed `seed` (the same streams at every point: common random numbers), and
/// for each quantity of the named targets the mean and variance over the worlds and how many worlds
/// had it. A dated event that never happens counts as the month after the scenario's end (the event
/// falls after the run), so its mean is a censored one; a number a world lacks is left out. JSON:
/// {"quantities": [{id, kind, observed}], "points": [[[mean, variance, n], ...], ...]}.
#[pyfunction]
#[pyo3(signature = (scenario_arg, targets, points, runs, seed, threads))]
fn quantities_json(
    py: Python<'_>,
    scenario_arg: &str,
    targets: Vec<String>,
    points: Vec<Vec<(String, f64)>>,
    runs: u32,
    seed: u64,
    threads: usize,
) -> PyResult<String> {
    let data = data()?;
    let all = validate::targets(data).map_err(input_error)?;
    let mut chosen = Vec::new();
    for id in &targets {
        let t = all.iter().find(|t| t.id() == id).ok_or_else(|| {
            PyValueError::new_err(format!(
                "no target `{id}` in data/targets.toml: use one of {}",
                all.iter().map(|t| t.id()).collect::<Vec<_>>().join(", ")
            ))
        })?;
        chosen.push(t);
    }
    let scenarios: Vec<Scenario> = points
        .iter()
        .map(|p| scenario(data, scenario_arg, p))
        .collect::<PyResult<_>>()?;
    py.detach(|| {
        let mut header = Vec::new();
        let mut rows = Vec::new();
        for (i, s) in scenarios.iter().enumerate() {
            let options = Options {
                runs,
                seed,
                threads,
            };
            let outcomes = razvilka_ensemble::run(data, s, options, &|| {}).map_err(run_error)?;
            let after_end = s.end.index() as f64 + 1.0;
            let mut row = Vec::new();
            for t in &chosen {
                for q in t.quantities(data, &outcomes) {
                    if i == 0 {
                        header.push(serde_json::json!({
                            "id": q.id, "kind": q.kind, "observed": q.observed,
                        }));
                    }
                    let values: Vec<f64> = q
                        .values
                        .iter()
                        .map(|v| {
                            if q.kind == "month" && v.is_nan() {
                                after_end
                            } else {
                                *v
                            }
                        })
                        .filter(|v| v.is_finite())
                        .collect();
                    row.push(moments(&values));
                }
            }
            rows.push(row);
        }
        serde_json::to_string(&serde_json::json!({"quantities": header, "points": rows}))
            .map_err(run_error)
    })
}

/// [mean, unbiased variance, n]; the moments of fewer than two values are null.
fn moments(values: &[f64]) -> serde_json::Value {
    let n = values.len();
    if n < 2 {
        return serde_json::json!([null, null, n]);
    }
    let mean = values.iter().sum::<f64>() / n as f64;
    let var = values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1) as f64;
    serde_json::json!([mean, var, n])
}

#[pymodule]
fn _razvilka(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(scenarios_json, m)?)?;
    m.add_function(wrap_pyfunction!(assumptions_json, m)?)?;
    m.add_function(wrap_pyfunction!(run, m)?)?;
    m.add_function(wrap_pyfunction!(compare_json, m)?)?;
    m.add_function(wrap_pyfunction!(targets_json, m)?)?;
    m.add_function(wrap_pyfunction!(quantities_json, m)?)?;
    m.add_function(wrap_pyfunction!(validate_json, m)?)?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
