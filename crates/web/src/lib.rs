//! `razvilka serve`: the simulator as a local web application, backed by the same library as the
//! command line.
//!
//! Pages are rendered on the server as HTML with inline SVG charts (the report shell and charts of
//! `razvilka_analysis`); the one stylesheet is embedded in the binary. A JSON API behind them returns
//! exactly what the CLI's `--json` prints (`docs/api.md`). Saved scenarios live in SQLite
//! ([`store`]). Every simulation runs on a blocking thread under a bound on concurrent simulations
//! and a time budget, after which it is cancelled (`docs/web.md`).

pub mod cache;
pub mod catalogue;
pub mod error;
pub mod pages;
pub mod params;
pub mod store;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use axum::extract::rejection::{FormRejection, JsonRejection};
use axum::extract::{Path, Query, RawQuery, State};
use axum::http::{header, StatusCode, Uri};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Json, Router};
use razvilka_analysis::{claims, html, narrative, sensitivity};
use razvilka_ensemble::{Comparison, EnsembleError, Options, Summary};
use razvilka_world::{Data, Outcome, Scenario, BUILTIN_SCENARIOS};
use serde::Serialize;
use tokio::sync::{OnceCell, OwnedSemaphorePermit, Semaphore};

use error::{ApiError, AppError, PageError};
use params::{Params, Saved};
use store::Store;

/// How the server runs. The defaults are safe for a laptop.
#[derive(Clone, Debug)]
pub struct Config {
    pub host: String,
    /// 0 picks a free port.
    pub port: u16,
    /// The SQLite file of saved scenarios, created on first start.
    pub db: PathBuf,
    /// The data directory (`razvilka serve --data DIR`); `None`: the data built into the binary.
    pub data_dir: Option<PathBuf>,
    /// Worlds (or twin pairs) per request, at most.
    pub max_runs: u32,
    /// Simulations running at once, at most; a request beyond waits in the queue.
    pub max_concurrent: usize,
    /// Simulations waiting for a slot, at most; a request beyond gets 429 with `Retry-After`.
    pub max_queue: usize,
    /// How long a page waits for its result before it answers with the "running" page, which
    /// reloads itself until the result is there.
    pub running_after: Duration,
    /// Rendered pages kept in memory, in bytes (behind them, the store keeps more).
    pub memory_cache_bytes: usize,
    /// A request's time budget; a simulation still running then is cancelled (504).
    pub timeout: Duration,
    /// Request bodies larger than this get 413.
    pub max_body_bytes: usize,
    /// Worker threads of each simulation (0: one per core).
    pub threads: usize,
    /// Worlds per claim, and with the assumptions drawn from their priors, for the claims page.
    pub claims_runs: u32,
    pub claims_prior_runs: u32,
    /// Worlds at each end of a tornado bar, and rows of a Sobol' design.
    pub tornado_runs: u32,
    pub sobol_n: u32,
}

impl Default for Config {
    fn default() -> Config {
        Config {
            host: "127.0.0.1".into(),
            port: 8080,
            db: PathBuf::from("razvilka.db"),
            data_dir: None,
            // The largest request must finish inside the time budget with both slots busy. A results
            // page computes each world twice (the scenario and its `otl` twin): 2,000 worlds took
            // 0.9 s alone in the release build on 2 cores (docs/web.md) and 4–5 s on the slower
            // machine of issue 17, where 20,000 ran past 30 s. At that slower rate 5,000 worlds take
            // about 11 s alone and 22 s with both slots busy: inside the 30 s budget.
            max_runs: 5_000,
            max_concurrent: 2,
            // Judgment: a class of thirty asking for the same page share one computation; eight
            // distinct computations waiting is about 20 s of work at 2,000 worlds on the slower
            // machine, as long as a pupil would wait.
            max_queue: 8,
            running_after: Duration::from_secs(3),
            memory_cache_bytes: 64 << 20,
            timeout: Duration::from_secs(30),
            max_body_bytes: 65_536,
            threads: 0,
            claims_runs: 500,
            claims_prior_runs: 800,
            tornado_runs: 40,
            sobol_n: 32,
        }
    }
}

/// A shipped scenario, as the catalogue and `/api/scenarios` list it.
#[derive(Clone, Debug, Serialize)]
pub struct ScenarioInfo {
    pub name: String,
    pub title: String,
    pub description: String,
    pub divergence: String,
}

/// The claims, computed once.
struct ClaimsResult {
    json: serde_json::Value,
    page: String,
}

/// What every request shares.
#[derive(Clone)]
pub struct AppState {
    data: Arc<Data>,
    store: Arc<Store>,
    config: Arc<Config>,
    scenarios: Arc<Vec<ScenarioInfo>>,
    /// The bound on concurrent simulations: a request takes a permit, or waits in the queue, or
    /// gets 429. Public so that a test can hold one.
    pub simulations: Arc<Semaphore>,
    /// Requests waiting for a simulation slot.
    waiting: Arc<AtomicUsize>,
    /// Slots for single worlds (timelines), apart from the ensembles so that a timeline does not
    /// wait behind a long run.
    light: Arc<Semaphore>,
    memory: Arc<cache::Memory>,
    flights: Arc<cache::Flights>,
    /// Pages computed since start (not answered from a cache).
    computed: Arc<AtomicUsize>,
    claims: Arc<OnceCell<Result<Arc<ClaimsResult>, String>>>,
}

/// Seconds a refused request is told to wait (`Retry-After`). Judgment: a queued run of the default
/// 2,000 worlds takes about a second in the release build (docs/web.md), so a full queue of eight
/// over two slots drains in about five.
pub const RETRY_AFTER_SECS: u64 = 5;

/// Timelines computed at once (one world each, a few milliseconds).
const LIGHT_SLOTS: usize = 4;

