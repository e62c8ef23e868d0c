//! The random-draw floor: how many numbers a seed-scenario world draws, from which streams, with how
//! many generator set-ups, and what the world costs as a multiple of drawing those numbers alone at
//! the generator's sequential rate.
//!
//! `cargo bench -p razvilka-ensemble --bench draws --features census`
use std::collections::BTreeMap;
use std::hint::black_box;
use std::time::Instant;

use razvilka_kernel::census::{self, Count};
use razvilka_kernel::{Month, Stream, Streams};
use razvilka_world::{builtin_scenario, simulate, Data, Scenario};

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

const WORLDS: u64 = 200;

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

fn main() {
    let data = Data::builtin().expect("built-in data");
    let text = builtin_scenario("stalin-expelled").expect("scenario");
    let scenario = Scenario::parse(text, "stalin-expelled.toml", &data.context()).expect("parses");

    // The model: WORLDS worlds on this thread, counted, then the same worlds timed without counting.
    census::counting(true);
    for k in 0..WORLDS {
        black_box(simulate(&data, &scenario, scenario.divergence, 7, k).expect("runs"));
    }
    census::counting(false);
    let counts = census::take();
    let start = Instant::now();
    for k in 0..WORLDS {
        black_box(simulate(&data, &scenario, scenario.divergence, 7, k).expect("runs"));
    }
    let per_world = start.elapsed().as_secs_f64() / WORLDS as f64;

    // The floor: the same number of draws from one generator read in order (one set-up).
    let total: Count = counts.values().fold(Count::default(), |a, c| Count {
        setups: a.setups + c.setups,
        draws: a.draws + c.draws,
        skipped: a.skipped + c.skipped,
        repositions: a.repositions + c.repositions,
    });
    let n = 20_000_000u32;
    let streams = Streams::new(7, 0);
    let month: Month = "1930-01".parse().expect("a month");
    let start = Instant::now();
    let mut draws = streams.draws(Stream::named("floor"), month);
    let mut sum = 0.0;
    for i in 0..n {
        sum += draws.uniform(i);
    }
    black_box(sum);
    let per_draw = start.elapsed().as_secs_f64() / n as f64;
    // A set-up alone: keying, positioning and one number.
    let start = Instant::now();
    let setups = 1_000_000u32;
    for i in 0..setups {
        black_box(streams.draws(Stream::named("floor"), month).uniform(i % 4));
    }
    let per_setup = start.elapsed().as_secs_f64() / setups as f64;

    let names = stream_names();
    let w = WORLDS as f64;
    println!("Random draws of one seed-scenario world (mean of {WORLDS} worlds, stalin-expelled):");
    println!(
        "{:<28} {:>10} {:>10} {:>10} {:>12}",
        "stream", "draws", "set-ups", "skipped", "repositions"
    );
    let mut rows: Vec<(&u64, &Count)> = counts.iter().collect();
    rows.sort_by(|a, b| b.1.draws.cmp(&a.1.draws).then(a.0.cmp(b.0)));
    for (id, c) in rows {
        let name = names
            .get(id)
            .cloned()
            .unwrap_or_else(|| format!("{id:#018x}"));
        println!(
            "{name:<28} {:>10.1} {:>10.1} {:>10.1} {:>12.1}",
            c.draws as f64 / w,
            c.setups as f64 / w,
            c.skipped as f64 / w,
            c.repositions as f64 / w
        );
    }
    println!(
        "{:<28} {:>10.1} {:>10.1} {:>10.1} {:>12.1}",
        "all",
        total.draws as f64 / w,
        total.setups as f64 / w,
        total.skipped as f64 / w,
        total.repositions as f64 / w
    );
    let floor = total.draws as f64 / w * per_draw;
    println!();
    println!(
        "cost of a draw read in order:      {:.1} ns",
        per_draw * 1e9
    );
    println!(
        "cost of a generator set-up:        {:.1} ns",
        per_setup * 1e9
    );
    println!(
        "the floor (draws × cost of a draw): {:.1} µs a world",
        floor * 1e6
    );
    println!(
        "set-ups alone (× their cost):      {:.1} µs a world",
        total.setups as f64 / w * per_setup * 1e6
    );
    println!(
        "one world:                         {:.1} µs",
        per_world * 1e6
    );
    println!(
        "the model as a multiple of the floor: {:.0}×",
        per_world / floor
    );
}
