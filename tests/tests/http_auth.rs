//! Accounts over real HTTP: registration and its rules, malformed and oversized bodies, login,
//! throttling, logout, tokens, password change, health, the OpenAPI document, unknown routes.

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::collections::BTreeSet;

use chrono::{Months, Utc};
use lodestar_tests::{Answer, Api, Backend, TestServer, DOB, PASSWORD};
use reqwest::Method;
use serde_json::{json, Value};
use uuid::Uuid;

const ME_KEYS: [&str; 22] = [
    "mentee_capacity",
    "accepting_requests",
    "open_slots",
    "user_id",
    "username",
    "email",
    "phone_number",
    "date_of_birth",
    "is_coordinator",
    "city",
    "state",
    "age",
    "profile_picture_url",
    "bio",
    "mentor_status",
    "mentee_status",
    "job_title",
    "years_of_experience",
    "industry",
    "skills",
    "interests",
    "created_at",
];

/// A valid registration body for `username`.
fn registration(username: &str) -> Value {
    json!({
        "username": username,
        "email": format!("{username}@example.com"),
        "password": PASSWORD,
        "date_of_birth": DOB,
    })
}

/// `base` with `changes` merged in (a `null` value removes the key).
fn with(base: &Value, changes: Value) -> Value {
    let mut out = base.clone();
    for (k, v) in changes.as_object().unwrap() {
        if v.is_null() {
            out.as_object_mut().unwrap().remove(k);
        } else {
            out[k] = v.clone();
        }
    }
    out
}

async fn register_raw(api: &Api, body: Value) -> Answer {
    api.call(Method::POST, "/v1/auth/register", None, Some(body)).await
}

async fn login(api: &Api, login: &str, password: &str) -> Answer {
    api.call(
        Method::POST,
        "/v1/auth/login",
        None,
        Some(json!({"login": login, "password": password})),
    )
    .await
}

/// A request with an arbitrary Authorization header (or none), checked like the harness does.
async fn with_authorization(api: &Api, path: &str, authorization: Option<&str>) -> Answer {
    let mut req = api.http.get(format!("{}{path}", api.base));
    if let Some(a) = authorization {
        req = req.header("authorization", a);
    }
    let res = req.send().await.expect("request sent");
    let status = res.status();
    let headers = res.headers().clone();
    let bytes = res.bytes().await.unwrap();
    let body: Value = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
    assert!(status.as_u16() < 500, "{path} answered {status}");
    Answer { status, body, headers }
}

fn tags(n: usize) -> Vec<String> {
    (0..n).map(|i| format!("tag{i}")).collect()
}

async fn register_answers_a_token_and_me(backend: Backend) {
    let s = TestServer::spawn(backend).await;
    let body = with(
        &registration("Alice"),
        json!({"mentor_status": true, "skills": ["Rust", "SQL"], "state": "ca", "city": "Oakland"}),
    );
    let v = register_raw(&s.api, body).await.expect(201);
    let token = v["token"].as_str().unwrap();
    assert!(token.len() >= 43, "a token carries at least 256 bits: {token}");
    let me = &v["user"];
    let keys: BTreeSet<&str> = me.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(keys, ME_KEYS.into_iter().collect(), "Me has exactly its columns");
    assert!(me.get("password_hash").is_none() && me.get("password").is_none());
    assert!(!v.to_string().contains(PASSWORD), "the password never comes back");
    assert_eq!(me["username"], "alice", "usernames fold to lower case");
    assert_eq!(me["email"], "Alice@example.com");
    assert_eq!(me["date_of_birth"], DOB);
    assert_eq!(me["state"], "CA");
    assert_eq!(me["skills"], json!(["rust", "sql"]));
    assert_eq!(me["mentor_status"], true);
    assert_eq!(me["mentee_status"], false);
    assert!(me["age"].as_i64().unwrap() >= 35);
    Uuid::parse_str(me["user_id"].as_str().unwrap()).unwrap();
    // The token works at once and shows the same record.
    let got = s.api.get("/v1/me", token).await.expect(200);
    assert_eq!(&got, me);
    s.server.stop().await;
}