/// How long a failed computation's error is kept for those who ask again (a running page reloads
/// every two seconds), before the page may be computed anew.
const FAILURE_KEPT: Duration = Duration::from_secs(10);

/// The version of the rendered pages in the caches: the package version.
const PAGES_VERSION: &str = env!("CARGO_PKG_VERSION");

/// Leaves the queue when dropped (also when the client goes away while waiting).
struct InQueue(Arc<AtomicUsize>);

impl Drop for InQueue {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

/// Why the server could not start.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error("{0}")]
    Data(String),
    #[error(transparent)]
    Store(#[from] store::StoreError),
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        addr: String,
        source: std::io::Error,
    },
    #[error("server: {0}")]
    Io(#[from] std::io::Error),
}

impl AppState {
    /// Loads the data and opens (creating) the database.
    pub fn new(config: Config) -> Result<AppState, ServeError> {
        let data = match &config.data_dir {
            Some(dir) => Data::from_dir(dir),
            None => Data::builtin(),
        }
        .map_err(|d| ServeError::Data(d.to_string()))?;
        let store = Store::open(&config.db)?;
        let mut scenarios = Vec::new();
        for (name, text) in BUILTIN_SCENARIOS {
            let s = Scenario::parse(text, name, &data.context())
                .map_err(|d| ServeError::Data(d.to_string()))?;
            scenarios.push(ScenarioInfo {
                name: name.to_string(),
                title: s.title,
                description: s.description,
                divergence: s.divergence.to_string(),
            });
        }
        Ok(AppState {
            data: Arc::new(data),
            store: Arc::new(store),
            simulations: Arc::new(Semaphore::new(config.max_concurrent)),
            waiting: Arc::new(AtomicUsize::new(0)),
            light: Arc::new(Semaphore::new(LIGHT_SLOTS)),
            memory: Arc::new(cache::Memory::new(config.memory_cache_bytes)),
            flights: Arc::new(cache::Flights::default()),
            computed: Arc::new(AtomicUsize::new(0)),
            config: Arc::new(config),
            scenarios: Arc::new(scenarios),
            claims: Arc::new(OnceCell::new()),
        })
    }

    /// How many pages (and summaries, and sensitivity charts) were computed rather than answered
    /// from a cache since the server started.
    pub fn computed(&self) -> usize {
        self.computed.load(Ordering::SeqCst)
    }

    /// Requests waiting for a simulation slot.
    pub fn waiting(&self) -> usize {
        self.waiting.load(Ordering::SeqCst)
    }

    /// A simulation slot: a free one at once, or one awaited in the queue, or 429 when the queue is
    /// full.
    async fn slot(&self) -> Result<OwnedSemaphorePermit, AppError> {
        if let Ok(permit) = self.simulations.clone().try_acquire_owned() {
            return Ok(permit);
        }
        let ahead = self.waiting.fetch_add(1, Ordering::SeqCst);
        let _in_queue = InQueue(self.waiting.clone());
        if ahead >= self.config.max_queue {
            return Err(AppError::busy(
                self.config.max_concurrent,
                self.config.max_queue,
                RETRY_AFTER_SECS,
            ));
        }
        self.simulations
            .clone()
            .acquire_owned()
            .await
            .map_err(|_| AppError::internal("the simulation slots are closed".into()))
    }

    /// Runs `work` on a blocking thread under the limits: a simulation slot (waiting in the queue,
    /// or 429) and the time budget, after which the flag `work` is given is raised and the request
    /// gets 504. The slot is held until the work has actually stopped.
    async fn simulate<T, F>(&self, work: F) -> Result<T, AppError>
    where
        T: Send + 'static,
        F: FnOnce(&Data, &AtomicBool) -> Result<T, AppError> + Send + 'static,
    {
        let permit = self.slot().await?;
        self.run_blocking(permit, work).await
    }

    /// As [`AppState::simulate`], for one world (a timeline) on the light slots.
    async fn simulate_light<T, F>(&self, work: F) -> Result<T, AppError>
    where
        T: Send + 'static,
        F: FnOnce(&Data, &AtomicBool) -> Result<T, AppError> + Send + 'static,
    {
        let permit = self
            .light
            .clone()
            .acquire_owned()
            .await
            .map_err(|_| AppError::internal("the timeline slots are closed".into()))?;
        self.run_blocking(permit, work).await
    }

    async fn run_blocking<T, F>(&self, permit: OwnedSemaphorePermit, work: F) -> Result<T, AppError>
    where
        T: Send + 'static,
        F: FnOnce(&Data, &AtomicBool) -> Result<T, AppError> + Send + 'static,
    {
        let cancel = Arc::new(AtomicBool::new(false));
        let (data, flag) = (self.data.clone(), cancel.clone());
        let task = tokio::task::spawn_blocking(move || {
            let _permit = permit;
            work(&data, &flag)
        });
        match tokio::time::timeout(self.config.timeout, task).await {
            Ok(Ok(result)) => result,
            Ok(Err(e)) => Err(AppError::internal(format!("the simulation failed: {e}"))),
            Err(_) => {
                cancel.store(true, Ordering::Relaxed);
                Err(AppError::timeout(self.config.timeout))
            }
        }
    }

