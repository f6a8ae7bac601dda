//! Login throttling behind a load balancer: with `--trust-proxy` the limit applies per real
//! client address (the balancer's `X-Forwarded-For` entry), not to the balancer as a whole.

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::sync::Arc;

use lodestar_tests::{Backend, Database, TestServer, PASSWORD};
use serde_json::json;

async fn login_from(
    s: &TestServer,
    forwarded_for: &str,
    login: &str,
    password: &str,
) -> (u16, Option<String>) {
    let res = s
        .api
        .http
        .post(format!("{}/v1/auth/login", s.api.base))
        .header("x-forwarded-for", forwarded_for)
        .json(&json!({"login": login, "password": password}))
        .send()
        .await
        .unwrap();
    let retry = res.headers().get("retry-after").map(|v| v.to_str().unwrap().to_owned());
    (res.status().as_u16(), retry)
}

async fn throttles_per_forwarded_address(backend: Backend) {
    let s = TestServer::spawn_with(Arc::new(Database::fresh(backend).await), true).await;
    s.api.register("ann").await;
    // Ten failures from one client, each on a different (unknown) account: the address limit.
    for i in 0..10 {
        let (status, _) =
            login_from(&s, "203.0.113.7", &format!("nobody{i}"), "wrong password!").await;
        assert_eq!(status, 401);
    }
    let (status, retry) = login_from(&s, "203.0.113.7", "ann", PASSWORD).await;
    assert_eq!(status, 429, "the eleventh attempt from that client is refused");
    let retry: u64 = retry.expect("Retry-After").parse().unwrap();
    assert!((1..=900).contains(&retry), "Retry-After {retry}");
    // Another client behind the same balancer is not affected; a spoofed first entry is ignored.
    assert_eq!(login_from(&s, "198.51.100.2", "ann", PASSWORD).await.0, 200);
    assert_eq!(login_from(&s, "203.0.113.7, 198.51.100.9", "ann", PASSWORD).await.0, 200);
    s.server.stop().await;
}

lodestar_tests::on_both_backends!(throttles_per_forwarded_address);
