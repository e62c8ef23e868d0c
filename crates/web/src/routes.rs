//! The pages people open: the builder, results, saved scenarios, timelines, claims, sensitivity.

use super::*;

/// Everything the results page shows: the scenario's worlds and their twins in actual history.
pub(super) fn results_of(
    data: &Data,
    saved: &Saved,
    options: Options,
    cancel: &AtomicBool,
    share: Option<(&str, &str)>,
    posterior: &Option<Arc<PosteriorSample>>,
) -> Result<String, AppError> {
    let scenario = under(
        posterior,
        params::parse_scenario(data, &saved.text, &saved.params.scenario)?,
    );
    // Under a posterior sample both twins take the same row, as `compare --posterior` gives them.
    let mut otl = under(
        posterior,
        params::parse_scenario(
            data,
            razvilka_world::builtin_scenario("otl").expect("otl is shipped"),
            "otl",
        )?,
    );
    // With the priors sampled, both twins draw them, so that twin pairs differ by the divergence
    // alone.
    otl.sample_priors = scenario.sample_priors;
    let results = razvilka_app::results(data, &otl, &scenario, options, Some(cancel))
        .map_err(use_case_error)?;
    let registry = data.registry_for(&scenario);
    let report = html::run_page(
        data,
        &scenario,
        &registry,
        &results.summary,
        &results.outcomes,
        &results.sample,
    );
    Ok(pages::results(
        data,
        &report,
        &results.summary,
        &results.comparison,
        &saved.params,
        share,
        posterior.as_deref(),
    ))
}

