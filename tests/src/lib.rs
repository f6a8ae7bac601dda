//! The end-to-end harness: real servers on loopback port 0, each on a fresh database (a SQLite
//! file in a temp folder, or a new database on the PostgreSQL that `LODESTAR_TEST_DATABASE_URL`
//! names), real HTTP and real WebSockets.
//!
//! Every request made through [`Api`] fails the test if it answers 5xx: "no request, however
//! malformed, answers 500" is checked by every test, not by one.

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]
pub mod image_host;
pub mod json_lists;
pub mod proxy;
pub mod socket_watch;

use std::sync::Arc;
use std::time::Duration;

use futures_util::StreamExt;
use lodestar_server::store::Store;
use lodestar_server::RunningServer;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use uuid::Uuid;

/// Which database a test runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// A fresh, empty database: its URL, and what keeps it alive.
pub struct Database {
    pub url: String,
    /// Where its servers keep attachments (`--media-store`): a private temporary folder unless
    /// a test names a bucket (`s3://…`).
    pub media: String,
    /// Whether its servers' image proxy may reach loopback (a test's own image host).
    pub fetch_private_links: bool,
    /// The update feed its servers publish (`--app-feed`), when a test writes one.
    pub app_feed: Option<std::path::PathBuf>,
    _dir: Option<tempfile::TempDir>,
    _media_dir: tempfile::TempDir,
}

/// The PostgreSQL server the tests use. PostgreSQL tests never skip: without it they fail.
pub fn postgres_admin_url() -> String {
    std::env::var("LODESTAR_TEST_DATABASE_URL").expect(
        "LODESTAR_TEST_DATABASE_URL is not set: run the tests with `make test` (which starts a \
         PostgreSQL) or `scripts/with-postgres.sh cargo test`",
    )
}

/// Replaces the database name in a PostgreSQL URL.
fn with_database(url: &str, name: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, format!("?{q}")),
        None => (url, String::new()),
    };
    let cut = base.rfind('/').filter(|i| *i > "postgres://".len()).unwrap_or(base.len());
    format!("{}/{name}{query}", &base[..cut])
}

impl Database {
    /// A new empty database on `backend`.
    pub async fn fresh(backend: Backend) -> Database {
        match backend {
            Backend::Sqlite => {
                let dir = tempfile::tempdir().expect("temp dir");
                let url = format!("sqlite://{}", dir.path().join("lodestar.db").display());
                Database::with_media(url, Some(dir))
            }
            Backend::Postgres => {
                use sqlx::Connection;
                let admin = postgres_admin_url();
                let name = format!("lodestar_test_{}", Uuid::new_v4().simple());
                let mut conn =
                    sqlx::PgConnection::connect(&admin).await.expect("connect to PostgreSQL");
                sqlx::query(&format!("CREATE DATABASE {name}"))
                    .execute(&mut conn)
                    .await
                    .expect("create database");
                conn.close().await.ok();
                Database::with_media(with_database(&admin, &name), None)
            }
        }
    }

    fn with_media(url: String, dir: Option<tempfile::TempDir>) -> Database {
        let media_dir = tempfile::tempdir().expect("temp dir");
        let media = media_dir.path().display().to_string();
        Database {
            url,
            media,
            fetch_private_links: false,
            app_feed: None,
            _dir: dir,
            _media_dir: media_dir,
        }
    }
}

/// A running server with its database.
pub struct TestServer {
    pub server: RunningServer,
    pub api: Api,
    pub db: Arc<Database>,
}

impl TestServer {
    /// A server on a fresh database.
    pub async fn spawn(backend: Backend) -> TestServer {
        let db = Arc::new(Database::fresh(backend).await);
        TestServer::spawn_on(db).await
    }

    /// Another server on the same database (several instances on one PostgreSQL).
    pub async fn spawn_on(db: Arc<Database>) -> TestServer {
        TestServer::spawn_with(db, false).await
    }

    /// A server on `db`, optionally trusting `X-Forwarded-For` as a load balancer's.
    pub async fn spawn_with(db: Arc<Database>, trust_proxy: bool) -> TestServer {
        TestServer::spawn_config(db, trust_proxy, false).await
    }

