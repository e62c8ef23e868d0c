//! `razvilka serve`: the simulator as a local web application, backed by the same library as the
//! command line.
//!
//! Pages are rendered on the server as HTML with inline SVG charts (the report shell and charts of
//! `razvilka_analysis`); the one stylesheet is embedded in the binary. A JSON API behind them returns
//! exactly what the CLI's `--json` prints (`docs/api.md`). Saved scenarios live in SQLite
//! ([`store`]). Every simulation runs on a blocking thread under a bound on concurrent simulations
//! and a time budget, after which it is cancelled (`docs/web.md`).

pub mod error;
pub mod pages;
pub mod params;
pub mod store;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::atomic::AtomicBool;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::rejection::{FormRejection, JsonRejection};
use axum::extract::{Path, Query, State};
use axum::http::{header, StatusCode, Uri};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Json, Router};
use razvilka_analysis::{claims, html, narrative, sensitivity};
use razvilka_ensemble::{Comparison, EnsembleError, Options, Summary};
use razvilka_world::{Data, Outcome, Scenario, BUILTIN_SCENARIOS};
use serde::Serialize;
use tokio::sync::{OnceCell, Semaphore};

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
    /// Worlds (or twin pairs) per request, at most.
    pub max_runs: u32,
    /// Simulations running at once, at most; a request beyond gets 429.
    pub max_concurrent: usize,
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
            max_runs: 20_000,
            max_concurrent: 2,
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
    /// The bound on concurrent simulations: a request takes a permit or gets 429. Public so that a
    /// test can hold one.
    pub simulations: Arc<Semaphore>,
    claims: Arc<OnceCell<Result<Arc<ClaimsResult>, String>>>,
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
        let data = Data::builtin().map_err(|d| ServeError::Data(d.to_string()))?;
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
            config: Arc::new(config),
            scenarios: Arc::new(scenarios),
            claims: Arc::new(OnceCell::new()),
        })
    }

    /// Runs `work` on a blocking thread under the limits: a simulation slot (or 429) and the time
    /// budget, after which the flag `work` is given is raised and the request gets 504. The slot is
    /// held until the work has actually stopped.
    async fn simulate<T, F>(&self, work: F) -> Result<T, AppError>
    where
        T: Send + 'static,
        F: FnOnce(&Data, &AtomicBool) -> Result<T, AppError> + Send + 'static,
    {
        let permit = self
            .simulations
            .clone()
            .try_acquire_owned()
            .map_err(|_| AppError::busy(self.config.max_concurrent))?;
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
                cancel.store(true, std::sync::atomic::Ordering::Relaxed);
                Err(AppError::timeout(self.config.timeout))
            }
        }
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
            explain_limit(req, next, limit)
        }))
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

