//! A standing mutation campaign over the shipped scenarios and data files, for a fixed budget inside
//! `cargo test`: each case edits one file the way a researcher's slip or a corrupted copy would (a
//! number made NaN, infinite, negative or huge; an id, a date or a line changed, dropped, doubled or
//! swapped; a byte inserted), then checks the program's promises. No panic (proptest reports one as a
//! failure, with the smallest case). Every refusal located at a line and column. Every accepted file
//! yields worlds with finite numbers. No hang: a watchdog ends the run, naming the case, if one case
//! takes over a minute. `RAZVILKA_FUZZ_CASES` raises the budget for a longer campaign.

use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use razvilka_world::{builtin_scenario, simulate, Data, Scenario, BUILTIN_SCENARIOS, DATA_FILES};

/// What a mutation puts in place of a number.
const NUMBERS: [&str; 12] = [
    "nan", "inf", "-inf", "-1", "0", "1e308", "-1e308", "1.5", "99999", "0.5", "2", "-0.0",
];
/// What a mutation puts in place of a quoted string.
const STRINGS: [&str; 12] = [
    "\"stalin\"",
    "\"lenin\"",
    "\"\"",
    "\"1924-13\"",
    "\"1924-02-30\"",
    "\"1899-01\"",
    "\"1960-01\"",
    "\"general_secretary\"",
    "\"politburo\"",
    "\"expel\"",
    "\"collectivization\"",
    "\"1941-06\"",
];

#[derive(Clone, Debug)]
enum Mutation {
    /// Replace the n-th number with NUMBERS[k].
    Number(usize, usize),
    /// Replace the n-th quoted string with STRINGS[k].
    Text(usize, usize),
    DropLine(usize),
    DoubleLine(usize),
    SwapLines(usize, usize),
    /// Insert a byte (possibly not UTF-8) at an offset.
    Byte(usize, u8),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        3 => (any::<usize>(), 0..NUMBERS.len()).prop_map(|(n, k)| Mutation::Number(n, k)),
        3 => (any::<usize>(), 0..STRINGS.len()).prop_map(|(n, k)| Mutation::Text(n, k)),
        1 => any::<usize>().prop_map(Mutation::DropLine),
        1 => any::<usize>().prop_map(Mutation::DoubleLine),
        1 => (any::<usize>(), any::<usize>()).prop_map(|(a, b)| Mutation::SwapLines(a, b)),
        1 => (any::<usize>(), any::<u8>()).prop_map(|(at, b)| Mutation::Byte(at, b)),
    ]
}

/// The byte ranges of numbers (a digit run with sign, dot and exponent) outside comments and strings,
/// and of quoted strings.
fn tokens(text: &str) -> (Vec<std::ops::Range<usize>>, Vec<std::ops::Range<usize>>) {
    let (mut numbers, mut strings) = (Vec::new(), Vec::new());
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let b = line.as_bytes();
        let mut i = 0;
        while i < b.len() {
            match b[i] {
                b'#' => break,
                b'"' => {
                    let end = line[i + 1..].find('"').map_or(b.len(), |j| i + 2 + j);
                    strings.push(offset + i..offset + end);
                    i = end;
                }
                c if c.is_ascii_digit()
                    || (c == b'-' && b.get(i + 1).is_some_and(u8::is_ascii_digit)) =>
                {
                    let start = i;
                    i += 1;
                    while i < b.len()
                        && (b[i].is_ascii_digit()
                            || matches!(b[i], b'.' | b'e' | b'E' | b'_' | b'+' | b'-'))
                    {
                        i += 1;
                    }
                    numbers.push(offset + start..offset + i);
                }
                _ => i += 1,
            }
        }
        offset += line.len();
    }
    (numbers, strings)
}

