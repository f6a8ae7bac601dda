//! Reports, suspension and the trail over real HTTP, on both backends (PROGRAM.md, "Safety and
//! the program"): every admin route refuses a member who is not a coordinator; a report names
//! only a message its reporter can see; a coordinator sees it with its context and suspends;
//! the suspended member's open socket closes within a second saying why, their tokens stop
//! working, their login answers 403 `suspended`, and they vanish from the directory and
//! matches until the suspension is lifted; the trail records each step.

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::time::Duration;

use lodestar_tests::json_lists::texts;
use lodestar_tests::socket_watch::closed_within;
use lodestar_tests::{open_events, Backend, TestServer, User, PASSWORD};
use serde_json::{json, Value};
use uuid::Uuid;

fn names(answer: &Value, key: &str) -> Vec<String> {
    texts(&answer[key], "username")
}

async fn login(s: &TestServer, who: &User) -> lodestar_tests::Answer {
    s.api.post("/v1/auth/login", "", json!({"login": who.username, "password": PASSWORD})).await
}

async fn every_admin_route_refuses_members(backend: Backend) {
    let s = TestServer::spawn(backend).await;
    let api = &s.api;
    let ann = api.register("ann").await;
    let ben = api.register("ben").await;
    let report = Uuid::new_v4();
    let admin: [(reqwest::Method, String, Option<Value>); 11] = [
        (reqwest::Method::GET, "/v1/admin/stats".into(), None),
        (reqwest::Method::GET, "/v1/admin/held".into(), None),
        (reqwest::Method::POST, format!("/v1/admin/held/{report}/release"), None),
        (reqwest::Method::POST, format!("/v1/admin/held/{report}/reject"), None),
        (reqwest::Method::GET, "/v1/admin/reports".into(), None),
        (reqwest::Method::GET, "/v1/admin/reports?status=resolved".into(), None),
        (
            reqwest::Method::POST,
            format!("/v1/admin/reports/{report}/resolve"),
            Some(json!({"action": "dismiss"})),
        ),
        (
            reqwest::Method::POST,
            format!("/v1/admin/users/{}/suspend", ben.id),
            Some(json!({"reason": "x"})),
        ),
        (reqwest::Method::DELETE, format!("/v1/admin/users/{}/suspend", ben.id), None),
        (reqwest::Method::GET, "/v1/admin/suspended".into(), None),
        (reqwest::Method::GET, "/v1/admin/audit".into(), None),
    ];
    for (method, path, body) in &admin {
        let answer = api.call(method.clone(), path, Some(&ann.token), body.clone()).await;
        assert_eq!((answer.status.as_u16(), answer.code()), (403, "forbidden"), "{method} {path}");
        let anonymous = api.call(method.clone(), path, None, body.clone()).await;
        assert_eq!(anonymous.status.as_u16(), 401, "{method} {path} without a token");
    }
    // Nothing happened: ben still signs in.
    login(&s, &ben).await.expect(200);
    s.server.stop().await;
}

