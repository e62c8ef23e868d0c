//! The error of the Sobol' estimators on the Ishigami function, by design size and sampling, over
//! 20 seeds: `cargo run --release -p razvilka-analysis --example ishigami`.

use razvilka_analysis::sobol::{indices, Design};
use std::f64::consts::PI;

fn ishigami(x: &[f64]) -> f64 {
    let (a, b) = (7.0, 0.1);
    let [x1, x2, x3] = [x[0], x[1], x[2]].map(|u| -PI + 2.0 * PI * u);
    x1.sin() + a * x2.sin().powi(2) + b * x3.powi(4) * x1.sin()
}

fn analytic() -> [(f64, f64); 3] {
    let (a, b) = (7.0_f64, 0.1_f64);
    let v = a * a / 8.0 + b * PI.powi(4) / 5.0 + b * b * PI.powi(8) / 18.0 + 0.5;
    let v1 = (1.0 + b * PI.powi(4) / 5.0).powi(2) / 2.0;
    let v2 = a * a / 8.0;
    let v13 = b * b * PI.powi(8) * (1.0 / 18.0 - 1.0 / 50.0);
    [(v1 / v, (v1 + v13) / v), (v2 / v, v2 / v), (0.0, v13 / v)]
}

fn main() {
    let truth = analytic();
    println!("sampling  n      largest |error| over 6 indices: median, worst of 20 seeds   totals' CIs missing");
    for (name, build) in [
        ("sobol'", Design::new as fn(usize, usize, u64) -> Design),
        ("uniform", Design::uniform),
    ] {
        for log_n in 10..=15 {
            let n = 1 << log_n;
            let (mut per_seed, mut misses) = (Vec::new(), 0);
            for seed in 0..20 {
                let mut largest = 0.0_f64;
                let design = build(n, 3, seed);
                let outputs: Vec<f64> = (0..design.len())
                    .map(|k| ishigami(&design.point(k)))
                    .collect();
                let found = indices(&design, &outputs, 500, seed).expect("Ishigami varies");
                for (index, (first, total)) in found.iter().zip(truth) {
                    largest = largest.max((index.first - first).abs());
                    largest = largest.max((index.total - total).abs());
                    if !(index.total_ci[0] <= total && total <= index.total_ci[1]) {
                        misses += 1;
                    }
                }
                per_seed.push(largest);
            }
            per_seed.sort_by(f64::total_cmp);
            let (median, worst) = (per_seed[per_seed.len() / 2], per_seed[per_seed.len() - 1]);
            println!("{name:8}  {n:5}  {median:.4}, {worst:.4}   {misses}/60");
        }
    }
}
