//! The authorization matrix. A stranger gets 404 for everything that names a conversation,
//! message, group or member they are not part of (never 403, never 200), indistinguishable from
//! a thing that does not exist; a plain member gets 403 for what needs a role; no route answers
//! without a token. After every refused request, nothing changed: the owners' views, byte for
//! byte, and the sync log.

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use lodestar_tests::{Answer, Api, Backend, TestServer, User};
use reqwest::Method;
use serde_json::{json, Value};
use uuid::Uuid;

/// A and B talk directly (message `m`) and share a group (B a plain member, message `gm`);
/// B has read both messages. S is a stranger to all of it.
struct World {
    a: User,
    b: User,
    s: User,
    direct: Uuid,
    group: Uuid,
    group_conv: Uuid,
    m: Uuid,
    gm: Uuid,
}

fn id_of(v: &Value, key: &str) -> Uuid {
    v[key].as_str().unwrap().parse().unwrap()
}

async fn world(api: &Api) -> World {
    let a = api.register("ann").await;
    let b = api.register("ben").await;
    let s = api.register("sam").await;
    let direct = api.direct(&a, &b).await;
    let m = id_of(&api.send(&a, direct, "private to ben").await, "message_id");
    let group = api
        .post(
            "/v1/groups",
            &a.token,
            json!({"group_name": "Circle", "description": "ours", "member_ids": [b.id]}),
        )
        .await
        .expect(201);
    let group_conv = id_of(&group, "conversation_id");
    let gm = id_of(&api.send(&a, group_conv, "private to the circle").await, "message_id");
    api.post("/v1/read", &b.token, json!({"message_ids": [m, gm]})).await.expect(204);
    World { a, b, s, direct, group: id_of(&group, "group_id"), group_conv, m, gm }
}

/// Everything A and B can see of their world, as one JSON document.
async fn snapshot(api: &Api, w: &World) -> String {
    let mut out = serde_json::Map::new();
    for user in [&w.a, &w.b] {
        let paths = [
            "/v1/me".to_owned(),
            "/v1/conversations".to_owned(),
            format!("/v1/conversations/{}", w.direct),
            format!("/v1/conversations/{}", w.group_conv),
            format!("/v1/conversations/{}/messages", w.direct),
            format!("/v1/conversations/{}/messages", w.group_conv),
            format!("/v1/messages/{}/reads", w.m),
            format!("/v1/messages/{}/reads", w.gm),
            format!("/v1/groups/{}", w.group),
            format!("/v1/users/{}", w.s.id),
        ];
        for path in paths {
            let body = api.get(&path, &user.token).await.expect(200);
            out.insert(format!("{} {path}", user.username), body);
        }
        let (changes, cursor) = api.sync_all(user, None, 1000).await;
        out.insert(
            format!("{} sync", user.username),
            json!({"changes": changes, "cursor": cursor}),
        );
    }
    serde_json::to_string_pretty(&Value::Object(out)).unwrap()
}

/// A request of the matrix: method, path, body.
type Request = (Method, String, Option<Value>);

async fn send(api: &Api, user: &User, (method, path, body): &Request) -> Answer {
    api.call(method.clone(), path, Some(&user.token), body.clone()).await
}

/// Every route that names one of the world's conversations, messages, groups or members, as
/// the stranger would try it; with `other`, the same route naming things that do not exist.
fn stranger_requests(w: &World, fake: Option<Uuid>) -> Vec<Request> {
    let direct = fake.unwrap_or(w.direct);
    let group_conv = fake.unwrap_or(w.group_conv);
    let m = fake.unwrap_or(w.m);
    let gm = fake.unwrap_or(w.gm);
    let group = fake.unwrap_or(w.group);
    let send_into = |conv: Uuid| json!({"message_id": Uuid::new_v4(), "conversation_id": conv, "content": "let me in"});
    vec![
        (Method::GET, format!("/v1/conversations/{direct}"), None),
        (Method::GET, format!("/v1/conversations/{group_conv}"), None),
        (Method::GET, format!("/v1/conversations/{direct}/messages"), None),
        (Method::GET, format!("/v1/conversations/{group_conv}/messages?limit=1"), None),
        (Method::POST, "/v1/messages".into(), Some(send_into(direct))),
        (Method::POST, "/v1/messages".into(), Some(send_into(group_conv))),
        (Method::POST, "/v1/read".into(), Some(json!({"message_ids": [m]}))),
        (Method::POST, "/v1/read".into(), Some(json!({"message_ids": [gm]}))),
        (Method::GET, format!("/v1/messages/{m}/reads"), None),
        (Method::GET, format!("/v1/messages/{gm}/reads"), None),
        (Method::GET, format!("/v1/groups/{group}"), None),
        (Method::PATCH, format!("/v1/groups/{group}"), Some(json!({"group_name": "Taken over"}))),
        (Method::DELETE, format!("/v1/groups/{group}"), None),
        (Method::POST, format!("/v1/groups/{group}/members"), Some(json!({"user_id": w.s.id}))),
        (
            Method::POST,
            format!("/v1/groups/{group}/members"),
            Some(json!({"user_id": w.s.id, "role": "owner"})),
        ),
        (
            Method::PATCH,
            format!("/v1/groups/{group}/members/{}", w.b.id),
            Some(json!({"role": "owner"})),
        ),
        (
            Method::PATCH,
            format!("/v1/groups/{group}/members/{}", w.a.id),
            Some(json!({"role": "member"})),
        ),
        (
            Method::PATCH,
            format!("/v1/groups/{group}/members/{}", w.s.id),
            Some(json!({"role": "owner"})),
        ),
        (Method::DELETE, format!("/v1/groups/{group}/members/{}", w.b.id), None),
        (Method::DELETE, format!("/v1/groups/{group}/members/{}", w.a.id), None),
        (Method::DELETE, format!("/v1/groups/{group}/members/{}", w.s.id), None),
    ]
}