async fn a_report_leads_to_a_suspension_that_signs_the_member_out(backend: Backend) {
    let s = TestServer::spawn(backend).await;
    let api = &s.api;
    let cora = api.register("cora").await;
    s.store().set_coordinator("cora", true).await.unwrap();
    let maya = api.register_with("maya", json!({"mentee_status": true})).await;
    let troll = api.register_with("troll", json!({"mentor_status": true})).await;
    let dev = api.register("dev").await;
    let conv = api.direct(&maya, &troll).await;
    for i in 0..6 {
        api.send(&troll, conv, &format!("before {i}")).await;
    }
    let bad = api.send(&troll, conv, "give me your address").await;
    let bad_id: Uuid = bad["message_id"].as_str().unwrap().parse().unwrap();
    let own = api.send(&maya, conv, "no").await;
    let elsewhere = api.direct(&troll, &dev).await;
    let hidden = api.send(&troll, elsewhere, "a private word").await;

    // What a report may name.
    let token = maya.token.as_str();
    let file = |body: Value| async move { api.post("/v1/reports", token, body).await };
    let id = Uuid::new_v4();
    let base = json!({"report_id": id, "user_id": troll.id, "message_id": bad_id, "reason": "harassment", "details": "asked where I live"});
    let mut wrong = base.clone();
    wrong["reason"] = json!("rude");
    assert_eq!(file(wrong).await.field("reason"), "invalid");
    let mut wrong = base.clone();
    wrong["message_id"] = hidden["message_id"].clone();
    assert_eq!(file(wrong).await.field("message_id"), "not_theirs", "not a message maya can see");
    let mut wrong = base.clone();
    wrong["message_id"] = own["message_id"].clone();
    assert_eq!(file(wrong).await.field("message_id"), "not_theirs", "not troll's message");
    let mut wrong = base.clone();
    wrong["user_id"] = json!(maya.id);
    assert_eq!(file(wrong).await.field("user_id"), "self");
    let mut wrong = base.clone();
    wrong["user_id"] = json!(Uuid::new_v4());
    assert_eq!(file(wrong).await.status.as_u16(), 404);
    assert_eq!(file(base.clone()).await.status.as_u16(), 201);
    assert_eq!(file(base.clone()).await.status.as_u16(), 200, "a retry");
    let theft = api
        .post(
            "/v1/reports",
            &dev.token,
            json!({"report_id": id, "user_id": troll.id, "reason": "spam"}),
        )
        .await;
    assert_eq!(theft.status.as_u16(), 409, "another member's report id");

    // The coordinator sees it with its context: the message and the five before it.
    let open = api.get("/v1/admin/reports", &cora.token).await.expect(200);
    let r = &open["reports"][0];
    assert_eq!(
        (r["report_id"].as_str(), r["reason"].as_str()),
        (Some(&*id.to_string()), Some("harassment"))
    );
    let context: Vec<&str> =
        r["context"].as_array().unwrap().iter().map(|m| m["content"].as_str().unwrap()).collect();
    assert_eq!(
        context,
        ["before 1", "before 2", "before 3", "before 4", "before 5", "give me your address"]
    );
    assert!(!open.to_string().contains("a private word"), "nothing outside the report's context");
    // Coordinating opens no conversation: troll and dev's stays theirs.
    let peek = api.get(&format!("/v1/conversations/{elsewhere}/messages"), &cora.token).await;
    assert_eq!(peek.status.as_u16(), 404, "a coordinator reading others' messages");
    let (cora_sync, _) = api.sync_all(&cora, None, 500).await;
    assert!(!cora_sync.iter().any(|c| c.to_string().contains("a private word")));
    assert_eq!(names(&open, "users"), ["maya", "troll"], "everyone the report names");

    // Suspend from the report: troll's live socket closes within a second, saying why.
    let mut socket = open_events(&api.base, &troll, None).await.unwrap();
    let resolve = format!("/v1/admin/reports/{id}/resolve");
    assert_eq!(
        api.post(&resolve, &cora.token, json!({"action": "suspend"})).await.field("note"),
        "required"
    );
    let done = api
        .post(
            &resolve,
            &cora.token,
            json!({"action": "suspend", "note": "asked a mentee for her address"}),
        )
        .await
        .expect(200);
    assert_eq!(
        (done["status"].as_str(), done["resolution"]["action"].as_str()),
        (Some("resolved"), Some("suspend"))
    );
    let (reason, took) = closed_within(&mut socket, Duration::from_secs(1), "suspension").await;
    assert!(reason.starts_with("suspended"), "{reason}");
    println!("suspension to socket closed: {took:?}");
    let again = api.post(&resolve, &cora.token, json!({"action": "dismiss"})).await;
    assert_eq!(again.status.as_u16(), 409, "resolved already");

    // Signed out everywhere, refused at login with the reason, gone from others' searches.
    assert_eq!(api.get("/v1/me", &troll.token).await.status.as_u16(), 401);
    let refused = login(&s, &troll).await;
    assert_eq!((refused.status.as_u16(), refused.code()), (403, "suspended"));
    assert!(
        refused.body["error"]["message"].as_str().unwrap().contains("asked a mentee"),
        "{}",
        refused.body
    );
    let found = api.get("/v1/users?limit=100", &maya.token).await.expect(200);
    assert!(!names(&found, "users").contains(&"troll".to_string()));
    let matches = api.get("/v1/matches", &maya.token).await.expect(200);
    assert!(!matches.to_string().contains(&troll.id.to_string()), "{matches}");
    let listed = api.get("/v1/admin/suspended", &cora.token).await.expect(200);
    assert_eq!(listed["suspended"][0]["user"]["username"], "troll");
    assert_eq!(listed["suspended"][0]["reason"], "asked a mentee for her address");
    assert!(api.get("/v1/admin/reports", &cora.token).await.expect(200)["reports"]
        .as_array()
        .unwrap()
        .is_empty());
    let resolved = api.get("/v1/admin/reports?status=resolved", &cora.token).await.expect(200);
    assert_eq!(resolved["reports"][0]["resolution"]["resolved_by"], json!(cora.id));
    let cannot = api
        .post(&format!("/v1/admin/users/{}/suspend", cora.id), &cora.token, json!({"reason": "x"}))
        .await;
    assert_eq!(cannot.field("user_id"), "self");

    // Lifted: troll signs in again (with a new token) and is findable.
    let lift = format!("/v1/admin/users/{}/suspend", troll.id);
    assert_eq!(api.delete(&lift, &cora.token).await.status.as_u16(), 204);
    assert_eq!(api.delete(&lift, &cora.token).await.status.as_u16(), 204, "twice is fine");
    let back = login(&s, &troll).await.expect(200);
    assert_eq!(
        api.get("/v1/me", back["token"].as_str().unwrap()).await.expect(200)["username"],
        "troll"
    );
    assert!(names(&api.get("/v1/users?limit=100", &maya.token).await.expect(200), "users")
        .contains(&"troll".to_string()));

    // The program at a glance, in the contract's shape.
    let stats = api.get("/v1/admin/stats", &cora.token).await.expect(200);
    for key in [
        "users",
        "requests",
        "mentorships",
        "sessions",
        "feedback",
        "messages_30d",
        "reports_open",
        "held_open",
    ] {
        assert!(stats.get(key).is_some(), "{key}: {stats}");
    }
    assert_eq!(
        (stats["users"]["suspended"].as_i64(), stats["reports_open"].as_i64()),
        (Some(0), Some(0))
    );
    assert_eq!(
        stats["messages_30d"].as_i64(),
        Some(9),
        "six, the bad one, the reply and the private word"
    );

    // The trail: the suspension (with the report) and the lift, newest first.
    let trail = api.get("/v1/admin/audit", &cora.token).await.expect(200);
    let actions = texts(&trail["entries"], "action");
    assert_eq!(actions, ["unsuspended", "suspended"], "{trail}");
    assert_eq!(trail["entries"][1]["report_id"], json!(id));
    assert_eq!(trail["entries"][1]["actor_id"], json!(cora.id));
    let page = api.get("/v1/admin/audit?limit=1", &cora.token).await.expect(200);
    assert_eq!(
        (page["entries"].as_array().unwrap().len(), page["has_more"].as_bool()),
        (1, Some(true))
    );
    let before = page["entries"][0]["audit_id"].as_i64().unwrap();
    let older = api.get(&format!("/v1/admin/audit?before={before}"), &cora.token).await.expect(200);
    assert_eq!(
        (older["entries"][0]["action"].as_str(), older["has_more"].as_bool()),
        (Some("suspended"), Some(false))
    );
    s.server.stop().await;
}

async fn a_suspension_on_one_instance_closes_a_socket_on_another(backend: Backend) {
    let s = TestServer::spawn(backend).await;
    let other = TestServer::spawn_on(s.db.clone()).await;
    let cora = s.api.register("cora").await;
    s.store().set_coordinator("cora", true).await.unwrap();
    let troll = s.api.register("troll").await;
    let mut socket = open_events(&s.api.base, &troll, None).await.unwrap();
    let path = format!("/v1/admin/users/{}/suspend", troll.id);
    other.api.post(&path, &cora.token, json!({"reason": "spam"})).await.expect(204);
    let (reason, took) =
        closed_within(&mut socket, Duration::from_secs(1), "suspended elsewhere").await;
    assert!(reason.starts_with("suspended"), "{reason}");
    println!("suspension on another instance to socket closed: {took:?}");
    other.server.stop().await;
    s.server.stop().await;
}

lodestar_tests::on_both_backends!(
    every_admin_route_refuses_members,
    a_report_leads_to_a_suspension_that_signs_the_member_out,
    a_suspension_on_one_instance_closes_a_socket_on_another
);
