//! The web application's pages through its router, without a socket: each page and its contract
//! ids, what it shows and where it links.

mod support;

use support::*;

#[tokio::test]
async fn the_builder_has_its_form_controls_and_an_input_per_assumption_with_a_prior() {
    let app = app(|_| {});
    let (status, page) = app.get("/").await;
    assert_eq!(status, StatusCode::OK);
    assert_ids(
        &page,
        &[
            "site-nav",
            "builder",
            "scenario",
            "runs",
            "seed",
            "iv1-kind",
            "iv1-date",
            "iv1-person",
            "iv1-choice",
            "iv3-choice",
            "assumptions",
            "run-button",
        ],
    );
    for href in [
        "href=\"/\"",
        "href=\"/claims\"",
        "href=\"/sensitivity\"",
        "href=\"/docs/api\"",
    ] {
        assert!(page.contains(href), "{href}");
    }
    // The premise is the first choice and chosen, and runs in one click from the top of the page.
    assert!(page.contains("id=\"scenario\"><option value=\"stalin-expelled\" selected>"));
    assert!(page.contains("href=\"/run?scenario=stalin-expelled\">Run: Stalin expelled</a>"));
    assert!(page.find("id=\"run-premise\"").unwrap() < page.find("id=\"builder\"").unwrap());
    assert!(
        page.contains("<details id=\"assumptions\">"),
        "the assumptions are folded"
    );
    let data = Data::builtin().unwrap();
    for a in data.registry.assumptions() {
        let control = format!("name=\"a.{}\"", a.key);
        assert_eq!(
            page.contains(&control),
            a.prior.bounds().is_some(),
            "{}",
            a.key
        );
    }
}