async fn a_taken_username_or_email_is_a_conflict(backend: Backend) {
    let s = TestServer::spawn(backend).await;
    s.api.register("alice").await;
    let other_case = with(&registration("ALICE"), json!({"email": "different@example.com"}));
    let a = register_raw(&s.api, other_case).await;
    assert_eq!(a.status, 409, "{}", a.body);
    assert_eq!(a.code(), "conflict");
    assert_eq!(a.field("username"), "taken");
    let same_email = with(&registration("alicia"), json!({"email": "ALICE@Example.com"}));
    let a = register_raw(&s.api, same_email).await;
    assert_eq!(a.status, 409, "{}", a.body);
    assert_eq!(a.code(), "conflict");
    assert_eq!(a.field("email"), "taken");
    assert_eq!(a.field("username"), "", "only the taken field is named: {}", a.body);
    // A phone number is unique too.
    s.api.register_with("bob", json!({"phone_number": "+15551234567"})).await;
    let a =
        register_raw(&s.api, with(&registration("carol"), json!({"phone_number": "+15551234567"})))
            .await;
    assert_eq!(a.status, 409, "{}", a.body);
    assert_eq!(a.field("phone_number"), "taken");
    s.server.stop().await;
}

async fn each_registration_rule_names_its_field(backend: Backend) {
    let s = TestServer::spawn(backend).await;
    let base = registration("newbie");
    let today = Utc::now().date_naive();
    let ten_years_ago = today.checked_sub_months(Months::new(120)).unwrap().to_string();
    let cases: Vec<(Value, &str, &str)> = vec![
        (json!({"username": "ab"}), "username", "too_short"),
        (json!({"username": "a_much_too_long_name"}), "username", "too_long"),
        (json!({"username": "bad name!"}), "username", "invalid"),
        (json!({"username": ""}), "username", "required"),
        (json!({"username": null}), "username", "required"),
        (json!({"email": "not-an-email"}), "email", "invalid"),
        (json!({"email": "a@b"}), "email", "invalid"),
        (json!({"email": ""}), "email", "required"),
        (json!({"email": format!("{}@example.com", "x".repeat(95))}), "email", "too_long"),
        (json!({"password": "short"}), "password", "too_short"),
        (json!({"password": "x".repeat(129)}), "password", "too_long"),
        (
            json!({"username": "longusername", "password": "longusername"}),
            "password",
            "same_as_login",
        ),
        (json!({"password": "NEWBIE@example.com"}), "password", "same_as_login"),
        (json!({"date_of_birth": "1990-02-30"}), "date_of_birth", "invalid"),
        (json!({"date_of_birth": "12/04/1990"}), "date_of_birth", "invalid"),
        (json!({"date_of_birth": ten_years_ago}), "date_of_birth", "too_young"),
        (json!({"state": "ZZ"}), "state", "invalid"),
        (json!({"state": "California"}), "state", "invalid"),
        (json!({"skills": tags(31)}), "skills", "too_many"),
        (json!({"interests": tags(31)}), "interests", "too_many"),
        (json!({"skills": ["x".repeat(41)]}), "skills", "too_long"),
        (json!({"years_of_experience": 71}), "years_of_experience", "out_of_range"),
        (json!({"years_of_experience": -1}), "years_of_experience", "out_of_range"),
        (
            json!({"profile_picture_url": "ftp://example.com/a.png"}),
            "profile_picture_url",
            "invalid",
        ),
        (json!({"profile_picture_url": "not a url"}), "profile_picture_url", "invalid"),
        (
            json!({"profile_picture_url": format!("https://example.com/{}", "a".repeat(250))}),
            "profile_picture_url",
            "too_long",
        ),
        (json!({"phone_number": "5551234"}), "phone_number", "invalid"),
        (json!({"city": "c".repeat(27)}), "city", "too_long"),
        (json!({"bio": "b".repeat(2001)}), "bio", "too_long"),
        (json!({"job_title": "j".repeat(101)}), "job_title", "too_long"),
        (json!({"industry": "i".repeat(101)}), "industry", "too_long"),
    ];
    for (change, field, code) in cases {
        let body = with(&base, change.clone());
        let a = register_raw(&s.api, body).await;
        assert_eq!(a.status, 422, "{change} should be refused: {}", a.body);
        assert_eq!(a.code(), "validation_failed", "{change}");
        assert_eq!(a.field(field), code, "{change}: {}", a.body);
        assert!(a.body["error"]["message"].is_string());
    }
    // Thirty tags are fine, and nothing above reserved the name.
    let ok = with(&base, json!({"skills": tags(30), "years_of_experience": 70}));
    let v = register_raw(&s.api, ok).await.expect(201);
    assert_eq!(v["user"]["skills"].as_array().unwrap().len(), 30);
    s.server.stop().await;
}