    /// The page (or JSON) under `key`: from memory, from the store, or computed once however many
    /// requests ask for it at the same time (they all wait on the one computation, which goes on if
    /// they leave). With `wait`, answers `None` if the computation takes longer (the caller shows the
    /// running page); without, waits for it.
    async fn cached<F>(
        &self,
        key: String,
        wait: Option<Duration>,
        light: bool,
        work: F,
    ) -> Result<Option<Arc<String>>, AppError>
    where
        F: FnOnce(&Data, &AtomicBool) -> Result<String, AppError> + Send + 'static,
    {
        if let Some(page) = self.remembered(&key)? {
            return Ok(Some(page));
        }
        let mut rx = match self.flights.join(&key) {
            Ok(rx) => rx,
            Err((tx, rx)) => {
                // A flight that ended between the look-up above and joining has left its page.
                if let Some(page) = self.remembered(&key)? {
                    self.flights.remove(&key);
                    return Ok(Some(page));
                }
                self.computed.fetch_add(1, Ordering::SeqCst);
                let state = self.clone();
                let k = key.clone();
                tokio::spawn(async move {
                    let result = if light {
                        state.simulate_light(work).await
                    } else {
                        state.simulate(work).await
                    };
                    let outcome = result.map(|page| {
                        let page = Arc::new(page);
                        // A page that could not be written to the store is still served.
                        let _ = state.store.keep_page(&k, &page);
                        state.memory.put(&k, page.clone());
                        page
                    });
                    let keep =
                        matches!(&outcome, Err(e) if e.status != StatusCode::TOO_MANY_REQUESTS);
                    let _ = tx.send(Some(outcome));
                    if keep {
                        tokio::time::sleep(FAILURE_KEPT).await;
                    }
                    state.flights.remove(&k);
                });
                rx
            }
        };
        let done = async {
            rx.wait_for(|o| o.is_some())
                .await
                .map(|o| o.clone())
                .map_err(|_| ())
        };
        let outcome = match wait {
            Some(d) => match tokio::time::timeout(d, done).await {
                Ok(o) => o,
                Err(_) => return Ok(None),
            },
            None => done.await,
        };
        match outcome {
            Ok(Some(result)) => result.map(Some),
            _ => {
                self.flights.remove(&key);
                Err(AppError::internal(
                    "the computation stopped without a result".into(),
                ))
            }
        }
    }

    /// A page from memory, or from the store (then kept in memory too).
    fn remembered(&self, key: &str) -> Result<Option<Arc<String>>, AppError> {
        if let Some(page) = self.memory.get(key) {
            return Ok(Some(page));
        }
        Ok(self.store.page(key)?.map(|p| {
            let page = Arc::new(p);
            self.memory.put(key, page.clone());
            page
        }))
    }

    fn options(&self, params: &Params) -> Options {
        Options {
            runs: params.runs,
            seed: params.seed,
            threads: self.config.threads,
        }
    }
}

fn ensemble_error(e: EnsembleError) -> AppError {
    match e {
        // Only the time budget raises the flag; the caller has already answered 504.
        EnsembleError::Cancelled => AppError::new(
            StatusCode::GATEWAY_TIMEOUT,
            "cancelled",
            "the time budget ran out",
        ),
        other => AppError::internal(other.to_string()),
    }
}

/// The routes. Tests drive it with `tower::ServiceExt::oneshot`, without a socket.
pub fn router(state: AppState) -> Router {
    let limit = state.config.max_body_bytes;
    Router::new()
        .route("/", get(builder_page))
        .route("/run", get(run_page))
        .route("/save", post(save_form))
        .route("/s/{id}", get(saved_page))
        .route("/timeline", get(timeline_page))
        .route("/runs.csv", get(runs_csv))
        .route("/claims", get(claims_page))
        .route("/sensitivity", get(sensitivity_page))
        .route("/docs/api", get(api_docs_page))
        .route("/assets/{name}", get(asset))
        .route("/api/scenarios", get(api_scenarios))
        .route("/api/run", get(api_run))
        .route("/api/compare", get(api_compare))
        .route("/api/timeline", get(api_timeline))
        .route("/api/claims", get(api_claims))
        .route("/api/save", post(api_save))
        .route("/api/s/{id}", get(api_saved))
        .fallback(not_found)
        .layer(tower_http::limit::RequestBodyLimitLayer::new(limit))
        .layer(axum::middleware::from_fn(move |req, next| {
            finish(req, next, limit)
        }))
        // Outermost, so that the validators above are of the uncompressed page; it adds
        // `Vary: accept-encoding`.
        .layer(tower_http::compression::CompressionLayer::new())
        .with_state(state)
}

/// Serves until Ctrl-C (or SIGTERM). Prints `listening on http://HOST:PORT` and flushes once bound.
pub async fn serve(config: Config) -> Result<(), ServeError> {
    let addr = format!("{}:{}", config.host, config.port);
    let state = AppState::new(config)?;
    let listener = tokio::net::TcpListener::bind(&addr)
        .await
        .map_err(|source| ServeError::Bind {
            addr: addr.clone(),
            source,
        })?;
    let local: SocketAddr = listener.local_addr()?;
    {
        use std::io::Write;
        let mut out = std::io::stdout();
        writeln!(out, "listening on http://{local}")?;
        out.flush()?;
    }
    axum::serve(listener, router(state))
        .with_graceful_shutdown(shutdown())
        .await?;
    Ok(())
}

async fn shutdown() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
}

/// The policy every page is held to: nothing but this server's own stylesheet and forms, the
/// report's inline `<style>` and SVG style attributes (hence `'unsafe-inline'` for styles only), no
/// script at all, and no framing by other sites.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

