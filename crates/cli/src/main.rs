//! The razvilka command line. It holds no model logic: it reads files, calls the library, and prints.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use clap::{Parser, Subcommand, ValueEnum};
use indicatif::{ProgressBar, ProgressStyle};
use razvilka_analysis::{claims, sensitivity, validate};
use razvilka_ensemble::Options;
use razvilka_export as export;
use razvilka_kernel::Diagnostic;
use razvilka_present as present;
use razvilka_present::{html, report};
use razvilka_world::{builtin_scenario, Data, Scenario, BUILTIN_SCENARIOS};

mod commands;
mod posterior;
mod progress;

use commands::execute;
use progress::{progress_bar, Stages};

/// mimalloc: about 7% faster than the system allocator for a 10,000-world ensemble at 2 threads
/// (docs/benchmarks.md).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// razvilka — a counterfactual-history simulator of the USSR, 1922–1945.
///
/// What if Stalin had been expelled from the party in May 1924, when Lenin's letter was read? Each
/// scenario is a world run thousands of times: recorded history is replayed up to the divergence, the
/// scenario's intervention is applied, and from then on every event comes from the model's
/// mechanisms. Every answer is a distribution.
///
/// SCENARIO is a path to a scenario file (e.g. scenarios/stalin-expelled.toml) or the name of a
/// shipped one: otl, stalin-expelled, stalin-demoted, lenin-lives, free-1922.
#[derive(Parser)]
#[command(name = "razvilka", version, about, long_about, after_help = EXAMPLES)]
struct Cli {
    /// Read the data files (people, events, calendar, assumptions, germany, war) from this directory
    /// instead of the built-in copies.
    #[arg(long, global = true, value_name = "DIR")]
    data: Option<PathBuf>,
    /// No progress on stderr (a bar on a terminal; elsewhere a line every few seconds of a long run).
    #[arg(long, short, global = true)]
    quiet: bool,
    #[command(subcommand)]
    command: Command,
}

const EXAMPLES: &str = "Examples:
  razvilka run stalin-expelled                  the seed question, as a readable report
  razvilka run scenarios/otl.toml --runs 5000 --seed 7 --json
  razvilka run stalin-expelled --out runs.parquet  one row per world, for pandas or DuckDB
  razvilka compare otl stalin-expelled          what the expulsion changes, twin by twin
  razvilka run stalin-expelled --report r.html  the report as a web page with charts
  razvilka timeline stalin-expelled --run 3 --format md
  razvilka check my-scenario.toml               parse and check a scenario without running it
  razvilka validate                             the baseline scored against recorded history
  razvilka claims                               the thread's claims, with verdicts, and its questions
  razvilka sensitivity stalin-expelled --output war_outcome=soviet_collapse
  razvilka assumptions                          every parameter, its value and its source
  razvilka serve --port 8080                    the web application on http://127.0.0.1:8080";

