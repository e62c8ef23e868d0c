use super::*;

const TEXT: &str = r#"
[[assumption]]
key = "a.x"
meaning = "a test value"
unit = "share"
domain = "share"
default = 0.5
prior = { dist = "uniform", low = 0.2, high = 0.8 }
provenance = "judgment"
basis = "because"

[[assumption]]
key = "a.y"
meaning = "another"
unit = "1"
domain = "nonnegative"
default = 2.0
prior = { dist = "fixed" }
provenance = "source"
basis = "a book"
thread = ["HARRY"]
"#;

#[test]
fn reads_and_overrides() {
    let mut r = Registry::parse(TEXT, "t.toml").unwrap();
    assert_eq!(r.get("a.x").unwrap(), 0.5);
    assert!(matches!(r.get("a.z"), Err(RegistryError::Unknown { .. })));
    r.set("a.x", 0.3).unwrap();
    assert_eq!(r.get("a.x").unwrap(), 0.3);
    assert!(matches!(
        r.set("a.x", 0.9),
        Err(RegistryError::OutOfBounds { .. })
    ));
}

#[test]
fn sampling_respects_bounds_fixed_priors_and_kept_keys() {
    let r = Registry::parse(TEXT, "t.toml").unwrap();
    let mut seen = Vec::new();
    for run in 0..200 {
        let s = r.sampled(&Streams::new(1, run), &[]);
        let x = s.get("a.x").unwrap();
        assert!((0.2..=0.8).contains(&x));
        assert_eq!(s.get("a.y").unwrap(), 2.0);
        seen.push(x);
    }
    let mean = seen.iter().sum::<f64>() / seen.len() as f64;
    assert!((mean - 0.5).abs() < 0.05);
    let kept = r.sampled(&Streams::new(1, 0), &["a.x".to_string()]);
    assert_eq!(kept.get("a.x").unwrap(), 0.5);
}

#[test]
fn priors_quantiles() {
    let t = Prior::Triangular {
        low: 0.0,
        mode: 0.5,
        high: 1.0,
    };
    assert!((t.quantile(0.5, 0.0) - 0.5).abs() < 1e-9);
    let n = Prior::Normal {
        mean: 1.0,
        sd: 0.1,
        low: 0.0,
        high: 2.0,
    };
    assert!((n.quantile(0.5, 0.0) - 1.0).abs() < 1e-6);
    assert!((n.quantile(0.975, 0.0) - 1.196).abs() < 1e-3);
}

#[test]
fn bad_entries_are_located() {
    let bad = TEXT.replace("default = 0.5", "default = 0.9");
    let e = Registry::parse(&bad, "t.toml").unwrap_err();
    assert!(e.message.contains("bounds"), "{e}");
    assert_eq!(e.line, 7, "the default's line");
    let bad = TEXT.replace("default = 0.5", "default = 1.5");
    let e = Registry::parse(&bad, "t.toml").unwrap_err();
    assert!(
        e.message
            .contains("default 1.5 is outside its domain `share` (a number from 0 to 1)"),
        "{e}"
    );
    assert_eq!(e.line, 7, "the default's line");
    let unknown = TEXT.replace("unit = \"share\"", "units = \"share\"");
    let e = Registry::parse(&unknown, "t.toml").unwrap_err();
    assert!(e.message.contains("unknown field"), "{e}");
    assert!(e.help.unwrap().contains("unit"));
    assert_eq!(e.line, 5);
}

/// One assumption of `domain` with this default and prior, in a registry file.
fn one(domain: &str, default: &str, prior: &str) -> String {
    format!(
        "[[assumption]]\nkey = \"k\"\nmeaning = \"m\"\nunit = \"u\"\ndomain = \"{domain}\"\ndefault = {default}\nprior = {prior}\nprovenance = \"judgment\"\nbasis = \"b\"\n"
    )
}

/// Every kind of domain refuses, on the default, on each bound of a prior and on an override,
/// NaN, both infinities, and a value just outside it; and accepts a value inside it.
#[test]
fn each_domain_guards_defaults_priors_and_overrides() {
    let kinds: [(&str, &str, &[&str]); 9] = [
        ("probability", "0.5", &["-0.01", "1.5"]),
        ("share", "0.5", &["-0.5", "1.01"]),
        ("count", "10", &["-1", "10.5", "2e6"]),
        ("km", "1000", &["-1", "2e6"]),
        ("months", "12", &["-1", "1201"]),
        ("rate", "0.3", &["-0.1", "1e7"]),
        ("nonnegative", "2", &["-2", "1e9"]),
        ("positive", "0.4", &["0", "-0.4"]),
        ("real", "-0.3", &["1e7", "-1e7"]),
    ];
    for (domain, good, bad) in kinds {
        let fixed = "{ dist = \"fixed\" }";
        let mut r = Registry::parse(&one(domain, good, fixed), "t.toml")
            .unwrap_or_else(|e| panic!("{domain} {good}: {e}"));
        for value in bad.iter().chain(&["nan", "inf", "-inf"]) {
            let e = Registry::parse(&one(domain, value, fixed), "t.toml").unwrap_err();
            assert!(
                e.message
                    .contains(&format!("default {}", value.parse::<f64>().unwrap())),
                "{domain} {value}: {e}"
            );
            assert_eq!(
                (e.line, e.column),
                (6, 1),
                "{domain} {value}: the default's line"
            );
            assert!(
                e.help
                    .as_deref()
                    .unwrap()
                    .contains(&format!("is a {domain}: use")),
                "{e}"
            );
            let uniform = format!("{{ dist = \"uniform\", low = {good}, high = {value} }}");
            let e = Registry::parse(&one(domain, good, &uniform), "t.toml").unwrap_err();
            assert!(
                e.message.contains("bounds") || e.message.contains("the prior's high"),
                "{domain} {value}: {e}"
            );
            let x: f64 = value.parse().unwrap();
            assert!(
                matches!(r.set("k", x), Err(RegistryError::OutOfDomain { .. })),
                "{domain} override {value}"
            );
        }
        r.set("k", good.parse().unwrap()).unwrap();
    }
}

#[test]
fn priors_are_finite_with_a_positive_spread() {
    let infinite = one(
        "real",
        "0",
        "{ dist = \"uniform\", low = -inf, high = inf }",
    );
    let e = Registry::parse(&infinite, "t.toml").unwrap_err();
    assert!(e.message.contains("the prior's low -inf"), "{e}");
    for sd in ["-1", "0", "nan", "inf"] {
        let normal = one(
            "real",
            "0",
            &format!("{{ dist = \"normal\", mean = 0, sd = {sd}, low = -1, high = 1 }}"),
        );
        let e = Registry::parse(&normal, "t.toml").unwrap_err();
        assert!(e.message.contains("sd"), "{sd}: {e}");
    }
    let mean = one(
        "real",
        "0",
        "{ dist = \"normal\", mean = nan, sd = 1, low = -1, high = 1 }",
    );
    assert!(Registry::parse(&mean, "t.toml")
        .unwrap_err()
        .message
        .contains("mean"));
    let missing = TEXT.replace("domain = \"share\"\n", "");
    let e = Registry::parse(&missing, "t.toml").unwrap_err();
    assert!(e.message.contains("missing field `domain`"), "{e}");
}
