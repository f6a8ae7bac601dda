//! `lodestar-server coordinator add|remove|list` (PROGRAM.md, "Safety and the program"): the
//! real binary on the server's own database, on both backends; `GET /v1/me` then says
//! `is_coordinator`; an unknown name is said back with exit 1.

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::process::Command;

use lodestar_tests::{Backend, TestServer};

fn server_bin() -> std::path::PathBuf {
    // target/debug/deps/this-test → target/debug/lodestar-server
    let exe = std::env::current_exe().unwrap();
    let bin = exe.parent().unwrap().parent().unwrap().join("lodestar-server");
    assert!(bin.exists(), "{} is missing: cargo build --workspace --bins", bin.display());
    bin
}

/// Runs `lodestar-server --database URL coordinator ARGS`: exit code, stdout, stderr.
fn coordinator(url: &str, args: &[&str]) -> (i32, String, String) {
    let out = Command::new(server_bin())
        .args(["--database", url, "coordinator"])
        .args(args)
        .env("RUST_LOG", "warn")
        .output()
        .unwrap();
    let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
    (out.status.code().unwrap_or(-1), text(&out.stdout), text(&out.stderr))
}

async fn coordinators_are_set_on_the_database(backend: Backend) {
    let s = TestServer::spawn(backend).await;
    let ada = s.api.register("ada").await;
    let me = s.api.get("/v1/me", &ada.token).await.expect(200);
    assert_eq!(me["is_coordinator"], false);
    let (db, addr) = s.stop().await;
    let url = db.url.clone();

    let (code, out, err) =
        tokio::task::spawn_blocking(move || coordinator(&url, &["add", "ADA"])).await.unwrap();
    assert_eq!(code, 0, "{err}");
    assert_eq!(out.trim(), "ADA is a coordinator");
    let url = db.url.clone();
    let (code, _, err) =
        tokio::task::spawn_blocking(move || coordinator(&url, &["add", "nobody"])).await.unwrap();
    assert_eq!(code, 1);
    assert!(err.contains("no account is named nobody"), "{err}");
    let url = db.url.clone();
    let (_, list, _) =
        tokio::task::spawn_blocking(move || coordinator(&url, &["list"])).await.unwrap();
    assert_eq!(list.trim(), "ada");

    let s = TestServer::start_at(db.clone(), &addr).await;
    let me = s.api.get("/v1/me", &ada.token).await.expect(200);
    assert_eq!(me["is_coordinator"], true, "{me}");
    let (db, _) = s.stop().await;
    let url = db.url.clone();
    let (code, out, _) =
        tokio::task::spawn_blocking(move || coordinator(&url, &["remove", "ada"])).await.unwrap();
    assert_eq!((code, out.trim()), (0, "ada is no longer a coordinator"));
    let url = db.url.clone();
    let (_, list, _) =
        tokio::task::spawn_blocking(move || coordinator(&url, &["list"])).await.unwrap();
    assert_eq!(list.trim(), "no coordinators");
}

lodestar_tests::on_both_backends!(coordinators_are_set_on_the_database);