/// What every response passes through on its way out: the errors that layers below answer in plain
/// text or with an empty body (413 from the body limit, 405 from the router) become the error page
/// or JSON like every error; a cacheable page gets a validator (`ETag`, and 304 when the browser
/// already has it); every response gets the security headers.
async fn finish(
    req: axum::extract::Request,
    next: axum::middleware::Next,
    limit: usize,
) -> Response {
    let api = req.uri().path().starts_with("/api/");
    let method = req.method().clone();
    let path = req.uri().path().to_string();
    let if_none_match = req.headers().get(header::IF_NONE_MATCH).cloned();
    let mut response = next.run(req).await;
    let ours = response.headers().contains_key("x-razvilka-error");
    if response.status() == StatusCode::PAYLOAD_TOO_LARGE && !ours {
        response = error_response(AppError::too_large(limit), api);
    } else if response.status() == StatusCode::METHOD_NOT_ALLOWED && !ours {
        // The router's 405 names no method; the two routes that take a form or JSON are POST.
        let allowed = if path == "/save" || path == "/api/save" {
            "POST"
        } else {
            "GET, HEAD"
        };
        response = error_response(AppError::method_not_allowed(&method, &path, allowed), api);
        response
            .headers_mut()
            .insert(header::ALLOW, header::HeaderValue::from_static(allowed));
    }
    if (method == axum::http::Method::GET || method == axum::http::Method::HEAD)
        && response.status() == StatusCode::OK
        && may_be_kept(response.headers())
    {
        response = with_etag(response, if_none_match).await;
    }
    let h = response.headers_mut();
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        header::HeaderValue::from_static(CONTENT_SECURITY_POLICY),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        header::HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::X_FRAME_OPTIONS,
        header::HeaderValue::from_static("DENY"),
    );
    h.insert(
        header::REFERRER_POLICY,
        header::HeaderValue::from_static("same-origin"),
    );
    response
}

/// Whether a response said it may be kept (`max-age`, and not `no-store`).
fn may_be_kept(headers: &header::HeaderMap) -> bool {
    headers
        .get(header::CACHE_CONTROL)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("max-age") && !v.contains("no-store"))
}

/// Adds a weak `ETag` (a digest of the body: weak, as the compression layer may send it in other
/// bytes) and answers 304 when the request already holds it.
async fn with_etag(response: Response, if_none_match: Option<header::HeaderValue>) -> Response {
    use sha2::Digest;
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, usize::MAX).await else {
        return error_response(
            AppError::internal("the page could not be read back".into()),
            false,
        );
    };
    let digest = sha2::Sha256::digest(&bytes);
    let hex: String = digest[..12].iter().map(|b| format!("{b:02x}")).collect();
    let tag = format!("W/\"{hex}\"");
    let matches = if_none_match
        .as_ref()
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.split(',')
                .map(str::trim)
                .any(|t| t == "*" || t.trim_start_matches("W/") == tag.trim_start_matches("W/"))
        });
    parts.headers.insert(
        header::ETAG,
        header::HeaderValue::from_str(&tag).expect("hex is a valid header"),
    );
    if matches {
        parts.status = StatusCode::NOT_MODIFIED;
        parts.headers.remove(header::CONTENT_LENGTH);
        return Response::from_parts(parts, axum::body::Body::empty());
    }
    Response::from_parts(parts, axum::body::Body::from(bytes))
}

fn error_response(e: AppError, api: bool) -> Response {
    let mut r = if api {
        ApiError(e).into_response()
    } else {
        PageError(e).into_response()
    };
    r.headers_mut()
        .insert("x-razvilka-error", header::HeaderValue::from_static("1"));
    r
}

async fn not_found(uri: Uri) -> Response {
    error_response(
        AppError::not_found(&format!("`{}`", uri.path())),
        uri.path().starts_with("/api/"),
    )
}

// ---------------------------------------------------------------------------------------------
// Assets
// ---------------------------------------------------------------------------------------------

/// The embedded assets, by exact name: nothing else is ever served from a path.
const ASSETS: [(&str, &str, &str); 1] = [(
    "web.css",
    "text/css; charset=utf-8",
    include_str!("../assets/web.css"),
)];

async fn asset(Path(name): Path<String>) -> Response {
    match ASSETS.iter().find(|(n, _, _)| *n == name) {
        // A day: the stylesheet changes only with the binary.
        Some((_, mime, body)) => (
            [
                (header::CONTENT_TYPE, *mime),
                (header::CACHE_CONTROL, "public, max-age=86400"),
            ],
            *body,
        )
            .into_response(),
        None => error_response(AppError::not_found(&format!("asset `{name}`")), false),
    }
}

// ---------------------------------------------------------------------------------------------
// Running
// ---------------------------------------------------------------------------------------------

type Pairs = Vec<(String, String)>;

/// The summary of `params`'s worlds, as `razvilka run --json` prints it.
fn summary_of(
    data: &Data,
    scenario: &Scenario,
    options: Options,
    cancel: &AtomicBool,
) -> Result<(Summary, Vec<Outcome>), AppError> {
    let outcomes = razvilka_ensemble::run_cancellable(data, scenario, options, &|| {}, cancel)
        .map_err(ensemble_error)?;
    let summary = razvilka_ensemble::summarize(data, scenario, options.seed, &outcomes);
    Ok((summary, outcomes))
}

/// Everything the results page shows: the scenario's worlds and their twins in actual history.
fn results_of(
    data: &Data,
    saved: &Saved,
    options: Options,
    cancel: &AtomicBool,
    share: Option<(&str, &str)>,
) -> Result<String, AppError> {
    let scenario = params::parse_scenario(data, &saved.text, &saved.params.scenario)?;
    let mut otl = params::parse_scenario(
        data,
        razvilka_world::builtin_scenario("otl").expect("otl is shipped"),
        "otl",
    )?;
    // With the priors sampled, both twins draw them, so that twin pairs differ by the divergence
    // alone.
    otl.sample_priors = scenario.sample_priors;
    let pairs =
        razvilka_ensemble::run_pairs_cancellable(data, &otl, &scenario, options, &|| {}, cancel)
            .map_err(ensemble_error)?;
    // The twin of world k is world k of the scenario itself when both replay history to the same
    // month; otherwise the scenario's own ensemble is run (it replays less).
    let outcomes: Vec<Outcome> =
        if razvilka_ensemble::twin_replay(&otl, &scenario) == scenario.divergence {
            pairs.iter().map(|(_, b)| b.clone()).collect()
        } else {
            razvilka_ensemble::run_cancellable(data, &scenario, options, &|| {}, cancel)
                .map_err(ensemble_error)?
        };
    let summary = razvilka_ensemble::summarize(data, &scenario, options.seed, &outcomes);
    let comparison = razvilka_ensemble::compare(data, &otl, &scenario, options.seed, &pairs);
    let sample = razvilka_world::simulate(data, &scenario, scenario.divergence, options.seed, 0)
        .map_err(|e| AppError::internal(e.to_string()))?;
    let registry = data.registry_for(&scenario);
    let report = html::run_page(data, &scenario, &registry, &summary, &outcomes, &sample);
    Ok(pages::results(
        data,
        &report,
        &summary,
        &comparison,
        &saved.params,
        share,
    ))
}

