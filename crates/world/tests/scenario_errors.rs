//! Bad scenario files get located errors that say what would be valid, and never panic.

use proptest::prelude::*;
use razvilka_world::{builtin_scenario, Data, Scenario};

fn data() -> Data {
    Data::builtin().unwrap()
}

const GOOD: &str = r#"[scenario]
name = "probe"
title = "A probe"
start = "1922-04"
end = "1945-12"
divergence = "1924-05"

[[intervention]]
date = "1924-05"
kind = "expel"
person = "stalin"

[assumptions]
"politics.appointment_bias" = 0.5

[ensemble]
runs = 100
seed = 3
"#;

/// Parses `text`, expecting an error at `line`:`column` whose message contains `message` and whose
/// help (if `help` is given) contains it.
fn error_at(text: &str, line: usize, column: usize, message: &str, help: Option<&str>) {
    let data = data();
    error_in(&data.context(), text, line, column, message, help);
}

/// As `error_at`, for a divergence after 1924-12: the shipped data replays only the Soviet side's
/// record, so these checks of an intervention against the replayed record run with the limit on the
/// divergence lifted, as data that also replayed Germany's history would lift it.
fn late_error_at(text: &str, line: usize, column: usize, message: &str, help: Option<&str>) {
    let data = data();
    let ctx = razvilka_world::Context {
        last_divergence: (razvilka_kernel::Month::new(1945, 12), "test"),
        ..data.context()
    };
    error_in(&ctx, text, line, column, message, help);
}

fn error_in(
    ctx: &razvilka_world::Context,
    text: &str,
    line: usize,
    column: usize,
    message: &str,
    help: Option<&str>,
) {
    let err = Scenario::parse(text, "probe.toml", ctx).expect_err("should be rejected");
    let shown = err.to_string();
    assert_eq!((err.line, err.column), (line, column), "{shown}");
    assert!(err.message.contains(message), "{shown}");
    if let Some(h) = help {
        assert!(err.help.as_deref().unwrap_or("").contains(h), "{shown}");
    }
    assert!(
        shown.contains(&format!("probe.toml:{line}:{column}")),
        "{shown}"
    );
}

#[test]
fn the_probe_is_valid() {
    let data = data();
    let s = Scenario::parse(GOOD, "probe.toml", &data.context()).unwrap();
    assert_eq!((s.runs, s.seed), (100, 3));
    assert_eq!(
        s.overrides,
        vec![("politics.appointment_bias".to_string(), 0.5)]
    );
}

#[test]
fn unknown_key() {
    error_at(
        &GOOD.replace("person = \"stalin\"", "person = \"stalin\"\nwho = 1"),
        12,
        1,
        "unknown field `who`",
        Some("person"),
    );
}

#[test]
fn wrong_type() {
    error_at(
        &GOOD.replace("runs = 100", "runs = \"many\""),
        17,
        8,
        "invalid type",
        Some("i64"),
    );
}

#[test]
fn unknown_person_lists_the_valid_ones() {
    error_at(
        &GOOD.replace("\"stalin\"", "\"staline\""),
        11,
        10,
        "unknown person `staline`",
        Some("bukharin"),
    );
}

#[test]
fn unknown_intervention_kind() {
    error_at(
        &GOOD.replace("\"expel\"", "\"exile\""),
        10,
        8,
        "unknown intervention kind",
        Some("remove_office"),
    );
}

#[test]
fn a_misspelled_kind_is_unknown_with_the_nearest() {
    let text = GOOD
        .replace("\"expel\"", "\"no_army_purg\"")
        .replace("person = \"stalin\"\n", "");
    error_at(
        &text,
        10,
        8,
        "unknown intervention kind `no_army_purg`",
        Some("did you mean `no_army_purge`?"),
    );
    error_at(
        &GOOD.replace("\"expel\"", "\"expell\""),
        10,
        8,
        "unknown intervention kind `expell`",
        Some("did you mean `expel`?"),
    );
}