#[tokio::test]
async fn edit_this_scenario_reopens_the_builder_filled_in() {
    let app = app(|_| {});
    let (status, results) = app
        .get("/run?scenario=otl&runs=30&seed=4&a.politics.appointment_bias=0.4&iv1.kind=dies&iv1.date=1926-06&iv1.person=trotsky")
        .await;
    assert_eq!(status, StatusCode::OK, "{results}");
    let edit = "/?scenario=otl&amp;runs=30&amp;seed=4&amp;a.politics.appointment_bias=0.4&amp;iv1.kind=dies&amp;iv1.date=1926-06&amp;iv1.person=trotsky";
    assert!(
        results.contains(&format!("id=\"edit-link\" href=\"{edit}\"")),
        "no edit link"
    );
    let (status, page) = app.get(&edit.replace("&amp;", "&")).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert!(page.contains("<option value=\"otl\" selected>"));
    assert!(page.contains("id=\"runs\" value=\"30\""));
    assert!(page.contains("id=\"seed\" value=\"4\""));
    assert!(page.contains("<option value=\"dies\" selected>"));
    assert!(page.contains("id=\"iv1-person\" list=\"people\" size=\"12\" value=\"trotsky\""));
    assert!(
        page.contains("id=\"a-politics.appointment_bias\""),
        "an assumption control"
    );
    assert!(page.contains("value=\"0.4\""));
    assert!(page.contains("<details id=\"assumptions\" open>"));
    // The builder is as strict as the results.
    let (status, _) = app.get("/?scenario=otl&rnus=3").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn the_results_page_has_headline_twins_charts_timeline_link_and_save_form() {
    let app = app(|_| {});
    let (status, page) = app
        .get("/run?scenario=stalin-expelled&runs=40&seed=3")
        .await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert_ids(
        &page,
        &[
            "site-nav",
            "results",
            "headline",
            "twins",
            "timeline-link",
            "save-form",
            "save-button",
        ],
    );
    assert!(page.contains("<svg"), "charts");
    assert!(page
        .contains("href=\"/timeline?scenario=stalin-expelled&amp;runs=40&amp;seed=3&amp;run=0\""));
    assert!(page.contains("name=\"runs\" value=\"40\""));
    // The expulsion changes who is General Secretary in 1925 in some twin pairs: not 0%.
    let twins = &page[page.find("id=\"twins\"").unwrap()..];
    let row = &twins[twins.find("general_secretary_1925").unwrap()..];
    let share = &row[row.find("class=\"num\">").unwrap() + 12..];
    assert!(!share.starts_with("0%"), "{}", &share[..20]);
}

#[tokio::test]
async fn the_timeline_tells_one_world_and_links_to_the_next() {
    let app = app(|_| {});
    let (status, page) = app
        .get("/timeline?scenario=stalin-expelled&runs=40&seed=3&run=4")
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_ids(&page, &["site-nav", "timeline", "summary", "another"]);
    assert!(
        page.contains("run=5\" id") || page.contains("run=5\">Another"),
        "next world"
    );
    assert!(page.contains("class=\"m-divergence\""));
    let items = page.matches("<li class=\"m-").count();
    let data = Data::builtin().unwrap();
    let s = scenario(&data, "stalin-expelled");
    let world = razvilka_world::simulate(&data, &s, s.divergence, 3, 4).unwrap();
    let t = razvilka_present::narrative::Timeline::of(&data, &s, &world, 3, 4);
    assert_eq!(items, t.entries.len());
}

#[tokio::test]
async fn docs_and_sensitivity_pages() {
    let app = app(|c| c.running_after = Duration::from_secs(60));
    let (status, page) = app.get("/docs/api").await;
    assert_eq!(status, StatusCode::OK);
    assert_ids(&page, &["site-nav"]);
    assert!(page.contains("/api/run"));
    let (status, page) = app.get("/sensitivity").await;
    assert_eq!(status, StatusCode::OK);
    assert_ids(&page, &["site-nav", "sensitivity", "output"]);
    let (status, page) = app
        .get("/sensitivity?scenario=stalin-expelled&output=war_outcome%3Dsoviet_collapse")
        .await;
    assert_eq!(status, StatusCode::OK, "{page}");
    let section = &page[page.find("id=\"sensitivity\"").unwrap()..];
    assert!(section.contains("<svg") && section.contains("Tornado"));
    let (status, page) = app
        .get("/sensitivity?scenario=stalin-expelled&output=no_such_outcome")
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(page.contains("no outcome `no_such_outcome`"));
}

#[tokio::test]
async fn the_claims_page_has_every_claim_and_its_verdict() {
    let app = app(|_| {});
    let (status, page) = app.get("/claims").await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert_ids(&page, &["site-nav", "claims"]);
    for n in 2..=15 {
        assert!(has_id(&page, &format!("claim-{n}")), "claim-{n}");
    }
    assert!(page.contains("Verdict:"));
    assert!(page.contains("with the priors sampled"));
    let (status, json) = app.json("/api/claims").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(json["claims"].as_array().unwrap().len(), 14);
    assert_eq!(json["runs"], 20);
    // The questions are on the page and in the JSON, the same ones.
    let questions = json["questions"].as_array().unwrap();
    assert!(!questions.is_empty());
    for q in questions {
        let n = q["question"]["number"].as_u64().unwrap();
        assert!(has_id(&page, &format!("question-{n}")), "question-{n}");
    }
    // Each claim's quote is on the page (escaped as the page escapes it).
    for c in json["claims"].as_array().unwrap() {
        let quote = c["claim"]["quote"]
            .as_str()
            .unwrap()
            .replace('\'', "&#39;")
            .replace('"', "&quot;");
        assert!(page.contains(&quote), "{quote}");
    }
}

#[tokio::test]
async fn a_timeline_links_both_ways_and_comes_as_markdown_and_bbcode_for_a_forum() {
    let app = app(|_| {});
    let (status, page) = app
        .get("/timeline?scenario=stalin-expelled&runs=40&seed=3&run=4")
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains(
        "rel=\"prev\" href=\"/timeline?scenario=stalin-expelled&amp;runs=40&amp;seed=3&amp;run=3\""
    ));
    assert!(
        page.contains("id=\"another-top\""),
        "the next world is at the top too"
    );
    assert!(
        page.contains("name=\"run\" min=\"0\" max=\"39\""),
        "a world by number"
    );
    assert!(!page.contains('⑂'), "a glyph fonts lack");
    // The last world has no next.
    let (_, last) = app
        .get("/timeline?scenario=stalin-expelled&runs=40&seed=3&run=39")
        .await;
    assert!(!has_id(&last, "another"));

    let data = Data::builtin().unwrap();
    let s = scenario(&data, "stalin-expelled");
    let world = razvilka_world::simulate(&data, &s, s.divergence, 3, 4).unwrap();
    let t = razvilka_present::narrative::Timeline::of(&data, &s, &world, 3, 4);
    for (format, expected) in [("markdown", t.markdown()), ("bbcode", t.bbcode())] {
        let (status, text, h) = app
            .send(
                Request::get(format!(
                    "/timeline?scenario=stalin-expelled&runs=40&seed=3&run=4&format={format}"
                ))
                .body(Body::empty())
                .unwrap(),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{text}");
        assert_eq!(h[header::CONTENT_TYPE], "text/plain; charset=utf-8");
        assert_eq!(text, expected, "{format}");
    }
    let (status, _) = app
        .get("/timeline?scenario=stalin-expelled&run=4&format=pdf")
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn the_results_page_states_the_headline_once_and_has_its_own_title() {
    let app = app(|_| {});
    let (_, page) = app
        .get("/run?scenario=stalin-expelled&runs=40&seed=3")
        .await;
    // The report's own cards of the same six answers are gone: the question is asked once as a
    // headline (the charts below may still carry it as their title).
    let asked = "class=\"q\">Who leads the party at the end of 1930?</span>";
    assert_eq!(
        page.matches(asked).count(),
        1,
        "the headline twice or not at all"
    );
    assert!(
        !page.contains("<div class=\"cards\">"),
        "the report's cards are still there"
    );
    assert!(
        has_id(&page, "reading-intervals"),
        "how to read the intervals"
    );
    assert!(page.contains("<title>Stalin expelled from the party at the May 1924 plenum: 40 worlds, seed 3 (razvilka)</title>"));
    let (_, other) = app
        .get("/run?scenario=stalin-expelled&runs=40&seed=4")
        .await;
    assert!(other.contains(": 40 worlds, seed 4 (razvilka)</title>"));
    assert!(page.contains("<a class=\"skip\" href=\"#main\">") && page.contains("id=\"main\""));
}

#[tokio::test]
async fn the_assumptions_uncertainty_can_be_included_and_is_shown_as_such() {
    let app = app(|_| {});
    let (status, with) = app
        .json("/api/run?scenario=stalin-expelled&runs=60&seed=5&priors=1")
        .await;
    assert_eq!(status, StatusCode::OK, "{with}");
    assert_eq!(with["sample_priors"], true);
    let (_, without) = app
        .json("/api/run?scenario=stalin-expelled&runs=60&seed=5")
        .await;
    assert_eq!(without["sample_priors"], false);
    assert_ne!(with["categorical"], without["categorical"]);
    let (status, page) = app
        .get("/run?scenario=stalin-expelled&runs=60&seed=5&priors=1")
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(has_id(&page, "priors-sampled"));
    assert!(page.contains("assumptions from their priors (razvilka)</title>"));
    let (status, _) = app.get("/run?scenario=otl&priors=yes").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    // The builder's switch is off unless asked for, and the link keeps it.
    let (_, builder) = app.get("/?scenario=stalin-expelled&priors=1").await;
    assert!(builder.contains("id=\"priors\" value=\"1\" checked>"));
    let (_, builder) = app.get("/").await;
    assert!(builder.contains("id=\"priors\" value=\"1\">"));
}