/// The builder; with a run's parameters (from "edit this scenario"), filled in with them.
async fn builder_page(
    State(s): State<AppState>,
    Query(q): Query<Pairs>,
) -> Result<Response, PageError> {
    let filled = if q.is_empty() {
        None
    } else {
        let params = Params::from_pairs(&q, s.config.max_runs, &[])?;
        params.build(&s.data)?;
        Some(params)
    };
    Ok(fresh(
        pages::builder(&s.scenarios, &s.data, s.config.max_runs, filled.as_ref()),
        "public, max-age=300",
    ))
}

/// A page that the same address always gives again: cacheable by browsers and proxies.
fn cacheable(page: &str) -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        page.to_owned(),
    )
        .into_response()
}

/// A page that changes (the running page, the builder after a restart with other flags).
fn fresh(page: String, cache_control: &'static str) -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (header::CACHE_CONTROL, cache_control),
        ],
        page,
    )
        .into_response()
}

/// The page under `key` (see [`AppState::cached`]), or the running page while it is computed.
async fn page_or_running<F>(
    s: &AppState,
    key: String,
    light: bool,
    what: String,
    work: F,
) -> Result<Response, PageError>
where
    F: FnOnce(&Data, &AtomicBool) -> Result<String, AppError> + Send + 'static,
{
    Ok(
        match s
            .cached(key, Some(s.config.running_after), light, work)
            .await?
        {
            Some(page) => cacheable(&page),
            None => fresh(pages::running(&what), "no-store"),
        },
    )
}

/// Sends a page's query that is not canonical (empty fields, defaults, another order) to the
/// canonical address, so that the address shown, bookmarked and pasted is the short one.
fn canonical_redirect(
    path: &str,
    raw: &Option<String>,
    canonical: &[(String, String)],
) -> Option<Response> {
    let canonical = pages::query(canonical);
    (raw.as_deref().unwrap_or("") != canonical)
        .then(|| Redirect::to(&format!("{path}?{canonical}")).into_response())
}

fn what_runs(params: &Params) -> String {
    format!(
        "{} worlds of scenario {}, each with its twin in actual history",
        params.runs, params.scenario
    )
}

async fn run_page(
    State(s): State<AppState>,
    RawQuery(raw): RawQuery,
    Query(q): Query<Pairs>,
) -> Result<Response, PageError> {
    let params = Params::from_pairs(&q, s.config.max_runs, &[])?;
    // Checked first, so that a bad value is refused at the address it was given at.
    let (saved, _) = params.build(&s.data)?;
    if let Some(r) = canonical_redirect("/run", &raw, &params.pairs()) {
        return Ok(r);
    }
    let options = s.options(&params);
    let key = format!("run:{PAGES_VERSION}:{}", saved.canonical());
    page_or_running(&s, key, false, what_runs(&params), move |data, cancel| {
        results_of(data, &saved, options, cancel, None)
    })
    .await
}

async fn save_form(
    State(s): State<AppState>,
    form: Result<Form<Pairs>, FormRejection>,
) -> Result<Redirect, PageError> {
    let Form(q) =
        form.map_err(|e| form_error(e.status(), e.body_text(), s.config.max_body_bytes))?;
    let params = Params::from_pairs(&q, s.config.max_runs, &[])?;
    let (saved, _) = params.build(&s.data)?;
    let id = s.store.save(&saved.canonical()).map_err(AppError::from)?;
    Ok(Redirect::to(&format!("/s/{id}")))
}

fn form_error(status: StatusCode, text: String, limit: usize) -> AppError {
    if status == StatusCode::PAYLOAD_TOO_LARGE {
        AppError::too_large(limit)
    } else {
        AppError::new(
            status,
            format!("the request body could not be read: {text}"),
            "send the fields form-encoded (or JSON to the API) as docs/api.md shows",
        )
    }
}

/// The saved entry `id`, or a 404.
fn load_saved(s: &AppState, id: &str) -> Result<Saved, AppError> {
    let missing = || AppError::not_found(&format!("saved scenario `{id}`"));
    if !store::plausible_id(id) {
        return Err(missing());
    }
    let text = s.store.load(id)?.ok_or_else(missing)?;
    serde_json::from_str(&text)
        .map_err(|e| AppError::internal(format!("saved scenario {id} is unreadable: {e}")))
}

async fn saved_page(
    State(s): State<AppState>,
    Path(id): Path<String>,
    headers: axum::http::HeaderMap,
) -> Result<Response, PageError> {
    let saved = load_saved(&s, &id)?;
    saved.params.check(s.config.max_runs)?;
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("127.0.0.1")
        .to_string();
    let absolute = format!("http://{host}/s/{id}");
    let options = s.options(&saved.params);
    let key = format!("saved:{PAGES_VERSION}:{id}:{absolute}");
    let what = what_runs(&saved.params);
    page_or_running(&s, key, false, what, move |data, cancel| {
        results_of(data, &saved, options, cancel, Some((&id, &absolute)))
    })
    .await
}

/// Names the scratch files of CSV exports apart.
static EXPORTS: AtomicUsize = AtomicUsize::new(0);

