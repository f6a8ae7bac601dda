//! Input that broke the server (issue 11, items 5 and 9): control characters in any text field
//! are refused with 422 naming the field on both backends, one message the database refuses
//! fails alone instead of failing its whole group commit, and a sync page is bounded in bytes.

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use futures_util::future::join_all;
use lodestar_protocol::validate::MessageBody;
use lodestar_server::commit::MessageCommitter;
use lodestar_server::store::{NewMessage, SendOutcome};
use lodestar_tests::{Backend, TestServer, DOB, PASSWORD};
use reqwest::Method;
use serde_json::{json, Value};
use uuid::Uuid;

/// Every C0 control but tab and newline, and DEL.
fn forbidden() -> Vec<char> {
    (0u8..0x20).chain([0x7f]).map(char::from).filter(|c| *c != '\t' && *c != '\n').collect()
}

async fn control_characters_are_refused_in_every_text_field(backend: Backend) {
    let s = TestServer::spawn(backend).await;
    let ann = s.api.register("ann").await;
    let ben = s.api.register("ben").await;
    let conv = s.api.direct(&ann, &ben).await;
    let group = s
        .api
        .post("/v1/groups", &ann.token, json!({"group_name": "cohort", "member_ids": [ben.id]}))
        .await
        .expect(201);
    let group_path = format!("/v1/groups/{}", group["group_id"].as_str().unwrap());
    for c in forbidden() {
        let bad = format!("hello{c}there");
        let message = s
            .api
            .post(
                "/v1/messages",
                &ann.token,
                json!({"message_id": Uuid::new_v4(), "conversation_id": conv, "content": bad}),
            )
            .await;
        assert_eq!(
            (message.status.as_u16(), message.field("content")),
            (422, "invalid"),
            "U+{:04X}",
            c as u32
        );
        for field in ["city", "bio", "job_title", "industry"] {
            let a = s.api.patch("/v1/me", &ann.token, json!({ field: bad })).await;
            assert_eq!(
                (a.status.as_u16(), a.field(field)),
                (422, "invalid"),
                "{field} U+{:04X}",
                c as u32
            );
        }
        let a = s.api.patch("/v1/me", &ann.token, json!({"skills": ["rust", bad]})).await;
        assert_eq!((a.status.as_u16(), a.field("skills")), (422, "invalid"));
        let a = s
            .api
            .patch(&group_path, &ann.token, json!({"group_name": bad, "description": bad}))
            .await;
        assert_eq!(
            (a.status.as_u16(), a.field("group_name"), a.field("description")),
            (422, "invalid", "invalid")
        );
        let a = s.api.post("/v1/groups", &ann.token, json!({"group_name": bad})).await;
        assert_eq!((a.status.as_u16(), a.field("group_name")), (422, "invalid"));
        let body = json!({"username": "carl", "email": "carl@example.com", "password": PASSWORD,
            "date_of_birth": DOB, "city": bad, "bio": bad});
        let a = s.api.call(Method::POST, "/v1/auth/register", None, Some(body)).await;
        assert_eq!(
            (a.status.as_u16(), a.field("city"), a.field("bio")),
            (422, "invalid", "invalid")
        );
        let a = s
            .api
            .call(
                Method::POST,
                "/v1/auth/login",
                None,
                Some(json!({"login": bad, "password": PASSWORD})),
            )
            .await;
        assert_eq!((a.status.as_u16(), a.field("login")), (422, "invalid"));
        let q: String = url_escape(&bad);
        for param in ["q", "skill", "industry", "username"] {
            let a = s.api.get(&format!("/v1/users?{param}={q}"), &ann.token).await;
            assert_eq!(
                (a.status.as_u16(), a.field(param)),
                (422, "invalid"),
                "{param} U+{:04X}",
                c as u32
            );
        }
    }
    // Tabs and line breaks are text; Windows line ends are kept as line breaks.
    let ok = s
        .api
        .post("/v1/messages", &ann.token, json!({"message_id": Uuid::new_v4(), "conversation_id": conv, "content": "a\tb\r\nc\nd"}))
        .await
        .expect(201);
    assert_eq!(ok["content"], "a\tb\nc\nd");
    let me =
        s.api.patch("/v1/me", &ann.token, json!({"bio": "line one\r\nline two"})).await.expect(200);
    assert_eq!(me["bio"], "line one\nline two");
    // Nothing bad was stored, and the conversation still works.
    let history =
        s.api.get(&format!("/v1/conversations/{conv}/messages"), &ben.token).await.expect(200);
    assert_eq!(history["messages"].as_array().unwrap().len(), 1);
    s.server.stop().await;
}

