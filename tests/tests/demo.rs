//! The demo program (`--demo`), seeded through the store's own rules on both backends: a
//! newcomer signing in as a demo member sees the mentorship loop at once — a full mentor, requests
//! pending and declined, mentorships with goals, an overdue action item, one made from a
//! message, a session held with notes and feedback and one confirmed within the hour; and a
//! coordinator with an open report and a minor's held message waiting.

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use chrono::{DateTime, TimeDelta, Utc};
use lodestar_tests::{Backend, TestServer};
use reqwest::Method;
use serde_json::{json, Value};

async fn login(s: &TestServer, name: &str) -> String {
    let body = json!({"login": name, "password": "lodestar-demo"});
    let v = s.api.call(Method::POST, "/v1/auth/login", None, Some(body)).await.expect(200);
    v["token"].as_str().unwrap().to_owned()
}

fn time(v: &Value) -> DateTime<Utc> {
    v.as_str().unwrap().parse().unwrap()
}

async fn the_demo_shows_the_mentorship_loop(backend: Backend) {
    let s = TestServer::spawn_demo(backend).await;
    let now = Utc::now();
    let dev = login(&s, "dev_okafor").await;
    let list = s.api.get("/v1/mentorships", &dev).await.expect(200);
    let mid = list["mentorships"][0]["mentorship_id"].as_str().unwrap().to_owned();
    let detail = s.api.get(&format!("/v1/mentorships/{mid}"), &dev).await.expect(200);
    assert!(detail["goals"].as_array().unwrap().len() >= 2, "{detail}");
    let tasks = detail["tasks"].as_array().unwrap();
    let today = now.date_naive().to_string();
    assert!(
        tasks
            .iter()
            .any(|t| t["done_at"].is_null() && t["due_date"].as_str().unwrap() < today.as_str()),
        "an overdue action item: {detail}"
    );
    assert!(tasks.iter().any(|t| t["source_message_id"].is_string()), "one made from a message");
    let sessions = detail["sessions"].as_array().unwrap();
    assert_eq!(sessions.len(), 2, "{detail}");
    assert!(sessions.iter().all(|x| x["status"] == "confirmed"));
    assert!(time(&sessions[0]["starts_at"]) < now, "one held");
    let next = time(&sessions[1]["starts_at"]);
    assert!(next > now && next < now + TimeDelta::hours(1), "one within the hour: {next}");
    let held_notes = format!("/v1/sessions/{}/notes", sessions[0]["session_id"].as_str().unwrap());
    let text = s.api.get(&held_notes, &dev).await.expect(200)["text"].as_str().unwrap().to_owned();
    assert!(
        text.contains("In six months") && text.contains("write a design note"),
        "both people's notes, merged: {text}"
    );

    let raj = login(&s, "raj.patel").await;
    let inbox =
        s.api.get("/v1/mentorship-requests?box=incoming&status=pending", &raj).await.expect(200);
    assert_eq!(inbox["requests"].as_array().unwrap().len(), 1, "{inbox}");
    let hana = login(&s, "hana.sato").await;
    let me = s.api.get("/v1/me", &hana).await.expect(200);
    assert_eq!(
        (me["mentee_capacity"].as_i64(), me["open_slots"].as_i64()),
        (Some(1), Some(0)),
        "a full mentor"
    );
    s.server.stop().await;
}

async fn the_demo_has_a_coordinator_with_work_waiting(backend: Backend) {
    let s = TestServer::spawn_demo(backend).await;
    let cora = login(&s, "coord.rivera").await;
    assert_eq!(s.api.get("/v1/me", &cora).await.expect(200)["is_coordinator"], true);
    let reports = s.api.get("/v1/admin/reports", &cora).await.expect(200);
    let r = &reports["reports"][0];
    assert_eq!(
        (r["reason"].as_str(), r["context"].as_array().unwrap().len()),
        (Some("spam"), 2),
        "{reports}"
    );
    let held = s.api.get("/v1/admin/held", &cora).await.expect(200);
    assert_eq!(held["messages"][0]["held_reason"], "phone", "{held}");
    // The minor's mentor never received it; the minor sees it held.
    let aisha = login(&s, "aisha.bello").await;
    let (changes, _) = s
        .api
        .sync_all(
            &lodestar_tests::User {
                id: uuid::Uuid::nil(),
                username: "aisha.bello".into(),
                token: aisha,
            },
            None,
            500,
        )
        .await;
    assert!(!changes.iter().any(|c| c.to_string().contains("312-555-0142")));
    let stats = s.api.get("/v1/admin/stats", &cora).await.expect(200);
    assert_eq!(
        (
            stats["users"]["minors"].as_i64(),
            stats["reports_open"].as_i64(),
            stats["held_open"].as_i64()
        ),
        (Some(1), Some(1), Some(1))
    );
    s.server.stop().await;
}

async fn the_demo_conversation_has_a_picture_a_reply_an_edit_and_reactions(backend: Backend) {
    let s = TestServer::spawn_demo(backend).await;
    let maya = login(&s, "maya.chen").await;
    let owen = login(&s, "owen.fischer").await;
    let list = s.api.get("/v1/conversations", &owen).await.expect(200);
    let conv = list["conversations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["last_message"]["content"].as_str().is_some_and(|t| t.contains("data races")))
        .unwrap_or_else(|| panic!("{list}"))["conversation_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let page = s.api.get(&format!("/v1/conversations/{conv}/messages"), &owen).await.expect(200);
    let messages = page["messages"].as_array().unwrap();
    let photo = messages
        .iter()
        .find(|m| m["media_url"].as_str().is_some_and(|u| u.starts_with("/v1/media/")))
        .unwrap();
    let reply = messages.last().unwrap();
    assert_eq!(reply["reply_to"], photo["message_id"]);
    assert!(reply["edited_at"].is_string());
    // The picture is a real image both of them can see, thumbnail and all.
    let url = photo["media_url"].as_str().unwrap();
    for token in [&maya, &owen] {
        let res = s
            .api
            .http
            .get(format!("{}{url}/thumbnail", s.api.base))
            .bearer_auth(token)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status().as_u16(), 200);
        assert_eq!(res.headers()["content-type"], "image/jpeg");
    }
    let (changes, _) = s
        .api
        .sync_all(
            &lodestar_tests::User {
                id: uuid::Uuid::nil(),
                username: "owen.fischer".into(),
                token: owen.clone(),
            },
            None,
            500,
        )
        .await;
    let emojis: Vec<&str> = changes
        .iter()
        .filter(|c| c["kind"] == "reaction")
        .filter_map(|c| c["data"]["emoji"].as_str())
        .collect();
    assert_eq!(emojis, ["👍", "🙏"]);
    s.server.stop().await;
}

lodestar_tests::on_both_backends!(
    the_demo_shows_the_mentorship_loop,
    the_demo_has_a_coordinator_with_work_waiting,
    the_demo_conversation_has_a_picture_a_reply_an_edit_and_reactions
);