    /// A server on a fresh database seeded with the demo program (`--demo`).
    pub async fn spawn_demo(backend: Backend) -> TestServer {
        TestServer::spawn_config(Arc::new(Database::fresh(backend).await), false, true).await
    }

    async fn spawn_config(db: Arc<Database>, trust_proxy: bool, demo: bool) -> TestServer {
        let config = lodestar_server::Config {
            listen: "127.0.0.1:0".into(),
            database_url: db.url.clone(),
            demo,
            trust_proxy,
            media_store: Some(db.media.clone()),
            fetch_private_links: db.fetch_private_links,
            app_feed: db.app_feed.clone(),
        };
        let server = lodestar_server::start(config).await.expect("server starts");
        let api = Api::new(server.url());
        TestServer { server, api, db }
    }

    /// Stops the server (requests in flight finish) and starts it again on the same address
    /// and database: clients that remembered the address find it back.
    pub async fn restart(self) -> TestServer {
        let addr = self.server.addr;
        let db = self.db.clone();
        self.server.stop().await;
        TestServer::start_at(db, &addr.to_string()).await
    }

    /// Stops the server; `start_at` brings it back.
    pub async fn stop(self) -> (Arc<Database>, String) {
        let addr = self.server.addr.to_string();
        let db = self.db.clone();
        self.server.stop().await;
        (db, addr)
    }

    /// A server on `db` listening on `addr` (retrying briefly while the port is released).
    pub async fn start_at(db: Arc<Database>, addr: &str) -> TestServer {
        for _ in 0..50 {
            let config = lodestar_server::Config {
                listen: addr.to_owned(),
                database_url: db.url.clone(),
                demo: false,
                trust_proxy: false,
                media_store: Some(db.media.clone()),
                fetch_private_links: db.fetch_private_links,
                app_feed: db.app_feed.clone(),
            };
            match lodestar_server::start(config).await {
                Ok(server) => {
                    let api = Api::new(server.url());
                    return TestServer { server, api, db };
                }
                Err(_) => tokio::time::sleep(Duration::from_millis(100)).await,
            }
        }
        panic!("could not restart the server on {addr}");
    }

    pub fn store(&self) -> Arc<dyn Store> {
        self.server.store.clone()
    }

    /// Stores `n` messages ("m0", "m1", ...) from `sender` straight through the store, 500 per
    /// commit (see [`seed_messages`]); answers their ids in order.
    pub async fn seed_messages(&self, sender: Uuid, conversation: Uuid, n: usize) -> Vec<Uuid> {
        seed_messages(&*self.store(), n, 500, |i| (sender, conversation, format!("m{i}")))
            .await
            .unwrap()
    }
}

/// Stores `n` messages straight through `store`, `per_commit` to a transaction as the server's
/// group commit writes them (the rows, seqs and change log are the real ones), with time-ordered
/// ids as clients make them; `next(i)` names the `i`th one's sender, conversation and text.
/// Answers their ids in order.
pub async fn seed_messages(
    store: &dyn Store,
    n: usize,
    per_commit: usize,
    mut next: impl FnMut(usize) -> (Uuid, Uuid, String),
) -> lodestar_server::store::StoreResult<Vec<Uuid>> {
    let mut ids = Vec::with_capacity(n);
    let mut batch = Vec::with_capacity(per_commit);
    for i in 0..n {
        let (sender, conversation_id, text) = next(i);
        let m = lodestar_server::store::NewMessage {
            message_id: Uuid::now_v7(),
            conversation_id,
            body: lodestar_protocol::validate::MessageBody { content: Some(text), media_url: None },
            sent_at: chrono::Utc::now(),
            reply_to: None,
        };
        ids.push(m.message_id);
        batch.push((sender, m));
        if batch.len() == per_commit || i + 1 == n {
            for outcome in store.send_messages(&batch).await? {
                outcome?;
            }
            batch.clear();
        }
    }
    Ok(ids)
}

/// A signed-in test user.
#[derive(Debug, Clone)]
pub struct User {
    pub id: Uuid,
    pub username: String,
    pub token: String,
}

