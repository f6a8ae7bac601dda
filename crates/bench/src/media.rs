//! Attachments (issue 16): a 25 MiB upload and download on loopback with each store (the local
//! disk, and an S3-compatible bucket when `LODESTAR_TEST_S3_ENDPOINT` names one — `make bench`
//! starts moto), and the server's peak memory during 8 concurrent 25 MiB uploads: the bodies
//! stream to storage, so it must stay far below 8 × 25 MiB.

use std::time::Instant;

use anyhow::{ensure, Context};
use serde_json::{json, Value};

use crate::report::{Budget, Row};
use crate::server::process::ServerProcess;

/// The size of one upload.
const SIZE: usize = 25 * 1024 * 1024;
/// Chunks of an upload body.
const CHUNK: usize = 64 * 1024;

/// A body of `SIZE` bytes of text, streamed in chunks (never whole in the harness either).
fn body() -> reqwest::Body {
    let chunk = bytes::Bytes::from(b"lodestar\n".repeat(CHUNK / 9 + 1)[..CHUNK].to_vec());
    reqwest::Body::wrap_stream(futures_util::stream::iter(
        (0..SIZE / CHUNK).map(move |_| Ok::<_, std::io::Error>(chunk.clone())),
    ))
}

async fn token(http: &reqwest::Client, base: &str) -> anyhow::Result<String> {
    let register = json!({"username": "bench_media", "email": "bench_media@example.com",
        "password": "a long enough password", "date_of_birth": "1990-01-01"});
    let v: Value =
        http.post(format!("{base}/v1/auth/register")).json(&register).send().await?.json().await?;
    Ok(v["token"].as_str().context("no token")?.to_owned())
}

async fn upload(http: &reqwest::Client, base: &str, token: &str) -> anyhow::Result<String> {
    let res = http.post(format!("{base}/v1/media")).bearer_auth(token).body(body()).send().await?;
    ensure!(res.status().as_u16() == 201, "upload answered {}", res.status());
    let v: Value = res.json().await?;
    Ok(v["url"].as_str().context("no url")?.to_owned())
}

/// One store's rows.
async fn measure(store: &str, extra: &[String]) -> anyhow::Result<Vec<Row>> {
    let dir = tempfile::tempdir()?;
    let url = format!("sqlite://{}", dir.path().join("server.db").display());
    let server = ServerProcess::start_with(&url, dir.path(), extra).await?;
    let http = reqwest::Client::builder().no_proxy().build()?;
    let token = token(&http, &server.base).await?;
    let mib = SIZE as f64 / (1024.0 * 1024.0);

    let started = Instant::now();
    let media = upload(&http, &server.base, &token).await?;
    let up = mib / started.elapsed().as_secs_f64();
    let started = Instant::now();
    let got = http
        .get(format!("{}{media}", server.base))
        .bearer_auth(&token)
        .send()
        .await?
        .bytes()
        .await?;
    let down = mib / started.elapsed().as_secs_f64();
    ensure!(got.len() == SIZE, "downloaded {} bytes", got.len());
    drop(got);

    let before = server.peak_kib()?;
    let uploads: Vec<_> = (0..8).map(|_| upload(&http, &server.base, &token)).collect();
    for r in futures_util::future::join_all(uploads).await {
        r?;
    }
    let grew = server.peak_kib()?.saturating_sub(before) as f64 / 1024.0;
    server.stop().await?;
    Ok(vec![
        Row::info(format!("media ({store}): upload of 25 MiB on loopback"), up, "MiB/s"),
        Row::info(format!("media ({store}): download of 25 MiB on loopback"), down, "MiB/s"),
        Row::budgeted(
            format!("media ({store}): server's peak memory growth, 8 concurrent 25 MiB uploads"),
            grew,
            "MiB",
            Budget::AtMost(64.0),
        ),
    ])
}

/// The group.
pub async fn run(_quick: bool) -> anyhow::Result<Vec<Row>> {
    let mut rows = measure("disk", &[]).await?;
    if let Ok(endpoint) = std::env::var("LODESTAR_TEST_S3_ENDPOINT") {
        let bucket = format!("lodestar-bench-{}", uuid::Uuid::new_v4().simple());
        reqwest::Client::new()
            .put(format!("{endpoint}/{bucket}"))
            .send()
            .await?
            .error_for_status()?;
        for (k, v) in [
            ("AWS_ENDPOINT", endpoint.as_str()),
            ("AWS_ALLOW_HTTP", "true"),
            ("AWS_ACCESS_KEY_ID", "lodestar-bench"),
            ("AWS_SECRET_ACCESS_KEY", "lodestar-bench"),
            ("AWS_REGION", "us-east-1"),
        ] {
            std::env::set_var(k, v);
        }
        rows.extend(
            measure("S3, moto", &["--media-store".into(), format!("s3://{bucket}")]).await?,
        );
    }
    Ok(rows)
}
