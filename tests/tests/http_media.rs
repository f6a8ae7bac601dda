//! Attachments over real HTTP on both backends, and in a real S3-compatible bucket (moto, started
//! by `scripts/with-s3.sh`): what may be uploaded (its type read from its bytes: a renamed
//! program is refused), the size limit, a 25 MiB upload that never sits whole in the server's
//! memory, `Range`, thumbnails, and who may read media: its uploader and the members of a
//! conversation a message naming it was sent in — after the last such message is deleted,
//! nobody else, and after the grace period not even the uploader.

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::sync::Arc;

use bytes::Bytes;
use lodestar_server::media::sweep::sweep_once;
use lodestar_server::media::Media;
use lodestar_tests::{Backend, Database, TestServer, User};
use reqwest::StatusCode;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use uuid::Uuid;

/// A real PNG of `w`×`h` pixels.
use lodestar_tests::image_host::png_of as png;

fn hex_sha256(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

async fn upload(
    api: &lodestar_tests::Api,
    who: &User,
    body: impl Into<reqwest::Body>,
    declared: &str,
) -> (StatusCode, Value) {
    let res = api
        .http
        .post(format!("{}/v1/media", api.base))
        .bearer_auth(&who.token)
        .header("content-type", declared)
        .body(body)
        .send()
        .await
        .unwrap();
    let status = res.status();
    (status, res.json().await.unwrap_or(Value::Null))
}

async fn download(
    api: &lodestar_tests::Api,
    who: &User,
    path: &str,
    range: Option<&str>,
) -> (StatusCode, reqwest::header::HeaderMap, Bytes) {
    let mut req = api.http.get(format!("{}{path}", api.base)).bearer_auth(&who.token);
    if let Some(r) = range {
        req = req.header("range", r);
    }
    let res = req.send().await.unwrap();
    (res.status(), res.headers().clone(), res.bytes().await.unwrap())
}

fn send_with_media(url: &str, conv: Uuid) -> Value {
    json!({"message_id": Uuid::new_v4(), "conversation_id": conv, "content": "the photo", "media_url": url})
}

/// A process's peak resident memory (`VmHWM`), in KiB.
fn peak_kib(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    let line = status.lines().find(|l| l.starts_with("VmHWM:")).unwrap();
    line.split_whitespace().nth(1).unwrap().parse().unwrap()
}

/// The real `lodestar-server` binary (built beside this test by `cargo build --workspace
/// --bins`) on a fresh SQLite file, keeping media in `media` (a folder or `s3://…`): its own
/// process, so its memory is its own.
struct ServerProcess {
    child: std::process::Child,
    api: lodestar_tests::Api,
    _dir: tempfile::TempDir,
}

impl ServerProcess {
    async fn start(media: Option<&str>) -> ServerProcess {
        let exe = std::env::current_exe().unwrap();
        let bin = exe.parent().and_then(std::path::Path::parent).unwrap().join("lodestar-server");
        assert!(bin.exists(), "{} is missing: run `cargo build --workspace --bins`", bin.display());
        let dir = tempfile::tempdir().unwrap();
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let mut cmd = std::process::Command::new(bin);
        cmd.args(["--listen", &format!("127.0.0.1:{port}"), "--database"])
            .arg(format!("sqlite://{}", dir.path().join("server.db").display()))
            .arg("--media-store")
            .arg(
                media.map_or_else(|| dir.path().join("media").display().to_string(), str::to_owned),
            )
            .env("RUST_LOG", "warn")
            .stdout(std::process::Stdio::null());
        let api = lodestar_tests::Api::new(format!("http://127.0.0.1:{port}"));
        // Owned at once, so a server that never answers is killed and reaped on the panic.
        let server = ServerProcess { child: cmd.spawn().unwrap(), api, _dir: dir };
        for _ in 0..100 {
            let health = server.api.http.get(format!("{}/v1/health", server.api.base)).send().await;
            if health.is_ok_and(|r| r.status().is_success()) {
                return server;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        panic!("lodestar-server did not answer");
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

async fn what_may_be_uploaded_and_who_may_read_it(s: TestServer) {
    let api = &s.api.clone();
    let (ann, ben, cat) =
        (api.register("ann").await, api.register("ben").await, api.register("cat").await);
    let conv = api.direct(&ann, &ben).await;

    // A real image: 201, its type from its bytes (whatever was declared), size, hash, pixels.
    let picture = png(640, 480);
    let (status, info) = upload(api, &ann, picture.clone(), "application/octet-stream").await;
    assert_eq!(status, StatusCode::CREATED, "{info}");
    assert_eq!(info["content_type"], "image/png");
    assert_eq!(info["size"], picture.len());
    assert_eq!(info["sha256"], hex_sha256(&picture));
    assert_eq!((info["width"].as_i64(), info["height"].as_i64()), (Some(640), Some(480)));
    let id = info["media_id"].as_str().unwrap().to_owned();
    let url = format!("/v1/media/{id}");
    assert_eq!(info["url"], url);

    // Refused: a program renamed to .png, a web page, nothing at all; 401 without a token.
    let exe =
        [b"MZ\x90\0\x03\0\0\0".as_slice(), &[0u8; 120], b"This program cannot be run in DOS mode"]
            .concat();
    for (body, declared) in [
        (exe, "image/png"),
        (b"<!DOCTYPE html><html><script>alert(1)</script>".to_vec(), "text/plain"),
        (Vec::new(), "image/png"),
    ] {
        let (status, err) = upload(api, &ann, body, declared).await;
        assert_eq!(
            (status, err["error"]["fields"]["file"].as_str()),
            (StatusCode::UNPROCESSABLE_ENTITY, Some("type_not_allowed")),
            "{err}"
        );
    }
    let anon =
        api.http.post(format!("{}/v1/media", api.base)).body(png(2, 2)).send().await.unwrap();
    assert_eq!(anon.status(), StatusCode::UNAUTHORIZED);

    // The uploader reads it whole and in ranges; nobody else yet, exactly as if it did not exist.
    let (status, headers, bytes) = download(api, &ann, &url, None).await;
    assert_eq!((status, bytes.as_ref()), (StatusCode::OK, picture.as_slice()));
    assert_eq!(headers["content-type"], "image/png");
    assert_eq!(headers["x-content-type-options"], "nosniff");
    let (status, headers, part) = download(api, &ann, &url, Some("bytes=10-19")).await;
    assert_eq!((status, part.as_ref()), (StatusCode::PARTIAL_CONTENT, &picture[10..20]));
    assert_eq!(headers["content-range"], format!("bytes 10-19/{}", picture.len()));
    let (status, _, tail) = download(api, &ann, &url, Some("bytes=-4")).await;
    assert_eq!(
        (status, tail.as_ref()),
        (StatusCode::PARTIAL_CONTENT, &picture[picture.len() - 4..])
    );
    let (status, _, _) =
        download(api, &ann, &url, Some(&format!("bytes={}-", picture.len() + 5))).await;
    assert_eq!(status, StatusCode::RANGE_NOT_SATISFIABLE);
    for who in [&ben, &cat] {
        assert_eq!(
            download(api, who, &url, None).await.0,
            StatusCode::NOT_FOUND,
            "{} before any message",
            who.username
        );
    }
    let unknown = download(api, &ann, &format!("/v1/media/{}", Uuid::new_v4()), None).await.0;
    assert_eq!(unknown, StatusCode::NOT_FOUND);

    // Nobody sends on media they cannot read.
    let stolen = api.post("/v1/messages", &ben.token, send_with_media(&url, conv)).await;
    assert_eq!(
        (stolen.status.as_u16(), stolen.field("media_url")),
        (422, "not_found"),
        "{}",
        stolen.body
    );
    // Sent in ann and ben's conversation: ben reads it (and its thumbnail); cat still cannot.
    let sent = api.post("/v1/messages", &ann.token, send_with_media(&url, conv)).await.expect(201);
    let (status, _, bytes) = download(api, &ben, &url, None).await;
    assert_eq!((status, hex_sha256(&bytes)), (StatusCode::OK, hex_sha256(&picture)));
    assert_eq!(download(api, &cat, &url, None).await.0, StatusCode::NOT_FOUND);
    let (status, headers, thumb) = download(api, &ben, &format!("{url}/thumbnail"), None).await;
    assert_eq!(
        (status, &headers["content-type"]),
        (StatusCode::OK, &"image/jpeg".parse::<reqwest::header::HeaderValue>().unwrap())
    );
    let small = image::load_from_memory(&thumb).unwrap();
    assert_eq!((small.width(), small.height()), (320, 240), "fits 320×320, proportions kept");
    assert_eq!(
        download(api, &cat, &format!("{url}/thumbnail"), None).await.0,
        StatusCode::NOT_FOUND
    );

    // A PDF has no thumbnail; a text file is saved, not shown in place.
    let (_, pdf) =
        upload(api, &ann, b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n".to_vec(), "application/pdf")
            .await;
    assert_eq!(pdf["content_type"], "application/pdf");
    let pdf_url = format!("/v1/media/{}/thumbnail", pdf["media_id"].as_str().unwrap());
    assert_eq!(download(api, &ann, &pdf_url, None).await.0, StatusCode::NOT_FOUND);
    let (_, txt) =
        upload(api, &ann, "minutes of the meeting\n".as_bytes().to_vec(), "text/plain").await;
    let (_, headers, _) = download(api, &ann, txt["url"].as_str().unwrap(), None).await;
    assert_eq!(headers["content-disposition"], "attachment");

    // The message deleted: ben can no longer read it; the uploader can until the sweep.
    let message_id = sent["message_id"].as_str().unwrap();
    assert_eq!(
        api.delete(&format!("/v1/messages/{message_id}"), &ann.token).await.status.as_u16(),
        204
    );
    assert_eq!(download(api, &ben, &url, None).await.0, StatusCode::NOT_FOUND);
    assert_eq!(download(api, &ann, &url, None).await.0, StatusCode::OK);
    let store = s.store();
    let media = Media::open(Some(&s.db.media), &s.db.url).unwrap();
    let kept =
        sweep_once(store.as_ref(), &media, chrono::Utc::now() - chrono::Duration::hours(1)).await;
    assert_eq!(kept, 0, "within the grace period nothing goes");
    let gone =
        sweep_once(store.as_ref(), &media, chrono::Utc::now() + chrono::Duration::seconds(1)).await;
    assert_eq!(gone, 3, "the picture, the PDF and the text, none named by a message");
    assert_eq!(download(api, &ann, &url, None).await.0, StatusCode::NOT_FOUND);
    s.server.stop().await;
}

async fn uploads_are_bounded_and_streamed(media: Option<&str>) {
    let server = ServerProcess::start(media).await;
    let api = &server.api;
    let ann = api.register("ann").await;
    // 25 MiB of text (an allowed type) in 64 KiB chunks: accepted, and the server's peak memory
    // grows by far less than the file (the body is never held whole).
    let chunk = Bytes::from(b"lodestar\n".repeat(64 * 1024 / 9 + 1)[..64 * 1024].to_vec());
    let total = 25 * 1024 * 1024;
    let body = |n: usize| {
        let chunk = chunk.clone();
        reqwest::Body::wrap_stream(futures_util::stream::iter(
            (0..n / chunk.len()).map(move |_| Ok::<_, std::io::Error>(chunk.clone())),
        ))
    };
    let before = peak_kib(server.child.id());
    let started = std::time::Instant::now();
    let (status, info) = upload(api, &ann, body(total), "text/plain").await;
    let took = started.elapsed();
    let grew = peak_kib(server.child.id()).saturating_sub(before);
    assert_eq!(status, StatusCode::CREATED, "{info}");
    assert_eq!(info["size"], total);
    println!(
        "25 MiB upload ({}): {took:?}, {:.1} MiB/s; the server's peak memory grew {grew} KiB",
        media.unwrap_or("disk"),
        25.0 / took.as_secs_f64()
    );
    assert!(grew < 20 * 1024, "the server's peak memory grew by {grew} KiB for a 25 MiB upload");
    let url = info["url"].as_str().unwrap();
    let started = std::time::Instant::now();
    let (status, _, bytes) = download(api, &ann, url, None).await;
    println!("25 MiB download: {:?}", started.elapsed());
    assert_eq!((status, bytes.len()), (StatusCode::OK, total));
    // One chunk more than 25 MiB: 413.
    let (status, err) = upload(api, &ann, body(total + chunk.len()), "text/plain").await;
    assert_eq!(
        (status, err["error"]["code"].as_str()),
        (StatusCode::PAYLOAD_TOO_LARGE, Some("payload_too_large")),
        "{err}"
    );
}

async fn on_disk(backend: Backend) {
    what_may_be_uploaded_and_who_may_read_it(TestServer::spawn(backend).await).await;
}

lodestar_tests::on_both_backends!(on_disk);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_25_mib_upload_streams_to_disk() {
    uploads_are_bounded_and_streamed(None).await;
}

/// A new bucket of the S3-compatible server the test command started, and the environment
/// that names it (credentials are anything: moto checks none).
async fn bucket() -> String {
    let endpoint = std::env::var("LODESTAR_TEST_S3_ENDPOINT").expect(
        "LODESTAR_TEST_S3_ENDPOINT is not set: run the tests with `make test` (which starts an \
         S3-compatible server) or `scripts/with-s3.sh cargo test`",
    );
    let bucket = format!("lodestar-{}", Uuid::new_v4().simple());
    let made = reqwest::Client::new().put(format!("{endpoint}/{bucket}")).send().await.unwrap();
    assert!(made.status().is_success(), "create bucket: {}", made.status());
    for (k, v) in [
        ("AWS_ENDPOINT", endpoint.as_str()),
        ("AWS_ALLOW_HTTP", "true"),
        ("AWS_ACCESS_KEY_ID", "lodestar-test"),
        ("AWS_SECRET_ACCESS_KEY", "lodestar-test"),
        ("AWS_REGION", "us-east-1"),
    ] {
        std::env::set_var(k, v);
    }
    format!("s3://{bucket}")
}

/// A server keeping its media in a new bucket.
async fn in_a_bucket() -> TestServer {
    let mut db = Database::fresh(Backend::Sqlite).await;
    db.media = bucket().await;
    TestServer::spawn_on(Arc::new(db)).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn attachments_in_an_s3_bucket() {
    what_may_be_uploaded_and_who_may_read_it(in_a_bucket().await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_25_mib_upload_streams_into_an_s3_bucket() {
    uploads_are_bounded_and_streamed(Some(&bucket().await)).await;
}
