//! Benchmarks: one world, and ensembles at 1 and 2 threads. `cargo bench -p razvilka-ensemble`.
use razvilka_ensemble::{run, summarize, Options};
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

/// A 10,000-run ensemble of the seed scenario, with its summary, at 1 and 2 threads.
#[divan::bench(args = [1, 2], sample_count = 3, sample_size = 1)]
fn ensemble_10000(bencher: divan::Bencher, threads: usize) {
    let (data, scenario) = seed_scenario();
    let options = Options {
        runs: 10_000,
        seed: 7,
        threads,
    };
    bencher.bench_local(|| {
        let outcomes = run(&data, &scenario, options, &|| {}).expect("runs");
        summarize(&data, &scenario, 7, &outcomes)
    });
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
