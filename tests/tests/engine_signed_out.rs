//! The engine hears the server end its session (issue 15): a suspension closes the live socket
//! and the engine stops, saying "signed out, suspended" within a second; a token revoked
//! elsewhere (a logout on another device) says the session ended. Neither retries for ever.

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::time::{Duration, Instant};

use lodestar_client::engine::{Engine, Event, SyncState};
use lodestar_client::{Api, Replica};
use lodestar_tests::{Backend, TestServer, User};
use serde_json::json;
use tokio::sync::broadcast::Receiver;

async fn engine_for(s: &TestServer, user: &User, dir: &std::path::Path) -> Engine {
    let api = Api::new(&s.api.base).unwrap().with_token(&user.token);
    let replica = Replica::open(&dir.join(format!("{}.db", user.username))).await.unwrap();
    replica.set_me(user.id).await.unwrap();
    let url = format!("{}/v1/events", s.api.base.replacen("http://", "ws://", 1));
    Engine::start(api, replica, user.id, url, user.token.clone())
}

async fn next_state(
    rx: &mut Receiver<Event>,
    wait: Duration,
    pred: impl Fn(&SyncState) -> bool,
) -> SyncState {
    let deadline = Instant::now() + wait;
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        match tokio::time::timeout(left, rx.recv()).await {
            Ok(Ok(Event::Sync(state))) if pred(&state) => return state,
            Ok(Ok(_)) | Ok(Err(tokio::sync::broadcast::error::RecvError::Lagged(_))) => {}
            other => panic!("no such state within {wait:?}: {other:?}"),
        }
    }
}

async fn the_engine_stops_when_the_server_ends_its_session(backend: Backend) {
    let s = TestServer::spawn(backend).await;
    let cora = s.api.register("cora").await;
    s.store().set_coordinator("cora", true).await.unwrap();
    let troll = s.api.register("troll").await;
    let dir = tempfile::tempdir().unwrap();
    let engine = engine_for(&s, &troll, dir.path()).await;
    let mut rx = engine.subscribe();
    next_state(&mut rx, Duration::from_secs(10), |st| *st == SyncState::Online).await;

    let started = Instant::now();
    let path = format!("/v1/admin/users/{}/suspend", troll.id);
    s.api.post(&path, &cora.token, json!({"reason": "spam"})).await.expect(204);
    let state =
        next_state(&mut rx, Duration::from_secs(2), |st| !matches!(st, SyncState::Online)).await;
    let took = started.elapsed();
    assert!(matches!(state, SyncState::SignedOut { suspended: true, .. }), "{state:?}");
    assert!(took < Duration::from_secs(1), "{took:?}");
    println!("suspension to the engine signed out: {took:?}");
    // Stopped: nothing more comes, no retry loop.
    assert!(tokio::time::timeout(Duration::from_millis(800), rx.recv()).await.is_err());
    engine.stop().await;

    // A token revoked elsewhere: the session ended.
    let ann = s.api.register("ann").await;
    let engine = engine_for(&s, &ann, dir.path()).await;
    let mut rx = engine.subscribe();
    next_state(&mut rx, Duration::from_secs(10), |st| *st == SyncState::Online).await;
    s.api.post("/v1/auth/logout", &ann.token, json!({})).await.expect(204);
    let state =
        next_state(&mut rx, Duration::from_secs(3), |st| matches!(st, SyncState::SignedOut { .. }))
            .await;
    assert!(matches!(state, SyncState::SignedOut { suspended: false, .. }), "{state:?}");
    engine.stop().await;
    s.server.stop().await;
}

lodestar_tests::on_both_backends!(the_engine_stops_when_the_server_ends_its_session);
