//! Durability of saved scenarios: the server is killed with SIGKILL while clients are saving, and
//! every save it acknowledged (201) is still there, with the same parameters, after a restart on the
//! same database.

mod support;

use serde_json::{json, Value};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use support::{Server, TestDir};

/// Saves attempted in all.
const SAVES: usize = 200;
/// Client threads saving at once.
const CLIENTS: usize = 4;
/// The server is killed once this many saves have been acknowledged.
const KILL_AFTER: usize = SAVES / 2;

/// The distinct parameters of save number `i`.
fn params(i: usize) -> Value {
    let scenarios = ["stalin-expelled", "otl", "stalin-demoted"];
    json!({
        "scenario": scenarios[i % scenarios.len()],
        "runs": 100 + i,
        "seed": 10_000 + i as u64,
    })
}

#[test]
fn sigkill_while_saving_loses_no_acknowledged_save() {
    let dir = TestDir::new("kill");
    let db = dir.path().join("kill.db");
    let server = Server::start(&db, &[]);
    let addr = server.addr.clone();

    // Each client takes every CLIENTS-th save and records the ones the server acknowledged. A
    // client stops at its first failed request: the server has been killed.
    let acknowledged: Arc<Mutex<Vec<(String, Value)>>> = Arc::default();
    let clients: Vec<_> = (0..CLIENTS)
        .map(|client| {
            let addr = addr.clone();
            let acknowledged = Arc::clone(&acknowledged);
            std::thread::spawn(move || {
                for i in (client..SAVES).step_by(CLIENTS) {
                    let sent = params(i);
                    let Ok(response) = support::post_json(&addr, "/api/save", &sent.to_string())
                    else {
                        return;
                    };
                    if response.status != 201 {
                        // A response cut short by the kill parses as nothing; any other status
                        // from a live server is a failure of the test.
                        panic!("save {i} answered {}: {}", response.status, response.body);
                    }
                    let body: Value = serde_json::from_str(&response.body)
                        .unwrap_or_else(|e| panic!("save {i}: {e}: {}", response.body));
                    let id = body["id"].as_str().expect("an id").to_string();
                    assert_eq!(body["url"], format!("/s/{id}"));
                    acknowledged.lock().unwrap().push((id, sent));
                }
            })
        })
        .collect();

    let started = Instant::now();
    while acknowledged.lock().unwrap().len() < KILL_AFTER {
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "only {} saves acknowledged in 60 s",
            acknowledged.lock().unwrap().len()
        );
        std::thread::sleep(Duration::from_millis(1));
    }
    server.kill();
    for client in clients {
        client.join().expect("a client failed");
    }
    let acknowledged = acknowledged.lock().unwrap().clone();
    assert!(
        acknowledged.len() < SAVES,
        "every save finished before the kill: the kill did not land mid-stream"
    );
    let mut ids: Vec<&str> = acknowledged.iter().map(|(id, _)| id.as_str()).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(
        ids.len(),
        acknowledged.len(),
        "distinct parameters got the same id"
    );

    let restarted = Server::start(&db, &[]);
    for (id, sent) in &acknowledged {
        let response = support::get(&restarted.addr, &format!("/api/s/{id}")).unwrap();
        assert_eq!(
            response.status, 200,
            "acknowledged save {id} ({sent}) lost after SIGKILL: {}",
            response.body
        );
        let loaded: Value = serde_json::from_str(&response.body).unwrap();
        for key in ["scenario", "runs", "seed"] {
            assert_eq!(loaded[key], sent[key], "save {id}: {key} differs");
        }
    }
    eprintln!(
        "{} of {SAVES} saves acknowledged before SIGKILL; all found after the restart",
        acknowledged.len()
    );
}