/// One row per world of the run's ensemble, as `razvilka run --export FILE.csv` writes it.
async fn runs_csv(
    State(s): State<AppState>,
    Query(q): Query<Pairs>,
) -> Result<Response, PageError> {
    let params = Params::from_pairs(&q, s.config.max_runs, &[])?;
    let (saved, scenario) = params.build(&s.data)?;
    let options = s.options(&params);
    let key = format!("csv:{PAGES_VERSION}:{}", saved.canonical());
    let csv = s
        .cached(key, None, false, move |data, cancel| {
            let outcomes = summary_of(data, &scenario, options, cancel)?.1;
            // The library writes exports to a file (the format from its extension): a scratch file,
            // read back and removed.
            let path = std::env::temp_dir().join(format!(
                "razvilka-web-{}-{}.csv",
                std::process::id(),
                EXPORTS.fetch_add(1, Ordering::SeqCst)
            ));
            let written =
                razvilka_analysis::export::write_runs(&path, data, options.seed, &outcomes, false)
                    .map_err(|e| AppError::internal(e.to_string()))
                    .and_then(|_| {
                        std::fs::read_to_string(&path).map_err(|e| {
                            AppError::internal(format!("the export could not be read back: {e}"))
                        })
                    });
            let _ = std::fs::remove_file(&path);
            written
        })
        .await?
        .expect("waited for");
    let file = format!(
        "attachment; filename=\"razvilka-{}-{}-worlds-seed-{}.csv\"",
        params.scenario, params.runs, params.seed
    );
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (header::CONTENT_DISPOSITION, file),
            (header::CACHE_CONTROL, "public, max-age=3600".to_string()),
        ],
        csv.as_str().to_owned(),
    )
        .into_response())
}

/// The world index `run` of a timeline query (default 0), which must be one of the ensemble's
/// `runs` worlds: the timeline is world K of the results it was reached from.
fn run_index(q: &Pairs, runs: u32) -> Result<u64, AppError> {
    let valid = || {
        format!(
            "run is the 0-based index of one of the ensemble's {runs} worlds: 0 to {}",
            runs - 1
        )
    };
    let run = match q.iter().rev().find(|(k, _)| k == "run") {
        Some((_, v)) if !v.trim().is_empty() => v
            .trim()
            .parse()
            .map_err(|_| AppError::bad(format!("run = `{v}` is not a whole number"), valid()))?,
        _ => 0,
    };
    if run >= runs as u64 {
        return Err(AppError::bad(
            format!("there is no world {run} in an ensemble of {runs} worlds"),
            valid(),
        ));
    }
    Ok(run)
}

fn timeline_of(data: &Data, saved: &Saved, run: u64) -> Result<narrative::Timeline, AppError> {
    let scenario = params::parse_scenario(data, &saved.text, &saved.params.scenario)?;
    let seed = saved.params.seed;
    let world = razvilka_world::simulate(data, &scenario, scenario.divergence, seed, run)
        .map_err(|e| AppError::internal(e.to_string()))?;
    Ok(narrative::Timeline::of(data, &scenario, &world, seed, run))
}

async fn timeline_page(
    State(s): State<AppState>,
    RawQuery(raw): RawQuery,
    Query(q): Query<Pairs>,
) -> Result<Response, PageError> {
    let params = Params::from_pairs(&q, s.config.max_runs, &["run", "format"])?;
    let run = run_index(&q, params.runs)?;
    let format = q
        .iter()
        .rev()
        .find(|(k, _)| k == "format")
        .map(|(_, v)| v.trim().to_string())
        .filter(|v| !v.is_empty() && v != "html");
    let mut canonical = params.pairs();
    canonical.push(("run".into(), run.to_string()));
    if let Some(f) = &format {
        if f != "markdown" && f != "bbcode" {
            return Err(AppError::bad(
                format!("format `{f}` is not known"),
                "use format=markdown or format=bbcode for a forum post, or leave it out for the page".to_string(),
            )
            .into());
        }
        canonical.push(("format".into(), f.clone()));
    }
    let (saved, _) = params.build(&s.data)?;
    if let Some(r) = canonical_redirect("/timeline", &raw, &canonical) {
        return Ok(r);
    }
    if let Some(f) = format {
        // A forum post's text: one world, a few milliseconds, not cached.
        let text = s
            .simulate_light(move |data, _| {
                let t = timeline_of(data, &saved, run)?;
                Ok(if f == "markdown" {
                    t.markdown()
                } else {
                    t.bbcode()
                })
            })
            .await?;
        return Ok((
            [
                (header::CONTENT_TYPE, "text/plain; charset=utf-8"),
                (header::CACHE_CONTROL, "public, max-age=3600"),
            ],
            text,
        )
            .into_response());
    }
    let key = format!("timeline:{PAGES_VERSION}:{}:{run}", saved.canonical());
    let what = format!("world {run} of scenario {}", params.scenario);
    page_or_running(&s, key, true, what, move |data, _| {
        let t = timeline_of(data, &saved, run)?;
        Ok(pages::timeline(&t, &saved.params, run))
    })
    .await
}

// ---------------------------------------------------------------------------------------------
// Claims and sensitivity
// ---------------------------------------------------------------------------------------------

