//! What the server tests share: a scratch directory, the real `razvilka serve` on a free loopback
//! port (killed when dropped, even when a test fails), and a minimal blocking HTTP/1.1 client over
//! `std::net::TcpStream`, so that no HTTP client library is needed to talk to the server.

// Each test file uses a different part of this module.
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

/// A directory under Cargo's scratch space for integration tests, removed when dropped.
pub struct TestDir(PathBuf);

impl TestDir {
    /// A fresh, empty directory named after the test and this process.
    pub fn new(name: &str) -> TestDir {
        let dir =
            Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        TestDir(dir)
    }

    pub fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TestDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// `razvilka serve --port 0 --db DB` as a child process, killed (SIGKILL) and reaped when dropped.
pub struct Server {
    child: Child,
    /// `http://127.0.0.1:PORT`, as the server announced it.
    pub base: String,
    /// `127.0.0.1:PORT`, for the raw HTTP client.
    pub addr: String,
}

impl Server {
    /// Starts the server on a free port with its database at `db`, and waits for its one line
    /// `listening on http://127.0.0.1:PORT` (the contract in docs/web.md).
    pub fn start(db: &Path, extra: &[&str]) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_razvilka"))
            .args(["serve", "--port", "0", "--db"])
            .arg(db)
            .args(extra)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("cannot start the razvilka binary");
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = mpsc::channel();
        // The reader keeps draining stdout after the first line, so that a later print by the
        // server never meets a closed pipe.
        std::thread::spawn(move || {
            let mut lines = BufReader::new(stdout).lines();
            if let Some(Ok(first)) = lines.next() {
                let _ = tx.send(first);
            }
            for _ in lines {}
        });
        let first = match rx.recv_timeout(Duration::from_secs(60)) {
            Ok(line) => line,
            Err(_) => {
                let _ = child.kill();
                let _ = child.wait();
                panic!("razvilka serve printed no `listening on` line within 60 s");
            }
        };
        let base = first
            .strip_prefix("listening on ")
            .unwrap_or_else(|| panic!("unexpected first line from razvilka serve: {first:?}"))
            .trim()
            .to_string();
        let addr = base
            .strip_prefix("http://")
            .unwrap_or_else(|| panic!("not an http:// address: {base:?}"))
            .trim_end_matches('/')
            .to_string();
        Server { child, base, addr }
    }

    /// The process id, for measurements.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Kills the server with SIGKILL (what `Child::kill` sends on Unix) and reaps it.
    pub fn kill(mut self) {
        self.kill_now();
    }

    fn kill_now(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.kill_now();
    }
}

/// One HTTP response: its status code and body.
#[derive(Debug)]
pub struct Response {
    pub status: u16,
    pub body: String,
}

/// A blocking HTTP/1.1 request to `addr` (`host:port`) with an optional body and its content type.
/// `Connection: close` keeps the response simple: the body ends where the connection does (or where
/// its last chunk says, if chunked).
pub fn request(
    addr: &str,
    method: &str,
    path: &str,
    body: Option<(&str, &str)>,
) -> std::io::Result<Response> {
    let mut stream = TcpStream::connect(addr)?;
    stream.set_read_timeout(Some(Duration::from_secs(120)))?;
    stream.set_write_timeout(Some(Duration::from_secs(30)))?;
    let mut head = format!("{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n");
    if let Some((content_type, text)) = body {
        head += &format!(
            "Content-Type: {content_type}\r\nContent-Length: {}\r\n",
            text.len()
        );
    }
    head += "\r\n";
    stream.write_all(head.as_bytes())?;
    if let Some((_, text)) = body {
        stream.write_all(text.as_bytes())?;
    }
    // Read until the response is complete: some servers (ChromeDriver) leave the connection open
    // for a while after the last byte, so the end is where Content-Length or the last chunk says.
    let mut raw = Vec::new();
    let mut buffer = [0u8; 16 * 1024];
    loop {
        if let Some(response) = complete_response(&raw)? {
            return Ok(response);
        }
        let n = stream.read(&mut buffer)?;
        if n == 0 {
            return parse_response(&raw, true);
        }
        raw.extend_from_slice(&buffer[..n]);
    }
}

/// The response in `raw` if it is complete (its length known from its headers), else `None`.
fn complete_response(raw: &[u8]) -> std::io::Result<Option<Response>> {
    match parse_response(raw, false) {
        Ok(response) => Ok(Some(response)),
        Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => Ok(None),
        Err(e) => Err(e),
    }
}

/// `GET path`.
pub fn get(addr: &str, path: &str) -> std::io::Result<Response> {
    request(addr, "GET", path, None)
}

/// `POST path` with a JSON body.
pub fn post_json(addr: &str, path: &str, json: &str) -> std::io::Result<Response> {
    request(addr, "POST", path, Some(("application/json", json)))
}

/// Parses a response; `at_eof` says the connection has closed, so a body without a length ends here.
/// An incomplete response is an `UnexpectedEof` error.
fn parse_response(raw: &[u8], at_eof: bool) -> std::io::Result<Response> {
    let bad = |what: &str| std::io::Error::new(std::io::ErrorKind::InvalidData, what.to_string());
    let incomplete = || std::io::Error::new(std::io::ErrorKind::UnexpectedEof, "incomplete");
    let Some(split) = raw.windows(4).position(|w| w == b"\r\n\r\n") else {
        return Err(if at_eof {
            bad("no end of headers")
        } else {
            incomplete()
        });
    };
    let head = String::from_utf8_lossy(&raw[..split]);
    let status = head
        .lines()
        .next()
        .and_then(|line| line.split_whitespace().nth(1))
        .and_then(|code| code.parse().ok())
        .ok_or_else(|| bad("no status line"))?;
    let mut body = raw[split + 4..].to_vec();
    let header = |name: &str| {
        head.lines().find_map(|line| {
            let (key, value) = line.split_once(':')?;
            key.trim()
                .eq_ignore_ascii_case(name)
                .then(|| value.trim().to_ascii_lowercase())
        })
    };
    if header("transfer-encoding").is_some_and(|v| v.contains("chunked")) {
        body = match dechunk(&body) {
            Some(body) => body,
            None if at_eof => return Err(bad("bad chunked body")),
            None => return Err(incomplete()),
        };
    } else if let Some(length) = header("content-length") {
        let length: usize = length.parse().map_err(|_| bad("bad Content-Length"))?;
        if body.len() < length {
            return Err(if at_eof {
                bad("body shorter than Content-Length")
            } else {
                incomplete()
            });
        }
        body.truncate(length);
    } else if !at_eof {
        return Err(incomplete());
    }
    Ok(Response {
        status,
        body: String::from_utf8_lossy(&body).into_owned(),
    })
}

/// Decodes a chunked body.
fn dechunk(mut raw: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    loop {
        let line_end = raw.windows(2).position(|w| w == b"\r\n")?;
        let size_text = std::str::from_utf8(&raw[..line_end]).ok()?;
        let size = usize::from_str_radix(size_text.split(';').next()?.trim(), 16).ok()?;
        raw = &raw[line_end + 2..];
        if size == 0 {
            return Some(out);
        }
        out.extend_from_slice(raw.get(..size)?);
        raw = raw.get(size + 2..)?;
    }
}

/// The full path of `program` if it is on PATH.
pub fn on_path(program: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(program))
        .find(|candidate| candidate.is_file())
}

/// A free TCP port on loopback (free when asked: the caller binds it soon after).
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}