async fn every_bad_field_is_named_at_once(backend: Backend) {
    let s = TestServer::spawn(backend).await;
    let body = json!({
        "username": "x",
        "email": "nope",
        "password": "short",
        "date_of_birth": "1990-13-01",
        "state": "ZZ",
        "years_of_experience": 99,
        "profile_picture_url": "ftp://example.com",
        "skills": tags(31),
        "city": "c".repeat(30),
    });
    let a = register_raw(&s.api, body).await;
    assert_eq!(a.status, 422, "{}", a.body);
    let fields = a.body["error"]["fields"].as_object().unwrap();
    let expected = [
        ("username", "too_short"),
        ("email", "invalid"),
        ("password", "too_short"),
        ("date_of_birth", "invalid"),
        ("state", "invalid"),
        ("years_of_experience", "out_of_range"),
        ("profile_picture_url", "invalid"),
        ("skills", "too_many"),
        ("city", "too_long"),
    ];
    for (field, code) in expected {
        assert_eq!(fields.get(field).and_then(Value::as_str), Some(code), "{field}: {}", a.body);
    }
    assert_eq!(fields.len(), expected.len(), "{}", a.body);
    s.server.stop().await;
}

async fn malformed_bodies_are_bad_requests(backend: Backend) {
    let s = TestServer::spawn(backend).await;
    let not_json =
        s.api.raw(Method::POST, "/v1/auth/register", None, b"{\"username\": ".to_vec()).await;
    assert_eq!(
        (not_json.status.as_u16(), not_json.code()),
        (400, "bad_request"),
        "{}",
        not_json.body
    );
    let garbage = s.api.raw(Method::POST, "/v1/auth/register", None, b"hello there".to_vec()).await;
    assert_eq!((garbage.status.as_u16(), garbage.code()), (400, "bad_request"));
    let empty = s.api.raw(Method::POST, "/v1/auth/register", None, Vec::new()).await;
    assert_eq!((empty.status.as_u16(), empty.code()), (400, "bad_request"));
    for not_object in [json!([registration("alice")]), json!("alice"), json!(42), json!(null)] {
        let a = register_raw(&s.api, not_object.clone()).await;
        assert_eq!((a.status.as_u16(), a.code()), (400, "bad_request"), "{not_object}: {}", a.body);
    }
    let wrong_types = [
        json!({"mentor_status": "yes"}),
        json!({"username": 5}),
        json!({"skills": "rust"}),
        json!({"years_of_experience": "ten"}),
    ];
    for change in wrong_types {
        let a = register_raw(&s.api, with(&registration("alice"), change.clone())).await;
        assert_eq!((a.status.as_u16(), a.code()), (400, "bad_request"), "{change}: {}", a.body);
    }
    let a = login(&s.api, "alice", PASSWORD).await;
    assert_eq!(a.status, 401, "nothing above created an account: {}", a.body);
    let a = s
        .api
        .call(Method::POST, "/v1/auth/login", None, Some(json!({"login": 1, "password": 2})))
        .await;
    assert_eq!((a.status.as_u16(), a.code()), (400, "bad_request"));
    s.server.stop().await;
}

async fn bodies_over_64_kib_are_refused(backend: Backend) {
    let s = TestServer::spawn(backend).await;
    let huge = "b".repeat(70 * 1024);
    let a = register_raw(&s.api, with(&registration("alice"), json!({"bio": huge}))).await;
    assert_eq!((a.status.as_u16(), a.code()), (413, "payload_too_large"), "{}", a.body);
    let user = s.api.register("alice").await;
    let other = s.api.register("bob").await;
    let conv = s.api.direct(&user, &other).await;
    let a = s
        .api
        .post(
            "/v1/messages",
            &user.token,
            json!({"message_id": Uuid::new_v4(), "conversation_id": conv, "content": huge}),
        )
        .await;
    assert_eq!((a.status.as_u16(), a.code()), (413, "payload_too_large"), "{}", a.body);
    let history =
        s.api.get(&format!("/v1/conversations/{conv}/messages"), &user.token).await.expect(200);
    assert_eq!(history["messages"], json!([]), "nothing was stored");
    s.server.stop().await;
}

