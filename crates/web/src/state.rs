//! The server's shared state: the data, the cache and store, the slots and queue that bound the
//! work, and the computations every route shares.

use super::*;

/// Timelines computed at once (one world each, a few milliseconds).
pub(super) const LIGHT_SLOTS: usize = 4;

/// How long a failed computation's error is kept for those who ask again (a running page reloads
/// every two seconds), before the page may be computed anew.
pub(super) const FAILURE_KEPT: Duration = Duration::from_secs(10);

/// Leaves the queue when dropped (also when the client goes away while waiting).
pub(super) struct InQueue(Arc<AtomicUsize>);

impl Drop for InQueue {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
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
            data_fingerprint: data_fingerprint(&data),
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
    pub(crate) async fn slot(&self) -> Result<OwnedSemaphorePermit, AppError> {
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
    pub(crate) async fn simulate<T, F>(&self, work: F) -> Result<T, AppError>
    where
        T: Send + 'static,
        F: FnOnce(&Data, &AtomicBool) -> Result<T, AppError> + Send + 'static,
    {
        let permit = self.slot().await?;
        self.run_blocking(permit, work).await
    }

    /// As [`AppState::simulate`], for one world (a timeline) on the light slots.
    pub(crate) async fn simulate_light<T, F>(&self, work: F) -> Result<T, AppError>
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

    pub(crate) async fn run_blocking<T, F>(
        &self,
        permit: OwnedSemaphorePermit,
        work: F,
    ) -> Result<T, AppError>
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
    pub(crate) async fn cached<F>(
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
    pub(crate) fn remembered(&self, key: &str) -> Result<Option<Arc<String>>, AppError> {
        if let Some(page) = self.memory.get(key) {
            return Ok(Some(page));
        }
        Ok(self.store.page(key)?.map(|p| {
            let page = Arc::new(p);
            self.memory.put(key, page.clone());
            page
        }))
    }

    /// The version part of a cache key: the pages' version, and the posterior sample's fingerprint
    /// when the server runs under one (a page computed without it, or under another sample, is never
    /// served for it, also after a restart on the same database).
    pub(crate) fn version(&self) -> String {
        let data = self.data_fingerprint;
        match &self.config.posterior {
            Some(p) => format!(
                "{PAGES_VERSION}:data-{data:016x}:posterior-{:016x}",
                razvilka_export::posterior::fingerprint(p)
            ),
            None => format!("{PAGES_VERSION}:data-{data:016x}"),
        }
    }

    /// The scenario as the server runs it: under its posterior sample, if it has one.
    pub(crate) fn under(&self, scenario: Scenario) -> Scenario {
        under(&self.config.posterior, scenario)
    }

    pub(crate) fn options(&self, params: &Params) -> Options {
        Options {
            runs: params.runs,
            seed: params.seed,
            threads: self.config.threads,
        }
    }
}

/// `scenario` under `posterior`, if there is one (for the work done on a blocking thread, which
/// takes the sample along).
pub(super) fn under(posterior: &Option<Arc<PosteriorSample>>, scenario: Scenario) -> Scenario {
    match posterior {
        Some(p) => Scenario {
            posterior: Some(p.clone()),
            ..scenario
        },
        None => scenario,
    }
}

pub(super) fn ensemble_error(e: EnsembleError) -> AppError {
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

/// A use case's failure as the server answers it: the time budget's cancellation as 504, anything
/// else as an internal error.
pub(super) fn use_case_error(e: razvilka_app::AppError) -> AppError {
    match e {
        razvilka_app::AppError::Ensemble(e) => ensemble_error(e),
        other => AppError::internal(other.to_string()),
    }
}

/// A fingerprint of every data file the server reads (the model's files and the targets, the
/// economy's series and the claims beside them), from `--data DIR` or as shipped: a page cached for
/// one data directory is never served for another, also after a restart on the same database.
fn data_fingerprint(data: &Data) -> u64 {
    use razvilka_kernel::{fnv1a, FNV_OFFSET};
    let mut files: Vec<(&str, &str)> = razvilka_world::DATA_FILES
        .iter()
        .map(|(path, text)| (path.trim_start_matches("data/"), *text))
        .collect();
    files.extend(razvilka_analysis::validate::builtin_texts());
    files.push(("claims.toml", claims::CLAIMS));
    files.iter().fold(FNV_OFFSET, |h, (name, builtin)| {
        // A companion missing from the directory fingerprints as empty; reading it reports the error.
        let text = data
            .companion(name, builtin)
            .map(|(_, text)| text)
            .unwrap_or_default();
        fnv1a(fnv1a(fnv1a(h, name.as_bytes()), &[0]), text.as_bytes())
    })
}