async fn a_stranger_gets_404_for_everything_and_changes_nothing(backend: Backend) {
    let server = TestServer::spawn(backend).await;
    let api = &server.api;
    let w = world(api).await;
    let before = snapshot(api, &w).await;
    let fake = Uuid::new_v4();
    let real = stranger_requests(&w, None);
    let missing = stranger_requests(&w, Some(fake));
    for (request, counterpart) in real.iter().zip(&missing) {
        let answer = send(api, &w.s, request).await;
        assert_eq!(
            (answer.status.as_u16(), answer.code()),
            (404, "not_found"),
            "the stranger's {} {} answered {}: {}",
            request.0,
            request.1,
            answer.status,
            answer.body
        );
        let nothing = send(api, &w.s, counterpart).await;
        assert_eq!(nothing.status, 404, "{} {}: {}", counterpart.0, counterpart.1, nothing.body);
        assert_eq!(
            answer.body, nothing.body,
            "{} {}: a stranger can tell a hidden thing from a missing one",
            request.0, request.1
        );
    }
    // The stranger's own view shows none of it.
    let list = api.get("/v1/conversations", &w.s.token).await.expect(200);
    assert_eq!(list["conversations"], json!([]));
    let (seen, _) = api.sync_all(&w.s, None, 1000).await;
    let seen = serde_json::to_string(&seen).unwrap();
    for secret in [w.direct, w.group, w.group_conv, w.m, w.gm] {
        assert!(!seen.contains(&secret.to_string()), "the stranger synced {secret}");
    }
    assert!(!seen.contains("let me in") && !seen.contains("Taken over"));
    let after = snapshot(api, &w).await;
    assert!(before == after, "a stranger's refused requests changed something:\n--- before\n{before}\n--- after\n{after}");
    server.server.stop().await;
}

async fn a_plain_member_gets_403_and_changes_nothing(backend: Backend) {
    let server = TestServer::spawn(backend).await;
    let api = &server.api;
    let w = world(api).await;
    let before = snapshot(api, &w).await;
    let g = w.group;
    let requests: Vec<Request> = vec![
        (Method::PATCH, format!("/v1/groups/{g}"), Some(json!({"group_name": "Ben's now"}))),
        (Method::PATCH, format!("/v1/groups/{g}"), Some(json!({"description": null}))),
        (Method::DELETE, format!("/v1/groups/{g}"), None),
        (Method::POST, format!("/v1/groups/{g}/members"), Some(json!({"user_id": w.s.id}))),
        (
            Method::POST,
            format!("/v1/groups/{g}/members"),
            Some(json!({"user_id": w.s.id, "role": "admin"})),
        ),
        (
            Method::PATCH,
            format!("/v1/groups/{g}/members/{}", w.a.id),
            Some(json!({"role": "member"})),
        ),
        (
            Method::PATCH,
            format!("/v1/groups/{g}/members/{}", w.b.id),
            Some(json!({"role": "owner"})),
        ),
        (
            Method::PATCH,
            format!("/v1/groups/{g}/members/{}", w.b.id),
            Some(json!({"role": "admin"})),
        ),
        (Method::DELETE, format!("/v1/groups/{g}/members/{}", w.a.id), None),
    ];
    for request in &requests {
        let answer = send(api, &w.b, request).await;
        assert_eq!(
            (answer.status.as_u16(), answer.code()),
            (403, "forbidden"),
            "the member's {} {} answered {}: {}",
            request.0,
            request.1,
            answer.status,
            answer.body
        );
    }
    let after = snapshot(api, &w).await;
    assert!(
        before == after,
        "a member's refused requests changed something:\n--- before\n{before}\n--- after\n{after}"
    );
    // What a member may do, they may: read the group and write in its conversation.
    api.get(&format!("/v1/groups/{g}"), &w.b.token).await.expect(200);
    api.send(&w.b, w.group_conv, "members may talk").await;
    server.server.stop().await;
}

