//! The random-draw floor: how many numbers a seed-scenario world draws, from which streams, with how
//! many generator set-ups, and what the world costs as a multiple of drawing those numbers alone at
//! the generator's sequential rate.
//!
//! `cargo bench -p razvilka-ensemble --bench draws --features census` prints the census (draws,
//! set-ups and windows by stream) and the floor; without `--features census` only the costs, which are
//! then free of the census's own test on every draw. Wall-clock figures move with the machine's load;
//! for instructions, run the bench binary built without the census under callgrind and read the
//! inclusive cost of `draws::worlds` (200 worlds, twice), `draws::read_in_order` (20,971,520 draws)
//! and `draws::set_ups` (1,000,000 set-ups); docs/benchmarks.md has the commands and figures.
#[cfg(feature = "census")]
use std::collections::BTreeMap;
use std::hint::black_box;
use std::time::Instant;

#[cfg(feature = "census")]
use razvilka_kernel::census::{self, Count};
use razvilka_kernel::{Month, Stream, Streams};
use razvilka_world::{builtin_scenario, simulate, Data, Scenario};

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

const WORLDS: u64 = 200;

#[cfg(feature = "census")]
/// Stream names, by id, from the sources that name them (`Stream::named("...")`), so the table can
/// say which mechanism draws; an id not found is printed in hex.
fn stream_names() -> BTreeMap<u64, String> {
    let crates = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut names = BTreeMap::new();
    let mut dirs = vec![crates];
    while let Some(dir) = dirs.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() && !path.ends_with("target") {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).unwrap_or_default();
                for piece in text.split("Stream::named(\"").skip(1) {
                    if let Some(name) = piece.split('"').next() {
                        names.insert(Stream::named(name).id(), name.to_string());
                    }
                }
            }
        }
    }
    names
}

/// `WORLDS` seed-scenario worlds on this thread (runs 0..WORLDS, seed 7).
#[inline(never)]
fn worlds(data: &Data, scenario: &Scenario) {
    for k in 0..WORLDS {
        black_box(simulate(data, scenario, scenario.divergence, 7, k).expect("runs"));
    }
}

/// Numbers a (stream, month) holds (2^19).
const PER_MONTH: u32 = 1 << 19;

/// Every number of `months` months of one stream, read in order: the generator's sequential rate
/// (one set-up a month, 524,288 draws).
#[inline(never)]
fn read_in_order(streams: &Streams, from: Month, months: u32) -> f64 {
    let mut sum = 0.0;
    for m in 0..months {
        let mut draws = streams.draws(Stream::named("floor"), from.offset(m as i32));
        for i in 0..PER_MONTH {
            sum += draws.uniform(i);
        }
    }
    sum
}

/// `n` (stream, month)s opened and read once each: a set-up (keying, positioning, one window).
#[inline(never)]
fn set_ups(streams: &Streams, month: Month, n: u32) -> f64 {
    let mut sum = 0.0;
    for i in 0..n {
        sum += streams.draws(Stream::named("floor"), month).uniform(i % 4);
    }
    sum
}

fn main() {
    let data = Data::builtin().expect("built-in data");
    let text = builtin_scenario("stalin-expelled").expect("scenario");
    let scenario = Scenario::parse(text, "stalin-expelled.toml", &data.context()).expect("parses");

    // The model: WORLDS worlds on this thread (counted, with the census), then the same worlds timed
    // without counting.
    #[cfg(feature = "census")]
    census::counting(true);
    worlds(&data, &scenario);
    #[cfg(feature = "census")]
    census::counting(false);
    let start = Instant::now();
    worlds(&data, &scenario);
    let per_world = start.elapsed().as_secs_f64() / WORLDS as f64;

    // The floor: the same number of draws from one generator read in order (one set-up).
    let streams = Streams::new(7, 0);
    let month: Month = "1930-01".parse().expect("a month");
    let months = 40;
    let start = Instant::now();
    black_box(read_in_order(&streams, month, months));
    let per_draw = start.elapsed().as_secs_f64() / (months * PER_MONTH) as f64;
    let setups = 1_000_000u32;
    let start = Instant::now();
    black_box(set_ups(&streams, month, setups));
    let per_setup = start.elapsed().as_secs_f64() / setups as f64;

    println!(
        "cost of a draw read in order:       {:.1} ns",
        per_draw * 1e9
    );
    println!(
        "cost of a set-up (one window):      {:.1} ns",
        per_setup * 1e9
    );
    println!(
        "one world:                          {:.1} µs",
        per_world * 1e6
    );
    #[cfg(feature = "census")]
    print_census(per_draw, per_setup, per_world);
}

/// The census of the first pass over the worlds, by stream, and the model as a multiple of the floor.
#[cfg(feature = "census")]
fn print_census(per_draw: f64, per_setup: f64, per_world: f64) {
    let counts = census::take();
    let total: Count = counts.values().fold(Count::default(), |a, c| Count {
        opened: a.opened + c.opened,
        setups: a.setups + c.setups,
        refills: a.refills + c.refills,
        repositions: a.repositions + c.repositions,
        draws: a.draws + c.draws,
    });
    let names = stream_names();
    let w = WORLDS as f64;
    println!("Random draws of one seed-scenario world (mean of {WORLDS} worlds, stalin-expelled):");
    println!(
        "{:<20} {:>9} {:>9} {:>9} {:>9} {:>11} {:>9}",
        "stream", "draws", "opened", "set-ups", "windows", "repositions", "used"
    );
    let row = |name: &str, c: &Count| {
        // The share of the numbers computed (8 a window, one ChaCha block) that were read.
        let used = c.draws as f64 / (8.0 * c.refills.max(1) as f64);
        println!(
            "{name:<20} {:>9.1} {:>9.1} {:>9.1} {:>9.1} {:>11.1} {:>8.0}%",
            c.draws as f64 / w,
            c.opened as f64 / w,
            c.setups as f64 / w,
            c.refills as f64 / w,
            c.repositions as f64 / w,
            100.0 * used
        );
    };
    let mut rows: Vec<(&u64, &Count)> = counts.iter().collect();
    rows.sort_by(|a, b| b.1.draws.cmp(&a.1.draws).then(a.0.cmp(b.0)));
    for (id, c) in rows {
        let name = names
            .get(id)
            .cloned()
            .unwrap_or_else(|| format!("{id:#018x}"));
        row(&name, c);
    }
    row("all", &total);
    let floor = total.draws as f64 / w * per_draw;
    println!();
    println!(
        "the floor (draws × cost of a draw): {:.1} µs a world",
        floor * 1e6
    );
    println!(
        "windows (× the cost of a set-up):   {:.1} µs a world (at most)",
        total.refills as f64 / w * per_setup * 1e6
    );
    println!(
        "the model as a multiple of the floor: {:.0}×",
        per_world / floor
    );
}
