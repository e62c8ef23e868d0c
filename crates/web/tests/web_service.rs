//! The web application as a service: caching and restarts, the queue, the time budget, the body
//! limit, headers and compression, and the data directory it is given.

mod support;

use support::*;

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
    let data_dir = data_copy();
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
    appointment_bias_to_0_45(data_dir.path());
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
async fn the_server_reads_the_data_directory_it_is_given() {
    // A copy of the shipped data with one assumption's default changed (within its prior).
    let data_dir = data_copy();
    appointment_bias_to_0_45(data_dir.path());

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
