//! The web pages in a real browser: Debian's Chromium, headless, driven through ChromeDriver by the
//! WebDriver client `fantoccini`, against the real `razvilka serve` on a loopback port.
//!
//! Each test starts its own ChromeDriver, browser session, server and database, and a guard ends
//! them all when the test ends, failed or not. The tests need `chromium` and `chromedriver` on
//! PATH: `bash scripts/test` installs them where they are missing. Without them these tests fail
//! (they never skip), saying so.

mod support;

use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::{json, Value};
use std::fs::File;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};
use support::{Server, TestDir};

/// How long a page that runs an ensemble may take to appear.
const PAGE_TIMEOUT: Duration = Duration::from_secs(90);

/// A ChromeDriver process and the browser session opened through it. Dropping it closes the
/// session (which ends the browser) and kills the driver.
struct Driver {
    child: Child,
    addr: String,
    session: Option<String>,
}

impl Drop for Driver {
    fn drop(&mut self) {
        // A plain blocking request, since Drop cannot await: the driver then quits the browser.
        if let Some(id) = self.session.take() {
            let _ = support::request(&self.addr, "DELETE", &format!("/session/{id}"), None);
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The program's path on PATH, or a failure that says how to get it.
fn required(program: &str) -> PathBuf {
    support::on_path(program).unwrap_or_else(|| {
        panic!(
            "`{program}` is not on PATH: the browser tests need Debian's chromium and \
             chromium-driver. Run `bash scripts/test`, which installs them, or \
             `apt-get install chromium chromium-driver`."
        )
    })
}

/// Starts ChromeDriver on a free loopback port and opens a headless Chromium session through it.
async fn start_browser(dir: &Path, window: (u32, u32)) -> (Driver, Client) {
    let chromedriver = required("chromedriver");
    let chromium = required("chromium");
    let port = support::free_port();
    let log = File::create(dir.join("chromedriver.log")).unwrap();
    let child = Command::new(chromedriver)
        .arg(format!("--port={port}"))
        .stdin(Stdio::null())
        .stdout(log.try_clone().unwrap())
        .stderr(log)
        .spawn()
        .expect("cannot start chromedriver");
    let mut driver = Driver {
        child,
        addr: format!("127.0.0.1:{port}"),
        session: None,
    };
    let started = Instant::now();
    loop {
        match support::get(&driver.addr, "/status") {
            Ok(r) if r.status == 200 => break,
            _ if started.elapsed() > Duration::from_secs(30) => {
                panic!("chromedriver did not answer on {} within 30 s", driver.addr)
            }
            _ => std::thread::sleep(Duration::from_millis(100)),
        }
    }
    let mut options = json!({
        "binary": chromium,
        "args": [
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            &format!("--window-size={},{}", window.0.max(500), window.1),
        ],
    });
    // A window is never narrower than 500 px: a phone's screen is emulated (its viewport width, as
    // a phone's browser lays the page out).
    if window.0 < 500 {
        options["mobileEmulation"] = json!({
            "deviceMetrics": { "width": window.0, "height": window.1, "pixelRatio": 2.0 }
        });
    }
    let capabilities = json!({ "goog:chromeOptions": options });
    let Value::Object(capabilities) = capabilities else {
        unreachable!("a JSON object literal")
    };
    let client = ClientBuilder::new(HttpConnector::new())
        .capabilities(capabilities)
        .connect(&format!("http://{}", driver.addr))
        .await
        .expect("cannot open a Chromium session through chromedriver");
    driver.session = client.session_id().await.unwrap();
    (driver, client)
}

/// One test's world: a browser session, the server and its database. Fields drop in order: the
/// browser first, then the server, then the scratch directory.
struct Harness {
    driver: Driver,
    server: Server,
    _dir: TestDir,
    client: Client,
}

impl Harness {
    async fn start(name: &str) -> Harness {
        Harness::start_with(name, (1280, 2000), &[]).await
    }

    /// A harness whose browser window is `window` (width, height) and whose server gets `flags`.
    async fn start_with(name: &str, window: (u32, u32), flags: &[&str]) -> Harness {
        let dir = TestDir::new(name);
        let server = Server::start(&dir.path().join("e2e.db"), flags);
        let (driver, client) = start_browser(dir.path(), window).await;
        Harness {
            driver,
            server,
            _dir: dir,
            client,
        }
    }

    /// The absolute URL of a path on the server.
    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.server.base)
    }

    /// Ends the session cleanly; dropping the harness after a failure does the same less politely.
    async fn finish(mut self) {
        if self.client.clone().close().await.is_ok() {
            self.driver.session = None;
        }
    }
}

/// The visible text of the element `css`, failing with the page's URL when it is missing.
async fn text(c: &Client, css: &str) -> String {
    match c.find(Locator::Css(css)).await {
        Ok(element) => element.text().await.unwrap(),
        Err(e) => panic!(
            "no `{css}` on {}: {e}",
            c.current_url()
                .await
                .map(|u| u.to_string())
                .unwrap_or_default()
        ),
    }
}

/// Waits until the element `css` is on the page.
async fn wait_for(c: &Client, css: &str) {
    wait_long(c, css, PAGE_TIMEOUT).await
}

/// How long the claims (fifteen ensembles and their priors, computed once when first asked for)
/// may take on a busy machine; meanwhile the page reloads itself.
const CLAIMS_TIMEOUT: Duration = Duration::from_secs(900);

/// Waits until the element `css` is on the page, for up to `at_most`.
async fn wait_long(c: &Client, css: &str, at_most: Duration) {
    if let Err(e) = c
        .wait()
        .at_most(at_most)
        .for_element(Locator::Css(css))
        .await
    {
        panic!(
            "`{css}` did not appear on {} within {at_most:?}: {e}",
            c.current_url()
                .await
                .map(|u| u.to_string())
                .unwrap_or_default()
        );
    }
}

/// Waits until the current URL satisfies `ready`, and returns it.
async fn wait_for_url(c: &Client, what: &str, ready: impl Fn(&url::Url) -> bool) -> url::Url {
    let started = Instant::now();
    loop {
        let url = c.current_url().await.unwrap();
        if ready(&url) {
            return url;
        }
        assert!(
            started.elapsed() < PAGE_TIMEOUT,
            "the URL never became {what}: still {url}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Every page carries the site's navigation with its four links.
async fn check_nav(c: &Client) {
    let nav = c
        .find(Locator::Id("site-nav"))
        .await
        .expect("no #site-nav on the page");
    let mut hrefs = Vec::new();
    for link in nav.find_all(Locator::Css("a")).await.unwrap() {
        hrefs.push(link.attr("href").await.unwrap().unwrap_or_default());
    }
    for wanted in ["/", "/claims", "/sensitivity", "/docs/api"] {
        assert!(
            hrefs.iter().any(|h| h == wanted || h.ends_with(wanted)),
            "#site-nav has no link to {wanted}: {hrefs:?}"
        );
    }
}

/// Whether the text shows a percentage: a digit, perhaps a space, then `%`.
fn has_percentage(text: &str) -> bool {
    let chars: Vec<char> = text.chars().collect();
    chars.iter().enumerate().any(|(i, &ch)| {
        ch == '%'
            && chars[..i]
                .iter()
                .rev()
                .find(|c| !c.is_whitespace())
                .is_some_and(|c| c.is_ascii_digit())
    })
}

/// The query parameter `key` of a URL.
fn query(url: &url::Url, key: &str) -> Option<String> {
    url.query_pairs()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.into_owned())
}

/// Where the screenshots go: `target/e2e/`, for people to look at.
fn screenshot_path(name: &str) -> PathBuf {
    let target = Path::new(env!("CARGO_TARGET_TMPDIR")).parent().unwrap();
    let dir = target.join("e2e");
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

#[tokio::test]
async fn builder_runs_the_seed_divergence_and_shows_results() {
    let h = Harness::start("browser-builder").await;
    let c = &h.client;
    c.goto(&h.url("/")).await.unwrap();
    check_nav(c).await;

    c.find(Locator::Id("scenario"))
        .await
        .expect("no #scenario on the builder")
        .select_by_value("stalin-expelled")
        .await
        .expect("no stalin-expelled option in #scenario");
    let runs = c.find(Locator::Id("runs")).await.expect("no #runs");
    runs.clear().await.unwrap();
    runs.send_keys("300").await.unwrap();
    c.find(Locator::Id("run-button"))
        .await
        .expect("no #run-button")
        .click()
        .await
        .unwrap();

    wait_for(c, "#results").await;
    let url = c.current_url().await.unwrap();
    assert_eq!(url.path(), "/run", "the builder should lead to /run: {url}");
    assert_eq!(query(&url, "scenario").as_deref(), Some("stalin-expelled"));
    assert_eq!(query(&url, "runs").as_deref(), Some("300"));
    check_nav(c).await;

    let headline = text(c, "#results #headline").await;
    assert!(
        has_percentage(&headline),
        "the headline shows no percentage: {headline:?}"
    );
    let twins = text(c, "#results #twins").await;
    assert!(
        has_percentage(&twins),
        "the twin comparison shows no percentage: {twins:?}"
    );
    let charts = c.find_all(Locator::Css("#results svg")).await.unwrap();
    assert!(
        charts.len() >= 3,
        "expected at least 3 SVG charts in #results, found {}",
        charts.len()
    );

    let png = c.screenshot().await.unwrap();
    assert!(png.starts_with(b"\x89PNG"), "the screenshot is not a PNG");
    std::fs::write(screenshot_path("results.png"), png).unwrap();
    h.finish().await;
}

#[tokio::test]
async fn timeline_from_the_results_marks_the_divergence_and_shows_another_world() {
    let h = Harness::start("browser-timeline").await;
    let c = &h.client;
    c.goto(&h.url("/run?scenario=stalin-expelled&runs=300&seed=1"))
        .await
        .unwrap();
    wait_for(c, "#results").await;
    c.find(Locator::Id("timeline-link"))
        .await
        .expect("no #timeline-link on the results page")
        .click()
        .await
        .unwrap();
    let first_url = wait_for_url(c, "/timeline", |u| u.path() == "/timeline").await;
    assert_eq!(
        query(&first_url, "scenario").as_deref(),
        Some("stalin-expelled")
    );
    wait_for(c, "#timeline").await;
    check_nav(c).await;

    let entries = c.find_all(Locator::Css("#timeline > li")).await.unwrap();
    assert!(
        entries.len() >= 5,
        "a world from 1922 to 1945 should have many entries, found {}",
        entries.len()
    );
    let marked = c
        .find_all(Locator::Css("#timeline .m-parts, #timeline .m-divergence"))
        .await
        .unwrap();
    assert!(
        !marked.is_empty(),
        "no entry is marked as the divergence or as parting from history"
    );
    let summary = text(c, "#summary").await;
    assert!(!summary.trim().is_empty(), "#summary is empty");
    let first_world = text(c, "#timeline").await;

    c.find(Locator::Id("another"))
        .await
        .expect("no #another link")
        .click()
        .await
        .unwrap();
    let next_url = wait_for_url(c, "another world's", |u| {
        u.path() == "/timeline" && query(u, "run") != query(&first_url, "run")
    })
    .await;
    wait_for(c, "#timeline").await;
    let next_world = text(c, "#timeline").await;
    assert_ne!(
        first_world, next_world,
        "another world ({next_url}) tells the same story as {first_url}"
    );
    h.finish().await;
}

#[tokio::test]
async fn saved_scenario_reopens_with_the_same_headline() {
    let h = Harness::start("browser-save").await;
    let c = &h.client;
    c.goto(&h.url("/run?scenario=stalin-expelled&runs=300&seed=5"))
        .await
        .unwrap();
    wait_for(c, "#results").await;
    let before = text(c, "#headline").await;
    assert!(has_percentage(&before), "no percentage in {before:?}");

    c.find(Locator::Id("save-button"))
        .await
        .expect("no #save-button on the results page")
        .click()
        .await
        .unwrap();
    let saved = wait_for_url(c, "/s/ID", |u| u.path().starts_with("/s/")).await;
    let id = saved.path().trim_start_matches("/s/").to_string();
    assert!(!id.is_empty(), "an empty id in {saved}");
    wait_for(c, "#share-link").await;
    let href = c
        .find(Locator::Id("share-link"))
        .await
        .unwrap()
        .attr("href")
        .await
        .unwrap()
        .unwrap_or_default();
    assert!(
        href.ends_with(&format!("/s/{id}")),
        "#share-link points to {href:?}, not to /s/{id}"
    );
    let share = text(c, "#share").await;
    assert!(
        share.contains(&format!("http://{}/s/{id}", h.server.addr)),
        "#share should show the absolute link: {share:?}"
    );

    // A fresh load of the shared link: the same parameters give the same numbers.
    c.goto(saved.as_str()).await.unwrap();
    wait_for(c, "#results").await;
    let after = text(c, "#headline").await;
    assert_eq!(before, after, "the saved scenario's headline differs");

    // And the API holds the parameters that were saved.
    let api = support::get(&h.server.addr, &format!("/api/s/{id}")).unwrap();
    assert_eq!(api.status, 200, "{}", api.body);
    let params: Value = serde_json::from_str(&api.body).unwrap();
    assert_eq!(params["scenario"], "stalin-expelled", "{params}");
    assert_eq!(params["runs"], 300, "{params}");
    assert_eq!(params["seed"], 5, "{params}");
    h.finish().await;
}

#[tokio::test]
async fn claims_page_lists_every_claim_with_its_verdicts() {
    // Fewer worlds than the command line's default: the page, not the verdicts, is under test.
    let h = Harness::start_with(
        "browser-claims",
        (1280, 2000),
        &["--claims-runs", "500", "--claims-prior-runs", "800"],
    )
    .await;
    let c = &h.client;
    c.goto(&h.url("/claims")).await.unwrap();
    wait_long(c, "#claims", CLAIMS_TIMEOUT).await;
    check_nav(c).await;
    let claims = c
        .find_all(Locator::Css("#claims [id^=claim-]"))
        .await
        .unwrap();
    let mut ids = Vec::new();
    for claim in &claims {
        ids.push(claim.attr("id").await.unwrap().unwrap_or_default());
    }
    let wanted: Vec<String> = (2..=15).map(|n| format!("claim-{n}")).collect();
    ids.sort_by_key(|id| {
        id.trim_start_matches("claim-")
            .parse::<u32>()
            .unwrap_or(u32::MAX)
    });
    assert_eq!(ids, wanted, "the claims' ids");

    // Every verdict is one of the words the claims module gives.
    let verdicts = c.find_all(Locator::Css("#claims .verdict")).await.unwrap();
    assert!(
        verdicts.len() >= 14,
        "expected a verdict per claim, found {}",
        verdicts.len()
    );
    for v in &verdicts {
        let words = v.text().await.unwrap();
        assert!(
            [
                "supported",
                "not supported",
                "inconclusive",
                "changes with the priors"
            ]
            .iter()
            .any(|w| words.trim().starts_with(w)),
            "not a verdict: {words:?}"
        );
    }
    h.finish().await;
}

#[tokio::test]
async fn bad_input_shows_an_error_page_with_status_400() {
    let h = Harness::start("browser-error").await;
    let c = &h.client;
    c.goto(&h.url("/run?scenario=nope")).await.unwrap();
    let error = text(c, "#error").await;
    assert!(
        error.contains("nope"),
        "the error should name the bad value: {error:?}"
    );
    // What would be valid may stand in #error or beside it (the server puts it in #help).
    let page_text = text(c, "body").await;
    assert!(
        page_text.contains("stalin-expelled") && page_text.contains("otl"),
        "the error page should name the valid scenarios: {page_text:?}"
    );
    check_nav(c).await;

    // WebDriver does not see status codes: ask the server directly.
    let page = support::get(&h.server.addr, "/run?scenario=nope").unwrap();
    assert_eq!(page.status, 400, "{}", page.body);
    let runs = support::get(&h.server.addr, "/run?scenario=stalin-expelled&runs=0").unwrap();
    assert_eq!(runs.status, 400, "runs=0 should be refused: {}", runs.body);
    let api = support::get(&h.server.addr, "/api/run?scenario=nope").unwrap();
    assert_eq!(api.status, 400, "{}", api.body);
    let body: Value = serde_json::from_str(&api.body).expect("the API's error is JSON");
    assert!(body["error"].is_string(), "{body}");
    assert!(body["help"].is_string(), "{body}");
    h.finish().await;
}

/// The page's width against the screen's: (document scroll width, window inner width).
async fn widths(c: &Client) -> (f64, f64) {
    let v = c
        .execute(
            "return [document.documentElement.scrollWidth, window.innerWidth];",
            vec![],
        )
        .await
        .unwrap();
    (v[0].as_f64().unwrap(), v[1].as_f64().unwrap())
}

/// The smallest chart text on the page, in CSS pixels as shown (font size times the chart's scale).
async fn smallest_chart_text(c: &Client) -> Option<f64> {
    let v = c
        .execute(
            "const sizes = Array.from(document.querySelectorAll('svg.chart text')).map(t => { const svg = t.ownerSVGElement; const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width; return parseFloat(getComputedStyle(t).fontSize) * scale; }); return sizes.length ? Math.min(...sizes) : null;",
            vec![],
        )
        .await
        .unwrap();
    v.as_f64()
}

#[tokio::test]
async fn on_a_phone_every_page_fits_the_screen_the_verdicts_show_and_a_run_shows_its_progress() {
    // A 390-px phone; pages show the running page at once rather than waiting for a result.
    let h = Harness::start_with("browser-phone", (390, 844), &["--running-after-secs", "0"]).await;
    let c = &h.client;

    // The running state, then (the page reloads itself) the results.
    c.goto(&h.url("/run?scenario=stalin-expelled&runs=300&seed=2"))
        .await
        .unwrap();
    let running = text(c, "#running").await;
    assert!(running.contains("reloads itself"), "{running:?}");
    std::fs::write(
        screenshot_path("phone-running.png"),
        c.screenshot().await.unwrap(),
    )
    .unwrap();
    wait_for(c, "#results").await;

    let pages = [
        ("builder", "/", "#builder"),
        (
            "results",
            "/run?scenario=stalin-expelled&runs=300&seed=2",
            "#results",
        ),
        (
            "timeline",
            "/timeline?scenario=stalin-expelled&runs=300&seed=2&run=0",
            "#timeline",
        ),
        ("claims", "/claims", "#claims .verdict"),
        ("sensitivity", "/sensitivity", "#sensitivity-form"),
        (
            "tornado",
            "/sensitivity?scenario=stalin-expelled&output=war_outcome%3Dsoviet_collapse",
            "#sensitivity svg.chart",
        ),
        ("api", "/docs/api", "#site-nav"),
        ("error", "/run?scenario=nope", "#error"),
    ];
    for (name, path, ready) in pages {
        c.goto(&h.url(path)).await.unwrap();
        wait_long(c, ready, CLAIMS_TIMEOUT).await;
        let (page, screen) = widths(c).await;
        std::fs::write(
            screenshot_path(&format!("phone-{name}.png")),
            c.screenshot().await.unwrap(),
        )
        .unwrap();
        assert!(
            screen <= 400.0 && page <= screen,
            "{path}: the page is {page} px wide on a {screen}-px screen"
        );
        if let Some(smallest) = smallest_chart_text(c).await {
            assert!(smallest >= 12.0, "{path}: chart text of {smallest:.1} px");
        }
    }

    // Every claim's verdict lies within the screen (it was off to the right in a wide table).
    c.goto(&h.url("/claims")).await.unwrap();
    wait_for(c, "#claims").await;
    let (_, screen) = widths(c).await;
    let verdicts = c.find_all(Locator::Css("#claims .verdict")).await.unwrap();
    assert!(verdicts.len() >= 15, "{} verdicts", verdicts.len());
    for v in &verdicts {
        let (x, _, w, _) = v.rectangle().await.unwrap();
        assert!(
            x >= 0.0 && x + w <= screen,
            "a verdict spans {x:.0} to {:.0} px on a {screen}-px screen",
            x + w
        );
    }
    h.finish().await;
}

/// axe-core, vendored (tests/vendor/axe-core/README.md).
const AXE: &str = include_str!("vendor/axe-core/axe.min.js");

/// axe-core's critical and serious findings on the current page, one line each.
async fn axe_findings(c: &Client) -> Vec<String> {
    c.execute(AXE, vec![])
        .await
        .expect("cannot inject axe-core");
    let found = c
        .execute_async(
            "const done = arguments[arguments.length - 1];
             axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] } })
               .then(r => done(r.violations
                 .filter(v => v.impact === 'critical' || v.impact === 'serious')
                 .map(v => v.id + ' (' + v.impact + '): ' + v.nodes.length + ' elements, e.g. ' + v.nodes[0].target.join(' '))))
               .catch(e => done(['axe-core failed: ' + e]));",
            vec![],
        )
        .await
        .expect("axe-core did not answer");
    found
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn axe_core_finds_nothing_critical_or_serious_on_any_page() {
    let h = Harness::start("browser-axe").await;
    let c = &h.client;
    let pages = [
        ("/", "#builder"),
        ("/run?scenario=stalin-expelled&runs=200&seed=2", "#results"),
        (
            "/timeline?scenario=stalin-expelled&runs=200&seed=2&run=0",
            "#timeline",
        ),
        ("/claims", "#claims .verdict"),
        ("/sensitivity", "#sensitivity-form"),
        ("/docs/api", "#site-nav"),
        ("/run?scenario=nope", "#error"),
    ];
    // No finding is excused: every chart's text alternative carries its numbers.
    let mut all = Vec::new();
    for (path, ready) in pages {
        c.goto(&h.url(path)).await.unwrap();
        wait_long(c, ready, CLAIMS_TIMEOUT).await;
        for finding in axe_findings(c).await {
            all.push(format!("{path}: {finding}"));
        }
    }
    assert!(all.is_empty(), "axe-core findings:\n{}", all.join("\n"));
    h.finish().await;
}
