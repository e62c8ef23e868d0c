//! Prints one world's economic accounts: `cargo run --release --example economy -- SCENARIO [RUN]`.
use razvilka_world::{builtin_scenario, simulate, Data, Scenario};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let name = args.get(1).map_or("otl", |s| s.as_str());
    let run: u64 = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(0);
    let data = Data::builtin().unwrap_or_else(|e| panic!("{e}"));
    let text = builtin_scenario(name)
        .map(str::to_string)
        .unwrap_or_else(|| std::fs::read_to_string(name).expect("scenario file"));
    let scenario = Scenario::parse(&text, name, &data.context()).unwrap_or_else(|e| panic!("{e}"));
    let r = simulate(&data, &scenario, scenario.divergence, 1, run).unwrap();
    println!("year policy          gdp   ind   agr  grain  proc  cons urban famine  mil  lvstk coll  wthr crisis");
    for y in &r.outcome.years {
        if let Some(e) = y.economy {
            println!(
                "{} {:<16}{:5.2} {:5.2} {:5.2} {:5.1} {:5.1} {:5.2} {:5.3} {:5.2} {:5.2} {:5.2} {:5.2} {:5.2} {}",
                e.year, y.policy.id(), e.gdp, e.industry, e.agriculture, e.grain, e.procurement,
                e.consumption_per_head, e.urban, e.famine_deaths, e.military, e.livestock, e.collectivized, e.weather, e.crisis
            );
        }
    }
}
