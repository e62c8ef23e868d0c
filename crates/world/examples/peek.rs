//! Prints the event log of one world: `cargo run --example peek -- SCENARIO [RUN]`.
use razvilka_world::{builtin_scenario, simulate, Data, Scenario};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let name = args.get(1).map_or("stalin-expelled", |s| s.as_str());
    let run: u64 = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(0);
    let data = Data::builtin().unwrap_or_else(|e| panic!("{e}"));
    let scenario = Scenario::parse(
        builtin_scenario(name).expect("scenario"),
        name,
        &data.context(),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let result = simulate(&data, &scenario, scenario.divergence, 1, run).unwrap();
    for e in &result.world.log {
        println!("{} {:?} {:?}", e.month, e.origin, e.kind);
    }
    for y in &result.outcome.years {
        println!(
            "{} leader={:?} regime={} rep={:.2} top={:.2} gs={:?}",
            y.year,
            y.leader.map(|p| &data.people.get(p).id),
            y.regime,
            y.repression,
            y.top_share,
            y.general_secretary.map(|p| &data.people.get(p).id)
        );
    }
}