#[derive(Subcommand)]
enum Command {
    /// Run an ensemble of one scenario and report the distribution of outcomes.
    #[command(allow_negative_numbers = true)]
    Run {
        scenario: String,
        #[command(flatten)]
        ensemble: EnsembleArgs,
        /// Print the summary as one JSON object (see docs/json.md) instead of the report.
        #[arg(long)]
        json: bool,
        /// Also write the report as one self-contained HTML file with charts (docs/report.md).
        #[arg(long, value_name = "FILE")]
        report: Option<PathBuf>,
        /// Also write one row per run to FILE: .csv, .jsonl (or .ndjson) or .parquet (see
        /// docs/exports.md).
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
        /// With --out, add every yearly series year by year (columns like series_gdp_1930).
        #[arg(long, requires = "out")]
        series: bool,
        /// Give each world an assumption set drawn from this posterior sample (Parquet, from
        /// `python -m razvilka.calibrate`: docs/calibration.md).
        #[arg(long, value_name = "FILE")]
        posterior: Option<PathBuf>,
    },
    /// Run twin pairs of two scenarios and report how often the divergence changed each outcome.
    #[command(allow_negative_numbers = true)]
    Compare {
        a: String,
        b: String,
        #[command(flatten)]
        ensemble: EnsembleArgs,
        #[arg(long)]
        json: bool,
        /// Also write the comparison as one self-contained HTML file with charts (docs/report.md).
        #[arg(long, value_name = "FILE")]
        report: Option<PathBuf>,
        /// Give both twins of each pair the same assumption set, drawn from this posterior sample
        /// (docs/calibration.md).
        #[arg(long, value_name = "FILE")]
        posterior: Option<PathBuf>,
    },
    /// Tell one sampled world as dated prose, with its divergences from recorded history marked.
    #[command(allow_negative_numbers = true)]
    Timeline {
        scenario: String,
        /// Which world of the ensemble (0-based).
        #[arg(long, default_value_t = 0, value_parser = whole_number::<u64>)]
        run: u64,
        #[arg(long, value_parser = whole_number::<u64>)]
        seed: Option<u64>,
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
        /// The world as it runs under this posterior sample (`run --posterior FILE`'s world K).
        #[arg(long, value_name = "FILE")]
        posterior: Option<PathBuf>,
    },
    /// Parse and check a scenario file; exit status 2 with a located error if it is wrong.
    Check { scenario: String },
    /// Score the actual-history baseline and the free run against recorded history.
    ///
    /// Each target is scored against a stated null; the exit status is 1 when a validation target
    /// fails (docs/validation.md).
    #[command(allow_negative_numbers = true)]
    Validate {
        #[arg(long, default_value_t = 2000, value_parser = clap::value_parser!(u32).range(1..=1_000_000))]
        runs: u32,
        #[arg(long, default_value_t = 1, value_parser = whole_number::<u64>)]
        seed: u64,
        #[arg(long, default_value_t = 0, value_parser = threads_in_range)]
        threads: usize,
        #[arg(long)]
        json: bool,
        /// Also write the validation as one self-contained HTML file: the table, PIT histogram and
        /// coverage plot of the yearly series.
        #[arg(long, value_name = "FILE")]
        report: Option<PathBuf>,
    },
    /// Test the thread's claims (data/claims.toml): each claim's answer in its world and its baseline,
    /// with 95% intervals, a verdict, and the assumptions that move it most.
    #[command(allow_negative_numbers = true)]
    Claims {
        /// Worlds (or twin pairs) per claim's pair of scenarios, 1 to 1,000,000.
        #[arg(long, default_value_t = claims::Settings::DEFAULT_RUNS, value_parser = clap::value_parser!(u32).range(1..=1_000_000))]
        runs: u32,
        /// Worlds (or twin pairs) with the assumptions drawn from their priors, for the sensitivity,
        /// 10 to 1,000,000.
        #[arg(long, default_value_t = claims::Settings::DEFAULT_PRIOR_RUNS, value_parser = clap::value_parser!(u32).range(10..=1_000_000))]
        prior_runs: u32,
        #[arg(long, default_value_t = 1, value_parser = whole_number::<u64>)]
        seed: u64,
        #[arg(long, default_value_t = 0, value_parser = threads_in_range)]
        threads: usize,
        /// Read the claims from this file instead of data/claims.toml (the one in --data DIR, if
        /// given, else the built-in one).
        #[arg(long, value_name = "FILE")]
        file: Option<PathBuf>,
        /// Also write the claims as one self-contained HTML file with charts.
        #[arg(long, value_name = "FILE")]
        report: Option<PathBuf>,
        #[arg(long, conflicts_with = "markdown")]
        json: bool,
        /// Print the answers as the generated part of docs/claims.md (scripts/claims-doc splices it in).
        #[arg(long)]
        markdown: bool,
        /// Also answer every claim with each world's assumptions drawn from this posterior sample,
        /// beside the answers at the defaults (docs/calibration.md).
        #[arg(long, value_name = "FILE", conflicts_with = "markdown")]
        posterior: Option<PathBuf>,
    },
    /// Which assumptions move an output: Sobol' indices over every assumption with a prior (and the
    /// world's own luck), or a one-at-a-time tornado (docs/sensitivity.md).
    #[command(allow_negative_numbers = true)]
    Sensitivity {
        scenario: String,
        /// A categorical outcome and value (war_outcome=soviet_collapse) or a numeric outcome
        /// (industry_1940).
        #[arg(long)]
        output: String,
        /// A one-at-a-time tornado instead of Sobol' indices.
        #[arg(long)]
        tornado: bool,
        /// Rows of each Sobol' sample matrix, 16 to 65,536; the analysis runs n·(inputs + 2) worlds.
        #[arg(long, default_value_t = 512, value_parser = clap::value_parser!(u32).range(16..=65_536))]
        n: u32,
        /// Bootstrap resamples for the Sobol' intervals, 10 to 100,000.
        #[arg(long, default_value_t = 500, value_parser = clap::value_parser!(u32).range(10..=100_000))]
        resamples: u32,
        /// Worlds averaged at each Sobol' point, 1 to 1,000 (1: the world's luck is one more input;
        /// more: the indices of a probability or a mean).
        #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..=1000))]
        worlds_per_point: u32,
        /// Worlds at each end of a tornado bar, 1 to 1,000,000.
        #[arg(long, default_value_t = 200, value_parser = clap::value_parser!(u32).range(1..=1_000_000))]
        runs: u32,
        /// How many inputs to print (all are in --json).
        #[arg(long, default_value_t = 20, value_parser = whole_number::<usize>)]
        top: usize,
        #[arg(long, default_value_t = 1, value_parser = whole_number::<u64>)]
        seed: u64,
        #[arg(long, default_value_t = 0, value_parser = threads_in_range)]
        threads: usize,
        #[arg(long)]
        json: bool,
    },
    /// Serve the simulator as a web application on this machine: a scenario builder, results with
    /// charts, timelines, the claims, sensitivity, and a JSON API (docs/web.md, docs/api.md).
    #[command(allow_negative_numbers = true)]
    Serve {
        #[arg(long, default_value_t = 8080, value_parser = whole_number::<u16>)]
        port: u16,
        #[arg(long, default_value = "127.0.0.1")]
        host: String,
        /// The SQLite file of saved scenarios, created on first start.
        #[arg(long, default_value = "razvilka.db", value_name = "PATH")]
        db: PathBuf,
        /// Worlds per request, at most (the default lets the largest results page finish inside the
        /// time budget with both slots busy: docs/web.md).
        #[arg(long, default_value_t = 5_000, value_parser = clap::value_parser!(u32).range(1..=1_000_000))]
        max_runs: u32,
        /// Simulations running at once, at most (further requests wait in the queue).
        #[arg(long, default_value_t = 2, value_parser = whole_number::<usize>)]
        max_concurrent: usize,
        /// Simulations waiting for a slot, at most (further requests get 429 with Retry-After).
        #[arg(long, default_value_t = 8)]
        max_queue: usize,
        /// Seconds a page waits for its result before it shows the "running" page, which reloads
        /// itself until the result is there.
        #[arg(long, default_value_t = 3, value_parser = clap::value_parser!(u64).range(0..=3_600))]
        running_after_secs: u64,
        /// A request's time budget in seconds; a simulation still running then is cancelled (504).
        #[arg(long, default_value_t = 30, value_parser = clap::value_parser!(u64).range(1..=86_400))]
        timeout_secs: u64,
        /// Request bodies larger than this get 413.
        #[arg(long, default_value_t = 65_536, value_parser = whole_number::<usize>)]
        max_body_bytes: usize,
        /// Worker threads of each simulation (0: one per core).
        #[arg(long, default_value_t = 0, value_parser = threads_in_range)]
        threads: usize,
        /// Worlds per claim on the claims page (as `claims --runs`; the default gives the command
        /// line's verdicts).
        #[arg(long, default_value_t = claims::Settings::DEFAULT_RUNS, value_parser = clap::value_parser!(u32).range(1..=1_000_000))]
        claims_runs: u32,
        /// Worlds with the assumptions drawn from their priors on the claims page (as
        /// `claims --prior-runs`).
        #[arg(long, default_value_t = claims::Settings::DEFAULT_PRIOR_RUNS, value_parser = clap::value_parser!(u32).range(10..=1_000_000))]
        claims_prior_runs: u32,
        /// Run every results page and API ensemble with each world's assumptions drawn from this
        /// posterior sample (docs/calibration.md); the pages say so.
        #[arg(long, value_name = "FILE")]
        posterior: Option<PathBuf>,
    },
    /// List every assumption with its value, prior and provenance.
    Assumptions {
        #[arg(long)]
        json: bool,
    },
}