/// The builder; with a run's parameters (from "edit this scenario"), filled in with them.
pub(super) async fn builder_page(
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

/// The page under `key` (see [`AppState::cached`]), or the running page while it is computed.
pub(super) async fn page_or_running<F>(
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
pub(super) fn canonical_redirect(
    path: &str,
    raw: &Option<String>,
    canonical: &[(String, String)],
) -> Option<Response> {
    let canonical = pages::query(canonical);
    (raw.as_deref().unwrap_or("") != canonical)
        .then(|| Redirect::to(&format!("{path}?{canonical}")).into_response())
}

pub(super) fn what_runs(params: &Params) -> String {
    format!(
        "{} worlds of scenario {}, each with its twin in actual history",
        params.runs, params.scenario
    )
}

pub(super) async fn run_page(
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
    let key = format!("run:{}:{}", s.version(), saved.canonical());
    let posterior = s.config.posterior.clone();
    page_or_running(&s, key, false, what_runs(&params), move |data, cancel| {
        results_of(data, &saved, options, cancel, None, &posterior)
    })
    .await
}

pub(super) async fn save_form(
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

pub(super) fn form_error(status: StatusCode, text: String, limit: usize) -> AppError {
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
pub(super) fn load_saved(s: &AppState, id: &str) -> Result<Saved, AppError> {
    let missing = || AppError::not_found(&format!("saved scenario `{id}`"));
    if !store::plausible_id(id) {
        return Err(missing());
    }
    let text = s.store.load(id)?.ok_or_else(missing)?;
    serde_json::from_str(&text)
        .map_err(|e| AppError::internal(format!("saved scenario {id} is unreadable: {e}")))
}

pub(super) async fn saved_page(
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
    let key = format!("saved:{}:{id}:{absolute}", s.version());
    let what = what_runs(&saved.params);
    let posterior = s.config.posterior.clone();
    page_or_running(&s, key, false, what, move |data, cancel| {
        results_of(
            data,
            &saved,
            options,
            cancel,
            Some((&id, &absolute)),
            &posterior,
        )
    })
    .await
}

/// Names the scratch files of CSV exports apart.
pub(super) static EXPORTS: AtomicUsize = AtomicUsize::new(0);

/// One row per world of the run's ensemble, as `razvilka run --export FILE.csv` writes it.
pub(super) async fn runs_csv(
    State(s): State<AppState>,
    Query(q): Query<Pairs>,
) -> Result<Response, PageError> {
    let params = Params::from_pairs(&q, s.config.max_runs, &[])?;
    let (saved, scenario) = params.build(&s.data)?;
    let scenario = s.under(scenario);
    let options = s.options(&params);
    let key = format!("csv:{}:{}", s.version(), saved.canonical());
    let csv = s
        .cached(key, None, false, move |data, cancel| {
            // The library writes exports to a file (the format from its extension): a scratch file,
            // written as the worlds finish, read back and removed.
            let path = std::env::temp_dir().join(format!(
                "razvilka-web-{}-{}.csv",
                std::process::id(),
                EXPORTS.fetch_add(1, Ordering::SeqCst)
            ));
            let written = razvilka_export::RunWriter::create(&path, data, options.seed, false)
                .map_err(|e| AppError::internal(e.to_string()))
                .and_then(|export| {
                    let request = razvilka_app::RunRequest {
                        export: Some(export),
                        ..Default::default()
                    };
                    razvilka_app::run(data, &scenario, options, request, &Quiet, Some(cancel))
                        .map_err(use_case_error)
                })
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
pub(super) fn run_index(q: &Pairs, runs: u32) -> Result<u64, AppError> {
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

pub(super) fn timeline_of(
    data: &Data,
    saved: &Saved,
    run: u64,
    posterior: &Option<Arc<PosteriorSample>>,
) -> Result<narrative::Timeline, AppError> {
    let scenario = under(
        posterior,
        params::parse_scenario(data, &saved.text, &saved.params.scenario)?,
    );
    let seed = saved.params.seed;
    razvilka_app::timeline(data, &scenario, seed, run).map_err(use_case_error)
}

pub(super) async fn timeline_page(
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
    let posterior = s.config.posterior.clone();
    if let Some(f) = format {
        // A forum post's text: one world, a few milliseconds, not cached.
        let text = s
            .simulate_light(move |data, _| {
                let t = timeline_of(data, &saved, run, &posterior)?;
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
    let key = format!("timeline:{}:{}:{run}", s.version(), saved.canonical());
    let what = format!("world {run} of scenario {}", params.scenario);
    page_or_running(&s, key, true, what, move |data, _| {
        let t = timeline_of(data, &saved, run, &posterior)?;
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
pub(super) async fn claims_result(
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
                let (data, store, config, version) = (
                    state.data.clone(),
                    state.store.clone(),
                    state.config.clone(),
                    state.version(),
                );
                let computed = tokio::task::spawn_blocking(move || {
                    let _permit = permit;
                    compute_claims(&data, &store, &config, &version)
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

pub(super) fn compute_claims(
    data: &Data,
    store: &Store,
    config: &Config,
    version: &str,
) -> Result<ClaimsResult, String> {
    let settings = claims::Settings {
        runs: config.claims_runs,
        prior_runs: config.claims_prior_runs,
        seed: 1,
        threads: config.threads,
    };
    // The version covers the data files read, the claims file among them (`AppState::version`): an
    // edited file, or another --data directory, is not answered from the cache of the old one.
    let key = format!(
        "claims:{version}:{}:{}:{}",
        settings.runs, settings.prior_runs, settings.seed
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
    let list = claims::load(data).map_err(|d| d.to_string())?;
    let answers = razvilka_app::claims(data, &list, settings, &Quiet).map_err(|e| e.to_string())?;
    let json = serde_json::to_value(&answers).map_err(|e| e.to_string())?;
    let page = pages::claims(
        &razvilka_present::claims::page(&answers, settings),
        settings.runs,
        settings.prior_runs,
    );
    let both = serde_json::json!({ "json": json, "page": page });
    let _ = store.cache(&key, &both.to_string());
    Ok(ClaimsResult { json, page })
}

/// The claims page, or the running page while the claims are computed.
pub(super) async fn claims_page(State(s): State<AppState>) -> Result<Response, PageError> {
    Ok(match claims_result(&s, s.config.running_after).await? {
        Some(r) => cacheable(&r.page),
        None => fresh(
            pages::running("the fifteen claims, computed once for everyone"),
            "no-store",
        ),
    })
}

pub(super) async fn sensitivity_page(
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
                "sensitivity:{}:{scenario_name}:{o}:{method}:{}:{}",
                s.version(),
                config.sobol_n,
                config.tornado_runs
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
pub(super) fn check_output_value(data: &Data, output: &str) -> Result<(), AppError> {
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

pub(super) async fn api_docs_page() -> Response {
    fresh(pages::api_docs(), "public, max-age=300")
}

// ---------------------------------------------------------------------------------------------
// The JSON API
// ---------------------------------------------------------------------------------------------
