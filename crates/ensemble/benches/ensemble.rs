//! Benchmarks: one world, and ensembles at 1 and 2 threads. `cargo bench -p razvilka-ensemble`
//! (`-- --ignored`-style filtering: `cargo bench -p razvilka-ensemble -- million` for the memory one).
use std::sync::atomic::AtomicBool;

use razvilka_ensemble::{run, run_each, EnsembleError, Options, Tally};
use razvilka_world::{builtin_scenario, simulate, Data, Scenario};

/// The allocator of the shipped binary (crates/cli), so the figures are the binary's.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    divan::main();
}

fn seed_scenario() -> (Data, Scenario) {
    let data = Data::builtin().expect("built-in data");
    let text = builtin_scenario("stalin-expelled").expect("scenario");
    let scenario = Scenario::parse(text, "stalin-expelled.toml", &data.context()).expect("parses");
    (data, scenario)
}

/// One world of the seed scenario, 1922–1945.
#[divan::bench]
fn one_world(bencher: divan::Bencher) {
    let (data, scenario) = seed_scenario();
    let mut k = 0;
    bencher.bench_local(|| {
        k += 1;
        simulate(&data, &scenario, scenario.divergence, 7, k).expect("runs")
    });
}

/// An ensemble streamed into its summary as `run --json` does it (worlds folded as they finish).
fn streamed_summary(
    data: &Data,
    scenario: &Scenario,
    options: Options,
) -> razvilka_ensemble::Summary {
    let mut tally = Tally::new(data, scenario, options.seed);
    run_each(
        data,
        scenario,
        options,
        &|| {},
        &AtomicBool::new(false),
        |_, outcome| -> Result<(), EnsembleError> {
            tally.add(&outcome);
            Ok(())
        },
    )
    .expect("runs");
    tally.finish()
}

/// A 10,000-run ensemble of the seed scenario, with its summary, at 1 and 2 threads.
#[divan::bench(args = [1, 2], sample_count = 3, sample_size = 1)]
fn ensemble_10000(bencher: divan::Bencher, threads: usize) {
    let (data, scenario) = seed_scenario();
    let options = Options {
        runs: 10_000,
        seed: 7,
        threads,
    };
    bencher.bench_local(|| streamed_summary(&data, &scenario, options));
}

/// A million-world ensemble streamed into its summary at 2 threads (about two minutes): prints the
/// process's peak resident memory, which must not grow with the number of worlds.
#[divan::bench(sample_count = 1, sample_size = 1)]
fn million_worlds_memory(bencher: divan::Bencher) {
    let (data, scenario) = seed_scenario();
    let options = Options {
        runs: 1_000_000,
        seed: 7,
        threads: 2,
    };
    bencher.bench_local(|| streamed_summary(&data, &scenario, options));
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    if let Some(peak) = status.lines().find(|l| l.starts_with("VmHWM")) {
        eprintln!(
            "million_worlds_memory: peak resident memory {}",
            peak["VmHWM:".len()..].trim()
        );
    }
}

/// Scaling with ensemble size at 2 threads.
#[divan::bench(args = [1_000, 4_000], sample_count = 3, sample_size = 1)]
fn ensemble_runs(bencher: divan::Bencher, runs: u32) {
    let (data, scenario) = seed_scenario();
    let options = Options {
        runs,
        seed: 7,
        threads: 2,
    };
    bencher.bench_local(|| run(&data, &scenario, options, &|| {}).expect("runs"));
}
