//! The Sobol' estimators against functions whose indices are known in closed form.

use razvilka_analysis::sobol::{indices, rank, Design, Index, SobolError};
use std::f64::consts::PI;

/// The smallest power of two at which every Ishigami index lands within 0.01 of its analytic value
/// for every seed tried (see `docs/sensitivity.md`: at n = 4096 one seed in 20 misses by 0.017).
const ISHIGAMI_N: usize = 8192;
const ISHIGAMI_SEEDS: [u64; 5] = [1, 2, 3, 4, 5];
const RESAMPLES: usize = 500;

/// Ishigami's function with a = 7, b = 0.1, the unit cube mapped onto [−π, π]³.
fn ishigami(x: &[f64]) -> f64 {
    let (a, b) = (7.0, 0.1);
    let [x1, x2, x3] = [x[0], x[1], x[2]].map(|u| -PI + 2.0 * PI * u);
    x1.sin() + a * x2.sin().powi(2) + b * x3.powi(4) * x1.sin()
}

/// (first, total) of x1, x2, x3 from the closed forms.
fn ishigami_analytic() -> [(f64, f64); 3] {
    let (a, b) = (7.0_f64, 0.1_f64);
    let v = a * a / 8.0 + b * PI.powi(4) / 5.0 + b * b * PI.powi(8) / 18.0 + 0.5;
    let v1 = (1.0 + b * PI.powi(4) / 5.0).powi(2) / 2.0;
    let v2 = a * a / 8.0;
    let v13 = b * b * PI.powi(8) * (1.0 / 18.0 - 1.0 / 50.0);
    [(v1 / v, (v1 + v13) / v), (v2 / v, v2 / v), (0.0, v13 / v)]
}

fn evaluate(design: &Design, f: impl Fn(&[f64]) -> f64) -> Vec<f64> {
    (0..design.len()).map(|k| f(&design.point(k))).collect()
}

/// The largest |estimate − analytic| over the first and total indices.
fn largest_error(found: &[Index], truth: &[(f64, f64)]) -> f64 {
    assert_eq!(found.len(), truth.len());
    found
        .iter()
        .zip(truth)
        .map(|(index, (first, total))| (index.first - first).abs().max((index.total - total).abs()))
        .fold(0.0, f64::max)
}

#[test]
fn ishigami_closed_forms_agree_with_the_published_decimals() {
    let published = [(0.3139, 0.5576), (0.4424, 0.4424), (0.0, 0.2437)];
    for ((first, total), (want_first, want_total)) in ishigami_analytic().into_iter().zip(published)
    {
        assert!(
            (first - want_first).abs() < 5e-5,
            "S = {first}, published {want_first}"
        );
        assert!(
            (total - want_total).abs() < 5e-5,
            "ST = {total}, published {want_total}"
        );
    }
}

#[test]
fn ishigami_indices_are_right_to_two_decimals_for_five_seeds() {
    let truth = ishigami_analytic();
    for seed in ISHIGAMI_SEEDS {
        let design = Design::new(ISHIGAMI_N, 3, seed);
        let found = indices(&design, &evaluate(&design, ishigami), RESAMPLES, seed).unwrap();
        let error = largest_error(&found, &truth);
        assert!(
            error < 0.01,
            "seed {seed}: largest error {error:.4}, found {found:?}"
        );
        for (i, (index, (first, total))) in found.iter().zip(truth).enumerate() {
            let [low, high] = index.total_ci;
            assert!(
                low <= total && total <= high,
                "seed {seed}, x{}: ST = {total} outside [{low}, {high}]",
                i + 1
            );
            let [low, high] = index.first_ci;
            assert!(
                low <= first && first <= high,
                "seed {seed}, x{}: S = {first} outside [{low}, {high}]",
                i + 1
            );
            assert!(
                high - low < 0.2,
                "seed {seed}, x{}: interval [{low}, {high}] says nothing",
                i + 1
            );
        }
        assert_eq!(rank(&found), vec![0, 1, 2]);
    }
}