/// "64 KiB for every route": each route that takes a body refuses a bigger one with 413 before
/// it acts, and so does a route that takes none (it must not act on such a request either).
async fn every_route_refuses_bodies_over_64_kib(backend: Backend) {
    let s = TestServer::spawn(backend).await;
    let alice = s.api.register("alice").await;
    let bob = s.api.register("bob").await;
    let conv = s.api.direct(&alice, &bob).await;
    let group = s
        .api
        .post("/v1/groups", &alice.token, json!({"group_name": "Circle", "member_ids": [bob.id]}))
        .await
        .expect(201);
    let g = group["group_id"].as_str().unwrap().to_owned();
    let huge = json!({"padding": "p".repeat(70 * 1024)});
    let routes: Vec<(Method, String)> = vec![
        (Method::POST, "/v1/auth/login".into()),
        (Method::PATCH, "/v1/me".into()),
        (Method::POST, "/v1/me/password".into()),
        (Method::POST, "/v1/conversations/direct".into()),
        (Method::POST, "/v1/groups".into()),
        (Method::PATCH, format!("/v1/groups/{g}")),
        (Method::POST, format!("/v1/groups/{g}/members")),
        (Method::PATCH, format!("/v1/groups/{g}/members/{}", bob.id)),
        (Method::POST, "/v1/messages".into()),
        (Method::POST, "/v1/read".into()),
        (Method::DELETE, format!("/v1/groups/{g}/members/{}", bob.id)),
        (Method::DELETE, format!("/v1/groups/{g}")),
        (Method::POST, "/v1/auth/logout".into()),
    ];
    let mut accepted = Vec::new();
    for (method, path) in routes {
        let a = s.api.call(method.clone(), &path, Some(&alice.token), Some(huge.clone())).await;
        if (a.status.as_u16(), a.code()) != (413, "payload_too_large") {
            accepted.push(format!("{method} {path} answered {}", a.status));
        }
    }
    assert!(accepted.is_empty(), "bodies over 64 KiB were not refused: {accepted:#?}");
    // None of them acted.
    s.api.get("/v1/me", &alice.token).await.expect(200);
    let group_now = s.api.get(&format!("/v1/groups/{g}"), &bob.token).await.expect(200);
    assert_eq!(group_now, group);
    let history =
        s.api.get(&format!("/v1/conversations/{conv}/messages"), &alice.token).await.expect(200);
    assert_eq!(history["messages"], json!([]));
    s.server.stop().await;
}

async fn login_by_username_or_email_in_any_case(backend: Backend) {
    let s = TestServer::spawn(backend).await;
    let alice = s.api.register("alice").await;
    for name in ["alice", "ALICE", "Alice", "alice@example.com", "ALICE@EXAMPLE.COM", " alice "] {
        let v = login(&s.api, name, PASSWORD).await.expect(200);
        assert_eq!(v["user"]["user_id"], alice.id.to_string(), "login {name}");
        assert!(v["user"].get("password_hash").is_none());
        let token = v["token"].as_str().unwrap();
        assert_ne!(token, alice.token, "each login is a new session");
        assert_eq!(s.api.get("/v1/me", token).await.expect(200)["username"], "alice");
    }
    s.server.stop().await;
}

async fn wrong_passwords_and_unknown_logins_are_unauthorized(backend: Backend) {
    let s = TestServer::spawn(backend).await;
    s.api.register("alice").await;
    let a = login(&s.api, "alice", "not the password at all").await;
    assert_eq!((a.status.as_u16(), a.code()), (401, "unauthorized"), "{}", a.body);
    assert!(a.body.get("token").is_none());
    let a = login(&s.api, "nobody", PASSWORD).await;
    assert_eq!((a.status.as_u16(), a.code()), (401, "unauthorized"), "{}", a.body);
    let a = login(&s.api, "nobody@example.com", PASSWORD).await;
    assert_eq!((a.status.as_u16(), a.code()), (401, "unauthorized"));
    // The same message whether the account exists or not.
    let wrong = login(&s.api, "alice", "not the password at all").await;
    let unknown = login(&s.api, "nobody", "not the password at all").await;
    assert_eq!(wrong.body, unknown.body, "a wrong pair does not reveal which half was wrong");
    s.server.stop().await;
}