#[test]
fn dates_are_strict_and_windows_as_the_message_says() {
    error_at(
        &GOOD.replace("date = \"1924-05\"", "date = \"1924-+6\""),
        9,
        8,
        "is not a date",
        None,
    );
    error_at(
        &GOOD.replace("date = \"1924-05\"", "date = \"1924-02-30\""),
        9,
        8,
        "February 1924 has 29 days",
        None,
    );
    let survives = |until: &str| {
        GOOD.replace("end = \"1945-12\"", "end = \"1930-12\"")
            .replace(
                "kind = \"expel\"\nperson = \"stalin\"",
                &format!("kind = \"survives_until\"\nperson = \"stalin\"\nuntil = \"{until}\""),
            )
    };
    error_at(
        &survives("1931-01"),
        12,
        9,
        "until 1931-01 must come after the intervention (1924-05) and not after the end (1930-12)",
        None,
    );
    let data = data();
    Scenario::parse(&survives("1930-12"), "probe.toml", &data.context()).unwrap();
}

/// Two interventions that cannot both happen are refused at the second, naming the first's line.
#[test]
fn contradictory_interventions_are_refused_naming_both_lines() {
    let second = |body: &str| {
        GOOD.replace(
            "[assumptions]",
            &format!("[[intervention]]\ndate = \"1924-05\"\n{body}\n\n[assumptions]"),
        )
    };
    let world = |first: &str, second_body: &str| {
        GOOD.replace("kind = \"expel\"\nperson = \"stalin\"", first)
            .replace(
                "[assumptions]",
                &format!("[[intervention]]\ndate = \"1924-05\"\n{second_body}\n\n[assumptions]"),
            )
    };
    let cases = [
        (
            second("kind = \"appoint\"\nperson = \"stalin\"\noffice = \"war_commissar\""),
            "the same man appointed and expelled in 1924-05",
        ),
        (
            second("kind = \"expel\"\nperson = \"stalin\""),
            "the same intervention twice",
        ),
        (
            world(
                "kind = \"policy\"\nregime = \"nep\"",
                "kind = \"policy\"\nregime = \"collectivization\"",
            ),
            "two economic policies from 1924-05",
        ),
        (
            world(
                "kind = \"appoint\"\nperson = \"trotsky\"\noffice = \"general_secretary\"",
                "kind = \"appoint\"\nperson = \"zinoviev\"\noffice = \"general_secretary\"",
            ),
            "two men appointed `general_secretary` in 1924-05",
        ),
        (
            world(
                "kind = \"comintern_line\"\nchoice = \"united_front\"",
                "kind = \"comintern_line\"\nchoice = \"third_period\"",
            ),
            "two Comintern lines",
        ),
    ];
    for (text, why) in cases {
        let line = text[..text.rfind("kind =").unwrap()].matches('\n').count() + 1;
        error_at(
            &text,
            line,
            8,
            &format!("contradicts the one at line 10: {why}"),
            Some(&format!("lines 10 and {line}")),
        );
    }
    // In date order: nothing after a death, no office after an expulsion.
    let later = |first: &str, second_body: &str| {
        GOOD.replace("kind = \"expel\"\nperson = \"stalin\"", first)
            .replace(
                "[assumptions]",
                &format!("[[intervention]]\ndate = \"1926-01\"\n{second_body}\n\n[assumptions]"),
            )
    };
    for (text, why) in [
        (
            later(
                "kind = \"dies\"\nperson = \"trotsky\"",
                "kind = \"expel\"\nperson = \"trotsky\"",
            ),
            "he dies in 1924-05, before this intervention in 1926-01",
        ),
        (
            later(
                "kind = \"expel\"\nperson = \"trotsky\"",
                "kind = \"appoint\"\nperson = \"trotsky\"\noffice = \"war_commissar\"",
            ),
            "he is expelled in 1924-05, and nothing readmits him before 1926-01",
        ),
    ] {
        let line = text[..text.rfind("kind =").unwrap()].matches('\n').count() + 1;
        error_at(&text, line, 8, why, Some("lines 10 and"));
    }
    // Seats in a body are many: two men can join the Politburo in one month.
    let data = data();
    let both = world(
        "kind = \"appoint\"\nperson = \"trotsky\"\noffice = \"politburo\"",
        "kind = \"appoint\"\nperson = \"zinoviev\"\noffice = \"orgburo\"",
    );
    Scenario::parse(&both, "probe.toml", &data.context()).unwrap();
}

