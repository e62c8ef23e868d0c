//! The razvilka command line. It holds no model logic: it reads files, calls the library, and prints.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use indicatif::{ProgressBar, ProgressStyle};
use razvilka_analysis::{claims, export, html, narrative, report, sensitivity, validate};
use razvilka_ensemble::Options;
use razvilka_kernel::Diagnostic;
use razvilka_world::{builtin_scenario, Data, Scenario, BUILTIN_SCENARIOS};

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
    /// Read the data files (people, events, calendar, assumptions) from this directory instead of the
    /// built-in copies.
    #[arg(long, global = true, value_name = "DIR")]
    data: Option<PathBuf>,
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
  razvilka validate                             the baseline against recorded history
  razvilka claims                               the thread's claims, with verdicts, and its questions
  razvilka sensitivity stalin-expelled --output war_outcome=soviet_collapse
  razvilka assumptions                          every parameter, its value and its source
  razvilka serve --port 8080                    the web application on http://127.0.0.1:8080";

#[derive(Subcommand)]
enum Command {
    /// Run an ensemble of one scenario and report the distribution of outcomes.
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
    },
    /// Run twin pairs of two scenarios and report how often the divergence changed each outcome.
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
    },
    /// Tell one sampled world as dated prose, with its divergences from recorded history marked.
    Timeline {
        scenario: String,
        /// Which world of the ensemble (0-based).
        #[arg(long, default_value_t = 0)]
        run: u64,
        #[arg(long)]
        seed: Option<u64>,
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Parse and check a scenario file; exit status 2 with a located error if it is wrong.
    Check { scenario: String },
    /// Run the actual-history baseline and the free run against the calibration targets.
    Validate {
        #[arg(long, default_value_t = 2000, value_parser = clap::value_parser!(u32).range(1..=1_000_000))]
        runs: u32,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        #[arg(long, default_value_t = 0, value_parser = threads_in_range)]
        threads: usize,
        #[arg(long)]
        json: bool,
    },
    /// Test the thread's claims (data/claims.toml): each claim's answer in its world and its baseline,
    /// with 95% intervals, a verdict, and the assumptions that move it most.
    Claims {
        /// Worlds (or twin pairs) per claim's pair of scenarios, 1 to 1,000,000.
        #[arg(long, default_value_t = 2000, value_parser = clap::value_parser!(u32).range(1..=1_000_000))]
        runs: u32,
        /// Worlds (or twin pairs) with the assumptions drawn from their priors, for the sensitivity,
        /// 10 to 1,000,000.
        #[arg(long, default_value_t = 3000, value_parser = clap::value_parser!(u32).range(10..=1_000_000))]
        prior_runs: u32,
        #[arg(long, default_value_t = 1)]
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
    },
    /// Which assumptions move an output: Sobol' indices over every assumption with a prior (and the
    /// world's own luck), or a one-at-a-time tornado (docs/sensitivity.md).
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
        #[arg(long, default_value_t = 20)]
        top: usize,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        #[arg(long, default_value_t = 0, value_parser = threads_in_range)]
        threads: usize,
        #[arg(long)]
        json: bool,
    },
    /// Serve the simulator as a web application on this machine: a scenario builder, results with
    /// charts, timelines, the claims, sensitivity, and a JSON API (docs/web.md, docs/api.md).
    Serve {
        #[arg(long, default_value_t = 8080)]
        port: u16,
        #[arg(long, default_value = "127.0.0.1")]
        host: String,
        /// The SQLite file of saved scenarios, created on first start.
        #[arg(long, default_value = "razvilka.db", value_name = "PATH")]
        db: PathBuf,
        /// Worlds per request, at most.
        #[arg(long, default_value_t = 20_000, value_parser = clap::value_parser!(u32).range(1..=1_000_000))]
        max_runs: u32,
        /// Simulations running at once, at most (further requests get 429).
        #[arg(long, default_value_t = 2)]
        max_concurrent: usize,
        /// A request's time budget in seconds; a simulation still running then is cancelled (504).
        #[arg(long, default_value_t = 30, value_parser = clap::value_parser!(u64).range(1..=86_400))]
        timeout_secs: u64,
        /// Request bodies larger than this get 413.
        #[arg(long, default_value_t = 65_536)]
        max_body_bytes: usize,
        /// Worker threads of each simulation (0: one per core).
        #[arg(long, default_value_t = 0, value_parser = threads_in_range)]
        threads: usize,
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
    #[arg(long)]
    seed: Option<u64>,
    /// Worker threads, up to 256 (default 0: one per core). Results do not depend on it.
    #[arg(long, default_value_t = 0, value_parser = threads_in_range)]
    threads: usize,
}