/// Outputs evaluated at the right points but handed over with the A and B blocks exchanged: the
/// first-order formula then reads f(A)·(f(AB_i) − f(B)), which estimates 1 − ST_i, not S_i.
#[test]
fn ishigami_check_catches_a_and_b_swapped() {
    let truth = ishigami_analytic();
    let n = ISHIGAMI_N;
    let design = Design::new(n, 3, 1);
    let mut outputs = evaluate(&design, ishigami);
    let (a, rest) = outputs.split_at_mut(n);
    a.swap_with_slice(&mut rest[..n]);
    let found = indices(&design, &outputs, RESAMPLES, 1).unwrap();
    let error = largest_error(&found, &truth);
    assert!(
        error > 0.05,
        "a swapped layout is off by only {error:.4}: {found:?}"
    );
    // It is the first-order indices that go wrong: they land near 1 − ST_i.
    for (index, (_, total)) in found.iter().zip(truth) {
        assert!((index.first - (1.0 - total)).abs() < 0.02, "{found:?}");
    }
}

/// AB blocks handed over in reverse order (x3's first): the indices of x1 and x3 change places.
#[test]
fn ishigami_check_catches_the_ab_blocks_out_of_order() {
    let truth = ishigami_analytic();
    let n = ISHIGAMI_N;
    let design = Design::new(n, 3, 2);
    let outputs = evaluate(&design, ishigami);
    let mut reordered = outputs[..2 * n].to_vec();
    for input in (0..3).rev() {
        reordered.extend_from_slice(&outputs[(2 + input) * n..(3 + input) * n]);
    }
    let found = indices(&design, &reordered, RESAMPLES, 2).unwrap();
    let error = largest_error(&found, &truth);
    assert!(
        error > 0.05,
        "a misordered layout is off by only {error:.4}: {found:?}"
    );
}

#[test]
fn linear_function_indices_are_the_shares_of_squared_coefficients() {
    // With independent uniform inputs, Var(c_i x_i) ∝ c_i², and there are no interactions.
    let coefficients = [3.0, -2.0, 1.0, 0.0];
    let sum_of_squares: f64 = coefficients.iter().map(|c| c * c).sum();
    let design = Design::new(4096, coefficients.len(), 11);
    let outputs = evaluate(&design, |x| {
        x.iter().zip(coefficients).map(|(x, c)| c * x).sum()
    });
    let found = indices(&design, &outputs, RESAMPLES, 11).unwrap();
    for (i, (index, c)) in found.iter().zip(coefficients).enumerate() {
        let share = c * c / sum_of_squares;
        assert!(
            (index.first - share).abs() < 0.01,
            "x{i}: S = {}, want {share}",
            index.first
        );
        assert!(
            (index.total - share).abs() < 0.01,
            "x{i}: ST = {}, want {share}",
            index.total
        );
    }
    let inert = found[3];
    assert!(
        inert.first.abs() < 1e-12 && inert.total.abs() < 1e-12,
        "{inert:?}"
    );
    assert!(inert.total_ci[1].abs() < 1e-12, "{inert:?}");
    assert_eq!(rank(&found), vec![0, 1, 2, 3]);
}

#[test]
fn design_points_follow_the_documented_layout() {
    let (n, d) = (64, 5);
    let design = Design::new(n, d, 3);
    assert_eq!(design.len(), n * (d + 2));
    for row in 0..n {
        let a = design.point(row);
        let b = design.point(n + row);
        assert!(
            a.iter().chain(&b).all(|u| (0.0..1.0).contains(u)),
            "{a:?} {b:?}"
        );
        assert!(
            a.iter().zip(&b).all(|(x, y)| x != y),
            "A and B share a value in row {row}"
        );
        for input in 0..d {
            let ab = design.point((2 + input) * n + row);
            for column in 0..d {
                let want = if column == input {
                    b[column]
                } else {
                    a[column]
                };
                assert_eq!(ab[column], want, "AB_{input}, row {row}, column {column}");
            }
        }
        let mut written = vec![f64::NAN; d];
        design.point_into(3 * n + row, &mut written);
        assert_eq!(written, design.point(3 * n + row));
    }
}

#[test]
fn columns_are_stratified_on_the_unit_interval() {
    // The first 2^m points of a scrambled Sobol' sequence put exactly 2^m / 16 values of each column
    // in each sixteenth of [0, 1): 1024 points, 64 per bin. Independent draws would scatter.
    let (n, d) = (1024, 4);
    let design = Design::new(n, d, 5);
    for column in 0..d {
        for (block, name) in ["A", "B"].into_iter().enumerate() {
            let mut bins = [0; 16];
            for row in 0..n {
                bins[(design.point(block * n + row)[column] * 16.0) as usize] += 1;
            }
            assert_eq!(bins, [64; 16], "column {column} of {name}");
        }
    }
}