#[test]
fn expelling_a_dead_man() {
    error_at(
        &GOOD.replace("\"stalin\"", "\"lenin\""),
        11,
        10,
        "Lenin is dead by 1924-05",
        Some("before 1924-01"),
    );
}

#[test]
fn date_outside_the_run() {
    error_at(
        &GOOD.replace("date = \"1924-05\"", "date = \"1950-01\""),
        9,
        8,
        "outside the free part of the run",
        None,
    );
    error_at(
        &GOOD.replace("date = \"1924-05\"", "date = \"1923-01\""),
        9,
        8,
        "outside the free part of the run",
        Some("divergence"),
    );
    error_at(
        &GOOD.replace("end = \"1945-12\"", "end = \"1960-01\""),
        5,
        7,
        "not after 1953-12",
        None,
    );
}

#[test]
fn a_divergence_past_the_replayable_record_is_refused() {
    // Germany's history is not replayed: its first calendar decision is the Reichstag election of
    // December 1924, so a divergence in 1936 would leave Germany as it stood in 1922.
    let late = GOOD
        .replace("divergence = \"1924-05\"", "divergence = \"1936-01\"")
        .replace("date = \"1924-05\"", "date = \"1936-01\"");
    error_at(
        &late,
        6,
        14,
        "later than the record can be replayed",
        Some("use a divergence from 1922-04 to 1924-12"),
    );
    // The last replayable month itself is accepted.
    let last = GOOD
        .replace("divergence = \"1924-05\"", "divergence = \"1924-12\"")
        .replace("date = \"1924-05\"", "date = \"1924-12\"");
    Scenario::parse(&last, "probe.toml", &data().context()).expect("1924-12 can be replayed up to");
}

#[test]
fn bad_date() {
    error_at(
        &GOOD.replace("divergence = \"1924-05\"", "divergence = \"May 1924\""),
        6,
        14,
        "is not a date: write YYYY-MM",
        None,
    );
}

#[test]
fn unknown_assumption_suggests_the_nearest() {
    error_at(
        &GOOD.replace("appointment_bias", "appointment_bais"),
        14,
        1,
        "unknown assumption",
        Some("politics.appointment_bias"),
    );
}

#[test]
fn assumption_out_of_bounds() {
    error_at(
        &GOOD.replace("= 0.5", "= 0.9"),
        14,
        31,
        "outside its prior's bounds",
        None,
    );
}

/// An override outside the assumption's domain (NaN, an infinity, a value the unit cannot take) is
/// refused at the value, whatever the prior: one assumption of each kind of domain.
#[test]
fn overrides_outside_the_domain() {
    let cases = [
        ("politics.appointment_bias", "share", &["5.0", "-0.1"][..]),
        ("diplomacy.transit_refused", "probability", &["1.5"][..]),
        ("politics.politburo_size", "count", &["-1", "9.5"][..]),
        ("war.berlin_km", "km", &["-700", "10.0"][..]),
        ("diplomacy.france_months", "months", &["-1", "5000"][..]),
        ("fates.exile_rate", "rate", &["-0.3"][..]),
        (
            "germany.unemployment_1930",
            "nonnegative",
            &["-3.0", "1e9"][..],
        ),
        ("economy.population_1926", "positive", &["0.0", "0.5"][..]),
        ("germany.nsdap_intercept", "real", &["1e300"][..]),
    ];
    for (key, domain, bad) in cases {
        for value in bad.iter().chain(&["nan", "inf", "-inf"]) {
            let text = GOOD.replace(
                "\"politics.appointment_bias\" = 0.5",
                &format!("\"{key}\" = {value}"),
            );
            error_at(
                &text,
                14,
                key.len() + 6,
                &format!("`{key}` = {}", value.parse::<f64>().unwrap()),
                Some("use "),
            );
            let data = data();
            let err = Scenario::parse(&text, "probe.toml", &data.context()).unwrap_err();
            assert!(err.message.contains(domain), "{key} = {value}: {err}");
        }
    }
}