/// An answer: status and JSON body (`Null` when empty).
#[derive(Debug, Clone)]
pub struct Answer {
    pub status: StatusCode,
    pub body: Value,
    pub headers: reqwest::header::HeaderMap,
}

impl Answer {
    /// The error code of an error body.
    pub fn code(&self) -> &str {
        self.body["error"]["code"].as_str().unwrap_or("")
    }

    /// The rule code a 422 or 409 gives `field`.
    pub fn field(&self, field: &str) -> &str {
        self.body["error"]["fields"][field].as_str().unwrap_or("")
    }

    /// Asserts the status, showing the body when it differs.
    #[track_caller]
    pub fn expect(self, status: u16) -> Value {
        assert_eq!(self.status.as_u16(), status, "unexpected answer: {}", self.body);
        self.body
    }
}

/// A small HTTP client for the API.
#[derive(Clone)]
pub struct Api {
    pub base: String,
    pub http: reqwest::Client,
}

/// A default adult date of birth.
pub const DOB: &str = "1990-04-12";
/// The password every test user gets.
pub const PASSWORD: &str = "a long enough password";

impl Api {
    pub fn new(base: String) -> Api {
        Api { base, http: reqwest::Client::builder().no_proxy().build().expect("http client") }
    }

    /// Sends a raw body (for malformed input).
    pub async fn raw(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Vec<u8>,
    ) -> Answer {
        let mut req = self
            .http
            .request(method, format!("{}{path}", self.base))
            .header("content-type", "application/json");
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        let res = req.body(body).send().await.expect("request sent");
        let status = res.status();
        let headers = res.headers().clone();
        let bytes = res.bytes().await.expect("body read");
        let body = if bytes.is_empty() {
            Value::Null
        } else {
            serde_json::from_slice(&bytes).unwrap_or(Value::Null)
        };
        assert!(
            status.as_u16() < 500,
            "{path} answered {status}: {}",
            String::from_utf8_lossy(&bytes)
        );
        if !status.is_success() && status.as_u16() != 101 {
            assert!(
                body["error"]["code"].is_string(),
                "{path} answered {status} without the error body: {body}"
            );
        }
        Answer { status, body, headers }
    }