fn apply(text: &str, m: &Mutation) -> Vec<u8> {
    let (numbers, strings) = tokens(text);
    let splice = |r: &std::ops::Range<usize>, with: &str| {
        let mut out = text[..r.start].to_string();
        out.push_str(with);
        out.push_str(&text[r.end..]);
        out.into_bytes()
    };
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    match *m {
        Mutation::Number(n, k) if !numbers.is_empty() => {
            splice(&numbers[n % numbers.len()], NUMBERS[k])
        }
        Mutation::Text(n, k) if !strings.is_empty() => {
            splice(&strings[n % strings.len()], STRINGS[k])
        }
        Mutation::DropLine(n) => {
            let mut l = lines.clone();
            l.remove(n % lines.len());
            l.concat().into_bytes()
        }
        Mutation::DoubleLine(n) => {
            let mut l = lines.clone();
            let at = n % lines.len();
            l.insert(at, lines[at]);
            l.concat().into_bytes()
        }
        Mutation::SwapLines(a, b) => {
            let mut l = lines.clone();
            l.swap(a % lines.len(), b % lines.len());
            l.concat().into_bytes()
        }
        Mutation::Byte(at, byte) => {
            let mut bytes = text.as_bytes().to_vec();
            bytes.insert(at % (bytes.len() + 1), byte);
            bytes
        }
        _ => text.as_bytes().to_vec(),
    }
}

/// "NaN" or "inf" as a value in a Debug dump.
fn non_finite(dump: &str) -> bool {
    let bytes = dump.as_bytes();
    ["NaN", "inf"].iter().any(|word| {
        dump.match_indices(word).any(|(i, _)| {
            let edge = |b: Option<u8>| b.is_none_or(|b| !b.is_ascii_alphanumeric() && b != b'_');
            edge(i.checked_sub(1).map(|j| bytes[j])) && edge(bytes.get(i + word.len()).copied())
        })
    })
}

/// A refusal must say where: a file, a line and a column. (An edit to one file may be refused in
/// another: a man dropped from people.toml is unknown where events.toml names him.)
fn located(e: &razvilka_kernel::Diagnostic, file: &str) -> Result<(), TestCaseError> {
    prop_assert!(
        e.line > 0 && e.column > 0,
        "editing {file}, not located: {e}"
    );
    prop_assert!(
        e.to_string()
            .contains(&format!("{}:{}:{}", e.file, e.line, e.column)),
        "{e}"
    );
    Ok(())
}

/// A few worlds of `scenario` run to the end with finite numbers.
fn finite_worlds(data: &Data, scenario: &Scenario) -> Result<(), TestCaseError> {
    for run in 0..2 {
        let r = simulate(data, scenario, scenario.divergence, 1, run)
            .map_err(|e| TestCaseError::fail(format!("accepted but cannot run: {e}")))?;
        let dump = format!("{:?}", r.outcome);
        prop_assert!(
            !non_finite(&dump),
            "{} world {run}: non-finite outcome",
            scenario.name
        );
    }
    Ok(())
}

/// Guards the campaign against a hang: each case announces itself, and a thread watching the clock
/// ends the test process with the case's description if one case runs longer than `limit` (a case
/// takes milliseconds; a hang would otherwise stall the suite until CI's own time-out).
struct Watchdog {
    current: std::sync::Arc<std::sync::Mutex<(std::time::Instant, String)>>,
}

impl Watchdog {
    fn start(limit: std::time::Duration) -> Watchdog {
        let current = std::sync::Arc::new(std::sync::Mutex::new((
            std::time::Instant::now(),
            String::from("setup"),
        )));
        let watched = std::sync::Arc::clone(&current);
        std::thread::spawn(move || loop {
            std::thread::sleep(std::time::Duration::from_millis(500));
            let (since, case) = watched
                .lock()
                .map(|c| c.clone())
                .unwrap_or_else(|e| e.into_inner().clone());
            if since.elapsed() > limit {
                eprintln!("fuzz case hung for over {limit:?}: {case}");
                std::process::exit(101);
            }
        });
        Watchdog { current }
    }

