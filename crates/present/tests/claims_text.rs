//! The claims' answers as people read them: the Markdown for a forum quotes each poster and gives
//! both verdicts.

use razvilka_analysis::claims::{self, Settings};
use razvilka_world::Data;

fn settings(threads: usize) -> Settings {
    Settings {
        runs: 60,
        prior_runs: 60,
        seed: 3,
        threads,
    }
}

#[test]
fn the_markdown_quotes_each_claim_and_gives_both_verdicts() {
    let data = Data::builtin().unwrap();
    let mut file = claims::parse(claims::CLAIMS, "data/claims.toml").unwrap();
    file.claims.retain(|c| c.number == 10);
    file.questions.retain(|q| q.number == 2);
    let answers = claims::evaluate(&data, &file, settings(0), &|| {}).unwrap();
    let md = razvilka_present::claims::markdown(&answers, settings(0));
    assert!(md.contains("### 10. Trotsky was too unpopular"), "{md}");
    assert!(
        md.contains("> \"Trotsky coming to power seems highly unlikely\" — BBadolato, post 26"),
        "{md}"
    );
    let v = &answers.claims[0];
    // The one plain sentence names the verdict at the defaults and with the priors sampled.
    let verdict = if v.call == v.call_under_priors {
        format!(
            "**{}{}.**",
            v.call.words()[..1].to_uppercase(),
            &v.call.words()[1..]
        )
    } else {
        "**The verdict changes with the assumptions:".to_string()
    };
    assert!(md.contains(&verdict), "{md}");
    assert!(
        md.contains("with every assumption drawn from its prior")
            || md.contains("drawn from their priors"),
        "{md}"
    );
    assert!(md.contains("### Q2. Who succeeds Lenin"), "{md}");
    assert!(md.contains("| `leader_1926` |"), "{md}");
}
