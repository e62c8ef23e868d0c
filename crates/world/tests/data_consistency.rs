//! The data files are checked against themselves when loaded: each kind of inconsistency is refused
//! at its file, line and column, and property tests over generated patron tables and generated events
//! hold the checks to an independent oracle.

use proptest::prelude::*;
use razvilka_world::{Data, DATA_FILES};

fn files() -> [(String, String); 6] {
    DATA_FILES.map(|(name, text)| (name.to_string(), text.to_string()))
}

/// The data with `file` (0 people, 1 events) edited by `edit`.
fn edited(file: usize, edit: impl Fn(&str) -> String) -> Result<Data, razvilka_kernel::Diagnostic> {
    let mut f = files();
    f[file].1 = edit(&f[file].1);
    Data::from_files(&f)
}

/// One recorded event, appended to events.toml.
fn event(date: &str, kind: &str, person: &str, office: &str) -> String {
    format!(
        "\n[[event]]\ndate = \"{date}\"\nkind = \"{kind}\"\nperson = \"{person}\"\noffice = \"{office}\"\ncause = \"{cause}\"\ntext = \"t\"\nsource = \"s\"\n",
        cause = if kind == "death" { "natural" } else { "" }
    )
}

fn refused(result: Result<Data, razvilka_kernel::Diagnostic>, file: &str, message: &str) {
    let e = result.expect_err(message);
    assert_eq!(e.file, file, "{e}");
    assert!(e.line > 0 && e.column > 0, "{e}");
    assert!(e.message.contains(message), "expected `{message}`: {e}");
}

#[test]
fn the_shipped_data_is_consistent() {
    Data::from_files(&files()).unwrap();
}

#[test]
fn each_inconsistency_is_refused_at_its_place() {
    let people = "data/people.toml";
    let events = "data/events.toml";
    refused(
        edited(0, |t| {
            t.replacen("died = \"1924-01\"", "died = \"1860-01\"", 1)
        }),
        people,
        "Lenin dies in 1860-01, before he is born in 1870-04",
    );
    refused(
        edited(0, |t| {
            t.replacen("born = \"1878-12\"", "born = \"1923-01\"", 1)
        }),
        people,
        "Stalin holds offices in 1922-04",
    );
    refused(
        edited(0, |t| {
            t.replacen("offices = []", "offices = [\"general_secretary\"]", 1)
        }),
        people,
        "`general_secretary` is held by `stalin` and by",
    );
    refused(
        edited(0, |t| {
            let stalin = t.find("id = \"stalin\"").unwrap();
            let at = stalin + t[stalin..].find("patron = \"\"").unwrap();
            format!("{}patron = \"molotov\"{}", &t[..at], &t[at + 11..])
        }),
        people,
        "patrons go round in a circle",
    );
    refused(
        edited(1, |t| {
            t.to_string() + &event("1955-01", "note", "stalin", "")
        }),
        events,
        "1955-01 is outside the model's calendar",
    );
    refused(
        edited(1, |t| {
            t.to_string() + &event("1925-03", "office_gained", "lenin", "politburo")
        }),
        events,
        "Lenin is dead by 1925-03",
    );
    refused(
        edited(1, |t| {
            t.to_string() + &event("1928-03", "office_gained", "trotsky", "pravda_editor")
        }),
        events,
        "Trotsky gains `pravda_editor` in 1928-03 while out of the party",
    );
    refused(
        edited(1, |t| {
            t.to_string() + &event("1922-06", "office_gained", "stalin", "politburo")
        }),
        events,
        "which he already holds",
    );
    refused(
        edited(1, |t| {
            t.to_string() + &event("1922-06", "office_lost", "stalin", "war_commissar")
        }),
        events,
        "which he does not hold",
    );
    refused(
        edited(1, |t| {
            t.to_string() + &event("1922-06", "office_gained", "trotsky", "general_secretary")
        }),
        events,
        "`general_secretary` has two holders at the end of 1922-06: Stalin and Trotsky",
    );
    // Two single posts doubled in one month: the first of them in the order of the offices is
    // named, whatever the order of the gains.
    refused(
        edited(1, |t| {
            t.to_string()
                + &event("1922-06", "office_gained", "kamenev", "leningrad_boss")
                + &event("1922-06", "office_gained", "trotsky", "general_secretary")
        }),
        events,
        "`general_secretary` has two holders at the end of 1922-06: Stalin and Trotsky",
    );
    // A post doubled in a later month than its first holder's gain is found in that month.
    refused(
        edited(1, |t| {
            t.to_string()
                + &event("1922-06", "office_lost", "kamenev", "moscow_boss")
                + &event("1922-06", "office_gained", "bukharin", "moscow_boss")
                + &event("1922-07", "office_gained", "kamenev", "moscow_boss")
        }),
        events,
        "`moscow_boss` has two holders at the end of 1922-07: Kamenev and Bukharin",
    );
}