async fn ten_failures_lock_the_account(backend: Backend) {
    let s = TestServer::spawn(backend).await;
    s.api.register("alice").await;
    for i in 0..10 {
        let a = login(&s.api, "alice", &format!("wrong password {i}")).await;
        assert_eq!(a.status, 401, "failure {i}: {}", a.body);
    }
    let a = login(&s.api, "alice", PASSWORD).await;
    assert_eq!(
        (a.status.as_u16(), a.code()),
        (429, "rate_limited"),
        "the right password is refused now: {}",
        a.body
    );
    let retry = a.headers.get("retry-after").expect("a Retry-After header").to_str().unwrap();
    let secs: u64 = retry.parse().expect("Retry-After is a number of seconds");
    assert!((1..=900).contains(&secs), "Retry-After {secs} within the 15-minute window");
    // This address spent its budget too, so the email is refused from here as well (from
    // another address it would answer as an unknown email does: see hostile_auth.rs).
    let a = login(&s.api, "alice@example.com", PASSWORD).await;
    assert_eq!(a.status, 429, "{}", a.body);
    s.server.stop().await;
}

async fn ten_failures_from_one_address_lock_it(backend: Backend) {
    let s = TestServer::spawn(backend).await;
    s.api.register("alice").await;
    for i in 0..10 {
        let a = login(&s.api, &format!("nobody{i}"), "some wrong password").await;
        assert_eq!(a.status, 401, "failure {i}: {}", a.body);
    }
    let a = login(&s.api, "alice", PASSWORD).await;
    assert_eq!(
        (a.status.as_u16(), a.code()),
        (429, "rate_limited"),
        "the address is locked: {}",
        a.body
    );
    let secs: u64 =
        a.headers.get("retry-after").expect("Retry-After").to_str().unwrap().parse().unwrap();
    assert!((1..=900).contains(&secs), "Retry-After {secs}");
    s.server.stop().await;
}

async fn logout_revokes_the_token_at_once(backend: Backend) {
    let s = TestServer::spawn(backend).await;
    let alice = s.api.register("alice").await;
    let second =
        login(&s.api, "alice", PASSWORD).await.expect(200)["token"].as_str().unwrap().to_owned();
    let a = s.api.call(Method::POST, "/v1/auth/logout", Some(&alice.token), None).await;
    assert_eq!(a.status, 204, "{}", a.body);
    assert_eq!(a.body, Value::Null, "204 has no body");
    let a = s.api.get("/v1/me", &alice.token).await;
    assert_eq!((a.status.as_u16(), a.code()), (401, "unauthorized"));
    let a = s.api.call(Method::POST, "/v1/auth/logout", Some(&alice.token), None).await;
    assert_eq!(a.status, 401, "a revoked token cannot log out again");
    // Only that session ended.
    s.api.get("/v1/me", &second).await.expect(200);
    s.server.stop().await;
}

async fn bad_authorization_headers_are_unauthorized(backend: Backend) {
    let s = TestServer::spawn(backend).await;
    let alice = s.api.register("alice").await;
    let garbage = format!("Bearer {}", "z".repeat(43));
    let basic = "Basic YWxpY2U6YSBsb25nIGVub3VnaCBwYXNzd29yZA==".to_owned();
    let raw_token = alice.token.clone();
    let basic_with_token = format!("Basic {}", alice.token);
    let empty_bearer = "Bearer ".to_owned();
    for header in [
        None,
        Some(garbage),
        Some(basic),
        Some(raw_token),
        Some(basic_with_token),
        Some(empty_bearer),
    ] {
        let a = with_authorization(&s.api, "/v1/me", header.as_deref()).await;
        assert_eq!(a.status, 401, "{header:?}: {}", a.body);
        assert_eq!(a.code(), "unauthorized", "{header:?}");
    }
    let ok = with_authorization(&s.api, "/v1/me", Some(&format!("Bearer {}", alice.token))).await;
    assert_eq!(ok.status, 200);
    s.server.stop().await;
}

