//! The web application through its router, without a socket: each page and its contract ids, the
//! API against the library called directly, saving, and every limit.

use std::time::{Duration, Instant};

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use axum::Router;
use http_body_util::BodyExt;
use razvilka_web::{router, AppState, Config};
use razvilka_world::{builtin_scenario, Data, Scenario};
use tower::ServiceExt;

struct App {
    state: AppState,
    router: Router,
    _dir: tempfile::TempDir,
}

/// A server on a fresh database, with small claims and sensitivity settings.
fn app(change: impl FnOnce(&mut Config)) -> App {
    let dir = tempfile::tempdir().unwrap();
    let mut config = Config {
        db: dir.path().join("x.db"),
        threads: 2,
        claims_runs: 20,
        claims_prior_runs: 20,
        tornado_runs: 2,
        // Pages wait for their results (a test that wants the running page says so).
        running_after: Duration::from_secs(120),
        ..Config::default()
    };
    change(&mut config);
    let state = AppState::new(config).unwrap();
    App {
        router: router(state.clone()),
        state,
        _dir: dir,
    }
}

impl App {
    async fn send(&self, req: Request<Body>) -> (StatusCode, String, axum::http::HeaderMap) {
        let response = self.router.clone().oneshot(req).await.unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        (status, String::from_utf8(bytes.to_vec()).unwrap(), headers)
    }

    async fn get(&self, uri: &str) -> (StatusCode, String) {
        let (s, b, _) = self
            .send(Request::get(uri).body(Body::empty()).unwrap())
            .await;
        (s, b)
    }

    async fn json(&self, uri: &str) -> (StatusCode, serde_json::Value) {
        let (s, b) = self.get(uri).await;
        let v = serde_json::from_str(&b).unwrap_or_else(|e| panic!("{uri}: {e}: {b}"));
        (s, v)
    }

    async fn post(
        &self,
        uri: &str,
        content_type: &str,
        body: String,
    ) -> (StatusCode, String, axum::http::HeaderMap) {
        self.send(
            Request::post(uri)
                .header(header::CONTENT_TYPE, content_type)
                .body(Body::from(body))
                .unwrap(),
        )
        .await
    }
}

fn has_id(page: &str, id: &str) -> bool {
    page.contains(&format!("id=\"{id}\""))
}

fn assert_ids(page: &str, ids: &[&str]) {
    for id in ids {
        assert!(has_id(page, id), "no id=\"{id}\" in the page");
    }
}

