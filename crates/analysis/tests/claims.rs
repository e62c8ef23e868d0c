//! The thread's claims file and its answers: every claim and question parses against the real
//! outcomes and scenarios and names its posts and quote, errors point into the file, the same seed
//! gives the same answers on any thread count, and the verdict follows the thresholds written in
//! the file.

use razvilka_analysis::claims::{self, Call, Settings};
use razvilka_world::Data;

fn data() -> Data {
    Data::builtin().unwrap()
}

fn settings(threads: usize) -> Settings {
    Settings {
        runs: 60,
        prior_runs: 60,
        seed: 3,
        threads,
    }
}

#[test]
fn the_shipped_file_quotes_each_claim_and_question_with_its_post() {
    let file = claims::parse(claims::CLAIMS, "data/claims.toml").unwrap();
    let numbers: Vec<u32> = file.claims.iter().map(|c| c.number).collect();
    // Claim 1 of the design is the opening post's question: it is question 1, with no verdict.
    assert_eq!(numbers, (2..=15).collect::<Vec<_>>());
    // The thread as shipped with the project (a copy of the seed thread the claims are read from).
    let thread = include_str!("../../../data/thread.md");
    // Post N is the N-th `## ` heading; its text runs to the next one.
    let posts: Vec<&str> = thread.split("\n## ").skip(1).collect();
    // Compared without markdown's emphasis marks and line breaks.
    let squash = |s: &str| {
        s.replace('*', "")
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    };
    let check = |what: String, authors: &[String], numbers: &[u32], quote: &str| {
        let first = numbers[0] as usize;
        assert!(first >= 1 && first <= posts.len(), "{what}: post {first}");
        let post = posts[first - 1];
        assert!(
            post.starts_with(&authors[0]),
            "{what}: post {first} is not by {}",
            authors[0]
        );
        // The quote is the poster's own words: each part between "[...]" is in one of its posts.
        for part in quote.split("[...]") {
            let part = squash(part.trim());
            assert!(
                numbers
                    .iter()
                    .any(|&n| squash(posts[n as usize - 1]).contains(&part)),
                "{what}: {part:?} is not in posts {numbers:?}"
            );
        }
    };
    for c in &file.claims {
        assert!(!c.claim.is_empty() && !c.reading.is_empty() && !c.mechanism.is_empty());
        assert!(
            !c.thresholds.is_empty(),
            "claim {} has no reason for its thresholds",
            c.number
        );
        check(
            format!("claim {}", c.number),
            &c.source.authors,
            &c.source.posts,
            &c.source.quote,
        );
    }
    for q in &file.questions {
        check(
            format!("question {}", q.number),
            &q.source.authors,
            &q.source.posts,
            &q.source.quote,
        );
    }
    assert!(file.questions.len() >= 10, "the thread's other questions");
    // Claim 15 is about our history, and its sceptic is not among its authors.
    let fifteen = file.claims.iter().find(|c| c.number == 15).unwrap();
    assert_eq!(fifteen.world, "otl");
    assert!(!fifteen.source.authors.iter().any(|a| a == "Van555"));
}

#[test]
fn errors_name_the_line_and_what_would_be_valid() {
    let bad = claims::CLAIMS.replacen("outcome = \"war_outcome\"", "outcome = \"war_outcom\"", 1);
    let e = claims::parse(&bad, "claims.toml").unwrap_err();
    let line = bad
        .lines()
        .position(|l| l.contains("war_outcom\""))
        .unwrap()
        + 1;
    assert_eq!(e.line, line);
    assert!(e.message.contains("unknown outcome `war_outcom`"), "{e}");
    assert!(
        e.to_string().contains("war_outcome"),
        "the help lists the valid names: {e}"
    );

    let bad = claims::CLAIMS.replacen("world = \"nep-investment\"", "world = \"nep-forever\"", 1);
    let e = claims::parse(&bad, "claims.toml").unwrap_err();
    assert!(
        e.message.contains("no shipped scenario `nep-forever`"),
        "{e}"
    );
    assert!(e.line > 0);

    let bad = claims::CLAIMS.replacen(
        "{ outcome = \"general_secretary_1925\", in = [\"stalin\"] }",
        "{ outcome = \"general_secretary_1925\", at_least = 1.0 }",
        1,
    );
    let e = claims::parse(&bad, "claims.toml").unwrap_err();
    assert!(e.message.contains("is categorical"), "{e}");

    // A claim without its post is refused at the `posts` line.
    let bad = claims::CLAIMS.replacen("posts = [4]", "posts = []", 1);
    let e = claims::parse(&bad, "claims.toml").unwrap_err();
    let line = bad.lines().position(|l| l == "posts = []").unwrap() + 1;
    assert_eq!(e.line, line, "{e}");
    assert!(e.message.contains("`posts`"), "{e}");

    // A question's unknown outcome is refused too.
    let bad = claims::CLAIMS.replacen(
        "outcomes = [\"leader_1926\"",
        "outcomes = [\"leader_1927\"",
        1,
    );
    let e = claims::parse(&bad, "claims.toml").unwrap_err();
    assert!(e.message.contains("unknown outcome `leader_1927`"), "{e}");
}

