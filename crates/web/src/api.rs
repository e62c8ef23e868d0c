//! The JSON API (docs/api.md).

use super::*;

pub(super) async fn api_claims(
    State(s): State<AppState>,
) -> Result<Json<serde_json::Value>, ApiError> {
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

pub(super) async fn api_scenarios(State(s): State<AppState>) -> Json<Vec<ScenarioInfo>> {
    Json(s.scenarios.as_ref().clone())
}

pub(super) async fn api_run(
    State(s): State<AppState>,
    Query(q): Query<Pairs>,
) -> Result<Response, ApiError> {
    let params = Params::from_pairs(&q, s.config.max_runs, &[])?;
    let (saved, scenario) = params.build(&s.data)?;
    let scenario = s.under(scenario);
    let key = format!("summary:{}:{}", s.version(), saved.canonical());
    let options = s.options(&params);
    let json = s
        .cached(key, None, false, move |data, cancel| {
            let summary = razvilka_app::run(
                data,
                &scenario,
                options,
                RunRequest::default(),
                &Quiet,
                Some(cancel),
            )
            .map_err(use_case_error)?
            .summary;
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

pub(super) async fn api_compare(
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
    let a = s.under(params::parse_scenario(
        &s.data,
        params::check_scenario_name(&a_name)?,
        &a_name,
    )?);
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
    let b = s.under(b);
    let options = s.options(&params);
    let comparison = s
        .simulate(move |data, cancel| {
            let (_, comparison) = razvilka_app::twins(data, &a, &b, options, &Quiet, Some(cancel))
                .map_err(use_case_error)?;
            Ok(comparison)
        })
        .await?;
    Ok(Json(comparison))
}

pub(super) async fn api_timeline(
    State(s): State<AppState>,
    Query(q): Query<Pairs>,
) -> Result<Json<narrative::Timeline>, ApiError> {
    let params = Params::from_pairs(&q, s.config.max_runs, &["run"])?;
    let run = run_index(&q, params.runs)?;
    let (saved, _) = params.build(&s.data)?;
    let posterior = s.config.posterior.clone();
    let t = s
        .simulate_light(move |data, _| timeline_of(data, &saved, run, &posterior))
        .await?;
    Ok(Json(t))
}

pub(super) async fn api_save(
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

pub(super) async fn api_saved(
    State(s): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<Saved>, ApiError> {
    Ok(Json(load_saved(&s, &id)?))
}