/// Whether following patrons from anyone comes back round (the oracle, written apart from the check).
fn has_cycle(patrons: &[Option<usize>]) -> bool {
    (0..patrons.len()).any(|start| {
        let mut at = start;
        for _ in 0..=patrons.len() {
            match patrons[at] {
                Some(next) if next == start => return true,
                Some(next) => at = next,
                None => return false,
            }
        }
        false
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, failure_persistence: None, ..ProptestConfig::default() })]

    /// Any table of patrons loads exactly when it has no cycle.
    #[test]
    fn patrons_load_exactly_when_acyclic(raw in proptest::collection::vec(proptest::option::weighted(0.3, 0usize..34), 34)) {
        let base = files();
        // The people's ids (the [[office]] tables after [institutions] have ids too).
        let ids: Vec<String> = base[0].1.lines()
            .take_while(|l| !l.starts_with("[institutions]"))
            .filter_map(|l| l.strip_prefix("id = \"").map(|r| r.trim_end_matches('"').to_string()))
            .collect();
        prop_assume!(ids.len() == raw.len());
        let patrons: Vec<Option<usize>> = raw.iter().map(|p| p.map(|i| i % ids.len())).collect();
        let mut text = String::new();
        let mut person = 0;
        for line in base[0].1.split_inclusive('\n') {
            if line.starts_with("patron = ") {
                let name = patrons[person].map_or(String::new(), |i| ids[i].clone());
                text.push_str(&format!("patron = \"{name}\"\n"));
                person += 1;
            } else {
                text.push_str(line);
            }
        }
        let result = edited(0, |_| text.clone());
        prop_assert_eq!(result.is_err(), has_cycle(&patrons), "{:?}", result.err().map(|e| e.to_string()));
    }

    /// A generated event is refused with a place, or accepted and replayed to finite outcomes.
    #[test]
    fn generated_events_are_refused_at_a_place_or_replay(
        year in 1918u32..1958, month in 1u32..13,
        kind in prop_oneof![Just("office_gained"), Just("office_lost"), Just("death"), Just("expelled"), Just("readmitted"), Just("arrested")],
        person in prop_oneof![Just("stalin"), Just("trotsky"), Just("lenin"), Just("bukharin"), Just("kirov"), Just("molotov")],
        office in prop_oneof![Just("general_secretary"), Just("politburo"), Just("war_commissar"), Just("central_committee")],
    ) {
        let date = format!("{year}-{month:02}");
        match edited(1, |t| t.to_string() + &event(&date, kind, person, office)) {
            Err(e) => prop_assert!(e.line > 0 && e.column > 0, "{e}"),
            Ok(data) => {
                let otl = razvilka_world::builtin_scenario("otl").unwrap();
                let free = otl.replace("divergence = \"1924-05\"", "divergence = \"1945-12\"");
                match razvilka_world::Scenario::parse(&free, "otl.toml", &data.context()) {
                    Err(e) => prop_assert!(e.line > 0, "{e}"),
                    Ok(s) => {
                        let run = razvilka_world::simulate(&data, &s, s.divergence, 1, 0).unwrap();
                        let dump = format!("{:?}", run.outcome);
                        prop_assert!(!dump.contains("NaN"));
                    }
                }
            }
        }
    }
}

#[test]
fn the_institutions_are_refused_at_their_place_when_wrong() {
    let people = "data/people.toml";
    let events = "data/events.toml";
    // A recorded appointment to an office after its abolition.
    refused(
        edited(1, |t| format!("{t}{}", event("1935-03", "office_gained", "kamenev", "ccc_chair"))),
        events,
        "Kamenev gains `ccc_chair` in 1935-03, when it does not exist (created 1920-09, abolished 1934-02)",
    );
    // An office the model does not know, an abolition before the creation, a renaming without a
    // title, and an office without its table.
    refused(
        edited(0, |t| {
            t.replacen("id = \"pravda_editor\"", "id = \"pravda_chief\"", 1)
        }),
        people,
        "unknown office `pravda_chief`",
    );
    refused(
        edited(0, |t| {
            t.replacen("abolished = \"1932-01\"", "abolished = \"1917-01\"", 1)
        }),
        people,
        "`vsnkh_chair` is abolished in 1917-01, not after its creation in 1917-12",
    );
    refused(
        edited(0, |t| {
            t.replacen(
                "renamed_title = \"People's Commissar for Defence\"",
                "renamed_title = \"\"",
                1,
            )
        }),
        people,
        "`war_commissar` is renamed but has no `renamed_title`",
    );
    refused(
        edited(0, |t| {
            t.replacen("id = \"georgia_gpu\"", "id = \"ogpu_chair\"", 1)
        }),
        people,
        "office `ogpu_chair` is described twice",
    );
    refused(
        edited(0, |t| t.replacen("max_posts = 2", "max_posts = 0", 1)),
        people,
        "`max_posts` is 0; it must lie in 1..=8",
    );
}

#[test]
fn a_bad_world_price_row_is_refused_at_its_place() {
    // The economy reads world wheat over steel by year from data/germany.toml (file 4): a year out of
    // order or a price that is not a positive number is refused at its line and column.
    let repeated = edited(4, |t| {
        format!("{t}\n[[world_price]]\nyear = 1930\nwheat_over_steel = 0.5\n")
    });
    refused(
        repeated,
        "data/germany.toml",
        "not a year after the previous",
    );
    let negative = edited(4, |t| {
        format!("{t}\n[[world_price]]\nyear = 1950\nwheat_over_steel = -0.5\n")
    });
    refused(negative, "data/germany.toml", "is not a price ratio");
    let nan = edited(4, |t| {
        format!("{t}\n[[world_price]]\nyear = 1950\nwheat_over_steel = nan\n")
    });
    refused(nan, "data/germany.toml", "is not a price ratio");
    // Without any row the economy has no terms of trade: refused, naming the file.
    let none = edited(4, |t| {
        t.split("\n[[world_price]]").next().unwrap().to_string()
    });
    let e = none.expect_err("no world prices");
    assert_eq!(e.file, "data/germany.toml");
    assert!(e.message.contains("[[world_price]]"), "{e}");
}
