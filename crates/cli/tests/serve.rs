//! `razvilka serve` as a process: the one line it prints, the database it creates, and a save that
//! survives the server being killed.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};

/// Starts the server on a free port with the database `db`; returns the child and its address.
fn start(db: &std::path::Path) -> (Child, String) {
    let mut child = Command::new(assert_cmd::cargo::cargo_bin("razvilka"))
        .args(["serve", "--port", "0", "--db"])
        .arg(db)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.as_mut().unwrap())
        .read_line(&mut line)
        .unwrap();
    let addr = line
        .trim()
        .strip_prefix("listening on http://")
        .unwrap_or_else(|| panic!("first line: {line:?}"))
        .to_string();
    assert!(addr.starts_with("127.0.0.1:"), "{addr}");
    (child, addr)
}

/// One HTTP/1.1 request; returns the status and the body.
fn request(addr: &str, method: &str, path: &str, body: &str) -> (u16, String) {
    let mut s = TcpStream::connect(addr).unwrap();
    write!(
        s,
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut response = String::new();
    s.read_to_string(&mut response).unwrap();
    let status = response[9..12].parse().unwrap();
    let body = response
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_string())
        .unwrap_or_default();
    (status, body)
}

#[test]
fn serve_prints_its_address_creates_the_database_and_keeps_saves_when_killed() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("x.db");
    let (mut child, addr) = start(&db);
    assert!(db.exists(), "the database is created on start");
    let (status, body) = request(&addr, "GET", "/api/scenarios", "");
    assert_eq!(status, 200);
    assert!(body.contains("stalin-expelled"));
    let (status, body) = request(
        &addr,
        "POST",
        "/api/save",
        r#"{"scenario":"otl","runs":25,"seed":3}"#,
    );
    assert_eq!(status, 201, "{body}");
    let saved: serde_json::Value = serde_json::from_str(&body).unwrap();
    let id = saved["id"].as_str().unwrap().to_string();
    // SIGKILL: no shutdown, no checkpoint.
    child.kill().unwrap();
    child.wait().unwrap();

    let (mut child, addr) = start(&db);
    let (status, body) = request(&addr, "GET", &format!("/api/s/{id}"), "");
    child.kill().unwrap();
    child.wait().unwrap();
    assert_eq!(status, 200, "{body}");
    assert!(body.contains("\"seed\":3"), "{body}");
}