#[derive(clap::Args)]
struct EnsembleArgs {
    /// Number of worlds, 1 to 1,000,000 (default: the scenario's `ensemble.runs`).
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..=1_000_000))]
    runs: Option<u32>,
    /// Seed of the random streams (default: the scenario's `ensemble.seed`).
    #[arg(long, value_parser = whole_number::<u64>)]
    seed: Option<u64>,
    /// Worker threads, up to 256 (default 0: one per core). Results do not depend on it.
    #[arg(long, default_value_t = 0, value_parser = threads_in_range)]
    threads: usize,
}

/// A whole number from 0 upward that fits `T`, with a message about the value when it is negative or
/// too large (clap's own parsers say "invalid digit" of `-1`).
fn whole_number<T: TryFrom<i128>>(text: &str) -> Result<T, String> {
    let n: i128 = text
        .trim()
        .parse()
        .map_err(|_| format!("`{text}` is not a whole number"))?;
    if n < 0 {
        return Err(format!("{n} is negative: use a whole number from 0 upward"));
    }
    T::try_from(n).map_err(|_| format!("{n} is too large"))
}

/// Worker threads: 0 (one per core) to 256.
fn threads_in_range(text: &str) -> Result<usize, String> {
    let n: usize = whole_number(text)?;
    if n > 256 {
        return Err(format!(
            "{n} threads is too many: use 0 (one per core) to 256"
        ));
    }
    Ok(n)
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Text,
    Md,
    Bbcode,
    Json,
}

/// A failure: bad input (exit 2), a failed run, validation or write (exit 1), or a reader that closed
/// our standard output (exit 0, quietly: it has read what it wanted, as `head` does).
enum Failure {
    Input(String),
    Run(String),
    Closed,
}