/// The claims, computed on first request (in the background, so that a request that runs out of
/// time does not stop it) and kept in memory and in the store's cache.
/// `None` when they are not ready within `wait` (the computation goes on).
async fn claims_result(
    s: &AppState,
    wait: Duration,
) -> Result<Option<Arc<ClaimsResult>>, AppError> {
    if let Some(r) = s.claims.get() {
        return r.clone().map(Some).map_err(AppError::internal);
    }
    let state = s.clone();
    let task = tokio::spawn(async move {
        state
            .claims
            .get_or_init(|| async {
                // Taken only by the request that computes: the others wait for its result. It waits
                // for a slot without a queue limit, as a refusal would be kept as the result.
                let Ok(permit) = state.simulations.clone().acquire_owned().await else {
                    return Err("the simulation slots are closed".to_string());
                };
                let (data, store, config) = (
                    state.data.clone(),
                    state.store.clone(),
                    state.config.clone(),
                );
                let computed = tokio::task::spawn_blocking(move || {
                    let _permit = permit;
                    compute_claims(&data, &store, &config)
                })
                .await;
                match computed {
                    Ok(r) => r.map(Arc::new),
                    Err(e) => Err(e.to_string()),
                }
            })
            .await
            .clone()
    });
    match tokio::time::timeout(wait, task).await {
        Ok(Ok(r)) => r.map(Some).map_err(AppError::internal),
        Ok(Err(e)) => Err(AppError::internal(e.to_string())),
        Err(_) => Ok(None),
    }
}

fn compute_claims(data: &Data, store: &Store, config: &Config) -> Result<ClaimsResult, String> {
    let settings = claims::Settings {
        runs: config.claims_runs,
        prior_runs: config.claims_prior_runs,
        seed: 1,
        threads: config.threads,
    };
    // The claims file's own fingerprint (FNV-1a) too: an edited file must not be answered from the
    // cache of the old one.
    let fingerprint = claims::CLAIMS
        .bytes()
        .fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
            (h ^ b as u64).wrapping_mul(0x0100_0000_01b3)
        });
    let key = format!(
        "claims:{fingerprint:016x}:{}:{}:{}:{}",
        env!("CARGO_PKG_VERSION"),
        settings.runs,
        settings.prior_runs,
        settings.seed
    );
    // A restart finds the claims of the same version and settings in the store's cache.
    if let Some(cached) = store.cached(&key).ok().flatten() {
        if let Ok(mut both) = serde_json::from_str::<serde_json::Value>(&cached) {
            if let (Some(json), Some(page)) = (
                both.get_mut("json").map(std::mem::take),
                both["page"].as_str(),
            ) {
                return Ok(ClaimsResult {
                    json,
                    page: page.to_string(),
                });
            }
        }
    }
    let list = claims::parse(claims::CLAIMS, "data/claims.toml").map_err(|d| d.to_string())?;
    let answers = claims::evaluate(data, &list, settings, &|| {}).map_err(|e| e.to_string())?;
    let json = serde_json::to_value(&answers).map_err(|e| e.to_string())?;
    let page = pages::claims(
        &claims::page(&answers, settings),
        settings.runs,
        settings.prior_runs,
    );
    let both = serde_json::json!({ "json": json, "page": page });
    let _ = store.cache(&key, &both.to_string());
    Ok(ClaimsResult { json, page })
}

/// The claims page, or the running page while the claims are computed.
async fn claims_page(State(s): State<AppState>) -> Result<Response, PageError> {
    Ok(match claims_result(&s, s.config.running_after).await? {
        Some(r) => cacheable(&r.page),
        None => fresh(
            pages::running("the fifteen claims, computed once for everyone"),
            "no-store",
        ),
    })
}

async fn api_claims(State(s): State<AppState>) -> Result<Json<serde_json::Value>, ApiError> {
    match claims_result(&s, s.config.timeout).await? {
        Some(r) => Ok(Json(r.json.clone())),
        None => Err(AppError::new(
            StatusCode::GATEWAY_TIMEOUT,
            "the claims are still being computed",
            "they are computed once, in the background: try again in a minute",
        )
        .into()),
    }
}

async fn sensitivity_page(
    State(s): State<AppState>,
    Query(q): Query<Pairs>,
) -> Result<Response, PageError> {
    params::check_keys(&q, &["scenario", "output", "method"], false)?;
    let get = |k: &str| {
        q.iter()
            .rev()
            .find(|(key, _)| key == k)
            .map(|(_, v)| v.trim().to_string())
            .filter(|v| !v.is_empty())
    };
    let scenario_name = get("scenario").unwrap_or_else(|| params::DEFAULT_SCENARIO.to_string());
    let text = params::check_scenario_name(&scenario_name)?;
    let method = get("method").unwrap_or_else(|| "tornado".to_string());
    if method != "tornado" && method != "sobol" {
        return Err(AppError::bad(
            format!("method `{method}` is not known"),
            "use method=tornado (the default) or method=sobol".to_string(),
        )
        .into());
    }
    let output_text = get("output");
    let chart = match &output_text {
        None => None,
        Some(o) => {
            // Checked here for a 400; parsed again on the worker (an output is not `Send`).
            sensitivity::Output::parse(o, &s.data).map_err(|e| {
                AppError::bad(e.to_string(), "see the examples under the form".to_string())
            })?;
            check_output_value(&s.data, o)?;
            let o = o.clone();
            let scenario = params::parse_scenario(&s.data, text, &scenario_name)?;
            let config = s.config.clone();
            let sobol = method == "sobol";
            let key = format!(
                "sensitivity:{PAGES_VERSION}:{scenario_name}:{o}:{method}:{}:{}",
                config.sobol_n, config.tornado_runs
            );
            s.cached(key, Some(s.config.running_after), false, move |data, _| {
                let output = sensitivity::Output::parse(&o, data)
                    .map_err(|e| AppError::internal(e.to_string()))?;
                let settings = sensitivity::Settings {
                    n: config.sobol_n as usize,
                    resamples: 200,
                    worlds_per_point: 1,
                    runs: config.tornado_runs,
                    seed: 1,
                    threads: config.threads,
                };
                let fail = |e: sensitivity::SensitivityError| AppError::internal(e.to_string());
                Ok(if sobol {
                    let r = sensitivity::sobol(data, &scenario, &output, settings, &|| {})
                        .map_err(fail)?;
                    pages::sobol_figure(&r, 20)
                } else {
                    let t = sensitivity::tornado(data, &scenario, &output, settings, &|| {})
                        .map_err(fail)?;
                    pages::tornado_figure(&t, 20)
                })
            })
            .await?
        }
    };
    let running = output_text.is_some() && chart.is_none();
    let page = pages::sensitivity(
        &s.scenarios,
        (
            &scenario_name,
            output_text.as_deref().unwrap_or(""),
            &method,
        ),
        chart.as_deref().map(|c| c.as_str()),
    );
    Ok(if running {
        fresh(pages::reloading(&page), "no-store")
    } else if output_text.is_some() {
        cacheable(&page)
    } else {
        fresh(page, "public, max-age=300")
    })
}