/// Worker threads: 0 (one per core) to 256.
fn threads_in_range(text: &str) -> Result<usize, String> {
    let n: usize = text
        .parse()
        .map_err(|_| format!("`{text}` is not a whole number"))?;
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

/// A failure: bad input (exit 2) or a failed run or validation (exit 1).
enum Failure {
    Input(String),
    Run(String),
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
            eprintln!("{message}");
            ExitCode::from(2)
        }
        Err(Failure::Run(message)) => {
            eprintln!("error: {message}");
            ExitCode::from(1)
        }
    }
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
        let text = std::fs::read_to_string(path)
            .map_err(|e| Failure::Input(format!("error: cannot read {arg}: {e}")))?;
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

fn progress_bar(runs: u64, label: &str) -> ProgressBar {
    if !std::io::stderr().is_terminal() || runs < 500 {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(runs);
    bar.set_style(
        ProgressStyle::with_template("{msg} {bar:40} {pos}/{len} worlds, {eta} left")
            .expect("valid template"),
    );
    bar.set_message(label.to_string());
    bar
}

fn options(scenario: &Scenario, args: &EnsembleArgs) -> Options {
    Options {
        runs: args.runs.unwrap_or(scenario.runs),
        seed: args.seed.unwrap_or(scenario.seed),
        threads: args.threads,
    }
}

/// Writes an HTML report and says so on stderr (stdout keeps the usual output).
/// Prints a value as pretty JSON (every `--json`).
fn print_json(value: &impl serde::Serialize) {
    println!(
        "{}",
        serde_json::to_string_pretty(value).expect("serialisable")
    );
}

fn write_report(file: &Path, page: &str) -> Result<(), Failure> {
    std::fs::write(file, page)
        .map_err(|e| Failure::Input(format!("error: cannot write {}: {e}", file.display())))?;
    eprintln!("wrote {}", file.display());
    Ok(())
}

fn execute(cli: Cli) -> Result<ExitCode, Failure> {
    let data = load_data(&cli.data)?;
    match cli.command {
        Command::Run {
            scenario,
            ensemble,
            json,
            report: report_file,
            out,
            series,
        } => {
            // A wrong extension fails before the ensemble runs, not after.
            if let Some(path) = &out {
                export::Format::from_path(path)
                    .map_err(|e| Failure::Input(format!("error: {e}")))?;
            }
            let scenario = load_scenario(&data, &scenario)?;
            let opts = options(&scenario, &ensemble);
            let bar = progress_bar(opts.runs as u64, &scenario.name);
            let outcomes = razvilka_ensemble::run(&data, &scenario, opts, &|| bar.inc(1))
                .map_err(|e| Failure::Run(e.to_string()))?;
            bar.finish_and_clear();
            let summary = razvilka_ensemble::summarize(&data, &scenario, opts.seed, &outcomes);
            if let Some(path) = &out {
                let format = export::write_runs(path, &data, opts.seed, &outcomes, series)
                    .map_err(|e| Failure::Run(e.to_string()))?;
                eprintln!(
                    "wrote {} runs to {} ({format})",
                    outcomes.len(),
                    path.display()
                );
            }
            if json {
                print_json(&summary);
            } else {
                let sample =
                    razvilka_world::simulate(&data, &scenario, scenario.divergence, opts.seed, 0)
                        .map_err(|e| Failure::Run(e.to_string()))?;
                print!(
                    "{}",
                    report::run_report(&data, &scenario, &summary, &sample)
                );
            }
            if let Some(file) = report_file {
                let sample =
                    razvilka_world::simulate(&data, &scenario, scenario.divergence, opts.seed, 0)
                        .map_err(|e| Failure::Run(e.to_string()))?;
                let registry = data.registry_for(&scenario);
                let page =
                    html::run_page(&data, &scenario, &registry, &summary, &outcomes, &sample);
                write_report(&file, &page)?;
            }
        }
        Command::Compare {
            a,
            b,
            ensemble,
            json,
            report: report_file,
        } => {
            let a = load_scenario(&data, &a)?;
            let b = load_scenario(&data, &b)?;
            let opts = options(&b, &ensemble);
            let bar = progress_bar(opts.runs as u64, "twins");
            let pairs = razvilka_ensemble::run_pairs(&data, &a, &b, opts, &|| bar.inc(1))
                .map_err(|e| Failure::Run(e.to_string()))?;
            bar.finish_and_clear();
            let comparison = razvilka_ensemble::compare(&data, &a, &b, opts.seed, &pairs);
            if json {
                print_json(&comparison);
            } else {
                print!("{}", report::compare_report(&comparison));
            }
            if let Some(file) = report_file {
                write_report(&file, &html::compare_page(&data, &a, &b, &comparison))?;
            }
        }
        Command::Timeline {
            scenario,
            run,
            seed,
            format,
        } => {
            let scenario = load_scenario(&data, &scenario)?;
            let seed = seed.unwrap_or(scenario.seed);
            let world = razvilka_world::simulate(&data, &scenario, scenario.divergence, seed, run)
                .map_err(|e| Failure::Run(e.to_string()))?;
            let timeline = narrative::Timeline::of(&data, &scenario, &world, seed, run);
            let text = match format {
                Format::Text => timeline.text(),
                Format::Md => timeline.markdown(),
                Format::Bbcode => timeline.bbcode(),
                Format::Json => {
                    serde_json::to_string_pretty(&timeline).expect("serialisable") + "\n"
                }
            };
            print!("{text}");
        }
        Command::Check { scenario } => {
            let s = load_scenario(&data, &scenario)?;
            println!(
                "{}: ok — {} ({} to {}, history replayed before {}, {} intervention{})",
                scenario,
                s.title,
                s.start,
                s.end,
                s.divergence,
                s.interventions.len(),
                if s.interventions.len() == 1 { "" } else { "s" }
            );
        }
        Command::Validate {
            runs,
            seed,
            threads,
            json,
        } => {
            let targets = validate::targets(&data)?;
            let mut rows = Vec::new();
            for (name, kind) in [
                ("otl", validate::RunKind::Baseline),
                ("free-1922", validate::RunKind::Free),
            ] {
                let scenario = load_scenario(&data, name)?;
                let opts = Options {
                    runs,
                    seed,
                    threads,
                };
                let bar = progress_bar(runs as u64, name);
                let outcomes = razvilka_ensemble::run(&data, &scenario, opts, &|| bar.inc(1))
                    .map_err(|e| Failure::Run(e.to_string()))?;
                bar.finish_and_clear();
                rows.extend(
                    targets
                        .iter()
                        .filter(|t| t.run() == kind)
                        .map(|t| t.check(&data, &outcomes)),
                );
            }
            let all_pass = rows.iter().all(|r| r.pass || r.report);
            if json {
                let out = serde_json::json!({ "runs": runs, "seed": seed, "pass": all_pass, "targets": rows });
                print_json(&out);
            } else {
                print!("{}", validate::table(&rows));
            }
            if !all_pass {
                return Ok(ExitCode::from(1));
            }
        }
        Command::Claims {
            runs,
            prior_runs,
            seed,
            threads,
            file,
            report: report_file,
            json,
            markdown,
        } => {
            // The claims honour --data: a directory of edited data has its own claims.toml.
            let path = file
                .clone()
                .or_else(|| cli.data.as_ref().map(|d| d.join("claims.toml")));
            let (text, name) = match &path {
                Some(path) => (
                    std::fs::read_to_string(path).map_err(|e| {
                        Failure::Input(format!("error: cannot read {}: {e}", path.display()))
                    })?,
                    path.display().to_string(),
                ),
                None => (claims::CLAIMS.to_string(), "data/claims.toml".to_string()),
            };
            let list = claims::parse(&text, &name, &data)?;
            let settings = claims::Settings {
                runs,
                prior_runs,
                seed,
                threads,
            };
            // One tick per world or twin pair, in each group of claims about the same worlds.
            let bar = progress_bar(list.work(settings), "claims");
            let answers = claims::evaluate(&data, &list, settings, &|| bar.inc(1))
                .map_err(|e| Failure::Run(e.to_string()))?;
            bar.finish_and_clear();
            if json {
                print_json(&answers);
            } else if markdown {
                print!("{}", claims::markdown(&answers, settings));
            } else {
                print!("{}", claims::table(&answers, settings));
            }
            if let Some(file) = report_file {
                write_report(&file, &claims::page(&answers, settings))?;
            }
        }
        Command::Sensitivity {
            scenario,
            output,
            tornado,
            n,
            resamples,
            worlds_per_point,
            runs,
            top,
            seed,
            threads,
            json,
        } => {
            let scenario = load_scenario(&data, &scenario)?;
            let output = sensitivity::Output::parse(&output, &data)
                .map_err(|e| Failure::Input(format!("error: {e}")))?;
            let settings = sensitivity::Settings {
                n: n as usize,
                resamples: resamples as usize,
                worlds_per_point,
                runs,
                seed,
                threads,
            };
            let inputs = sensitivity::factors(&data.registry_for(&scenario), &scenario).len();
            let fail = |e: sensitivity::SensitivityError| Failure::Run(e.to_string());
            let text = if tornado {
                let bar = progress_bar((2 * inputs as u64 + 1) * runs as u64, "tornado");
                let t = sensitivity::tornado(&data, &scenario, &output, settings, &|| bar.inc(1))
                    .map_err(fail)?;
                bar.finish_and_clear();
                if json {
                    print_json(&t);
                    String::new()
                } else {
                    sensitivity::tornado_table(&t, top)
                }
            } else {
                let bar = progress_bar(n as u64 * (inputs as u64 + 3), "sobol points");
                let r = sensitivity::sobol(&data, &scenario, &output, settings, &|| bar.inc(1))
                    .map_err(fail)?;
                bar.finish_and_clear();
                if json {
                    print_json(&r);
                    String::new()
                } else {
                    sensitivity::sobol_table(&r, top)
                }
            };
            print!("{text}");
        }
        Command::Serve {
            port,
            host,
            db,
            max_runs,
            max_concurrent,
            timeout_secs,
            max_body_bytes,
            threads,
        } => {
            let config = razvilka_web::Config {
                host,
                port,
                db,
                max_runs,
                max_concurrent,
                timeout: std::time::Duration::from_secs(timeout_secs),
                max_body_bytes,
                threads,
                ..razvilka_web::Config::default()
            };
            let runtime = tokio::runtime::Runtime::new()
                .map_err(|e| Failure::Run(format!("cannot start the server's runtime: {e}")))?;
            runtime
                .block_on(razvilka_web::serve(config))
                .map_err(|e| Failure::Run(e.to_string()))?;
        }
        Command::Assumptions { json } => {
            if json {
                let list: Vec<_> = data.registry.assumptions().iter().collect();
                print_json(&list);
            } else {
                print!("{}", report::assumptions_table(&data.registry));
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
