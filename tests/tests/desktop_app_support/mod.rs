//! What the desktop app's tests share: apps on temp folders against a test server, and
//! waiting with a deadline.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::future::Future;
use std::path::Path;
use std::sync::Once;
use std::time::{Duration, Instant};

use lodestar_client::app::views::RegisterForm;
use lodestar_client::app::App;
use lodestar_client::engine::{Event, SyncState};
use lodestar_client::replica::MessageItem;
use lodestar_tests::{TestServer, User, DOB, PASSWORD};
use serde_json::json;
use tokio::sync::broadcast::error::RecvError;
use tokio::sync::broadcast::Receiver;
use uuid::Uuid;

static FILE_TOKENS: Once = Once::new();

/// Tokens go to a file in the data folder, never the OS keychain (set once, before any app).
pub fn file_tokens() {
    FILE_TOKENS.call_once(|| std::env::set_var("LODESTAR_TOKEN_STORE", "file"));
}

/// An app on `dir` offering the test server; tokens go to a file, never the OS keychain.
pub async fn open(s: &TestServer, dir: &Path) -> App {
    file_tokens();
    App::open(dir, Some(s.api.base.clone())).await.unwrap()
}

pub fn form(username: &str) -> RegisterForm {
    RegisterForm {
        username: username.into(),
        email: format!("{username}@example.com"),
        password: PASSWORD.into(),
        date_of_birth: DOB.into(),
        ..Default::default()
    }
}

/// A new account signed up through the app's sign-up form.
pub async fn signed_up(s: &TestServer, dir: &Path, form: RegisterForm) -> App {
    let app = open(s, dir).await;
    let session = app.register(&s.api.base, &form).await.unwrap();
    assert_eq!(session.username.as_deref(), Some(form.username.as_str()));
    app
}

/// A token of `username` of its own, to look at the server's side.
pub async fn login(s: &TestServer, username: &str) -> User {
    let v = s
        .api
        .call(
            reqwest::Method::POST,
            "/v1/auth/login",
            None,
            Some(json!({"login": username, "password": PASSWORD})),
        )
        .await
        .expect(200);
    User {
        id: v["user"]["user_id"].as_str().unwrap().parse().unwrap(),
        username: username.to_owned(),
        token: v["token"].as_str().unwrap().to_owned(),
    }
}

/// Polls `probe` until it answers something, or fails the test after 20 s.
pub async fn eventually<T, F, Fut>(what: &str, mut probe: F) -> T
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Option<T>>,
{
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        if let Some(v) = probe().await {
            return v;
        }
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Waits for `want` on the app's event stream (other events may come first).
pub async fn next_event(events: &mut Receiver<Event>, want: Event) {
    let mut saw = Vec::new();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    loop {
        match tokio::time::timeout_at(deadline, events.recv()).await {
            Ok(Ok(e)) if e == want => return,
            Ok(Ok(e)) => saw.push(e),
            Ok(Err(RecvError::Lagged(_))) => {}
            other => panic!("no {want:?} event ({other:?}); saw {saw:?}"),
        }
    }
}

pub async fn online(app: &App) {
    eventually("online", || async { (app.sync_state() == SyncState::Online).then_some(()) }).await;
}

/// The message `id` as `app` shows it in `conv`.
pub async fn shown(app: &App, conv: Uuid, id: Uuid) -> Option<MessageItem> {
    app.messages(conv, 50).await.unwrap().into_iter().find(|m| m.message.message_id == id)
}

/// The server's history of `conv`, as `who` reads it: (message id, content).
pub async fn server_history(s: &TestServer, who: &User, conv: Uuid) -> Vec<(String, String)> {
    let v = s.api.get(&format!("/v1/conversations/{conv}/messages"), &who.token).await.expect(200);
    v["messages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| (m["message_id"].as_str().unwrap().into(), m["content"].as_str().unwrap().into()))
        .collect()
}