fn scenario(data: &Data, name: &str) -> Scenario {
    Scenario::parse(builtin_scenario(name).unwrap(), name, &data.context()).unwrap()
}

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
async fn a_body_over_the_limit_is_413() {
    let app = app(|c| c.max_body_bytes = 1000);
    let big = format!("scenario=otl&runs=10&seed=1&pad={}", "x".repeat(2000));
    // Without a length header (the limit trips while reading) and with one (refused at once).
    let (status, page, _) = app
        .post("/save", "application/x-www-form-urlencoded", big.clone())
        .await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(
        has_id(&page, "error") && page.contains("1000 bytes"),
        "{page}"
    );
    let (status, body, _) = app
        .send(
            Request::post("/api/save")
                .header(header::CONTENT_TYPE, "application/json")
                .header(header::CONTENT_LENGTH, big.len())
                .body(Body::from(big.clone()))
                .unwrap(),
        )
        .await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    let json: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert!(json["error"].as_str().unwrap().contains("1000 bytes"));
    // Under the limit the same route works.
    let (status, _, _) = app
        .post(
            "/save",
            "application/x-www-form-urlencoded",
            "scenario=otl&runs=10".into(),
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn a_full_queue_is_429_with_retry_after_and_a_queued_request_is_answered() {
    let none = app(|c| {
        c.max_concurrent = 0;
        c.max_queue = 0;
    });
    let (status, page, headers) = none
        .send(
            Request::get("/run?scenario=otl&runs=5")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    assert!(page.contains("too many simulations at once, try again"));
    assert_eq!(headers[header::RETRY_AFTER], "5");
    let (status, json) = none.json("/api/run?runs=5").await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(json["error"], "too many simulations at once, try again");

    // One slot, held; one place in the queue: the first request waits, the second is refused.
    let one = std::sync::Arc::new(app(|c| {
        c.max_concurrent = 1;
        c.max_queue = 1;
    }));
    let held = one.state.simulations.clone().try_acquire_owned().unwrap();
    let queued = tokio::spawn({
        let one = one.clone();
        async move { one.get("/api/run?runs=5&seed=1").await }
    });
    let start = Instant::now();
    while one.state.waiting() == 0 {
        assert!(start.elapsed() < Duration::from_secs(5), "never queued");
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    let (status, _, headers) = one
        .send(
            Request::get("/api/run?runs=5&seed=2")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(headers[header::RETRY_AFTER], "5");
    drop(held);
    let (status, body) = queued.await.unwrap();
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(one.state.waiting(), 0);
}

#[tokio::test]
async fn thirty_identical_requests_share_one_computation_and_a_restart_keeps_it() {
    let app = std::sync::Arc::new(app(|c| c.running_after = Duration::from_secs(60)));
    let uri = "/run?scenario=stalin-expelled&runs=30&seed=11";
    let tasks: Vec<_> = (0..30)
        .map(|_| {
            let app = app.clone();
            tokio::spawn(async move {
                app.send(Request::get(uri).body(Body::empty()).unwrap())
                    .await
            })
        })
        .collect();
    let mut pages = Vec::new();
    for t in tasks {
        let (status, page, headers) = t.await.unwrap();
        assert_eq!(status, StatusCode::OK);
        assert!(has_id(&page, "headline"));
        assert_eq!(headers[header::CACHE_CONTROL], "public, max-age=3600");
        pages.push(page);
    }
    assert!(pages.iter().all(|p| *p == pages[0]));
    assert_eq!(app.state.computed(), 1);
    // Asked again: from memory.
    let (_, again) = app.get(uri).await;
    assert_eq!(again, pages[0]);
    assert_eq!(app.state.computed(), 1);
    // A new server on the same database: from the store.
    let restarted = AppState::new(Config {
        db: app._dir.path().join("x.db"),
        threads: 2,
        ..Config::default()
    })
    .unwrap();
    let response = router(restarted.clone())
        .oneshot(Request::get(uri).body(Body::empty()).unwrap())
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    assert_eq!(String::from_utf8(bytes.to_vec()).unwrap(), pages[0]);
    assert_eq!(restarted.computed(), 0);
}

#[tokio::test]
async fn a_restart_on_other_data_does_not_serve_the_old_datas_pages() {
    let app = app(|_| {});
    let uri = "/api/run?scenario=otl&runs=20&seed=3";
    let (status, shipped) = app.get(uri).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(app.state.computed(), 1);

    // The same data from a directory: the same pages, from the store.
    let data_dir = tempfile::tempdir().unwrap();
    let files = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data");
    for entry in std::fs::read_dir(&files).unwrap() {
        let entry = entry.unwrap();
        if entry.file_type().unwrap().is_file() {
            std::fs::copy(entry.path(), data_dir.path().join(entry.file_name())).unwrap();
        }
    }
    let restart = |dir: &std::path::Path| {
        AppState::new(Config {
            db: app._dir.path().join("x.db"),
            threads: 2,
            data_dir: Some(dir.to_path_buf()),
            ..Config::default()
        })
        .unwrap()
    };
    let get = |state: AppState| async move {
        let response = router(state)
            .oneshot(Request::get(uri).body(Body::empty()).unwrap())
            .await
            .unwrap();
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        String::from_utf8(bytes.to_vec()).unwrap()
    };
    let same = restart(data_dir.path());
    assert_eq!(get(same.clone()).await, shipped);
    assert_eq!(same.computed(), 0);

    // One assumption's default changed: computed afresh, not the shipped data's summary.
    let path = data_dir.path().join("assumptions.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    let at = text.find("key = \"politics.appointment_bias\"").unwrap();
    let changed = format!(
        "{}{}",
        &text[..at],
        text[at..].replacen("default = 0.6\n", "default = 0.45\n", 1)
    );
    assert_ne!(changed, text);
    std::fs::write(&path, changed).unwrap();
    let edited = restart(data_dir.path());
    let _ = get(edited.clone()).await;
    assert_eq!(edited.computed(), 1);
}

#[tokio::test]
async fn a_long_computation_shows_a_running_page_that_reloads_itself() {
    let app = app(|c| c.running_after = Duration::from_millis(0));
    let uri = "/run?scenario=otl&runs=200&seed=5";
    let (status, page, headers) = app
        .send(Request::get(uri).body(Body::empty()).unwrap())
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(has_id(&page, "running"), "{page}");
    assert!(page.contains("<meta http-equiv=\"refresh\" content=\"2\">"));
    assert_eq!(headers[header::CACHE_CONTROL], "no-store");
    // What the reloading browser gets once the computation is done: the results.
    let start = Instant::now();
    loop {
        let (status, page) = app.get(uri).await;
        assert_eq!(status, StatusCode::OK);
        if has_id(&page, "headline") {
            break;
        }
        assert!(start.elapsed() < Duration::from_secs(60), "never finished");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(app.state.computed(), 1);
}

#[tokio::test]
async fn a_page_query_is_sent_to_its_short_canonical_address() {
    let app = app(|_| {});
    let (status, _, headers) = app
        .send(
            Request::get("/run?scenario=otl&runs=2000&seed=1&iv1.kind=&iv1.date=&a.politics.appointment_bias=&iv2.person=")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(headers[header::LOCATION], "/run?scenario=otl");
    let (status, _, headers) = app
        .send(
            Request::get("/timeline?seed=3&scenario=otl&run=")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(
        headers[header::LOCATION],
        "/timeline?scenario=otl&seed=3&run=0"
    );
}

#[tokio::test]
async fn over_the_time_budget_is_504_and_the_worker_stops() {
    // 200,000 worlds take far longer than the five seconds allowed below unless cancelled.
    let app = app(|c| {
        c.running_after = Duration::from_secs(60);
        c.timeout = Duration::from_millis(50);
        c.max_concurrent = 1;
        c.max_runs = 1_000_000;
    });
    let (status, json) = app
        .json("/api/run?scenario=stalin-expelled&runs=200000")
        .await;
    assert_eq!(status, StatusCode::GATEWAY_TIMEOUT);
    assert!(json["error"].as_str().unwrap().contains("time budget"));
    let start = Instant::now();
    while app.state.simulations.available_permits() == 0 {
        assert!(
            start.elapsed() < Duration::from_secs(5),
            "the cancelled simulation still holds its slot"
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let (status, page) = app.get("/run?scenario=otl&runs=200000").await;
    assert_eq!(status, StatusCode::GATEWAY_TIMEOUT, "{page}");
    assert!(has_id(&page, "error"));
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
async fn responses_carry_security_and_caching_headers_and_are_compressed() {
    let app = app(|_| {});
    for uri in [
        "/",
        "/run?scenario=otl&runs=20",
        "/assets/web.css",
        "/nowhere",
        "/api/run?x=1",
    ] {
        let (_, body, h) = app
            .send(Request::get(uri).body(Body::empty()).unwrap())
            .await;
        assert_eq!(
            h[header::CONTENT_SECURITY_POLICY],
            razvilka_web::CONTENT_SECURITY_POLICY,
            "{uri}"
        );
        assert!(razvilka_web::CONTENT_SECURITY_POLICY.contains("frame-ancestors 'none'"));
        assert_eq!(h[header::X_CONTENT_TYPE_OPTIONS], "nosniff", "{uri}");
        assert_eq!(h[header::REFERRER_POLICY], "same-origin", "{uri}");
        // The policy allows no script: the pages have none.
        assert!(
            !body.contains("<script") && !body.contains(" onclick="),
            "{uri}"
        );
    }
    // A results page may be kept, with a validator the browser can send back.
    let uri = "/run?scenario=otl&runs=20";
    let (status, page, h) = app
        .send(Request::get(uri).body(Body::empty()).unwrap())
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(h[header::CACHE_CONTROL], "public, max-age=3600");
    let etag = h[header::ETAG].clone();
    assert!(etag.to_str().unwrap().starts_with("W/\""));
    let (status, body, h) = app
        .send(
            Request::get(uri)
                .header(header::IF_NONE_MATCH, etag.clone())
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(status, StatusCode::NOT_MODIFIED);
    assert!(body.is_empty());
    assert_eq!(h[header::ETAG], etag);
    // Errors are never kept.
    let (_, _, h) = app
        .send(Request::get("/nowhere").body(Body::empty()).unwrap())
        .await;
    assert_eq!(h[header::CACHE_CONTROL], "no-store");
    assert!(!h.contains_key(header::ETAG));
    // Compressed when the browser says it can read it.
    for encoding in ["gzip", "br"] {
        let response = app
            .router
            .clone()
            .oneshot(
                Request::get(uri)
                    .header(header::ACCEPT_ENCODING, encoding)
                    .body(Body::empty())
                    .unwrap(),
            )
            .await
            .unwrap();
        assert_eq!(response.headers()[header::CONTENT_ENCODING], encoding);
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        assert!(
            bytes.len() * 4 < page.len(),
            "{encoding}: {} of {} bytes",
            bytes.len(),
            page.len()
        );
    }
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
async fn the_server_reads_the_data_directory_it_is_given() {
    // A copy of the shipped data with one assumption's default changed (within its prior).
    let data_dir = tempfile::tempdir().unwrap();
    let shipped = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data");
    for entry in std::fs::read_dir(&shipped).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), data_dir.path().join(entry.file_name())).unwrap();
    }
    let path = data_dir.path().join("assumptions.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    let at = text.find("key = \"politics.appointment_bias\"").unwrap();
    let changed = format!(
        "{}{}",
        &text[..at],
        text[at..].replacen("default = 0.6\n", "default = 0.45\n", 1)
    );
    assert_ne!(changed, text);
    std::fs::write(&path, changed).unwrap();

    let app = app(|c| c.data_dir = Some(data_dir.path().to_path_buf()));
    let (status, page) = app.get("/").await;
    assert_eq!(status, StatusCode::OK);
    let control = &page[page.find("id=\"a-politics.appointment_bias\"").unwrap()..];
    assert!(
        control[..200].contains("placeholder=\"0.45\""),
        "{}",
        &control[..200]
    );

    // A directory that is not there stops the server at start, naming it.
    let e = AppState::new(Config {
        data_dir: Some(data_dir.path().join("missing")),
        ..Config::default()
    })
    .err()
    .expect("no data, no server");
    assert!(e.to_string().contains("missing"), "{e}");
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
