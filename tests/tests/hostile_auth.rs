//! Guessing passwords and flooding the hasher (issue 11, items 2 to 4): attempts are counted
//! before the password is checked, a throttled login answers as an unknown one would, and the
//! hasher refuses work it cannot do soon instead of queueing it without end.

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::sync::Arc;

use futures_util::future::join_all;
use lodestar_tests::{Backend, Database, TestServer, DOB, PASSWORD};
use serde_json::{json, Value};

/// A request through a load balancer that says the client is `from`.
async fn post_from(
    s: &TestServer,
    from: &str,
    path: &str,
    token: Option<&str>,
    body: Value,
) -> (u16, Option<String>, Value) {
    let mut req = s.api.http.post(format!("{}{path}", s.api.base)).header("x-forwarded-for", from);
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    let res = req.json(&body).send().await.unwrap();
    let status = res.status().as_u16();
    let retry = res.headers().get("retry-after").map(|v| v.to_str().unwrap().to_owned());
    let body: Value = res.json().await.unwrap_or(Value::Null);
    assert!(status < 500 || status == 503, "{path} answered {status}: {body}");
    (status, retry, body)
}

async fn behind_proxy(backend: Backend) -> TestServer {
    TestServer::spawn_with(Arc::new(Database::fresh(backend).await), true).await
}

async fn concurrent_wrong_logins_reach_the_hasher_at_most_ten_times(backend: Backend) {
    let s = behind_proxy(backend).await;
    s.api.register("ann").await;
    let guesses = (0..40).map(|i| {
        let s = &s;
        async move {
            // Every guess from its own address: only the account's budget can stop them.
            let from = format!("198.51.100.{}", i + 1);
            post_from(
                s,
                &from,
                "/v1/auth/login",
                None,
                json!({"login": "ann", "password": format!("guess number {i}")}),
            )
            .await
        }
    });
    let answers = join_all(guesses).await;
    let checked = answers.iter().filter(|a| a.0 == 401).count();
    let throttled = answers.iter().filter(|a| a.0 == 429).count();
    assert_eq!(checked + throttled, 40, "{:?}", answers.iter().map(|a| a.0).collect::<Vec<_>>());
    assert!(checked <= 10, "{checked} of 40 concurrent guesses had their password checked");
    assert!(
        answers.iter().filter(|a| a.0 == 429).all(|a| a.1.is_some()),
        "429 without Retry-After"
    );
    s.server.stop().await;
}

async fn a_throttled_login_answers_as_an_unknown_one_would(backend: Backend) {
    let s = behind_proxy(backend).await;
    s.api.register("ann").await;
    // Ten failures by username, each from its own address.
    for i in 0..10 {
        let (status, ..) = post_from(
            &s,
            &format!("203.0.113.{}", i + 1),
            "/v1/auth/login",
            None,
            json!({"login": "ann", "password": "not the password"}),
        )
        .await;
        assert_eq!(status, 401);
    }
    let by_name = json!({"login": "ann", "password": "not the password"});
    assert_eq!(post_from(&s, "192.0.2.1", "/v1/auth/login", None, by_name).await.0, 429);
    // Her email and an email nobody has answer alike: nothing tells that the email is hers.
    let mine = json!({"login": "ann@example.com", "password": "not the password"});
    let nobodys = json!({"login": "nobody@example.com", "password": "not the password"});
    let (a, _, a_body) = post_from(&s, "192.0.2.2", "/v1/auth/login", None, mine).await;
    let (b, _, b_body) = post_from(&s, "192.0.2.3", "/v1/auth/login", None, nobodys).await;
    assert_eq!((a, b), (401, 401));
    assert_eq!(a_body, b_body);
    // The same holds for a name nobody has, once it failed ten times.
    for i in 0..10 {
        let body = json!({"login": "nobody", "password": "not the password"});
        post_from(&s, &format!("203.0.113.{}", i + 100), "/v1/auth/login", None, body).await;
    }
    let nobody = json!({"login": "nobody", "password": "not the password"});
    assert_eq!(post_from(&s, "192.0.2.4", "/v1/auth/login", None, nobody).await.0, 429);
    // The right password by email still works.
    let right = json!({"login": "ann@example.com", "password": PASSWORD});
    assert_eq!(post_from(&s, "192.0.2.5", "/v1/auth/login", None, right).await.0, 200);
    s.server.stop().await;
}

