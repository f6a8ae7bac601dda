//! The desktop app's update feed (`GET /v1/app/latest`) on a real server: the release the
//! operator's file publishes, per platform and installer, only to older apps; every bad query
//! named; a feed edited while the server runs served at once, and a broken edit never served.

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::sync::Arc;

use lodestar_tests::{Backend, Database, TestServer};
use serde_json::{json, Value};

async fn latest(s: &TestServer, query: &[(&str, &str)]) -> (u16, Value) {
    let res = s.api.http.get(format!("{}/v1/app/latest", s.api.base)).query(query).send().await;
    let res = res.unwrap();
    let status = res.status().as_u16();
    let body = res.bytes().await.unwrap();
    (status, serde_json::from_slice(&body).unwrap_or(Value::Null))
}

fn feed(version: &str) -> Value {
    json!({
        "version": version,
        "notes": "Sessions sync faster.",
        "pub_date": "2026-12-01T09:00:00Z",
        "platforms": {
            "linux-x86_64": {"url": "https://dl.example.org/lodestar.AppImage.tar.gz", "signature": "c2ln"},
            "linux-x86_64-deb": {"url": "https://dl.example.org/lodestar.deb", "signature": "c2lnZGVi"},
            "windows-x86_64-nsis": {"url": "https://dl.example.org/lodestar-setup.exe", "signature": "c2lnd2lu"}
        }
    })
}

const LINUX_OLD: [(&str, &str); 3] =
    [("target", "linux"), ("arch", "x86_64"), ("current_version", "0.1.0")];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_published_release_reaches_older_apps_of_its_platforms_only() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("feed.json");
    std::fs::write(&path, feed("v0.2.0").to_string()).unwrap();
    let mut db = Database::fresh(Backend::Sqlite).await;
    db.app_feed = Some(path.clone());
    let s = TestServer::spawn_on(Arc::new(db)).await;

    // No token: an app checks before anyone signs in.
    let (status, body) = latest(&s, &LINUX_OLD).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["version"], "0.2.0");
    assert_eq!(body["url"], "https://dl.example.org/lodestar.AppImage.tar.gz");
    assert_eq!(body["signature"], "c2ln");
    assert_eq!(body["notes"], "Sessions sync faster.");

    let mut deb = LINUX_OLD.to_vec();
    deb.push(("bundle_type", "deb"));
    let (_, body) = latest(&s, &deb).await;
    assert_eq!(body["url"], "https://dl.example.org/lodestar.deb", "the installer's own download");

    for (query, why) in [
        ([("target", "linux"), ("arch", "x86_64"), ("current_version", "0.2.0")], "up to date"),
        ([("target", "linux"), ("arch", "x86_64"), ("current_version", "1.0.0")], "newer"),
        ([("target", "darwin"), ("arch", "aarch64"), ("current_version", "0.1.0")], "no download"),
        ([("target", "windows"), ("arch", "x86_64"), ("current_version", "0.1.0")], "msi: none"),
    ] {
        let (status, body) = latest(&s, &query).await;
        assert_eq!(status, 204, "{why}: {body}");
    }

    // Published while the server runs: served at once. A broken edit keeps the last good one.
    std::fs::write(&path, feed("0.3.0").to_string()).unwrap();
    bump_mtime(&path, 2);
    assert_eq!(latest(&s, &LINUX_OLD).await.1["version"], "0.3.0");
    std::fs::write(&path, "{ not json").unwrap();
    bump_mtime(&path, 4);
    let (status, body) = latest(&s, &LINUX_OLD).await;
    assert_eq!((status, body["version"].as_str()), (200, Some("0.3.0")), "{body}");
    s.server.stop().await;
}

/// Filesystems with coarse timestamps could see two writes in one tick as no change.
fn bump_mtime(path: &std::path::Path, secs: u64) {
    let when = std::time::SystemTime::now() + std::time::Duration::from_secs(secs);
    std::fs::File::options().write(true).open(path).unwrap().set_modified(when).unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_queries_name_their_fields_and_no_feed_means_nothing_newer() {
    let s = TestServer::spawn(Backend::Sqlite).await;
    let (status, body) = latest(&s, &LINUX_OLD).await;
    assert_eq!(status, 204, "no feed published: {body}");
    let (status, body) =
        latest(&s, &[("target", "beos"), ("current_version", "newest"), ("bundle_type", "zip")])
            .await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(body["error"]["code"], "validation_failed", "{body}");
    let fields = &body["error"]["fields"];
    assert_eq!(fields["target"], "invalid", "{body}");
    assert_eq!(fields["arch"], "required", "{body}");
    assert_eq!(fields["current_version"], "invalid", "{body}");
    assert_eq!(fields["bundle_type"], "invalid", "{body}");
    s.server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_broken_feed_stops_the_start_with_every_problem_named() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("feed.json");
    let mut bad = feed("latest");
    bad["platforms"]["plan9-x86_64"] = json!({"url": "ftp://x", "signature": ""});
    std::fs::write(&path, bad.to_string()).unwrap();
    let db = Database::fresh(Backend::Sqlite).await;
    let config = lodestar_server::Config {
        listen: "127.0.0.1:0".into(),
        database_url: db.url.clone(),
        demo: false,
        trust_proxy: false,
        media_store: Some(db.media.clone()),
        fetch_private_links: false,
        app_feed: Some(path),
    };
    let err = match lodestar_server::start(config).await {
        Ok(_) => panic!("a broken feed must stop the start"),
        Err(e) => e.to_string(),
    };
    for said in
        ["not SemVer", "plan9-x86_64", "url is not an http(s) address", "signature is empty"]
    {
        assert!(err.contains(said), "{said} missing from: {err}");
    }
}