/// A categorical output's value must be one its outcome can take: `war_outcome=nonsense` would
/// otherwise be a chart of zeros, as if no assumption mattered.
fn check_output_value(data: &Data, output: &str) -> Result<(), AppError> {
    let Some((name, value)) = output.split_once('=') else {
        return Ok(());
    };
    let (name, value) = (name.trim(), value.trim());
    match catalogue::values(data, name) {
        Some(values) if !values.iter().any(|v| v == value) => Err(AppError::bad(
            format!("`{value}` is not a value of outcome `{name}`"),
            format!("{name} is one of: {}", values.join(", ")),
        )),
        _ => Ok(()),
    }
}

async fn api_docs_page() -> Response {
    fresh(pages::api_docs(), "public, max-age=300")
}

// ---------------------------------------------------------------------------------------------
// The JSON API
// ---------------------------------------------------------------------------------------------

async fn api_scenarios(State(s): State<AppState>) -> Json<Vec<ScenarioInfo>> {
    Json(s.scenarios.as_ref().clone())
}

async fn api_run(State(s): State<AppState>, Query(q): Query<Pairs>) -> Result<Response, ApiError> {
    let params = Params::from_pairs(&q, s.config.max_runs, &[])?;
    let (saved, scenario) = params.build(&s.data)?;
    let key = format!("summary:{PAGES_VERSION}:{}", saved.canonical());
    let options = s.options(&params);
    let json = s
        .cached(key, None, false, move |data, cancel| {
            let summary = summary_of(data, &scenario, options, cancel)?.0;
            // The bytes `razvilka run --json` prints, newline included.
            Ok(serde_json::to_string_pretty(&summary).expect("serialisable") + "\n")
        })
        .await?
        .expect("waited for");
    Ok((
        [
            (header::CONTENT_TYPE, "application/json"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        json.as_str().to_owned(),
    )
        .into_response())
}

async fn api_compare(
    State(s): State<AppState>,
    Query(q): Query<Pairs>,
) -> Result<Json<Comparison>, ApiError> {
    // Scenario `b` takes the run parameters (its interventions and assumptions, as `/api/run`'s
    // scenario does); `a` is the shipped scenario it is compared with.
    if q.iter().any(|(k, _)| k == "scenario") {
        return Err(AppError::bad(
            "unknown parameter `scenario`".to_string(),
            "/api/compare takes a and b (the two scenarios), runs, seed, and a.KEY and ivN.FIELD for b".to_string(),
        )
        .into());
    }
    let a_name = q
        .iter()
        .rev()
        .find(|(k, v)| k == "a" && !v.trim().is_empty())
        .map_or("otl".to_string(), |(_, v)| v.trim().to_string());
    let a = params::parse_scenario(&s.data, params::check_scenario_name(&a_name)?, &a_name)?;
    let b_pairs: Pairs = q
        .iter()
        .filter(|(k, _)| k != "a")
        .map(|(k, v)| {
            (
                if k == "b" {
                    "scenario".to_string()
                } else {
                    k.clone()
                },
                v.clone(),
            )
        })
        .collect();
    let params = Params::from_pairs(&b_pairs, s.config.max_runs, &[])?;
    let (_, b) = params.build(&s.data)?;
    let options = s.options(&params);
    let seed = params.seed;
    let comparison = s
        .simulate(move |data, cancel| {
            let pairs =
                razvilka_ensemble::run_pairs_cancellable(data, &a, &b, options, &|| {}, cancel)
                    .map_err(ensemble_error)?;
            Ok(razvilka_ensemble::compare(data, &a, &b, seed, &pairs))
        })
        .await?;
    Ok(Json(comparison))
}

async fn api_timeline(
    State(s): State<AppState>,
    Query(q): Query<Pairs>,
) -> Result<Json<narrative::Timeline>, ApiError> {
    let params = Params::from_pairs(&q, s.config.max_runs, &["run"])?;
    let run = run_index(&q, params.runs)?;
    let (saved, _) = params.build(&s.data)?;
    let t = s
        .simulate_light(move |data, _| timeline_of(data, &saved, run))
        .await?;
    Ok(Json(t))
}

async fn api_save(
    State(s): State<AppState>,
    body: Result<Json<Params>, JsonRejection>,
) -> Result<Response, ApiError> {
    let Json(params) = body.map_err(|e| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            AppError::too_large(s.config.max_body_bytes)
        } else {
            AppError::bad(
                e.body_text(),
                "send {\"scenario\": NAME, \"runs\": N, \"seed\": S, \"assumptions\": {KEY: VALUE}, \"interventions\": [{\"kind\", \"date\", \"person\"?, \"choice\"?}]} with Content-Type: application/json".to_string(),
            )
        }
    })?;
    params.check(s.config.max_runs)?;
    let (saved, _) = params.build(&s.data)?;
    let id = s.store.save(&saved.canonical()).map_err(AppError::from)?;
    let url = format!("/s/{id}");
    Ok((
        StatusCode::CREATED,
        [(header::LOCATION, url.clone())],
        Json(serde_json::json!({ "id": id, "url": url })),
    )
        .into_response())
}

async fn api_saved(
    State(s): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<Saved>, ApiError> {
    Ok(Json(load_saved(&s, &id)?))
}
