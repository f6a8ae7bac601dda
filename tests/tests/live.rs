//! `GET /v1/events`: live delivery over a real WebSocket, and across server instances that
//! share one PostgreSQL.

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::sync::Arc;
use std::time::{Duration, Instant};

use lodestar_tests::{Backend, Events, TestServer};
use serde_json::json;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;

async fn a_message_reaches_the_recipients_socket(backend: Backend) {
    let s = TestServer::spawn(backend).await;
    let a = s.api.register("ann").await;
    let b = s.api.register("ben").await;
    let ab = s.api.direct(&a, &b).await;
    let mut events = Events::connect(&s.api.base, &b, None).await;
    let sent = s.api.send(&a, ab, "live hello").await;
    let change = events
        .wait_for(Duration::from_secs(5), |c| c["kind"] == "message")
        .await
        .expect("the message arrives on the socket");
    assert_eq!(change["data"], sent, "the frame carries the server's copy");
    // Frames carry the same changes as sync: the frame's data equals what sync answers.
    let (all, _) = s.api.sync_all(&b, None, 100).await;
    assert!(all.contains(&change));
    s.server.stop().await;
}

async fn a_socket_from_a_cursor_gets_the_backlog_first(backend: Backend) {
    let s = TestServer::spawn(backend).await;
    let a = s.api.register("ann").await;
    let b = s.api.register("ben").await;
    let ab = s.api.direct(&a, &b).await;
    s.api.send(&a, ab, "while ben was away").await;
    let mut events = Events::connect(&s.api.base, &b, Some("0")).await;
    let frame = events.next_frame(Duration::from_secs(5)).await.expect("backlog frame");
    let changes = frame["changes"].as_array().unwrap();
    assert!(changes.iter().any(|c| c["data"]["content"] == "while ben was away"));
    let cursor = frame["cursor"].as_str().unwrap();
    let (rest, _) = s.api.sync_all(&b, Some(cursor), 100).await;
    assert!(rest.is_empty(), "the frame's cursor covers what it carried");
    s.server.stop().await;
}

async fn a_bad_token_is_refused_before_any_upgrade(backend: Backend) {
    let s = TestServer::spawn(backend).await;
    let ws = s.api.base.replacen("http://", "ws://", 1);
    let mut req = format!("{ws}/v1/events").into_client_request().unwrap();
    req.headers_mut().insert("authorization", "Bearer not-a-token".parse().unwrap());
    match tokio_tungstenite::connect_async(req).await {
        Err(tokio_tungstenite::tungstenite::Error::Http(res)) => assert_eq!(res.status(), 401),
        other => panic!("expected 401, got {other:?}"),
    }
    let a = s.api.register("ann").await;
    // The route without an upgrade answers a JSON 400.
    assert_eq!(s.api.get("/v1/events", &a.token).await.expect(400)["error"]["code"], "bad_request");
    s.server.stop().await;
}

async fn shutdown_closes_sockets(backend: Backend) {
    let s = TestServer::spawn(backend).await;
    let a = s.api.register("ann").await;
    let mut events = Events::connect(&s.api.base, &a, None).await;
    let started = Instant::now();
    tokio::time::timeout(Duration::from_secs(10), s.server.stop())
        .await
        .expect("the server stops promptly");
    assert!(events.next_frame(Duration::from_secs(2)).await.is_none());
    assert!(started.elapsed() < Duration::from_secs(10));
}

lodestar_tests::on_both_backends!(
    a_message_reaches_the_recipients_socket,
    a_socket_from_a_cursor_gets_the_backlog_first,
    a_bad_token_is_refused_before_any_upgrade,
    shutdown_closes_sockets,
);

/// Two instances on one PostgreSQL: a message accepted by one reaches a socket on the other
/// within a second (LISTEN/NOTIFY), and both agree on the data.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn delivery_crosses_instances_on_postgres() {
    let one = TestServer::spawn(Backend::Postgres).await;
    let two = TestServer::spawn_on(Arc::clone(&one.db)).await;
    let a = one.api.register("ann").await;
    let b = two.api.register("ben").await;
    let ab = one.api.direct(&a, &b).await;
    let mut on_two = Events::connect(&two.api.base, &b, None).await;
    for i in 0..3 {
        let started = Instant::now();
        let sent = one.api.send(&a, ab, &format!("across {i}")).await;
        let got = on_two
            .wait_for(Duration::from_secs(5), |c| c["data"]["message_id"] == sent["message_id"])
            .await
            .expect("the message reaches the other instance's socket");
        let took = started.elapsed();
        assert!(took < Duration::from_secs(1), "took {took:?}");
        assert_eq!(got["data"], sent);
    }
    // A token issued by one instance works on the other: they share nothing but the database.
    two.api.get("/v1/me", &a.token).await.expect(200);
    let reply = two
        .api
        .post(
            "/v1/messages",
            &b.token,
            json!({"message_id": uuid::Uuid::new_v4(), "conversation_id": ab, "content": "back"}),
        )
        .await
        .expect(201);
    assert!(reply["seq"].as_i64().unwrap() > 0);
    one.server.stop().await;
    two.server.stop().await;
}