#[test]
fn remove_office_needs_a_valid_office() {
    let text = GOOD.replace("kind = \"expel\"", "kind = \"remove_office\"");
    error_at(&text, 10, 8, "needs an `office`", Some("general_secretary"));
    let text = text.replace(
        "person = \"stalin\"",
        "person = \"stalin\"\noffice = \"tsar\"",
    );
    error_at(
        &text,
        12,
        10,
        "unknown office `tsar`",
        Some("general_secretary"),
    );
}

#[test]
fn interventions_at_the_divergence_must_fit_recorded_history() {
    // Trotsky was deported in 1929: he cannot be expelled in 1930.
    let text = GOOD
        .replace("divergence = \"1924-05\"", "divergence = \"1930-01\"")
        .replace("date = \"1924-05\"", "date = \"1930-01\"")
        .replace("\"stalin\"", "\"trotsky\"");
    late_error_at(
        &text,
        10,
        8,
        "Trotsky is not a party member in 1930-01",
        Some("move the divergence"),
    );
    // Stalin held no OGPU post in May 1924; the help lists what he did hold.
    let text = GOOD
        .replace("kind = \"expel\"", "kind = \"remove_office\"")
        .replace(
            "person = \"stalin\"",
            "person = \"stalin\"\noffice = \"ogpu_chair\"",
        );
    error_at(
        &text,
        12,
        10,
        "does not hold `ogpu_chair` in 1924-05",
        Some("general_secretary"),
    );
}

#[test]
fn policy_and_appointment_interventions() {
    let data = data();
    let policy = GOOD.replace(
        "kind = \"expel\"\nperson = \"stalin\"",
        "kind = \"policy\"\nregime = \"nep\"",
    );
    let s = Scenario::parse(&policy, "probe.toml", &data.context()).unwrap();
    assert_eq!(
        s.interventions[0].action,
        razvilka_world::Action::Policy(razvilka_model::Policy::Nep)
    );
    error_at(
        &policy.replace("\"nep\"", "\"war_communism\""),
        11,
        10,
        "unknown regime",
        Some("collectivization"),
    );
    error_at(
        &GOOD.replace("kind = \"expel\"\nperson = \"stalin\"", "kind = \"policy\""),
        10,
        8,
        "policy needs a `regime`",
        Some("nep"),
    );
    error_at(
        &GOOD.replace("kind = \"expel\"", "kind = \"policy\"\nregime = \"nep\""),
        12,
        10,
        "`person` is not used",
        None,
    );
    let appoint = GOOD.replace(
        "kind = \"expel\"\nperson = \"stalin\"",
        "kind = \"appoint\"\nperson = \"bukharin\"\noffice = \"general_secretary\"",
    );
    assert!(Scenario::parse(&appoint, "probe.toml", &data.context()).is_ok());
    late_error_at(
        &appoint
            .replace("\"bukharin\"", "\"trotsky\"")
            .replace("1924-05", "1930-01"),
        12,
        10,
        "cannot be made `general_secretary`",
        None,
    );
}

#[test]
fn syntax_error() {
    error_at(
        &GOOD.replace("title = \"A probe\"", "title = \"A probe"),
        3,
        17,
        "",
        None,
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]
    /// Arbitrary text never panics the parser.
    #[test]
    fn arbitrary_text_never_panics(text in "\\PC{0,300}") {
        let data = data();
        let _ = Scenario::parse(&text, "fuzz.toml", &data.context());
    }

    /// Mangling a valid file anywhere (deleting, duplicating or replacing a span) gives Ok or a
    /// located error, never a panic.
    #[test]
    fn mangled_scenarios_never_panic(which in 0usize..7, at in 0usize..2000, len in 0usize..12, insert in "[\\[\\]=\"a-z0-9.\\- \n]{0,8}") {
        let data = data();
        let text = builtin_scenario(razvilka_world::BUILTIN_SCENARIOS[which].0).unwrap();
        let mut chars: Vec<char> = text.chars().collect();
        let start = at.min(chars.len());
        let end = (start + len).min(chars.len());
        chars.splice(start..end, insert.chars());
        let mangled: String = chars.into_iter().collect();
        if let Err(e) = Scenario::parse(&mangled, "fuzz.toml", &data.context()) {
            prop_assert!(e.line <= mangled.lines().count() + 1);
            prop_assert!(!e.message.is_empty());
        }
    }
}