async fn no_route_answers_without_a_token(backend: Backend) {
    let server = TestServer::spawn(backend).await;
    let api = &server.api;
    let w = world(api).await;
    let before = snapshot(api, &w).await;
    let g = w.group;
    let routes: Vec<Request> = vec![
        (Method::POST, "/v1/auth/logout".into(), None),
        (Method::GET, "/v1/me".into(), None),
        (Method::PATCH, "/v1/me".into(), Some(json!({"bio": "anonymous"}))),
        (
            Method::POST,
            "/v1/me/password".into(),
            Some(json!({"current_password": "x", "new_password": "yyyyyyyyyyyy"})),
        ),
        (Method::GET, format!("/v1/users/{}", w.a.id), None),
        (Method::GET, "/v1/users".into(), None),
        (Method::GET, "/v1/users?username=ann".into(), None),
        (Method::GET, "/v1/matches".into(), None),
        (Method::POST, "/v1/conversations/direct".into(), Some(json!({"user_id": w.a.id}))),
        (Method::GET, "/v1/conversations".into(), None),
        (Method::GET, format!("/v1/conversations/{}", w.direct), None),
        (Method::GET, format!("/v1/conversations/{}/messages", w.direct), None),
        (Method::POST, "/v1/groups".into(), Some(json!({"group_name": "Anon"}))),
        (Method::GET, format!("/v1/groups/{g}"), None),
        (Method::PATCH, format!("/v1/groups/{g}"), Some(json!({"group_name": "Anon"}))),
        (Method::DELETE, format!("/v1/groups/{g}"), None),
        (Method::POST, format!("/v1/groups/{g}/members"), Some(json!({"user_id": w.s.id}))),
        (
            Method::PATCH,
            format!("/v1/groups/{g}/members/{}", w.b.id),
            Some(json!({"role": "admin"})),
        ),
        (Method::DELETE, format!("/v1/groups/{g}/members/{}", w.b.id), None),
        (
            Method::POST,
            "/v1/messages".into(),
            Some(
                json!({"message_id": Uuid::new_v4(), "conversation_id": w.direct, "content": "anon"}),
            ),
        ),
        (Method::POST, "/v1/read".into(), Some(json!({"message_ids": [w.m]}))),
        (Method::GET, format!("/v1/messages/{}/reads", w.m), None),
        (Method::GET, "/v1/sync".into(), None),
        (Method::GET, "/v1/events".into(), None),
    ];
    let revoked = api
        .call(
            Method::POST,
            "/v1/auth/login",
            None,
            Some(json!({"login": "sam", "password": lodestar_tests::PASSWORD})),
        )
        .await
        .expect(200);
    let revoked = revoked["token"].as_str().unwrap().to_owned();
    api.call(Method::POST, "/v1/auth/logout", Some(&revoked), None).await.expect(204);
    for (method, path, body) in &routes {
        let answer = api.call(method.clone(), path, None, body.clone()).await;
        assert_eq!(
            (answer.status.as_u16(), answer.code()),
            (401, "unauthorized"),
            "{method} {path} without a token answered {}: {}",
            answer.status,
            answer.body
        );
        let answer = api.call(method.clone(), path, Some(&revoked), body.clone()).await;
        assert_eq!(answer.status, 401, "{method} {path} with a revoked token: {}", answer.body);
    }
    let after = snapshot(api, &w).await;
    assert!(
        before == after,
        "unauthenticated requests changed something:\n--- before\n{before}\n--- after\n{after}"
    );
    // The open routes stay open.
    for path in ["/v1/health", "/v1/openapi.json"] {
        api.call(Method::GET, path, None, None).await.expect(200);
    }
    server.server.stop().await;
}

lodestar_tests::on_both_backends!(
    a_stranger_gets_404_for_everything_and_changes_nothing,
    a_plain_member_gets_403_and_changes_nothing,
    no_route_answers_without_a_token,
);
