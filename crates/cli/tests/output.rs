//! Where the output goes: a closed pipe, a full disk, an unwritable or misnamed file, and arguments
//! that cannot be right. None of them may panic, and the ones a person can fix fail before the work.

use std::io::Read;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn razvilka() -> Command {
    Command::new(env!("CARGO_BIN_EXE_razvilka"))
}

/// `razvilka assumptions | head -c 10`: the reader takes ten bytes and goes away. The table is larger
/// than a pipe's buffer (64 KiB on Linux), so the program is still writing when the pipe closes.
#[test]
fn a_closed_pipe_ends_quietly() {
    for args in [&["assumptions"][..], &["assumptions", "--json"][..]] {
        let mut child = razvilka()
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut first = [0u8; 10];
        child.stdout.take().unwrap().read_exact(&mut first).unwrap();
        // The read end is dropped here: the rest of the table meets a closed pipe.
        let out = child.wait_with_output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(0), "{args:?}: {err}");
        assert!(
            err.is_empty(),
            "{args:?}: a closed pipe is not an error: {err}"
        );
    }
}

/// Standard output to a full disk: a clear message and exit status 1, not an abort.
#[cfg(target_os = "linux")]
#[test]
fn a_full_disk_is_a_clear_error() {
    for args in [
        &["assumptions"][..],
        &["run", "otl", "--runs", "5", "--json"][..],
        &["run", "otl", "--runs", "5"][..],
        &["timeline", "otl", "--run", "1"][..],
        &["check", "otl"][..],
    ] {
        let full = std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .unwrap();
        let out = razvilka().args(args).stdout(full).output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {err}");
        assert!(
            err.contains("cannot write to standard output") && err.contains("No space left"),
            "{args:?}: {err}"
        );
        assert!(!err.contains("panicked"), "{args:?}: {err}");
    }
}

/// A run of a million worlds takes minutes; an output it could not save must be refused at once.
#[test]
fn unwritable_outputs_fail_before_any_world_runs() {
    let dir = tempfile::tempdir().unwrap();
    let a_directory = dir.path().to_str().unwrap().to_string();
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (
            vec![
                "run",
                "otl",
                "--runs",
                "1000000",
                "--out",
                "/nonexistent/x.csv",
            ],
            "cannot write /nonexistent/x.csv: there is no directory /nonexistent",
        ),
        (
            vec![
                "run",
                "otl",
                "--runs",
                "1000000",
                "--report",
                "/nonexistent/r.html",
            ],
            "cannot write /nonexistent/r.html",
        ),
        (
            vec![
                "compare",
                "otl",
                "stalin-expelled",
                "--runs",
                "1000000",
                "--report",
                "/nonexistent/c.html",
            ],
            "cannot write /nonexistent/c.html",
        ),
        (
            vec![
                "claims",
                "--runs",
                "1000000",
                "--report",
                "/nonexistent/claims.html",
            ],
            "cannot write /nonexistent/claims.html",
        ),
        (
            vec!["run", "otl", "--runs", "1000000", "--report", "r.txt"],
            "give a file ending in .html or .htm",
        ),
    ];
    let dir_csv = format!("{a_directory}/x.csv");
    std::fs::create_dir(&dir_csv).unwrap();
    let mut cases = cases;
    cases.push((
        vec!["run", "otl", "--runs", "1000000", "--out", dir_csv.as_str()],
        "it is a directory",
    ));
    for (args, expected) in cases {
        let started = Instant::now();
        let out = razvilka()
            .args(&args)
            .current_dir(dir.path())
            .output()
            .unwrap();
        let took = started.elapsed();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.contains(expected), "{args:?}: {err}");
        assert!(
            out.stdout.is_empty(),
            "{args:?}: no report for work not done"
        );
        assert!(
            took < Duration::from_secs(5),
            "{args:?} took {took:?}: the path must be checked before the ensemble"
        );
    }
    // The refused report left no file behind.
    assert!(!dir.path().join("r.txt").exists());
}

