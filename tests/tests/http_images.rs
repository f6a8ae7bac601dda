//! Linked images through the server (API.md, "Richer messages"), against a real image host on
//! loopback that counts the requests it gets: the server fetches a picture once and keeps it;
//! what is not a picture, or too large, is not served; and a server as deployed (private
//! addresses refused) never reaches into its own network, whatever the link says.

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::sync::atomic::Ordering;
use std::sync::Arc;

use lodestar_tests::{Backend, Database, TestServer};

use lodestar_tests::image_host::{image_host, png};

async fn get(
    s: &TestServer,
    token: Option<&str>,
    url: &str,
) -> (u16, String, Vec<u8>, serde_json::Value) {
    let mut req = s.api.http.get(format!("{}/v1/images", s.api.base)).query(&[("url", url)]);
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    let res = req.send().await.unwrap();
    let status = res.status().as_u16();
    let kind =
        res.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or("").to_owned();
    let bytes = res.bytes().await.unwrap().to_vec();
    let json = serde_json::from_slice(&bytes).unwrap_or(serde_json::Value::Null);
    (status, kind, bytes, json)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_linked_picture_is_fetched_once_checked_and_kept() {
    let (host, hits) = image_host().await;
    let mut db = Database::fresh(Backend::Sqlite).await;
    db.fetch_private_links = true;
    let s = TestServer::spawn_on(Arc::new(db)).await;
    let ann = s.api.register("ann").await;
    let cat = format!("{host}/cat.png");
    let (status, kind, bytes, _) = get(&s, Some(&ann.token), &cat).await;
    assert_eq!((status, kind.as_str()), (200, "image/png"));
    assert_eq!(bytes, png());
    let (status, _, again, _) = get(&s, Some(&ann.token), &cat).await;
    assert_eq!((status, again), (200, png()));
    assert_eq!(hits.load(Ordering::SeqCst), 1, "fetched once, then kept");
    for bad in ["page.html", "huge.png", "missing"] {
        let (status, _, _, body) = get(&s, Some(&ann.token), &format!("{host}/{bad}")).await;
        assert_eq!(status, 404, "{bad}: {body}");
    }
    let (status, _, _, _) = get(&s, None, &cat).await;
    assert_eq!(status, 401, "members only");
    s.server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_deployed_server_never_fetches_into_its_own_network() {
    let (host, hits) = image_host().await;
    let s = TestServer::spawn(Backend::Sqlite).await;
    let ann = s.api.register("ann").await;
    let port = host.rsplit(':').next().unwrap();
    for (link, code) in [
        (format!("{host}/cat.png"), 422),
        (format!("http://[::1]:{port}/cat.png"), 422),
        ("http://169.254.169.254/latest/meta-data/".to_owned(), 422),
        ("http://10.0.0.1/cat.png".to_owned(), 422),
        ("file:///etc/passwd".to_owned(), 422),
        ("https://user:secret@example.com/cat.png".to_owned(), 422),
        // A name that resolves to loopback: refused as it resolves.
        (format!("http://localhost:{port}/cat.png"), 404),
    ] {
        let (status, _, _, body) = get(&s, Some(&ann.token), &link).await;
        assert_eq!(status, code, "{link}: {body}");
        if code == 422 {
            assert_eq!(body["error"]["fields"]["url"], "not_allowed", "{link}: {body}");
        }
    }
    assert_eq!(hits.load(Ordering::SeqCst), 0, "no request reached the host");
    s.server.stop().await;
}
