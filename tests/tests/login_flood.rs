//! argon2id hashing runs off the async runtime behind a semaphore: a flood of logins queues for
//! the hasher while every other request is still served. Checked by order, not by a stopwatch:
//! ordinary requests made during the flood all finish before the flood does.

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use lodestar_tests::{Backend, Database, TestServer, PASSWORD};
use serde_json::json;

async fn other_requests_are_served_during_a_login_flood(backend: Backend) {
    // Behind a (pretend) load balancer, each login from its own address and for its own name:
    // the throttle lets them all through, and only the hasher decides the pace.
    let s = TestServer::spawn_with(Arc::new(Database::fresh(backend).await), true).await;
    let ann = s.api.register("ann").await;
    let logins_done = Arc::new(AtomicUsize::new(0));
    const FLOOD: usize = 48;
    let mut flood = Vec::new();
    for i in 0..FLOOD {
        let api = s.api.clone();
        let done = logins_done.clone();
        flood.push(tokio::spawn(async move {
            let body = json!({"login": format!("nobody{i}"), "password": PASSWORD});
            let res = api
                .http
                .post(format!("{}/v1/auth/login", api.base))
                .header("x-forwarded-for", format!("198.51.100.{}", i + 1))
                .json(&body)
                .send()
                .await
                .unwrap();
            assert_eq!(res.status().as_u16(), 401, "every login in the flood is checked");
            done.fetch_add(1, Ordering::SeqCst);
        }));
    }
    // Wait until hashing is under way, then ask for other things.
    while logins_done.load(Ordering::SeqCst) == 0 {
        tokio::task::yield_now().await;
    }
    for _ in 0..10 {
        s.api.get("/v1/me", &ann.token).await.expect(200);
        s.api.get("/v1/health", &ann.token).await.expect(200);
    }
    let finished = logins_done.load(Ordering::SeqCst);
    assert!(
        finished < FLOOD,
        "the other requests waited for the whole flood ({finished} of {FLOOD} logins done)"
    );
    for f in flood {
        f.await.unwrap();
    }
    s.server.stop().await;
}

lodestar_tests::on_both_backends!(other_requests_are_served_during_a_login_flood);