    pub async fn call(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> Answer {
        let bytes = body.map(|b| serde_json::to_vec(&b).expect("json")).unwrap_or_default();
        self.raw(method, path, token, bytes).await
    }

    pub async fn get(&self, path: &str, token: &str) -> Answer {
        self.call(Method::GET, path, Some(token), None).await
    }

    pub async fn post(&self, path: &str, token: &str, body: Value) -> Answer {
        self.call(Method::POST, path, Some(token), Some(body)).await
    }

    pub async fn patch(&self, path: &str, token: &str, body: Value) -> Answer {
        self.call(Method::PATCH, path, Some(token), Some(body)).await
    }

    pub async fn delete(&self, path: &str, token: &str) -> Answer {
        self.call(Method::DELETE, path, Some(token), None).await
    }

    /// Registers `username` with extra profile fields.
    pub async fn register_with(&self, username: &str, extra: Value) -> User {
        self.register_from(username, extra, None).await
    }

    /// Registers `username` as if from `client_ip` (sent as `X-Forwarded-For`, which a server
    /// spawned with `trust_proxy` believes): many accounts at once without the per-address
    /// sign-up throttle, as many people behind a load balancer.
    pub async fn register_from(
        &self,
        username: &str,
        extra: Value,
        client_ip: Option<&str>,
    ) -> User {
        let mut body = json!({
            "username": username,
            "email": format!("{username}@example.com"),
            "password": PASSWORD,
            "date_of_birth": DOB,
        });
        if let (Some(b), Some(e)) = (body.as_object_mut(), extra.as_object()) {
            b.extend(e.clone());
        }
        let mut req = self.http.post(format!("{}/v1/auth/register", self.base)).json(&body);
        if let Some(ip) = client_ip {
            req = req.header("x-forwarded-for", ip);
        }
        let res = req.send().await.expect("request sent");
        let status = res.status();
        let v: Value = res.json().await.unwrap_or(Value::Null);
        assert_eq!(status.as_u16(), 201, "registering {username}: {v}");
        User {
            id: v["user"]["user_id"].as_str().unwrap().parse().unwrap(),
            username: username.to_owned(),
            token: v["token"].as_str().unwrap().to_owned(),
        }
    }

    pub async fn register(&self, username: &str) -> User {
        self.register_with(username, json!({})).await
    }

    /// Opens the direct conversation between two users; answers its id.
    pub async fn direct(&self, a: &User, b: &User) -> Uuid {
        let v = self.post("/v1/conversations/direct", &a.token, json!({"user_id": b.id})).await;
        assert!(v.status == 201 || v.status == 200, "{}", v.body);
        v.body["conversation_id"].as_str().unwrap().parse().unwrap()
    }

    /// Creates a group of `owner` alone; answers its id and its conversation's.
    pub async fn group(&self, owner: &User, name: &str) -> (Uuid, Uuid) {
        let v = self
            .post("/v1/groups", &owner.token, json!({"group_name": name, "member_ids": []}))
            .await;
        assert_eq!(v.status, 201, "{}", v.body);
        let id = |key: &str| v.body[key].as_str().unwrap().parse().unwrap();
        (id("group_id"), id("conversation_id"))
    }

    /// Adds `user` to a group as a member, as its owner `by`.
    pub async fn add_member(&self, by: &User, group: Uuid, user: &User) {
        let v = self
            .post(&format!("/v1/groups/{group}/members"), &by.token, json!({"user_id": user.id}))
            .await;
        assert_eq!(v.status, 201, "{}", v.body);
    }

    /// Sends a text message; answers the server's copy.
    pub async fn send(&self, from: &User, conversation: Uuid, text: &str) -> Value {
        self.post(
            "/v1/messages",
            &from.token,
            json!({"message_id": Uuid::new_v4(), "conversation_id": conversation, "content": text}),
        )
        .await
        .expect(201)
    }

    /// Every change `user` may see after `since`, paging with `limit`.
    pub async fn sync_all(
        &self,
        user: &User,
        since: Option<&str>,
        limit: u32,
    ) -> (Vec<Value>, String) {
        let mut cursor = since.map(str::to_owned);
        let mut out = Vec::new();
        loop {
            let path = match &cursor {
                Some(c) => format!("/v1/sync?since={c}&limit={limit}"),
                None => format!("/v1/sync?limit={limit}"),
            };
            let page = self.get(&path, &user.token).await.expect(200);
            out.extend(page["changes"].as_array().unwrap().iter().cloned());
            cursor = Some(page["cursor"].as_str().unwrap().to_owned());
            if !page["has_more"].as_bool().unwrap() {
                return (out, cursor.unwrap_or_default());
            }
        }
    }
}

/// A raw `/v1/events` WebSocket.
pub type EventSocket =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

/// `ws://…/v1/events` of a server at `base` (`http://…`), from a cursor if given.
pub fn events_url(base: &str, since: Option<&str>) -> String {
    let ws = base.replacen("http://", "ws://", 1);
    match since {
        Some(s) => format!("{ws}/v1/events?since={s}"),
        None => format!("{ws}/v1/events"),
    }
}

/// Opens `user`'s event socket as the app does (the bearer token in the upgrade request).
pub async fn open_events(
    base: &str,
    user: &User,
    since: Option<&str>,
) -> Result<EventSocket, tokio_tungstenite::tungstenite::Error> {
    let mut req = events_url(base, since).into_client_request()?;
    let bearer = format!("Bearer {}", user.token).parse().map_err(|e| {
        tokio_tungstenite::tungstenite::Error::HttpFormat(
            tokio_tungstenite::tungstenite::http::Error::from(e),
        )
    })?;
    req.headers_mut().insert("authorization", bearer);
    let (stream, _) = tokio_tungstenite::connect_async(req).await?;
    Ok(stream)
}

/// A live `/v1/events` socket.
pub struct Events {
    stream: EventSocket,
}

impl Events {
    /// Connects as `user`, optionally from a cursor.
    pub async fn connect(base: &str, user: &User, since: Option<&str>) -> Events {
        Events { stream: open_events(base, user, since).await.expect("websocket connects") }
    }

