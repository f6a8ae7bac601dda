//! Slow and greedy clients (issue 11, item 9), and what the server writes to its log (item 15).

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::time::{Duration, Instant};

use lodestar_server::auth::PasswordHasher;
use lodestar_server::serve::Limits;
use lodestar_server::RunningServer;
use lodestar_tests::{Backend, Database};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

async fn spawn_limited(backend: Backend, limits: Limits) -> (RunningServer, Database) {
    let db = Database::fresh(backend).await;
    let store = lodestar_server::store::open(&db.url).await.unwrap();
    let hasher = PasswordHasher::new(2).unwrap();
    let server =
        lodestar_server::start_with_limits("127.0.0.1:0".into(), store, hasher, false, limits)
            .await
            .unwrap();
    (server, db)
}

/// Reads until the server closes the connection or `wait` passes; answers what came.
async fn read_until_closed(stream: &mut TcpStream, wait: Duration) -> Option<String> {
    let mut out = Vec::new();
    let mut buf = [0u8; 4096];
    let deadline = tokio::time::Instant::now() + wait;
    loop {
        match tokio::time::timeout_at(deadline, stream.read(&mut buf)).await {
            Err(_) => return None,
            Ok(Ok(0)) | Ok(Err(_)) => return Some(String::from_utf8_lossy(&out).into_owned()),
            Ok(Ok(n)) => out.extend_from_slice(&buf[..n]),
        }
    }
}

async fn slow_headers_and_slow_bodies_are_cut_off(backend: Backend) {
    let limits = Limits {
        header_timeout: Duration::from_secs(1),
        request_timeout: Duration::from_secs(2),
        ..Limits::default()
    };
    let (server, _db) = spawn_limited(backend, limits).await;
    // Headers that never end.
    let mut slow = TcpStream::connect(server.addr).await.unwrap();
    slow.write_all(b"GET /v1/health HTTP/1.1\r\nHost: x\r\n").await.unwrap();
    let started = Instant::now();
    let answer = read_until_closed(&mut slow, Duration::from_secs(5)).await;
    assert!(answer.is_some(), "a connection with unfinished headers stayed open for 5 s");
    assert!(started.elapsed() < Duration::from_secs(3), "closed after {:?}", started.elapsed());
    // A body that trickles in.
    let mut slow = TcpStream::connect(server.addr).await.unwrap();
    slow.write_all(
        b"POST /v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"lo",
    )
    .await
    .unwrap();
    let started = Instant::now();
    let trickle = async {
        for _ in 0..10 {
            tokio::time::sleep(Duration::from_millis(500)).await;
            if slow.write_all(b" ").await.is_err() {
                break;
            }
        }
    };
    let mut answer = String::new();
    tokio::select! {
        _ = trickle => {}
        _ = tokio::time::sleep(Duration::from_secs(4)) => {}
    }
    if let Some(a) = read_until_closed(&mut slow, Duration::from_secs(2)).await {
        answer = a;
    }
    assert!(answer.starts_with("HTTP/1.1 408"), "a trickling body got: {answer:?}");
    assert!(answer.contains("\"timeout\""), "{answer}");
    assert!(started.elapsed() < Duration::from_secs(6));
    // The server still serves.
    let health = reqwest::get(format!("http://{}/v1/health", server.addr)).await.unwrap();
    assert_eq!(health.status(), 200);
    server.stop().await;
}

async fn requests_past_the_bound_in_flight_are_refused_at_once(backend: Backend) {
    let limits = Limits { max_in_flight: 2, ..Limits::default() };
    let (server, _db) = spawn_limited(backend, limits).await;
    // Two requests whose bodies are slow to come hold both places.
    let mut holders = Vec::new();
    for _ in 0..2 {
        let mut s = TcpStream::connect(server.addr).await.unwrap();
        s.write_all(b"POST /v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Length: 50\r\n\r\n{")
            .await
            .unwrap();
        holders.push(s);
    }
    tokio::time::sleep(Duration::from_millis(200)).await;
    let started = Instant::now();
    let res = reqwest::get(format!("http://{}/v1/health", server.addr)).await.unwrap();
    assert_eq!(res.status(), 503);
    assert!(res.headers().contains_key("retry-after"));
    assert!(started.elapsed() < Duration::from_secs(1), "the refusal waited");
    drop(holders);
    tokio::time::sleep(Duration::from_millis(200)).await;
    let res = reqwest::get(format!("http://{}/v1/health", server.addr)).await.unwrap();
    assert_eq!(res.status(), 200, "places come back when requests end");
    server.stop().await;
}

lodestar_tests::on_both_backends!(
    slow_headers_and_slow_bodies_are_cut_off,
    requests_past_the_bound_in_flight_are_refused_at_once,
);

/// The real binary on PostgreSQL with a password in its URL never writes the password.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_server_logs_its_database_without_the_password() {
    let db = Database::fresh(Backend::Postgres).await;
    // The test cluster trusts local connections, so any password is accepted and none is real.
    let secret = "s3cret-Pa55word";
    let url = db.url.replacen("postgres://postgres@", &format!("postgres://postgres:{secret}@"), 1);
    assert!(url.contains(secret), "the test URL has the expected shape: {}", db.url);
    let bin = std::env::var("CARGO_BIN_EXE_lodestar-server")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|_| lodestar_tests_target_bin("lodestar-server"));
    let mut child = tokio::process::Command::new(bin)
        .args(["--listen", "127.0.0.1:0", "--database", &url])
        .env("RUST_LOG", "debug")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let mut stderr = child.stderr.take().unwrap();
    // Wait for it to listen, then stop it and read everything it wrote.
    let mut seen = Vec::new();
    let mut buf = [0u8; 4096];
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    while !String::from_utf8_lossy(&seen).contains("listening") {
        let n = tokio::time::timeout_at(deadline, stdout.read(&mut buf)).await.unwrap().unwrap();
        assert!(n > 0, "the server ended: {}", String::from_utf8_lossy(&seen));
        seen.extend_from_slice(&buf[..n]);
    }
    child.start_kill().unwrap();
    child.wait().await.unwrap();
    stdout.read_to_end(&mut seen).await.unwrap();
    stderr.read_to_end(&mut seen).await.unwrap();
    let log = String::from_utf8_lossy(&seen);
    assert!(log.contains("opening the database"), "{log}");
    assert!(!log.contains(secret), "the password is in the log:\n{log}");
    assert!(log.contains("REDACTED"), "{log}");
}

fn lodestar_tests_target_bin(name: &str) -> std::path::PathBuf {
    let exe = std::env::current_exe().unwrap();
    // target/debug/deps/this-test → target/debug/NAME
    exe.parent().unwrap().parent().unwrap().join(name)
}