/// The body-limit layer answers 413 in plain text; give it the error page or JSON like every error.
async fn explain_limit(
    req: axum::extract::Request,
    next: axum::middleware::Next,
    limit: usize,
) -> Response {
    let api = req.uri().path().starts_with("/api/");
    let response = next.run(req).await;
    let ours = response.headers().contains_key("x-razvilka-error");
    if response.status() == StatusCode::PAYLOAD_TOO_LARGE && !ours {
        return error_response(AppError::too_large(limit), api);
    }
    response
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
        Some((_, mime, body)) => ([(header::CONTENT_TYPE, *mime)], *body).into_response(),
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
    let otl = params::parse_scenario(
        data,
        razvilka_world::builtin_scenario("otl").expect("otl is shipped"),
        "otl",
    )?;
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

async fn builder_page(State(s): State<AppState>) -> Html<String> {
    Html(pages::builder(&s.scenarios, &s.data, s.config.max_runs))
}

async fn run_page(
    State(s): State<AppState>,
    Query(q): Query<Pairs>,
) -> Result<Html<String>, PageError> {
    let params = Params::from_pairs(&q, s.config.max_runs)?;
    let (saved, _) = params.build(&s.data)?;
    let options = s.options(&params);
    let page = s
        .simulate(move |data, cancel| results_of(data, &saved, options, cancel, None))
        .await?;
    Ok(Html(page))
}

async fn save_form(
    State(s): State<AppState>,
    form: Result<Form<Pairs>, FormRejection>,
) -> Result<Redirect, PageError> {
    let Form(q) =
        form.map_err(|e| form_error(e.status(), e.body_text(), s.config.max_body_bytes))?;
    let params = Params::from_pairs(&q, s.config.max_runs)?;
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
) -> Result<Html<String>, PageError> {
    let saved = load_saved(&s, &id)?;
    saved.params.check(s.config.max_runs)?;
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("127.0.0.1")
        .to_string();
    let absolute = format!("http://{host}/s/{id}");
    let options = s.options(&saved.params);
    let page = s
        .simulate(move |data, cancel| {
            results_of(data, &saved, options, cancel, Some((&id, &absolute)))
        })
        .await?;
    Ok(Html(page))
}

/// The world index `run` of a timeline query (default 0).
fn run_index(q: &Pairs) -> Result<u64, AppError> {
    match q.iter().rev().find(|(k, _)| k == "run") {
        Some((_, v)) if !v.trim().is_empty() => v.trim().parse().map_err(|_| {
            AppError::bad(
                format!("run = `{v}` is not a whole number"),
                "run is the 0-based index of a world: 0, 1, 2, …".to_string(),
            )
        }),
        _ => Ok(0),
    }
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
    Query(q): Query<Pairs>,
) -> Result<Html<String>, PageError> {
    let params = Params::from_pairs(&q, s.config.max_runs)?;
    let run = run_index(&q)?;
    let (saved, _) = params.build(&s.data)?;
    let page = s
        .simulate(move |data, _| {
            let t = timeline_of(data, &saved, run)?;
            Ok(pages::timeline(&t, &saved.params, run))
        })
        .await?;
    Ok(Html(page))
}

// ---------------------------------------------------------------------------------------------
// Claims and sensitivity
// ---------------------------------------------------------------------------------------------

/// The claims, computed on first request (in the background, so that a request that runs out of
/// time does not stop it) and kept in memory and in the store's cache.
async fn claims_result(s: &AppState) -> Result<Arc<ClaimsResult>, AppError> {
    if let Some(r) = s.claims.get() {
        return r.clone().map_err(AppError::internal);
    }
    let permit = s
        .simulations
        .clone()
        .try_acquire_owned()
        .map_err(|_| AppError::busy(s.config.max_concurrent))?;
    let state = s.clone();
    let task = tokio::spawn(async move {
        state
            .claims
            .get_or_init(|| async {
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
    match tokio::time::timeout(s.config.timeout, task).await {
        Ok(Ok(r)) => r.map_err(AppError::internal),
        Ok(Err(e)) => Err(AppError::internal(e.to_string())),
        Err(_) => Err(AppError::new(
            StatusCode::GATEWAY_TIMEOUT,
            "the claims are still being computed",
            "they are computed once, in the background: try again in a minute",
        )),
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
    let list =
        claims::parse(claims::CLAIMS, "data/claims.toml", data).map_err(|d| d.to_string())?;
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

async fn claims_page(State(s): State<AppState>) -> Result<Html<String>, PageError> {
    Ok(Html(claims_result(&s).await?.page.clone()))
}

async fn api_claims(State(s): State<AppState>) -> Result<Json<serde_json::Value>, ApiError> {
    Ok(Json(claims_result(&s).await?.json.clone()))
}

async fn sensitivity_page(
    State(s): State<AppState>,
    Query(q): Query<Pairs>,
) -> Result<Html<String>, PageError> {
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
            let o = o.clone();
            let scenario = params::parse_scenario(&s.data, text, &scenario_name)?;
            let config = s.config.clone();
            let sobol = method == "sobol";
            Some(
                s.simulate(move |data, _| {
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
                .await?,
            )
        }
    };
    Ok(Html(pages::sensitivity(
        &s.scenarios,
        (
            &scenario_name,
            output_text.as_deref().unwrap_or(""),
            &method,
        ),
        chart,
    )))
}

async fn api_docs_page() -> Html<String> {
    Html(pages::api_docs())
}

// ---------------------------------------------------------------------------------------------
// The JSON API
// ---------------------------------------------------------------------------------------------

async fn api_scenarios(State(s): State<AppState>) -> Json<Vec<ScenarioInfo>> {
    Json(s.scenarios.as_ref().clone())
}

async fn api_run(State(s): State<AppState>, Query(q): Query<Pairs>) -> Result<Response, ApiError> {
    let params = Params::from_pairs(&q, s.config.max_runs)?;
    let (saved, scenario) = params.build(&s.data)?;
    let key = format!("summary:{}", store::id_of(&saved.canonical()));
    if let Some(json) = s.store.cached(&key).map_err(AppError::from)? {
        return Ok(([(header::CONTENT_TYPE, "application/json")], json).into_response());
    }
    let options = s.options(&params);
    let summary = s
        .simulate(move |data, cancel| Ok(summary_of(data, &scenario, options, cancel)?.0))
        .await?;
    // The bytes `razvilka run --json` prints, newline included.
    let json = serde_json::to_string_pretty(&summary).expect("serialisable") + "\n";
    s.store.cache(&key, &json).map_err(AppError::from)?;
    Ok(([(header::CONTENT_TYPE, "application/json")], json).into_response())
}

async fn api_compare(
    State(s): State<AppState>,
    Query(q): Query<Pairs>,
) -> Result<Json<Comparison>, ApiError> {
    let get = |k: &str| {
        q.iter()
            .rev()
            .find(|(key, _)| key == k)
            .map(|(_, v)| v.trim())
            .filter(|v| !v.is_empty())
    };
    let a_name = get("a").unwrap_or("otl").to_string();
    let b_name = get("b").unwrap_or(params::DEFAULT_SCENARIO).to_string();
    let a = params::parse_scenario(&s.data, params::check_scenario_name(&a_name)?, &a_name)?;
    let b = params::parse_scenario(&s.data, params::check_scenario_name(&b_name)?, &b_name)?;
    let runs = match get("runs") {
        Some(r) => params::check_runs(r, s.config.max_runs)?,
        None => params::DEFAULT_RUNS.min(s.config.max_runs),
    };
    let seed = match get("seed") {
        Some(x) => params::check_seed(x)?,
        None => params::DEFAULT_SEED,
    };
    let options = Options {
        runs,
        seed,
        threads: s.config.threads,
    };
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
    let params = Params::from_pairs(&q, s.config.max_runs)?;
    let run = run_index(&q)?;
    let (saved, _) = params.build(&s.data)?;
    let t = s
        .simulate(move |data, _| timeline_of(data, &saved, run))
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