async fn changing_the_password_revokes_other_sessions(backend: Backend) {
    let s = TestServer::spawn(backend).await;
    let alice = s.api.register("alice").await;
    let other_session =
        login(&s.api, "alice", PASSWORD).await.expect(200)["token"].as_str().unwrap().to_owned();
    let new_password = "a brand new passphrase";
    let a = s
        .api
        .post(
            "/v1/me/password",
            &alice.token,
            json!({"current_password": "wrong wrong wrong", "new_password": new_password}),
        )
        .await;
    assert_eq!((a.status.as_u16(), a.code()), (401, "unauthorized"), "{}", a.body);
    let a = s
        .api
        .post(
            "/v1/me/password",
            &alice.token,
            json!({"current_password": PASSWORD, "new_password": "short"}),
        )
        .await;
    assert_eq!(a.status, 422, "{}", a.body);
    assert_eq!(a.field("new_password"), "too_short");
    let a = s
        .api
        .post(
            "/v1/me/password",
            &alice.token,
            json!({"current_password": PASSWORD, "new_password": "alice"}),
        )
        .await;
    assert_eq!(a.status, 422, "{}", a.body);
    // Nothing above changed anything: both sessions still work.
    s.api.get("/v1/me", &other_session).await.expect(200);
    let a = s
        .api
        .post(
            "/v1/me/password",
            &alice.token,
            json!({"current_password": PASSWORD, "new_password": new_password}),
        )
        .await;
    assert_eq!(a.status, 204, "{}", a.body);
    let a = s.api.get("/v1/me", &other_session).await;
    assert_eq!(
        (a.status.as_u16(), a.code()),
        (401, "unauthorized"),
        "the other session is revoked"
    );
    s.api.get("/v1/me", &alice.token).await.expect(200);
    login(&s.api, "alice", new_password).await.expect(200);
    let a = login(&s.api, "alice", PASSWORD).await;
    assert_eq!(a.status, 401, "the old password no longer works");
    s.server.stop().await;
}

async fn health_answers_ok(backend: Backend) {
    let s = TestServer::spawn(backend).await;
    let v = s.api.call(Method::GET, "/v1/health", None, None).await.expect(200);
    assert_eq!(v["status"], "ok");
    assert!(!v["version"].as_str().unwrap().is_empty());
    s.server.stop().await;
}

/// Every route of API.md, as (method, path).
const ROUTES: [(&str, &str); 72] = [
    ("get", "/v1/health"),
    ("get", "/v1/app/latest"),
    ("get", "/v1/openapi.json"),
    ("post", "/v1/auth/register"),
    ("post", "/v1/auth/login"),
    ("post", "/v1/auth/logout"),
    ("get", "/v1/me"),
    ("patch", "/v1/me"),
    ("post", "/v1/me/password"),
    ("get", "/v1/users/{user_id}"),
    ("get", "/v1/users"),
    ("get", "/v1/matches"),
    ("post", "/v1/conversations/direct"),
    ("get", "/v1/conversations"),
    ("get", "/v1/conversations/{id}"),
    ("get", "/v1/conversations/{id}/messages"),
    ("post", "/v1/groups"),
    ("get", "/v1/groups/{id}"),
    ("patch", "/v1/groups/{id}"),
    ("delete", "/v1/groups/{id}"),
    ("post", "/v1/groups/{id}/members"),
    ("patch", "/v1/groups/{id}/members/{user_id}"),
    ("delete", "/v1/groups/{id}/members/{user_id}"),
    ("post", "/v1/messages"),
    ("post", "/v1/read"),
    ("get", "/v1/messages/{id}/reads"),
    ("patch", "/v1/messages/{id}"),
    ("delete", "/v1/messages/{id}"),
    ("put", "/v1/messages/{id}/reactions/{emoji}"),
    ("delete", "/v1/messages/{id}/reactions/{emoji}"),
    ("post", "/v1/media"),
    ("get", "/v1/media/{id}"),
    ("get", "/v1/media/{id}/thumbnail"),
    ("get", "/v1/images"),
    ("get", "/v1/sync"),
    ("get", "/v1/events"),
    ("post", "/v1/mentorship-requests"),
    ("get", "/v1/mentorship-requests"),
    ("post", "/v1/mentorship-requests/{id}/accept"),
    ("post", "/v1/mentorship-requests/{id}/decline"),
    ("post", "/v1/mentorship-requests/{id}/withdraw"),
    ("get", "/v1/mentorships"),
    ("get", "/v1/mentorships/{id}"),
    ("post", "/v1/mentorships/{id}/end"),
    ("post", "/v1/mentorships/{id}/goals"),
    ("patch", "/v1/goals/{id}"),
    ("post", "/v1/mentorships/{id}/tasks"),
    ("patch", "/v1/tasks/{id}"),
    ("post", "/v1/mentorships/{id}/sessions"),
    ("patch", "/v1/sessions/{id}"),
    ("post", "/v1/sessions/{id}/confirm"),
    ("post", "/v1/sessions/{id}/cancel"),
    ("get", "/v1/sessions/{id}/calendar.ics"),
    ("post", "/v1/sessions/{id}/feedback"),
    ("get", "/v1/sessions/{id}/notes"),
    ("post", "/v1/sessions/{id}/notes"),
    ("post", "/v1/blocks"),
    ("get", "/v1/blocks"),
    ("delete", "/v1/blocks/{id}"),
    ("post", "/v1/reports"),
    ("get", "/v1/admin/reports"),
    ("post", "/v1/admin/reports/{id}/resolve"),
    ("post", "/v1/admin/users/{id}/suspend"),
    ("delete", "/v1/admin/users/{id}/suspend"),
    ("get", "/v1/admin/suspended"),
    ("get", "/v1/admin/audit"),
    ("get", "/v1/admin/held"),
    ("post", "/v1/admin/held/{id}/release"),
    ("post", "/v1/admin/held/{id}/reject"),
    ("get", "/v1/admin/stats"),
    ("get", "/v1/me/export"),
    ("delete", "/v1/me"),
];

