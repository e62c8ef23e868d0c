//! The web application's JSON API and forms: the API against the library called directly, saving,
//! downloads, and bad input refused with what would be valid.

mod support;

use support::*;

#[tokio::test]
async fn api_run_is_the_summary_the_library_makes() {
    let app = app(|_| {});
    let data = Data::builtin().unwrap();
    let s = scenario(&data, "stalin-expelled");
    let opts = razvilka_ensemble::Options {
        runs: 60,
        seed: 5,
        threads: 1,
    };
    let outcomes = razvilka_ensemble::run(&data, &s, opts, &|| {}).unwrap();
    let direct =
        serde_json::to_value(razvilka_ensemble::summarize(&data, &s, 5, &outcomes)).unwrap();
    let (status, json) = app
        .json("/api/run?scenario=stalin-expelled&runs=60&seed=5")
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(json, direct);
    // The second answer comes from the cache, and is the same.
    let (_, again) = app
        .json("/api/run?scenario=stalin-expelled&runs=60&seed=5")
        .await;
    assert_eq!(again, direct);
}

#[tokio::test]
async fn api_run_with_changes_is_the_summary_of_the_same_scenario_file() {
    let app = app(|_| {});
    let data = Data::builtin().unwrap();
    let a = data
        .registry
        .assumptions()
        .iter()
        .find(|a| a.prior.bounds().is_some())
        .unwrap();
    let (lo, hi) = a.prior.bounds().unwrap();
    let value = lo + (hi - lo) / 4.0;
    let text = format!(
        "{}\n[[intervention]]\ndate = \"1927-01\"\nkind = \"policy\"\nregime = \"nep\"\n\n[assumptions]\n\"{}\" = {value}\n",
        builtin_scenario("stalin-expelled").unwrap().replace("[ensemble]\nruns = 2000\nseed = 1\n", ""),
        a.key
    );
    let s = Scenario::parse(&text, "x", &data.context()).unwrap();
    let opts = razvilka_ensemble::Options {
        runs: 40,
        seed: 2,
        threads: 1,
    };
    let outcomes = razvilka_ensemble::run(&data, &s, opts, &|| {}).unwrap();
    let direct =
        serde_json::to_value(razvilka_ensemble::summarize(&data, &s, 2, &outcomes)).unwrap();
    let uri = format!(
        "/api/run?scenario=stalin-expelled&runs=40&seed=2&a.{}={value}&iv1.kind=policy&iv1.date=1927-01&iv1.choice=nep",
        a.key
    );
    let (status, json) = app.json(&uri).await;
    assert_eq!(status, StatusCode::OK, "{json}");
    assert_eq!(json, direct);
    assert_eq!(json["categorical"]["policy_1930"]["nep"], 1.0);
}

#[tokio::test]
async fn api_compare_and_timeline_are_the_library_s() {
    let app = app(|_| {});
    let data = Data::builtin().unwrap();
    let (a, b) = (scenario(&data, "otl"), scenario(&data, "stalin-expelled"));
    let opts = razvilka_ensemble::Options {
        runs: 30,
        seed: 4,
        threads: 1,
    };
    let pairs = razvilka_ensemble::run_pairs(&data, &a, &b, opts, &|| {}).unwrap();
    let direct =
        serde_json::to_value(razvilka_ensemble::compare(&data, &a, &b, 4, &pairs)).unwrap();
    let (status, json) = app
        .json("/api/compare?a=otl&b=stalin-expelled&runs=30&seed=4")
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(json, direct);

    let world = razvilka_world::simulate(&data, &b, b.divergence, 4, 7).unwrap();
    let t = razvilka_present::narrative::Timeline::of(&data, &b, &world, 4, 7);
    let (status, json) = app
        .json("/api/timeline?scenario=stalin-expelled&seed=4&run=7")
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(json, serde_json::to_value(t).unwrap());

    let (status, json) = app.json("/api/scenarios").await;
    assert_eq!(status, StatusCode::OK);
    let names: Vec<&str> = json
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    let shipped: Vec<&str> = razvilka_world::BUILTIN_SCENARIOS
        .iter()
        .map(|(n, _)| *n)
        .collect();
    assert_eq!(names, shipped);
    assert!(json[1]["title"].as_str().unwrap().contains("Stalin"));
    assert_eq!(json[1]["divergence"], "1924-05");
}