    fn case(&self, description: String) {
        if let Ok(mut c) = self.current.lock() {
            *c = (std::time::Instant::now(), description);
        }
    }
}

fn cases(default: u32) -> u32 {
    std::env::var("RAZVILKA_FUZZ_CASES")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(default)
}

fn runner(cases: u32) -> TestRunner {
    // A fixed seed: the same campaign on every run, so that a failure is reproducible and CI stable.
    TestRunner::new_with_rng(
        Config {
            cases,
            failure_persistence: None,
            ..Config::default()
        },
        proptest::test_runner::TestRng::deterministic_rng(
            proptest::test_runner::RngAlgorithm::ChaCha,
        ),
    )
}

#[test]
fn mutated_scenarios_are_refused_with_a_place_or_run_finite() {
    let data = Data::builtin().unwrap();
    let mut runner = runner(cases(1500));
    let counts = std::cell::Cell::new((0usize, 0usize));
    let watchdog = Watchdog::start(std::time::Duration::from_secs(60));
    runner
        .run(&(0..BUILTIN_SCENARIOS.len(), mutation()), |(which, m)| {
            watchdog.case(format!(
                "scenario {} with {m:?}",
                BUILTIN_SCENARIOS[which].0
            ));
            let (name, text) = BUILTIN_SCENARIOS[which];
            let file = format!("{name}.toml");
            let bytes = apply(text, &m);
            let parsed = razvilka_kernel::Diagnostic::text_of(&file, bytes)
                .and_then(|t| Scenario::parse(&t, &file, &data.context()));
            let (a, r) = counts.get();
            match parsed {
                Err(e) => {
                    counts.set((a, r + 1));
                    located(&e, &file)
                }
                Ok(s) => {
                    counts.set((a + 1, r));
                    finite_worlds(&data, &s)
                }
            }
        })
        .unwrap();
    let (accepted, refused) = counts.get();
    // Both branches were exercised: a campaign that only ever refused (or accepted) tests little.
    assert!(
        accepted > 50 && refused > 50,
        "accepted {accepted}, refused {refused}"
    );
}

#[test]
fn mutated_data_files_are_refused_with_a_place_or_run_finite() {
    let otl = builtin_scenario("otl").unwrap();
    let mut runner = runner(cases(400));
    let counts = std::cell::Cell::new((0usize, 0usize));
    let watchdog = Watchdog::start(std::time::Duration::from_secs(60));
    runner
        .run(&(0..DATA_FILES.len(), mutation()), |(which, m)| {
            watchdog.case(format!("data file {} with {m:?}", DATA_FILES[which].0));
            let mut files: [(String, String); 6] =
                DATA_FILES.map(|(name, text)| (name.to_string(), text.to_string()));
            let file = files[which].0.clone();
            let bytes = apply(&files[which].1, &m);
            let (a, r) = counts.get();
            let text = match razvilka_kernel::Diagnostic::text_of(&file, bytes) {
                Ok(t) => t,
                Err(e) => {
                    counts.set((a, r + 1));
                    return located(&e, &file);
                }
            };
            files[which].1 = text;
            let data = match Data::from_files(&files) {
                Ok(d) => d,
                Err(e) => {
                    counts.set((a, r + 1));
                    return located(&e, &file);
                }
            };
            // The shipped baseline against the edited data: refused with a place, or run.
            match Scenario::parse(otl, "otl.toml", &data.context()) {
                Err(e) => {
                    counts.set((a, r + 1));
                    located(&e, "otl.toml")
                }
                Ok(s) => {
                    counts.set((a + 1, r));
                    finite_worlds(&data, &s)
                }
            }
        })
        .unwrap();
    let (accepted, refused) = counts.get();
    assert!(
        accepted > 20 && refused > 20,
        "accepted {accepted}, refused {refused}"
    );
}
