//! Event sockets never outlive their token, and one user cannot hold the instance's sockets
//! (issue 11, items 1 and 11).

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::time::Duration;

use lodestar_server::auth::{new_token, token_hash};
use lodestar_tests::socket_watch::{closed_within, next, Next};
use lodestar_tests::{open_events, Backend, EventSocket, TestServer, User, PASSWORD};
use serde_json::json;

/// A frame of changes holding a message, or the test fails.
#[track_caller]
fn has_message(next: Next) -> bool {
    match next {
        Next::Changes(frame) => {
            frame["changes"].as_array().is_some_and(|c| c.iter().any(|c| c["kind"] == "message"))
        }
        other => panic!("expected a frame with a message, got {other:?}"),
    }
}

/// Waits for the close; fails on any frame of changes before it or another reason.
async fn expect_closed_within(socket: &mut EventSocket, wait: Duration, what: &str) {
    let (reason, _) = closed_within(socket, wait, what).await;
    assert!(reason.contains("revoked") || reason.is_empty(), "{what}: {reason}");
}

async fn pair(s: &TestServer) -> (User, User, uuid::Uuid) {
    let ann = s.api.register("ann").await;
    let ben = s.api.register("ben").await;
    let conv = s.api.direct(&ann, &ben).await;
    (ann, ben, conv)
}

async fn logout_closes_the_socket_at_once(backend: Backend) {
    let s = TestServer::spawn(backend).await;
    let (ann, ben, conv) = pair(&s).await;
    let mut socket = open_events(&s.api.base, &ben, None).await.unwrap();
    s.api.send(&ann, conv, "before").await;
    assert!(has_message(next(&mut socket, Duration::from_secs(5)).await));
    s.api.call(reqwest::Method::POST, "/v1/auth/logout", Some(&ben.token), None).await.expect(204);
    // A message right after the logout must not reach the revoked token.
    s.api.send(&ann, conv, "after the logout").await;
    expect_closed_within(&mut socket, Duration::from_secs(1), "logout").await;
    s.server.stop().await;
}

async fn a_password_change_closes_the_other_sessions_sockets(backend: Backend) {
    let s = TestServer::spawn(backend).await;
    let (ann, ben, conv) = pair(&s).await;
    let login = s
        .api
        .call(
            reqwest::Method::POST,
            "/v1/auth/login",
            None,
            Some(json!({"login": "ben", "password": PASSWORD})),
        )
        .await
        .expect(200);
    let other = User { token: login["token"].as_str().unwrap().to_owned(), ..ben.clone() };
    let mut kept = open_events(&s.api.base, &ben, None).await.unwrap();
    let mut revoked = open_events(&s.api.base, &other, None).await.unwrap();
    s.api
        .post(
            "/v1/me/password",
            &ben.token,
            json!({"current_password": PASSWORD, "new_password": "another long password"}),
        )
        .await
        .expect(204);
    s.api.send(&ann, conv, "after the change").await;
    expect_closed_within(&mut revoked, Duration::from_secs(1), "password change").await;
    // The session that changed the password stays live and gets the message.
    assert!(has_message(next(&mut kept, Duration::from_secs(5)).await));
    s.server.stop().await;
}

async fn an_expiring_token_closes_its_socket(backend: Backend) {
    let s = TestServer::spawn(backend).await;
    let (ann, ben, conv) = pair(&s).await;
    // A session of ben's that ends in a second and a half.
    let token = new_token();
    let now = chrono::Utc::now();
    s.store()
        .create_session(
            ben.id,
            &token_hash(&token),
            now,
            now + chrono::Duration::milliseconds(1_500),
        )
        .await
        .unwrap();
    let short = User { token, ..ben.clone() };
    let mut socket = open_events(&s.api.base, &short, None).await.unwrap();
    tokio::time::sleep(Duration::from_millis(1_600)).await;
    s.api.send(&ann, conv, "after the expiry").await;
    expect_closed_within(&mut socket, Duration::from_secs(1), "expiry").await;
    s.server.stop().await;
}

async fn a_token_revoked_elsewhere_never_gets_another_frame(backend: Backend) {
    // Two instances on one database (on SQLite, two servers on one file): the logout happens on
    // the other one, so only the shared sessions table can tell this socket.
    let s = TestServer::spawn(backend).await;
    let other = TestServer::spawn_on(s.db.clone()).await;
    let (ann, ben, conv) = pair(&s).await;
    let mut socket = open_events(&s.api.base, &ben, None).await.unwrap();
    other
        .api
        .call(reqwest::Method::POST, "/v1/auth/logout", Some(&ben.token), None)
        .await
        .expect(204);
    for i in 0..5 {
        s.api.send(&ann, conv, &format!("after the logout {i}")).await;
    }
    expect_closed_within(&mut socket, Duration::from_secs(1), "revoked on another instance").await;
    other.server.stop().await;
    s.server.stop().await;
}

async fn a_seventeenth_socket_closes_the_oldest(backend: Backend) {
    let s = TestServer::spawn(backend).await;
    let (ann, ben, conv) = pair(&s).await;
    let max = lodestar_server::sockets::MAX_PER_USER;
    let mut sockets = Vec::new();
    for _ in 0..max {
        sockets.push(open_events(&s.api.base, &ben, None).await.unwrap());
    }
    let mut newest = open_events(&s.api.base, &ben, None).await.unwrap();
    match next(&mut sockets[0], Duration::from_secs(2)).await {
        Next::Closed(reason) => {
            assert!(
                reason.unwrap_or_default().contains("too many"),
                "the oldest is closed, saying why"
            )
        }
        other => panic!("the oldest socket stayed open: {other:?}"),
    }
    s.api.send(&ann, conv, "to the sixteen").await;
    assert!(has_message(next(&mut newest, Duration::from_secs(5)).await));
    for socket in sockets.iter_mut().skip(1) {
        assert!(has_message(next(socket, Duration::from_secs(5)).await));
    }
    s.server.stop().await;
}

lodestar_tests::on_both_backends!(
    logout_closes_the_socket_at_once,
    a_password_change_closes_the_other_sessions_sockets,
    an_expiring_token_closes_its_socket,
    a_token_revoked_elsewhere_never_gets_another_frame,
    a_seventeenth_socket_closes_the_oldest,
);