#[tokio::test]
async fn bad_input_is_a_400_that_says_what_would_be_valid() {
    let app = app(|c| c.max_runs = 500);
    let cases = [
        (
            "scenario=atlantis",
            "unknown scenario `atlantis`",
            "stalin-expelled",
        ),
        (
            "a.politics.no_such_thing=1",
            "unknown assumption `politics.no_such_thing`",
            "assumptions",
        ),
        ("runs=501", "runs = 501", "1 to 500"),
        ("runs=many", "not a whole number", "1 to 500"),
        (
            "iv1.kind=expel&iv1.date=1926-01&iv1.person=nobody",
            "unknown person `nobody`",
            "valid people",
        ),
        (
            "iv1.kind=expel&iv1.date=1920-01&iv1.person=trotsky",
            "outside the free part of the run",
            "divergence",
        ),
        ("a.x=abc", "`abc` is not a number", "prior"),
    ];
    for (query, message, help) in cases {
        let (status, page) = app.get(&format!("/run?{query}")).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{query}");
        assert!(
            has_id(&page, "error") && has_id(&page, "site-nav"),
            "{query}"
        );
        let shown = page.replace("&#39;", "'").replace("&#96;", "`");
        assert!(
            shown.contains(message),
            "{query}: {message} not in the page"
        );
        assert!(shown.contains(help), "{query}: {help} not in the page");
        let (status, json) = app.json(&format!("/api/run?{query}")).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{query}");
        let text = format!("{} {}", json["error"], json["help"]);
        assert!(
            text.contains(message) && text.contains(help),
            "{query}: {json}"
        );
    }
    // A timeline's world index must be a number too.
    let (status, _) = app.get("/timeline?run=x").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let (status, json, _) = app
        .post(
            "/api/save",
            "application/json",
            "{\"scenario\": \"otl\"}".into(),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{json}");
    assert!(json.contains("runs"), "{json}");
}

#[tokio::test]
async fn saving_gives_a_short_link_that_reproduces_the_run() {
    let app = app(|_| {});
    let form = "scenario=stalin-expelled&runs=30&seed=9&iv1.kind=dies&iv1.date=1926-06&iv1.person=trotsky&iv2.kind=";
    let (status, _, headers) = app
        .post("/save", "application/x-www-form-urlencoded", form.into())
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let location = headers[header::LOCATION].to_str().unwrap().to_string();
    let id = location.strip_prefix("/s/").unwrap().to_string();
    assert_eq!(id.len(), 10);

    // The same thing saved through the API gets the same id.
    let json = r#"{"scenario": "stalin-expelled", "runs": 30, "seed": 9, "interventions": [{"kind": "dies", "date": "1926-06", "person": "trotsky"}]}"#;
    let (status, body, _) = app.post("/api/save", "application/json", json.into()).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let saved: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(saved["id"], id.as_str());
    assert_eq!(saved["url"], location.as_str());
    // Another seed is another link.
    let (_, other, _) = app
        .post(
            "/api/save",
            "application/json",
            json.replace("\"seed\": 9", "\"seed\": 10"),
        )
        .await;
    assert!(!other.contains(&id));

    let (status, page) = app.get(&location).await;
    assert_eq!(status, StatusCode::OK);
    assert_ids(
        &page,
        &["results", "headline", "twins", "share", "share-link"],
    );
    assert!(page.contains(&format!("href=\"/s/{id}\"")));
    // Same numbers as the unsaved run of the same params.
    let (_, unsaved) = app
        .get("/run?scenario=stalin-expelled&runs=30&seed=9&iv1.kind=dies&iv1.date=1926-06&iv1.person=trotsky")
        .await;
    let headline = |p: &str| {
        let h = &p[p.find("id=\"headline\"").unwrap()..];
        h[..h.find("</div>").unwrap()].to_string()
    };
    assert_eq!(headline(&page), headline(&unsaved));

    let (status, params) = app.json(&format!("/api/s/{id}")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(params["runs"], 30);
    assert_eq!(params["seed"], 9);
    assert_eq!(params["interventions"][0]["person"], "trotsky");
    assert!(params["text"].as_str().unwrap().contains("trotsky"));
}

#[tokio::test]
async fn unknown_saved_ids_and_paths_are_404() {
    let app = app(|_| {});
    for uri in ["/s/zzzzzzzzzz", "/s/..%2f..%2fetc", "/nowhere"] {
        let (status, page) = app.get(uri).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{uri}");
        assert!(has_id(&page, "error"), "{uri}");
    }
    let (status, json) = app.json("/api/s/zzzzzzzzzz").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(json["error"].as_str().unwrap().contains("zzzzzzzzzz"));
}

#[tokio::test]
async fn only_embedded_assets_are_served() {
    let app = app(|_| {});
    let (status, css) = app.get("/assets/web.css").await;
    assert_eq!(status, StatusCode::OK);
    assert!(css.contains("#site-nav"));
    for uri in [
        "/assets/../Cargo.toml",
        "/assets/%2e%2e/Cargo.toml",
        "/assets/%2e%2e%2fCargo.toml",
        "/assets/..%2f..%2fCargo.toml",
        "/%2e%2e/",
        "/%2e%2e/Cargo.toml",
        "/assets/",
        "/assets/web.css/../../Cargo.toml",
        "/../Cargo.toml",
    ] {
        let (status, body) = app.get(uri).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{uri}");
        assert!(!body.contains("[workspace]"), "{uri}");
    }
}

#[tokio::test]
async fn unknown_parameters_are_refused_by_name_on_every_route() {
    let app = app(|_| {});
    for (uri, named) in [
        ("/run?scenario=otl&run=50", "`run`"),
        ("/timeline?scenario=otl&Seed=7", "`Seed`"),
        ("/sensitivity?output=war_outcome%3Dno_war&runs=5", "`runs`"),
    ] {
        let (status, page) = app.get(uri).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{uri}");
        let shown = page.replace("&#96;", "`");
        assert!(
            shown.contains(&format!("unknown parameter {named}")),
            "{uri}: {shown}"
        );
    }
    for (uri, named) in [
        ("/api/run?runs=5&sample_priors=true", "`sample_priors`"),
        ("/api/timeline?runs=5&run=1&x=1", "`x`"),
        ("/api/compare?b=otl&runs=5&scenario=otl", "`scenario`"),
        ("/api/compare?b=otl&runs=5&c=otl", "`c`"),
    ] {
        let (status, json) = app.json(uri).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{uri}");
        assert!(
            json["error"].as_str().unwrap().contains(named),
            "{uri}: {json}"
        );
    }
}

#[tokio::test]
async fn api_compare_honours_the_interventions_and_assumptions_of_b() {
    let app = app(|_| {});
    let data = Data::builtin().unwrap();
    let a = scenario(&data, "otl");
    let text = format!(
        "{}\n[[intervention]]\ndate = \"1925-01\"\nkind = \"dies\"\nperson = \"trotsky\"\n",
        builtin_scenario("stalin-expelled").unwrap()
    );
    let b = Scenario::parse(&text, "x", &data.context()).unwrap();
    let opts = razvilka_ensemble::Options {
        runs: 30,
        seed: 4,
        threads: 1,
    };
    let pairs = razvilka_ensemble::run_pairs(&data, &a, &b, opts, &|| {}).unwrap();
    let direct =
        serde_json::to_value(razvilka_ensemble::compare(&data, &a, &b, 4, &pairs)).unwrap();
    let (status, with) = app
        .json("/api/compare?a=otl&b=stalin-expelled&runs=30&seed=4&iv1.kind=dies&iv1.date=1925-01&iv1.person=trotsky")
        .await;
    assert_eq!(status, StatusCode::OK, "{with}");
    assert_eq!(with, direct);
    let (_, without) = app
        .json("/api/compare?a=otl&b=stalin-expelled&runs=30&seed=4")
        .await;
    assert_ne!(with, without);
    let (status, json) = app
        .json("/api/compare?b=stalin-expelled&runs=30&a.no.such=1")
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(json["error"]
        .as_str()
        .unwrap()
        .contains("unknown assumption"));
}

#[tokio::test]
async fn sensitivity_values_worlds_and_saved_interventions_are_checked() {
    let app = app(|_| {});
    let start = Instant::now();
    let (status, page) = app
        .get("/sensitivity?scenario=stalin-expelled&output=war_outcome%3Dnonsense")
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let shown = page.replace("&#96;", "`");
    assert!(
        shown.contains("`nonsense` is not a value of outcome `war_outcome`"),
        "{shown}"
    );
    assert!(
        shown.contains("soviet_collapse"),
        "the valid values are listed"
    );
    // Refused before any world is run.
    assert!(
        start.elapsed() < Duration::from_secs(2),
        "{:?}",
        start.elapsed()
    );

    // World K of an ensemble of N worlds exists for K < N only.
    let (status, _) = app.get("/timeline?scenario=otl&runs=10&run=9").await;
    assert_eq!(status, StatusCode::OK);
    let (status, json) = app.json("/api/timeline?scenario=otl&runs=10&run=10").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(
        json["error"].as_str().unwrap().contains("no world 10"),
        "{json}"
    );

    let iv = r#"{"kind": "dies", "date": "1926-06", "person": "trotsky"}"#;
    let many = format!(
        r#"{{"scenario": "stalin-expelled", "runs": 30, "seed": 9, "interventions": [{}]}}"#,
        [iv; 10].join(",")
    );
    let (status, body, _) = app.post("/api/save", "application/json", many).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert!(body.contains("at most 9 interventions"), "{body}");
    let (status, body, _) = app
        .post(
            "/api/save",
            "application/json",
            r#"{"scenario": "otl", "runs": 20001, "seed": 1}"#.into(),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
}

#[tokio::test]
async fn a_wrong_method_is_a_styled_405_that_says_which_would_do() {
    let app = app(|_| {});
    let (status, page, h) = app
        .post(
            "/run",
            "application/x-www-form-urlencoded",
            "scenario=otl".into(),
        )
        .await;
    assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED);
    assert!(
        has_id(&page, "error") && has_id(&page, "site-nav"),
        "{page}"
    );
    assert!(page.contains("/run does not take POST"), "{page}");
    assert!(h[header::ALLOW].to_str().unwrap().contains("GET"));
    let (status, body) = app.get("/api/save").await;
    assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED);
    let json: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert!(json["help"].as_str().unwrap().contains("POST"), "{json}");
}

#[tokio::test]
async fn every_world_downloads_as_the_csv_the_library_exports() {
    let app = app(|_| {});
    let (status, page) = app.get("/run?scenario=otl&runs=25&seed=6").await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("id=\"csv-link\" href=\"/runs.csv?scenario=otl&amp;runs=25&amp;seed=6\""));
    let (status, csv, h) = app
        .send(
            Request::get("/runs.csv?scenario=otl&runs=25&seed=6")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{csv}");
    assert_eq!(h[header::CONTENT_TYPE], "text/csv; charset=utf-8");
    assert!(h[header::CONTENT_DISPOSITION]
        .to_str()
        .unwrap()
        .contains("razvilka-otl-25-worlds-seed-6.csv"));
    let data = Data::builtin().unwrap();
    let s = scenario(&data, "otl");
    let opts = razvilka_ensemble::Options {
        runs: 25,
        seed: 6,
        threads: 1,
    };
    let outcomes = razvilka_ensemble::run(&data, &s, opts, &|| {}).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("x.csv");
    razvilka_export::write_runs(&path, &data, 6, &outcomes, false).unwrap();
    assert_eq!(csv, std::fs::read_to_string(&path).unwrap());
    assert_eq!(csv.lines().count(), 26, "a header and a row per world");
}