#[test]
fn designs_past_the_sequence_limits_use_fresh_scrambles() {
    // 300 inputs: A takes dimensions 0..300 and B 300..600 of a sequence with 256 per scramble.
    let design = Design::new(8, 300, 9);
    let a = design.point(0);
    let b = design.point(8);
    // A's column 256 and B's column 212 (dimension 512) reuse dimension 0 under fresh scrambles.
    assert_ne!(a[0], a[256]);
    assert_ne!(a[0], b[212]);
    assert_ne!(a[256], b[212]);
    // 70,000 rows: row 65,536 starts a fresh scramble, not a repeat of row 0.
    let n = 70_000;
    let design = Design::new(n, 2, 9);
    assert_ne!(design.point(0), design.point(1 << 16));
    let mean = (0..n).map(|row| design.point(row)[0]).sum::<f64>() / n as f64;
    assert!((mean - 0.5).abs() < 0.005, "mean {mean}");
}

#[test]
fn same_seed_gives_identical_designs_and_indices() {
    let design = Design::new(512, 3, 42);
    assert_eq!(design, Design::new(512, 3, 42));
    assert_ne!(design, Design::new(512, 3, 43));
    let outputs = evaluate(&design, ishigami);
    let first = indices(&design, &outputs, 200, 7).unwrap();
    assert_eq!(first, indices(&design, &outputs, 200, 7).unwrap());
    // Another bootstrap seed moves the intervals, never the estimates.
    let other = indices(&design, &outputs, 200, 8).unwrap();
    assert!(first
        .iter()
        .zip(&other)
        .all(|(x, y)| x.first == y.first && x.total == y.total));
    assert_ne!(first, other);
    assert_eq!(Design::uniform(64, 2, 1), Design::uniform(64, 2, 1));
    assert_ne!(Design::uniform(64, 2, 1), Design::uniform(64, 2, 2));
}

#[test]
fn rank_orders_by_total_index_largest_first() {
    let index = |total| Index {
        first: 0.0,
        total,
        first_ci: [0.0, 0.0],
        total_ci: [total, total],
    };
    assert_eq!(
        rank(&[index(0.1), index(0.7), index(0.0), index(0.3)]),
        vec![1, 3, 0, 2]
    );
    assert_eq!(rank(&[index(0.2), index(0.2)]), vec![0, 1]);
    assert!(rank(&[]).is_empty());
}

#[test]
fn wrong_output_length_is_refused() {
    let design = Design::new(16, 3, 1);
    let outputs = vec![1.0; design.len() - 1];
    let error = indices(&design, &outputs, 100, 1).unwrap_err();
    assert_eq!(
        error,
        SobolError::WrongLength {
            expected: 80,
            got: 79,
            n: 16,
            d: 3
        }
    );
    assert!(error.to_string().contains("expected 80 outputs"), "{error}");
}

#[test]
fn constant_output_is_refused_as_undefined() {
    let design = Design::new(16, 3, 1);
    let error = indices(&design, &vec![2.5; design.len()], 100, 1).unwrap_err();
    assert_eq!(error, SobolError::ZeroVariance);
    assert_eq!(
        error.to_string(),
        "the output does not vary over the design; indices are undefined"
    );
}

#[test]
fn non_finite_output_too_few_rows_no_inputs_and_no_resamples_are_refused() {
    let design = Design::new(16, 2, 1);
    let mut outputs = evaluate(&design, |x| x[0] + x[1]);
    assert_eq!(
        indices(&design, &outputs, 0, 1),
        Err(SobolError::NoResamples)
    );
    outputs[37] = f64::NAN;
    match indices(&design, &outputs, 100, 1) {
        Err(SobolError::NotFinite { index: 37, value }) => assert!(value.is_nan()),
        other => panic!("expected a NotFinite error at 37, got {other:?}"),
    }
    let single = Design::new(1, 2, 1);
    let outputs = evaluate(&single, |x| x[0]);
    assert_eq!(
        indices(&single, &outputs, 100, 1),
        Err(SobolError::TooFewRows { n: 1 })
    );
    let empty = Design::new(8, 0, 1);
    let outputs = evaluate(&empty, |_| 1.0);
    assert_eq!(indices(&empty, &outputs, 100, 1), Err(SobolError::NoInputs));
}