    /// The next `changes` frame, within `wait`.
    pub async fn next_frame(&mut self, wait: Duration) -> Option<Value> {
        let deadline = tokio::time::Instant::now() + wait;
        loop {
            let msg = tokio::time::timeout_at(deadline, self.stream.next()).await.ok()??.ok()?;
            if let tokio_tungstenite::tungstenite::Message::Text(t) = msg {
                let v: Value = serde_json::from_str(t.as_str()).expect("frame is JSON");
                assert_eq!(v["type"], "changes", "unexpected frame {v}");
                return Some(v);
            }
        }
    }

    /// Waits until a change matching `pred` arrives; answers it.
    pub async fn wait_for(
        &mut self,
        wait: Duration,
        pred: impl Fn(&Value) -> bool,
    ) -> Option<Value> {
        let deadline = tokio::time::Instant::now() + wait;
        loop {
            let left = deadline.saturating_duration_since(tokio::time::Instant::now());
            let frame = self.next_frame(left).await?;
            if let Some(c) = frame["changes"].as_array().unwrap().iter().find(|c| pred(c)) {
                return Some(c.clone());
            }
        }
    }
}

/// The engine's client of a server address where nothing listens: the network is down.
pub fn unreachable_api(token: &str) -> lodestar_client::Api {
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    lodestar_client::Api::new(&format!("http://127.0.0.1:{port}")).unwrap().with_token(token)
}

/// A mentor and a mentee (`ada`, `bob`) with an accepted mentorship and a session `bob` proposed
/// five hours ahead, and a stranger (`eve`); answers them with the mentorship's and session's ids.
pub async fn mentorship_with_session(api: &Api) -> (User, User, User, String, String) {
    let ada = api.register_with("ada", serde_json::json!({"mentor_status": true})).await;
    let bob = api.register_with("bob", serde_json::json!({"mentee_status": true})).await;
    let eve = api.register("eve").await;
    let rid = uuid::Uuid::new_v4();
    let ask = serde_json::json!({"request_id": rid, "mentor_id": ada.id, "message": "Mentor me?"});
    api.post("/v1/mentorship-requests", &bob.token, ask).await.expect(201);
    let accepted = api
        .post(&format!("/v1/mentorship-requests/{rid}/accept"), &ada.token, serde_json::json!({}))
        .await
        .expect(200);
    let mid = accepted["mentorship"]["mentorship_id"].as_str().unwrap().to_owned();
    let sid = uuid::Uuid::new_v4().to_string();
    let starts_at = (chrono::Utc::now() + chrono::TimeDelta::hours(5)).to_rfc3339();
    let body = serde_json::json!({"session_id": sid, "starts_at": starts_at, "duration_minutes": 30, "time_zone": "UTC"});
    api.post(&format!("/v1/mentorships/{mid}/sessions"), &bob.token, body).await.expect(201);
    (ada, bob, eve, mid, sid)
}

/// `user`'s engine client of `s` and a replica of theirs in `dir`, pulled up to date.
pub async fn signed_in_replica(
    s: &TestServer,
    user: &User,
    dir: &std::path::Path,
) -> (lodestar_client::Api, lodestar_client::Replica) {
    let api = lodestar_client::Api::new(&s.api.base).unwrap().with_token(&user.token);
    let path = dir.join(format!("{}.db", user.username));
    let replica = lodestar_client::Replica::open(&path).await.unwrap();
    replica.set_me(user.id).await.unwrap();
    lodestar_client::sync::pull(&api, &replica, |_| {}).await.unwrap();
    (api, replica)
}

/// Generates one `#[tokio::test]` per backend for each listed `async fn(Backend)`.
#[macro_export]
macro_rules! on_both_backends {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    super::$name($crate::Backend::Sqlite).await
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    super::$name($crate::Backend::Postgres).await
                }
            )*
        }
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_the_database_name() {
        assert_eq!(with_database("postgres://u@h:5/postgres", "x"), "postgres://u@h:5/x");
        assert_eq!(
            with_database("postgres://u@h:5/postgres?sslmode=disable", "x"),
            "postgres://u@h:5/x?sslmode=disable"
        );
        assert_eq!(with_database("postgres://u@h:5", "x"), "postgres://u@h:5/x");
    }
}
