//! What the web's tests share: a server on a fresh database, driven through its router without a
//! socket, and the page checks.
// Each test file uses a part of it, so what one file leaves unused is not dead.
#![allow(dead_code, unused_imports)]

pub use std::time::{Duration, Instant};

pub use axum::body::Body;
pub use axum::http::{header, Request, StatusCode};
pub use axum::Router;
pub use http_body_util::BodyExt;
pub use razvilka_web::{router, AppState, Config};
pub use razvilka_world::{builtin_scenario, Data, Scenario};
pub use tower::ServiceExt;

pub struct App {
    pub state: AppState,
    pub router: Router,
    pub _dir: tempfile::TempDir,
}

/// A server on a fresh database, with small claims and sensitivity settings.
pub fn app(change: impl FnOnce(&mut Config)) -> App {
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
    pub async fn send(&self, req: Request<Body>) -> (StatusCode, String, axum::http::HeaderMap) {
        let response = self.router.clone().oneshot(req).await.unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        (status, String::from_utf8(bytes.to_vec()).unwrap(), headers)
    }

    pub async fn get(&self, uri: &str) -> (StatusCode, String) {
        let (s, b, _) = self
            .send(Request::get(uri).body(Body::empty()).unwrap())
            .await;
        (s, b)
    }

    pub async fn json(&self, uri: &str) -> (StatusCode, serde_json::Value) {
        let (s, b) = self.get(uri).await;
        let v = serde_json::from_str(&b).unwrap_or_else(|e| panic!("{uri}: {e}: {b}"));
        (s, v)
    }

    pub async fn post(
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

pub fn has_id(page: &str, id: &str) -> bool {
    page.contains(&format!("id=\"{id}\""))
}

pub fn assert_ids(page: &str, ids: &[&str]) {
    for id in ids {
        assert!(has_id(page, id), "no id=\"{id}\" in the page");
    }
}

pub fn scenario(data: &Data, name: &str) -> Scenario {
    Scenario::parse(builtin_scenario(name).unwrap(), name, &data.context()).unwrap()
}

/// A copy of the shipped `data/` files in a fresh directory, for editing.
pub fn data_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let shipped = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data");
    for entry in std::fs::read_dir(&shipped).unwrap() {
        let entry = entry.unwrap();
        if entry.file_type().unwrap().is_file() {
            std::fs::copy(entry.path(), dir.path().join(entry.file_name())).unwrap();
        }
    }
    dir
}

/// Changes `politics.appointment_bias`'s default in `dir/assumptions.toml` from 0.6 to 0.45 (inside
/// its prior).
pub fn appointment_bias_to_0_45(dir: &std::path::Path) {
    let path = dir.join("assumptions.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    let at = text.find("key = \"politics.appointment_bias\"").unwrap();
    let changed = format!(
        "{}{}",
        &text[..at],
        text[at..].replacen("default = 0.6\n", "default = 0.45\n", 1)
    );
    assert_ne!(changed, text, "the default to change is no longer 0.6");
    std::fs::write(&path, changed).unwrap();
}