fn url_escape(s: &str) -> String {
    s.bytes()
        .map(
            |b| {
                if b.is_ascii_alphanumeric() {
                    (b as char).to_string()
                } else {
                    format!("%{b:02X}")
                }
            },
        )
        .collect()
}

async fn a_message_the_database_refuses_fails_alone(backend: Backend) {
    let s = TestServer::spawn(backend).await;
    let ann = s.api.register("ann").await;
    let ben = s.api.register("ben").await;
    let conv = s.api.direct(&ann, &ben).await;
    // Past the rules (as a future rule gap would be): a NUL that PostgreSQL cannot store, and a
    // conversation id that is not one, batched with good messages by one committer.
    let committer = MessageCommitter::spawn(s.store());
    let message = |content: &str| NewMessage {
        message_id: Uuid::new_v4(),
        conversation_id: conv,
        body: MessageBody { content: Some(content.to_owned()), media_url: None },
        sent_at: chrono::Utc::now(),
        reply_to: None,
    };
    let mut sends = Vec::new();
    for i in 0..40 {
        let committer = committer.clone();
        let m = if i == 20 { message("bad\0message") } else { message(&format!("good {i}")) };
        sends.push(async move { (i, committer.send(ann.id, m).await) });
    }
    let outcomes = join_all(sends).await;
    for (i, outcome) in &outcomes {
        if *i == 20 {
            if backend == Backend::Postgres {
                assert!(outcome.is_err(), "PostgreSQL stored a NUL");
            }
        } else {
            assert!(matches!(outcome, Ok(SendOutcome::Created(_))), "message {i}: {outcome:?}");
        }
    }
    let history = s
        .api
        .get(&format!("/v1/conversations/{conv}/messages?limit=200"), &ben.token)
        .await
        .expect(200);
    let good = history["messages"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["content"].as_str().unwrap().starts_with("good"))
        .count();
    assert_eq!(good, 39);
    s.server.stop().await;
}

async fn a_sync_page_is_bounded_in_bytes(backend: Backend) {
    let s = TestServer::spawn(backend).await;
    let ann = s.api.register("ann").await;
    let ben = s.api.register("ben").await;
    let conv = s.api.direct(&ann, &ben).await;
    let longest = "x".repeat(lodestar_protocol::validate::limits::CONTENT_MAX);
    let store = s.store();
    let mut sent = 0;
    for _ in 0..4 {
        let batch: Vec<_> = (0..250)
            .map(|_| {
                (
                    ann.id,
                    NewMessage {
                        message_id: Uuid::new_v4(),
                        conversation_id: conv,
                        body: MessageBody { content: Some(longest.clone()), media_url: None },
                        sent_at: chrono::Utc::now(),
                        reply_to: None,
                    },
                )
            })
            .collect();
        for outcome in store.send_messages(&batch).await.unwrap() {
            outcome.unwrap();
            sent += 1;
        }
    }
    assert_eq!(sent, 1_000);
    let mut cursor: Option<String> = None;
    let mut messages = 0;
    let mut pages = 0;
    loop {
        let path = match &cursor {
            Some(c) => format!("/v1/sync?since={c}&limit=1000"),
            None => "/v1/sync?limit=1000".to_owned(),
        };
        let res = s
            .api
            .http
            .get(format!("{}{path}", s.api.base))
            .bearer_auth(&ben.token)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200);
        let bytes = res.bytes().await.unwrap();
        assert!(
            bytes.len() <= lodestar_server::routes::PAGE_BYTES + 64 * 1024,
            "a page of {} bytes",
            bytes.len()
        );
        let page: Value = serde_json::from_slice(&bytes).unwrap();
        messages +=
            page["changes"].as_array().unwrap().iter().filter(|c| c["kind"] == "message").count();
        pages += 1;
        cursor = Some(page["cursor"].as_str().unwrap().to_owned());
        if !page["has_more"].as_bool().unwrap() {
            break;
        }
    }
    assert_eq!(messages, 1_000, "paging yields every message once");
    assert!(pages >= 10, "{pages} pages for ~10 MB");
    s.server.stop().await;
}

lodestar_tests::on_both_backends!(
    control_characters_are_refused_in_every_text_field,
    a_message_the_database_refuses_fails_alone,
    a_sync_page_is_bounded_in_bytes,
);