#[test]
fn same_seed_same_answers_on_any_thread_count() {
    let data = data();
    let file = claims::parse(claims::CLAIMS, "data/claims.toml").unwrap();
    let one = claims::evaluate(&data, &file, settings(1), &|| {}).unwrap();
    let two = claims::evaluate(&data, &file, settings(2), &|| {}).unwrap();
    // The JSON holds every figure the tables and pages show.
    assert_eq!(
        serde_json::to_string(&one).unwrap(),
        serde_json::to_string(&two).unwrap()
    );
    assert_eq!(one.claims.len(), 14);
    assert_eq!(one.questions.len(), file.questions.len());
    for v in &one.claims {
        assert!(v.answer.value.is_finite() || v.answer.world.n == 0);
        // Firm levers first, then tentative ones; a lever said to decide the claim outright is firm.
        let first_tentative = v
            .levers
            .iter()
            .position(|l| !l.firm)
            .unwrap_or(v.levers.len());
        assert!(v.levers[first_tentative..].iter().all(|l| !l.firm));
        assert!(v.levers.iter().all(|l| l.z.abs() > v.z_critical));
        assert!(v
            .levers
            .iter()
            .filter(|l| l.firm)
            .all(|l| l.z.abs() > v.z_critical + 1.959964));
        assert!(
            v.screened > 100,
            "claim {}: {} assumptions screened",
            v.claim.number,
            v.screened
        );
    }
    // Every question has an answer for each outcome and event it names.
    for a in &one.questions {
        let q = &a.question;
        assert_eq!(
            a.parts.len(),
            q.outcomes.len() + q.events.len(),
            "question {}",
            q.number
        );
        assert_eq!(a.n_base.is_some(), q.baseline.is_some());
    }
}

#[test]
fn the_verdict_follows_the_thresholds_in_the_file() {
    let data = data();
    // Claim 9 (the united front and Hitler): move its thresholds to either side of the interval,
    // then inside it.
    let mut file = claims::parse(claims::CLAIMS, "data/claims.toml").unwrap();
    file.claims.retain(|c| c.number == 9);
    file.questions.clear();
    let answer = claims::evaluate(&data, &file, settings(0), &|| {})
        .unwrap()
        .claims[0]
        .answer
        .clone();
    let [lo, hi] = answer.interval;
    assert!(lo < hi, "{answer:?}");
    let call = |supported: f64, refuted: f64| {
        let mut f = file.clone();
        f.claims[0].supported.at_least = Some(supported);
        f.claims[0].refuted.at_most = Some(refuted);
        claims::evaluate(&data, &f, settings(0), &|| {})
            .unwrap()
            .claims[0]
            .call
    };
    assert_eq!(call(lo - 0.01, lo - 0.02), Call::Supported);
    assert_eq!(call(hi + 0.02, hi + 0.01), Call::NotSupported);
    // The value itself clears the threshold, the interval's lower end does not.
    assert_eq!(call(answer.value - 0.001, lo - 0.05), Call::Inconclusive);
}

#[test]
fn docs_claims_md_carries_the_generated_answers_for_every_claim_and_question() {
    // docs/claims.md's figures are pasted in by scripts/claims-doc from `razvilka claims
    // --markdown`; this checks that the generated part is there and covers the file as it stands
    // (a claim added or renumbered without regenerating the page fails here).
    let doc = include_str!("../../../docs/claims.md");
    let begin = doc
        .find("<!-- BEGIN generated by scripts/claims-doc -->")
        .expect("the begin marker");
    let end = doc
        .find("<!-- END generated by scripts/claims-doc -->")
        .expect("the end marker");
    let generated = &doc[begin..end];
    // At the defaults, which the command line and the web's claims page use.
    let command = format!(
        "Generated by `razvilka claims --markdown --runs {} --prior-runs {} --seed 1`",
        Settings::DEFAULT_RUNS,
        Settings::DEFAULT_PRIOR_RUNS
    );
    assert!(
        generated.contains(&command),
        "regenerate with bash scripts/claims-doc (and its arguments at the defaults)"
    );
    let file = claims::parse(claims::CLAIMS, "data/claims.toml").unwrap();
    for c in &file.claims {
        assert!(
            generated.contains(&format!("### {}. {}\n", c.number, c.claim)),
            "claim {} is not in docs/claims.md as data/claims.toml has it: run bash scripts/claims-doc",
            c.number
        );
        assert!(
            generated.contains(&format!("> \"{}\"", c.source.quote)),
            "claim {}",
            c.number
        );
    }
    for q in &file.questions {
        assert!(
            generated.contains(&format!("### Q{}. {}\n", q.number, q.asks)),
            "question {} is not in docs/claims.md: run bash scripts/claims-doc",
            q.number
        );
    }
}