async fn successful_logins_are_not_failures(backend: Backend) {
    let s = behind_proxy(backend).await;
    s.api.register("ann").await;
    for _ in 0..25 {
        let body = json!({"login": "ann", "password": PASSWORD});
        assert_eq!(post_from(&s, "192.0.2.9", "/v1/auth/login", None, body).await.0, 200);
    }
    s.server.stop().await;
}

fn registration(name: &str) -> Value {
    json!({"username": name, "email": format!("{name}@example.com"), "password": PASSWORD, "date_of_birth": DOB})
}

async fn registrations_are_throttled_per_address_after_conflicts_are_checked(backend: Backend) {
    let s = behind_proxy(backend).await;
    for i in 0..lodestar_server::auth::REGISTER_LIMIT {
        let (status, ..) = post_from(
            &s,
            "192.0.2.10",
            "/v1/auth/register",
            None,
            registration(&format!("user{i}")),
        )
        .await;
        assert_eq!(status, 201, "registration {i}");
    }
    let (status, retry, _) =
        post_from(&s, "192.0.2.10", "/v1/auth/register", None, registration("onemore")).await;
    assert_eq!(status, 429);
    assert!(retry.is_some(), "429 without Retry-After");
    // A taken name is refused before the throttle and the hasher are reached.
    let (status, _, body) =
        post_from(&s, "192.0.2.10", "/v1/auth/register", None, registration("user0")).await;
    assert_eq!(status, 409, "{body}");
    // Another address is not affected.
    assert_eq!(
        post_from(&s, "192.0.2.11", "/v1/auth/register", None, registration("other")).await.0,
        201
    );
    s.server.stop().await;
}

async fn password_changes_are_throttled_like_logins(backend: Backend) {
    let s = behind_proxy(backend).await;
    let ann = s.api.register("ann").await;
    for i in 0..10 {
        let body = json!({"current_password": format!("wrong guess {i}"), "new_password": "a brand new password"});
        let (status, ..) = post_from(
            &s,
            &format!("198.51.100.{}", i + 1),
            "/v1/me/password",
            Some(&ann.token),
            body,
        )
        .await;
        assert_eq!(status, 401);
    }
    let body = json!({"current_password": PASSWORD, "new_password": "a brand new password"});
    let (status, retry, _) =
        post_from(&s, "198.51.100.99", "/v1/me/password", Some(&ann.token), body).await;
    assert_eq!(status, 429, "the right password is not even checked once the budget is spent");
    assert!(retry.is_some());
    s.server.stop().await;
}

async fn a_hashing_flood_is_refused_with_503_not_queued_without_end(backend: Backend) {
    let s = behind_proxy(backend).await;
    let parallel = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(2);
    let flood = parallel + lodestar_server::auth::MAX_WAITING + 120;
    let logins = (0..flood).map(|i| {
        let s = &s;
        async move {
            // Every login its own name and address: no throttle applies, only the hasher's bound.
            let from = format!("10.{}.{}.{}", (i >> 16) & 255, (i >> 8) & 255, i & 255);
            post_from(
                s,
                &from,
                "/v1/auth/login",
                None,
                json!({"login": format!("nobody{i}"), "password": "a wrong password"}),
            )
            .await
        }
    });
    let answers = join_all(logins).await;
    let busy: Vec<_> = answers.iter().filter(|a| a.0 == 503).collect();
    assert!(!busy.is_empty(), "{flood} concurrent hashes were all queued");
    assert!(
        busy.iter().all(|a| a.1.is_some() && a.2["error"]["code"] == "unavailable"),
        "{:?}",
        busy[0]
    );
    assert!(answers.iter().all(|a| a.0 == 401 || a.0 == 503));
    s.server.stop().await;
}

lodestar_tests::on_both_backends!(
    concurrent_wrong_logins_reach_the_hasher_at_most_ten_times,
    a_throttled_login_answers_as_an_unknown_one_would,
    successful_logins_are_not_failures,
    registrations_are_throttled_per_address_after_conflicts_are_checked,
    password_changes_are_throttled_like_logins,
    a_hashing_flood_is_refused_with_503_not_queued_without_end,
);
