//! What the tests of the binary's commands share: the binary, its JSON, validation's answers, and
//! copies of the data to edit.
// Each test file uses a part of it, so what one file leaves unused is not dead.
#![allow(dead_code, unused_imports)]

pub use assert_cmd::Command;
pub use serde_json::Value;

pub fn razvilka() -> Command {
    Command::cargo_bin("razvilka").unwrap()
}

pub fn json(args: &[&str]) -> Value {
    let out = razvilka().args(args).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// `validate --json` on `runs` worlds per ensemble with `data` as `--data` (built-in when `None`):
/// (exit status, JSON).
pub fn validate(runs: &str, data: Option<&std::path::Path>) -> (Option<i32>, Value) {
    let mut args = vec!["validate", "--runs", runs, "--seed", "1", "--json"];
    if let Some(dir) = data {
        args.extend(["--data", dir.to_str().unwrap()]);
    }
    let out = razvilka().args(&args).output().unwrap();
    let v = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|_| panic!("{}", String::from_utf8_lossy(&out.stderr)));
    (out.status.code(), v)
}

/// The target `id` of a `validate --json` answer.
pub fn target<'a>(v: &'a Value, id: &str) -> &'a Value {
    v["targets"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["id"] == id)
        .unwrap_or_else(|| panic!("no target {id}"))
}

/// A copy of `data/` in a fresh directory named `name`, for editing.
pub fn data_copy(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("razvilka-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    for file in [
        "people.toml",
        "events.toml",
        "calendar.toml",
        "assumptions.toml",
        "targets.toml",
        "economy.toml",
        "germany.toml",
        "war.toml",
    ] {
        std::fs::copy(format!("../../data/{file}"), dir.join(file)).unwrap();
    }
    dir
}

/// Sets assumption `key` to `value` in the copy at `dir`, with its prior fixed there too.
pub fn sabotage(dir: &std::path::Path, key: &str, value: f64) {
    let path = dir.join("assumptions.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    let start = text
        .find(&format!("key = \"{key}\"\n"))
        .unwrap_or_else(|| panic!("no assumption {key}"));
    let end = start + text[start..].find("\n\n").unwrap_or(text.len() - start);
    let entry: String = text[start..end]
        .lines()
        .map(|line| {
            if line.starts_with("default = ") {
                format!("default = {value:?}")
            } else if line.starts_with("prior = ") {
                "prior = { dist = \"fixed\" }".to_string()
            } else {
                line.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    std::fs::write(&path, format!("{}{entry}{}", &text[..start], &text[end..])).unwrap();
}

/// Every `<svg ...` element of a page with this chart class.
pub fn charts(page: &str, class: &str) -> usize {
    page.matches(&format!("class=\"chart {class}\"")).count()
}