/// `/v1/groups/{id}` and `/v1/groups/{group_id}` name the same route.
fn shape(path: &str) -> String {
    let mut out = String::new();
    let mut in_param = false;
    for c in path.chars() {
        match c {
            '{' => {
                in_param = true;
                out.push('{');
            }
            '}' => {
                in_param = false;
                out.push('}');
            }
            _ if in_param => {}
            _ => out.push(c),
        }
    }
    out
}

async fn the_openapi_document_describes_every_route(backend: Backend) {
    let s = TestServer::spawn(backend).await;
    let doc = s.api.call(Method::GET, "/v1/openapi.json", None, None).await.expect(200);
    assert!(doc["openapi"].as_str().unwrap().starts_with("3.1"), "{}", doc["openapi"]);
    let paths = doc["paths"].as_object().expect("paths");
    let by_shape: Vec<(String, &Value)> = paths.iter().map(|(p, v)| (shape(p), v)).collect();
    for (method, path) in ROUTES {
        let entry = by_shape.iter().find(|(p, _)| *p == shape(path)).map(|(_, v)| *v);
        let entry = entry.unwrap_or_else(|| panic!("no path entry for {path}"));
        assert!(entry.get(method).is_some(), "no {method} operation for {path}: {entry}");
    }
    s.server.stop().await;
}

async fn unknown_routes_and_wrong_methods_answer_json_errors(backend: Backend) {
    let s = TestServer::spawn(backend).await;
    let alice = s.api.register("alice").await;
    for path in ["/v1/nothing-here", "/v2/health", "/", "/v1/users/x/y/z"] {
        let a = s.api.get(path, &alice.token).await;
        assert_eq!((a.status.as_u16(), a.code()), (404, "not_found"), "{path}: {}", a.body);
        let a = s.api.call(Method::GET, path, None, None).await;
        assert_eq!(a.status, 404, "{path} without a token: {}", a.body);
    }
    let a = s.api.call(Method::DELETE, "/v1/health", None, None).await;
    assert_eq!(a.status, 405, "{}", a.body);
    assert!(!a.code().is_empty());
    let a = s.api.call(Method::PUT, "/v1/me", Some(&alice.token), Some(json!({}))).await;
    assert_eq!(a.status, 405, "{}", a.body);
    let a = s.api.call(Method::GET, "/v1/auth/login", None, None).await;
    assert_eq!(a.status, 405, "{}", a.body);
    s.server.stop().await;
}

lodestar_tests::on_both_backends!(
    register_answers_a_token_and_me,
    a_taken_username_or_email_is_a_conflict,
    each_registration_rule_names_its_field,
    every_bad_field_is_named_at_once,
    malformed_bodies_are_bad_requests,
    bodies_over_64_kib_are_refused,
    every_route_refuses_bodies_over_64_kib,
    login_by_username_or_email_in_any_case,
    wrong_passwords_and_unknown_logins_are_unauthorized,
    ten_failures_lock_the_account,
    ten_failures_from_one_address_lock_it,
    logout_revokes_the_token_at_once,
    bad_authorization_headers_are_unauthorized,
    changing_the_password_revokes_other_sessions,
    health_answers_ok,
    the_openapi_document_describes_every_route,
    unknown_routes_and_wrong_methods_answer_json_errors,
);