/// A checked output path that did not exist is not left behind empty when the run itself is refused.
#[test]
fn a_refused_run_leaves_no_empty_output_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("runs.csv");
    let out = razvilka()
        .args(["run", "no-such-scenario", "--out"])
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(!path.exists());
}

/// `-1` is a value, not an unknown flag: the message is about the number.
#[test]
fn negative_numbers_get_a_message_about_the_value() {
    for args in [
        &["run", "otl", "--seed", "-1"][..],
        &["timeline", "otl", "--run", "-3"][..],
        &["validate", "--seed", "-5"][..],
        &["run", "otl", "--threads", "-2"][..],
        &[
            "sensitivity",
            "otl",
            "--output",
            "industry_1940",
            "--top",
            "-1",
        ][..],
    ] {
        let out = razvilka().args(args).output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(
            err.contains("is negative: use a whole number from 0 upward"),
            "{args:?}: {err}"
        );
        assert!(!err.contains("unexpected argument"), "{args:?}: {err}");
    }
    let out = razvilka()
        .args(["run", "otl", "--runs", "-1"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2));
    assert!(err.contains("-1 is not in 1..=1000000"), "{err}");
}

/// A world number past the scenario's ensemble is refused, not silently told.
#[test]
fn a_timeline_of_a_world_outside_the_ensemble_is_refused() {
    let out = razvilka()
        .args(["timeline", "otl", "--run", "5000"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("--run 5000 is not a world") && err.contains("use --run 0 to 1999"),
        "{err}"
    );
    let last = razvilka()
        .args(["timeline", "otl", "--run", "1999"])
        .output()
        .unwrap();
    assert!(last.status.success());
}

/// A file that is not UTF-8, and one nested thousands deep, are refused at a line and column.
#[test]
fn non_utf8_and_deep_files_are_located() {
    let dir = tempfile::tempdir().unwrap();
    let latin1 = dir.path().join("latin1.toml");
    std::fs::write(&latin1, b"[scenario]\nname = \"x\xff\"\n").unwrap();
    let deep = dir.path().join("deep.toml");
    std::fs::write(
        &deep,
        format!("[scenario]\n{} = 1\n", vec!["a"; 5000].join(".")),
    )
    .unwrap();
    for (path, expected) in [(&latin1, ":2:10"), (&deep, ":2:")] {
        let out = razvilka().arg("check").arg(path).output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{err}");
        assert!(
            err.contains(&format!("{}{expected}", path.display())),
            "{err}"
        );
    }
}

/// A scenario that ends in 1935 has no 1940: its outcomes of 1940 are "—" with the reason in the
/// text and the HTML report, and null in the JSON, never NaN.
#[test]
fn outcomes_no_world_reached_are_a_dash_with_the_reason() {
    let dir = tempfile::tempdir().unwrap();
    let scenario = dir.path().join("short.toml");
    std::fs::write(
        &scenario,
        "[scenario]\nname = \"short\"\ntitle = \"Ends in 1935\"\nstart = \"1922-04\"\nend = \"1935-12\"\ndivergence = \"1924-05\"\n",
    )
    .unwrap();
    let page = dir.path().join("short.html");
    let out = razvilka()
        .arg("run")
        .arg(&scenario)
        .args(["--runs", "20", "--report"])
        .arg(&page)
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    let html = std::fs::read_to_string(&page).unwrap();
    for shown in [&text, &html] {
        assert!(!shown.contains("NaN"), "NaN shown");
        assert!(shown.contains("no world reached 1940"));
    }
    assert!(
        text.lines()
            .any(|l| l.starts_with("  GDP 1940 (1928 = 100)")
                && l.ends_with("—   (no world reached 1940)")),
        "{text}"
    );
    let out = razvilka()
        .arg("run")
        .arg(&scenario)
        .args(["--runs", "20", "--json"])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(v["numeric"]["gdp_1940"]["mean"].is_null());
    assert_eq!(v["undefined"]["gdp_1940"], 20, "every world lacks 1940");
    assert!(v["undefined"].get("famine_deaths_1930_1934").is_none());
    assert!(v["numeric"]["famine_deaths_1930_1934"]["mean"].is_f64());
}