impl From<razvilka_ensemble::EnsembleError> for Failure {
    fn from(e: razvilka_ensemble::EnsembleError) -> Failure {
        Failure::Run(e.to_string())
    }
}

impl From<Diagnostic> for Failure {
    fn from(d: Diagnostic) -> Failure {
        Failure::Input(d.to_string())
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match execute(cli) {
        Ok(code) => code,
        Err(Failure::Input(message)) => {
            note(&message);
            ExitCode::from(2)
        }
        Err(Failure::Run(message)) => {
            note(&format!("error: {message}"));
            ExitCode::from(1)
        }
        Err(Failure::Closed) => ExitCode::SUCCESS,
    }
}

/// A line on standard error. `eprintln!` panics when stderr cannot be written; a message nobody can
/// read is dropped instead.
fn note(message: &str) {
    let _ = writeln!(std::io::stderr().lock(), "{message}");
}

/// Writes `text` to standard output and flushes it, so that a full disk is reported here and a closed
/// pipe ends the program quietly (`print!` panics on both).
fn emit(text: &str) -> Result<(), Failure> {
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())
        .and_then(|()| out.flush())
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::BrokenPipe => Failure::Closed,
            _ => Failure::Run(format!("cannot write to standard output: {e}")),
        })
}

/// Checks, before any world runs, that `path` can be written: it is not a directory, its directory
/// exists, and a file can be created there. A file that did not exist is removed again, so that a run
/// that fails later leaves nothing behind.
fn check_writable(path: &Path) -> Result<(), Failure> {
    let refuse =
        |why: String| Failure::Input(format!("error: cannot write {}: {why}", path.display()));
    if path.is_dir() {
        return Err(refuse("it is a directory".into()));
    }
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    if !dir.is_dir() {
        return Err(refuse(format!("there is no directory {}", dir.display())));
    }
    let existed = path.exists();
    std::fs::OpenOptions::new()
        .append(true)
        .create(true)
        .open(path)
        .map_err(|e| refuse(e.to_string()))?;
    if !existed {
        let _ = std::fs::remove_file(path);
    }
    Ok(())
}

/// An HTML report's file: it must end in .html or .htm (a report is a web page) and be writable.
fn check_report_path(path: &Path) -> Result<(), Failure> {
    let html = path
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("html") || e.eq_ignore_ascii_case("htm"));
    if !html {
        return Err(Failure::Input(format!(
            "error: the report {} would be a web page: give a file ending in .html or .htm",
            path.display()
        )));
    }
    check_writable(path)
}

fn load_data(dir: &Option<PathBuf>) -> Result<Data, Failure> {
    Ok(match dir {
        Some(d) => Data::from_dir(d)?,
        None => Data::builtin()?,
    })
}

/// A scenario by path, or by the name of a shipped one.
fn load_scenario(data: &Data, arg: &str) -> Result<Scenario, Failure> {
    let path = Path::new(arg);
    let (text, file) = if path.exists() {
        let bytes = std::fs::read(path)
            .map_err(|e| Failure::Input(format!("error: cannot read {arg}: {e}")))?;
        let text = Diagnostic::text_of(arg, bytes)?;
        (text, arg.to_string())
    } else if let Some(text) = builtin_scenario(arg) {
        (text.to_string(), format!("scenarios/{arg}.toml"))
    } else {
        let names: Vec<&str> = BUILTIN_SCENARIOS.iter().map(|(n, _)| *n).collect();
        return Err(Failure::Input(format!(
            "error: no scenario file `{arg}`\n  = help: give a path to a .toml file, or one of: {}",
            names.join(", ")
        )));
    };
    Ok(Scenario::parse(&text, &file, &data.context())?)
}

fn options(scenario: &Scenario, args: &EnsembleArgs) -> Options {
    Options {
        runs: args.runs.unwrap_or(scenario.runs),
        seed: args.seed.unwrap_or(scenario.seed),
        threads: args.threads,
    }
}

/// Prints a value as pretty JSON (every `--json`).
fn print_json(value: &impl serde::Serialize) -> Result<(), Failure> {
    let text = serde_json::to_string_pretty(value)
        .map_err(|e| Failure::Run(format!("cannot write the JSON: {e}")))?;
    emit(&(text + "\n"))
}

/// Writes an HTML report and says so on stderr (stdout keeps the usual output). The path was checked
/// before the work; a failure now (a full disk) is a failed write.
fn write_report(file: &Path, page: &str) -> Result<(), Failure> {
    std::fs::write(file, page)
        .map_err(|e| Failure::Run(format!("cannot write {}: {e}", file.display())))?;
    note(&format!("wrote {}", file.display()));
    Ok(())
}
