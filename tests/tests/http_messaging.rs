//! Messaging over real HTTP: direct conversations, the conversation list, sending with
//! idempotent retries, history paging, and read receipts.

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};
use lodestar_tests::{Backend, TestServer, User};
use serde_json::{json, Value};
use uuid::Uuid;

const CONVERSATION_KEYS: [&str; 5] =
    ["conversation_id", "type", "group_id", "created_at", "participants"];
const MESSAGE_KEYS: [&str; 11] = [
    "message_id",
    "conversation_id",
    "sender_id",
    "content",
    "media_url",
    "sent_at",
    "seq",
    "status",
    "reply_to",
    "edited_at",
    "deleted_at",
];

fn keys(v: &Value) -> BTreeSet<&str> {
    v.as_object().unwrap().keys().map(String::as_str).collect()
}

fn ids(users: &[&User]) -> BTreeSet<String> {
    users.iter().map(|u| u.id.to_string()).collect()
}

fn participants(conversation: &Value) -> BTreeSet<String> {
    conversation["participants"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p.as_str().unwrap().to_owned())
        .collect()
}

/// A message without its `sent_at`, for checks that are about something else (the exact
/// `sent_at` round trip has its own test).
fn sans_time(m: &Value) -> Value {
    let mut m = m.clone();
    m.as_object_mut().unwrap().remove("sent_at");
    m
}

fn time(v: &Value) -> DateTime<Utc> {
    v.as_str().unwrap().parse().unwrap()
}

async fn a_direct_conversation_is_opened_once(backend: Backend) {
    let s = TestServer::spawn(backend).await;
    let a = s.api.register("ann").await;
    let b = s.api.register("ben").await;
    let first = s
        .api
        .post("/v1/conversations/direct", &a.token, json!({"user_id": b.id}))
        .await
        .expect(201);
    assert_eq!(keys(&first), CONVERSATION_KEYS.into_iter().collect(), "{first}");
    assert_eq!(first["type"], "DIRECT");
    assert_eq!(first["group_id"], Value::Null);
    assert_eq!(participants(&first), ids(&[&a, &b]));
    Uuid::parse_str(first["conversation_id"].as_str().unwrap()).unwrap();
    time(&first["created_at"]);
    let again = s
        .api
        .post("/v1/conversations/direct", &a.token, json!({"user_id": b.id}))
        .await
        .expect(200);
    assert_eq!(again, first, "opening again answers the same conversation");
    let other_side = s
        .api
        .post("/v1/conversations/direct", &b.token, json!({"user_id": a.id}))
        .await
        .expect(200);
    assert_eq!(other_side, first, "either side may open it");
    let id = first["conversation_id"].as_str().unwrap();
    let got = s.api.get(&format!("/v1/conversations/{id}"), &b.token).await.expect(200);
    assert_eq!(got, first);
    // Each sees it once in their list.
    for user in [&a, &b] {
        let list = s.api.get("/v1/conversations", &user.token).await.expect(200);
        let convs = list["conversations"].as_array().unwrap();
        assert_eq!(convs.len(), 1, "{list}");
        assert_eq!(convs[0]["conversation_id"], id);
    }

    let a_self = s.api.post("/v1/conversations/direct", &a.token, json!({"user_id": a.id})).await;
    assert_eq!(
        (a_self.status.as_u16(), a_self.code()),
        (422, "validation_failed"),
        "{}",
        a_self.body
    );
    assert_eq!(a_self.field("user_id"), "self");
    let unknown =
        s.api.post("/v1/conversations/direct", &a.token, json!({"user_id": Uuid::new_v4()})).await;
    assert_eq!((unknown.status.as_u16(), unknown.code()), (404, "not_found"), "{}", unknown.body);
    let malformed =
        s.api.post("/v1/conversations/direct", &a.token, json!({"user_id": "ben"})).await;
    assert_eq!(malformed.status, 400, "{}", malformed.body);
    let missing = s.api.post("/v1/conversations/direct", &a.token, json!({})).await;
    assert_eq!(missing.status, 422, "{}", missing.body);
    assert_eq!(missing.field("user_id"), "required");
    let list = s.api.get("/v1/conversations", &a.token).await.expect(200);
    assert_eq!(list["conversations"].as_array().unwrap().len(), 1, "nothing refused was created");
    for bad in [Uuid::new_v4().to_string(), "nope".to_owned()] {
        let a404 = s.api.get(&format!("/v1/conversations/{bad}"), &a.token).await;
        assert_eq!((a404.status.as_u16(), a404.code()), (404, "not_found"), "{bad}");
    }
    s.server.stop().await;
}

fn conversation_order(list: &Value) -> Vec<String> {
    list["conversations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["conversation_id"].as_str().unwrap().to_owned())
        .collect()
}

fn summary(list: &Value, id: Uuid) -> &Value {
    list["conversations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["conversation_id"] == id.to_string())
        .unwrap_or_else(|| panic!("{id} not in {list}"))
}

async fn the_list_shows_last_message_and_unread_count_most_recent_first(backend: Backend) {
    let s = TestServer::spawn(backend).await;
    let a = s.api.register("ann").await;
    let b = s.api.register("ben").await;
    let c = s.api.register("cat").await;
    let ab = s.api.direct(&a, &b).await;
    let ac = s.api.direct(&a, &c).await;
    let list = s.api.get("/v1/conversations", &a.token).await.expect(200);
    assert_eq!(conversation_order(&list), [ac.to_string(), ab.to_string()], "the newer one first");
    for conv in list["conversations"].as_array().unwrap() {
        assert_eq!(conv["last_message"], Value::Null);
        assert_eq!(conv["unread_count"], 0);
        for k in CONVERSATION_KEYS {
            assert!(conv.get(k).is_some(), "{k} missing in {conv}");
        }
    }

    s.api.send(&b, ab, "hi ann").await;
    let last_ab = s.api.send(&b, ab, "are you there?").await;
    let list = s.api.get("/v1/conversations", &a.token).await.expect(200);
    assert_eq!(
        conversation_order(&list),
        [ab.to_string(), ac.to_string()],
        "a new message moves it up"
    );
    assert_eq!(sans_time(&summary(&list, ab)["last_message"]), sans_time(&last_ab));
    assert_eq!(summary(&list, ab)["unread_count"], 2);
    assert_eq!(summary(&list, ac)["unread_count"], 0);
    // The sender has nothing unread.
    let b_list = s.api.get("/v1/conversations", &b.token).await.expect(200);
    assert_eq!(summary(&b_list, ab)["unread_count"], 0);
    assert_eq!(sans_time(&summary(&b_list, ab)["last_message"]), sans_time(&last_ab));
    // C does not see A and B's conversation.
    let c_list = s.api.get("/v1/conversations", &c.token).await.expect(200);
    assert_eq!(conversation_order(&c_list), [ac.to_string()]);

    let last_ac = s.api.send(&a, ac, "hello cat").await;
    let list = s.api.get("/v1/conversations", &a.token).await.expect(200);
    assert_eq!(conversation_order(&list), [ac.to_string(), ab.to_string()]);
    assert_eq!(sans_time(&summary(&list, ac)["last_message"]), sans_time(&last_ac));
    assert_eq!(summary(&list, ac)["unread_count"], 0, "one's own message is not unread");
    let c_list = s.api.get("/v1/conversations", &c.token).await.expect(200);
    assert_eq!(summary(&c_list, ac)["unread_count"], 1);
    s.server.stop().await;
}

async fn sending_is_idempotent_by_message_id(backend: Backend) {
    let s = TestServer::spawn(backend).await;
    let a = s.api.register("ann").await;
    let b = s.api.register("ben").await;
    let c = s.api.register("cat").await;
    let ab = s.api.direct(&a, &b).await;
    let ac = s.api.direct(&a, &c).await;
    let id = Uuid::new_v4();
    let request = json!({"message_id": id, "conversation_id": ab, "content": "hello ben"});
    let m = s.api.post("/v1/messages", &a.token, request.clone()).await.expect(201);
    assert_eq!(keys(&m), MESSAGE_KEYS.into_iter().collect(), "{m}");
    assert_eq!(m["message_id"], id.to_string());
    assert_eq!(m["conversation_id"], ab.to_string());
    assert_eq!(m["sender_id"], a.id.to_string());
    assert_eq!(m["content"], "hello ben");
    assert_eq!(m["media_url"], Value::Null);
    assert!(m["seq"].as_i64().unwrap() > 0);
    let sent = time(&m["sent_at"]);
    assert!((Utc::now() - sent).num_seconds().abs() < 60, "sent_at defaults to now: {sent}");

    let again = s.api.post("/v1/messages", &a.token, request.clone()).await.expect(200);
    assert_eq!(sans_time(&again), sans_time(&m), "a retry answers the same message");
    let other_content = s
        .api
        .post(
            "/v1/messages",
            &a.token,
            json!({"message_id": id, "conversation_id": ab, "content": "changed"}),
        )
        .await;
    assert_eq!(
        (other_content.status.as_u16(), other_content.code()),
        (409, "conflict"),
        "{}",
        other_content.body
    );
    let other_sender = s.api.post("/v1/messages", &b.token, request.clone()).await;
    assert_eq!(other_sender.status, 409, "{}", other_sender.body);
    let other_conversation = s
        .api
        .post(
            "/v1/messages",
            &a.token,
            json!({"message_id": id, "conversation_id": ac, "content": "hello ben"}),
        )
        .await;
    assert_eq!(other_conversation.status, 409, "{}", other_conversation.body);
    let history =
        s.api.get(&format!("/v1/conversations/{ab}/messages"), &b.token).await.expect(200);
    let stored: Vec<Value> =
        history["messages"].as_array().unwrap().iter().map(sans_time).collect();
    assert_eq!(stored, [sans_time(&m)], "stored exactly once, unchanged");
    let ac_history =
        s.api.get(&format!("/v1/conversations/{ac}/messages"), &c.token).await.expect(200);
    assert_eq!(ac_history["messages"], json!([]));

    // seq grows in the order the server accepts messages; a client's sent_at is kept.
    let at = "2026-01-02T03:04:05Z";
    let next = s
        .api
        .post("/v1/messages", &b.token, json!({"message_id": Uuid::new_v4(), "conversation_id": ab, "content": "later", "sent_at": at}))
        .await
        .expect(201);
    assert!(next["seq"].as_i64().unwrap() > m["seq"].as_i64().unwrap());
    assert_eq!(time(&next["sent_at"]), at.parse::<DateTime<Utc>>().unwrap());
    // And the retry is the very same Message, byte for byte, sent_at included.
    assert_eq!(again, m, "a retry answers the same message");
    s.server.stop().await;
}

/// The Message a send answers is the Message the server keeps: a retry, the history, the
/// conversation list and sync all show the same object, `sent_at` to the last digit.
async fn the_answer_to_a_send_is_the_stored_message(backend: Backend) {
    let s = TestServer::spawn(backend).await;
    let a = s.api.register("ann").await;
    let b = s.api.register("ben").await;
    let ab = s.api.direct(&a, &b).await;
    let request = json!({"message_id": Uuid::new_v4(), "conversation_id": ab, "content": "hello"});
    let created = s.api.post("/v1/messages", &a.token, request.clone()).await.expect(201);
    // A client-made sent_at with nanoseconds is a case of the same.
    let precise = json!({"message_id": Uuid::new_v4(), "conversation_id": ab, "content": "precise",
                         "sent_at": "2026-01-02T03:04:05.123456789Z"});
    let precise_created = s.api.post("/v1/messages", &a.token, precise.clone()).await.expect(201);
    let retry = s.api.post("/v1/messages", &a.token, request).await.expect(200);
    let precise_retry = s.api.post("/v1/messages", &a.token, precise).await.expect(200);
    let history =
        s.api.get(&format!("/v1/conversations/{ab}/messages"), &b.token).await.expect(200);
    let list = s.api.get("/v1/conversations", &b.token).await.expect(200);
    let (changes, _) = s.api.sync_all(&b, None, 1000).await;
    let synced: Vec<Value> =
        changes.iter().filter(|c| c["kind"] == "message").map(|c| c["data"].clone()).collect();
    assert_eq!(
        history["messages"],
        json!([created, precise_created]),
        "history differs from the 201 answers"
    );
    assert_eq!(
        synced,
        [created.clone(), precise_created.clone()],
        "sync differs from the 201 answers"
    );
    assert_eq!(
        summary(&list, ab)["last_message"],
        precise_created,
        "the list differs from the 201 answer"
    );
    assert_eq!(retry, created, "the retry differs from the 201 answer");
    assert_eq!(precise_retry, precise_created, "the retry differs from the 201 answer");
    s.server.stop().await;
}

async fn message_rules(backend: Backend) {
    let s = TestServer::spawn(backend).await;
    let a = s.api.register("ann").await;
    let b = s.api.register("ben").await;
    let ab = s.api.direct(&a, &b).await;
    let send = |body: Value| {
        let api = s.api.clone();
        let token = a.token.clone();
        async move {
            let mut body = body;
            if body.get("message_id").is_none() {
                body["message_id"] = json!(Uuid::new_v4());
            }
            if body.get("conversation_id").is_none() {
                body["conversation_id"] = json!(ab);
            }
            api.post("/v1/messages", &token, body).await
        }
    };
    let cases: Vec<(Value, &str, &str)> = vec![
        (json!({}), "content", "required"),
        (json!({"content": ""}), "content", "required"),
        (json!({"content": "   \n "}), "content", "required"),
        (json!({"content": null, "media_url": null}), "content", "required"),
        (json!({"content": "x".repeat(10_001)}), "content", "too_long"),
        (json!({"media_url": "ftp://example.com/cat.gif"}), "media_url", "invalid"),
        (json!({"content": "look", "media_url": "not a url"}), "media_url", "invalid"),
        (
            json!({"media_url": format!("https://example.com/{}", "m".repeat(250))}),
            "media_url",
            "too_long",
        ),
    ];
    for (body, field, code) in cases {
        let a422 = send(body.clone()).await;
        assert_eq!(
            (a422.status.as_u16(), a422.code()),
            (422, "validation_failed"),
            "{body}: {}",
            a422.body
        );
        assert_eq!(a422.field(field), code, "{body}: {}", a422.body);
    }
    let longest = send(json!({"content": "é".repeat(10_000)})).await.expect(201);
    assert_eq!(
        longest["content"].as_str().unwrap().chars().count(),
        10_000,
        "10,000 characters fit"
    );
    let media = send(json!({"media_url": "https://example.com/cat.gif"})).await.expect(201);
    assert_eq!(media["content"], Value::Null);
    assert_eq!(media["media_url"], "https://example.com/cat.gif");
    let both = send(json!({"content": "a cat", "media_url": "http://example.com/cat.gif"}))
        .await
        .expect(201);
    assert_eq!(both["content"], "a cat");
    assert_eq!(both["media_url"], "http://example.com/cat.gif");

    let nowhere = send(json!({"content": "hi", "conversation_id": Uuid::new_v4()})).await;
    assert_eq!((nowhere.status.as_u16(), nowhere.code()), (404, "not_found"), "{}", nowhere.body);
    let bad_id = send(json!({"content": "hi", "message_id": "not-a-uuid"})).await;
    assert_eq!(bad_id.status, 400, "{}", bad_id.body);
    let bad_time = send(json!({"content": "hi", "sent_at": "yesterday"})).await;
    assert_eq!(bad_time.status, 400, "{}", bad_time.body);
    let missing =
        s.api.post("/v1/messages", &a.token, json!({"conversation_id": ab, "content": "hi"})).await;
    assert_eq!(missing.status, 422, "{}", missing.body);
    assert_eq!(missing.field("message_id"), "required");
    let history =
        s.api.get(&format!("/v1/conversations/{ab}/messages"), &b.token).await.expect(200);
    assert_eq!(
        history["messages"].as_array().unwrap().len(),
        3,
        "only the accepted messages: {history}"
    );
    s.server.stop().await;
}

fn contents(page: &Value) -> Vec<String> {
    page["messages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["content"].as_str().unwrap().to_owned())
        .collect()
}

async fn history_pages_backwards_oldest_first(backend: Backend) {
    let s = TestServer::spawn(backend).await;
    let a = s.api.register("ann").await;
    let b = s.api.register("ben").await;
    let ab = s.api.direct(&a, &b).await;
    let empty = s.api.get(&format!("/v1/conversations/{ab}/messages"), &a.token).await.expect(200);
    assert_eq!(empty, json!({"messages": [], "has_more": false}));
    let mut sent = Vec::new();
    for i in 1..=7 {
        let from = if i % 2 == 0 { &b } else { &a };
        sent.push(s.api.send(from, ab, &format!("m{i}")).await);
    }
    let all = s.api.get(&format!("/v1/conversations/{ab}/messages"), &b.token).await.expect(200);
    let all_messages: Vec<Value> =
        all["messages"].as_array().unwrap().iter().map(sans_time).collect();
    let sent_messages: Vec<Value> = sent.iter().map(sans_time).collect();
    assert_eq!(all_messages, sent_messages, "default page: everything, oldest first");
    assert_eq!(all["has_more"], false);

    let base = format!("/v1/conversations/{ab}/messages");
    let page = s.api.get(&format!("{base}?limit=3"), &a.token).await.expect(200);
    assert_eq!(contents(&page), ["m5", "m6", "m7"], "the newest, oldest first");
    assert_eq!(page["has_more"], true);
    let before = page["messages"][0]["seq"].as_i64().unwrap();
    let page = s.api.get(&format!("{base}?limit=3&before={before}"), &a.token).await.expect(200);
    assert_eq!(contents(&page), ["m2", "m3", "m4"]);
    assert_eq!(page["has_more"], true);
    let before = page["messages"][0]["seq"].as_i64().unwrap();
    let page = s.api.get(&format!("{base}?limit=3&before={before}"), &a.token).await.expect(200);
    assert_eq!(contents(&page), ["m1"]);
    assert_eq!(page["has_more"], false);
    let first_seq = sent[0]["seq"].as_i64().unwrap();
    let page = s.api.get(&format!("{base}?before={first_seq}"), &a.token).await.expect(200);
    assert_eq!(page, json!({"messages": [], "has_more": false}));
    let page = s.api.get(&format!("{base}?limit=6"), &a.token).await.expect(200);
    assert_eq!(page["has_more"], true);
    let page = s.api.get(&format!("{base}?limit=7"), &a.token).await.expect(200);
    assert_eq!(page["has_more"], false, "exactly all: nothing more");
    s.api.get(&format!("{base}?limit=200"), &a.token).await.expect(200);

    for (query, field) in [
        ("limit=201", "limit"),
        ("limit=0", "limit"),
        ("limit=-1", "limit"),
        ("before=0", "before"),
    ] {
        let a422 = s.api.get(&format!("{base}?{query}"), &a.token).await;
        assert_eq!(
            (a422.status.as_u16(), a422.code()),
            (422, "validation_failed"),
            "{query}: {}",
            a422.body
        );
        assert_eq!(a422.field(field), "out_of_range", "{query}");
    }
    let a400 = s.api.get(&format!("{base}?limit=many"), &a.token).await;
    assert_eq!(a400.status, 400, "{}", a400.body);
    s.server.stop().await;
}

async fn reads_are_idempotent_and_clear_unread_counts(backend: Backend) {
    let s = TestServer::spawn(backend).await;
    let a = s.api.register("ann").await;
    let b = s.api.register("ben").await;
    let ab = s.api.direct(&a, &b).await;
    let mut from_b = Vec::new();
    for i in 0..3 {
        from_b.push(s.api.send(&b, ab, &format!("from ben {i}")).await);
    }
    let own = s.api.send(&a, ab, "from ann").await;
    let list = s.api.get("/v1/conversations", &a.token).await.expect(200);
    assert_eq!(summary(&list, ab)["unread_count"], 3);

    let first = from_b[0]["message_id"].clone();
    let a204 = s.api.post("/v1/read", &a.token, json!({"message_ids": [first]})).await;
    assert_eq!(a204.status, 204, "{}", a204.body);
    assert_eq!(a204.body, Value::Null);
    let list = s.api.get("/v1/conversations", &a.token).await.expect(200);
    assert_eq!(summary(&list, ab)["unread_count"], 2);
    let reads = s
        .api
        .get(&format!("/v1/messages/{}/reads", first.as_str().unwrap()), &b.token)
        .await
        .expect(200);
    let rows = reads["reads"].as_array().unwrap();
    assert_eq!(rows.len(), 1, "{reads}");
    assert_eq!(keys(&rows[0]), BTreeSet::from(["message_id", "user_id", "read_at"]));
    assert_eq!(rows[0]["message_id"], first);
    assert_eq!(rows[0]["user_id"], a.id.to_string());
    time(&rows[0]["read_at"]);

    // All of them, the first again included, twice: the first read_at stands.
    let all: Vec<Value> = from_b.iter().map(|m| m["message_id"].clone()).collect();
    s.api.post("/v1/read", &a.token, json!({"message_ids": all})).await.expect(204);
    s.api.post("/v1/read", &a.token, json!({"message_ids": all})).await.expect(204);
    let again = s
        .api
        .get(&format!("/v1/messages/{}/reads", first.as_str().unwrap()), &a.token)
        .await
        .expect(200);
    assert_eq!(again, reads, "read_at unchanged by later reads");
    let list = s.api.get("/v1/conversations", &a.token).await.expect(200);
    assert_eq!(summary(&list, ab)["unread_count"], 0);
    for m in &from_b {
        let r = s
            .api
            .get(&format!("/v1/messages/{}/reads", m["message_id"].as_str().unwrap()), &b.token)
            .await
            .expect(200);
        assert_eq!(r["reads"].as_array().unwrap().len(), 1, "{r}");
    }
    // Reading one's own message records nothing; nobody else has read it yet.
    s.api.post("/v1/read", &a.token, json!({"message_ids": [own["message_id"]]})).await.expect(204);
    let r = s
        .api
        .get(&format!("/v1/messages/{}/reads", own["message_id"].as_str().unwrap()), &a.token)
        .await
        .expect(200);
    assert_eq!(r["reads"], json!([]));
    let b_list = s.api.get("/v1/conversations", &b.token).await.expect(200);
    assert_eq!(summary(&b_list, ab)["unread_count"], 1);

    s.api.post("/v1/read", &a.token, json!({"message_ids": []})).await.expect(204);
    let too_many: Vec<Uuid> = (0..1001).map(|_| Uuid::new_v4()).collect();
    let a422 = s.api.post("/v1/read", &a.token, json!({"message_ids": too_many})).await;
    assert_eq!((a422.status.as_u16(), a422.code()), (422, "validation_failed"), "{}", a422.body);
    assert_eq!(a422.field("message_ids"), "too_many");
    let unknown = s.api.post("/v1/read", &a.token, json!({"message_ids": [Uuid::new_v4()]})).await;
    assert_eq!(unknown.status, 404, "{}", unknown.body);
    let a404 = s.api.get(&format!("/v1/messages/{}/reads", Uuid::new_v4()), &a.token).await;
    assert_eq!((a404.status.as_u16(), a404.code()), (404, "not_found"));
    let a404 = s.api.get("/v1/messages/xyz/reads", &a.token).await;
    assert_eq!(a404.status, 404);
    let a400 = s.api.post("/v1/read", &a.token, json!({"message_ids": "all"})).await;
    assert_eq!(a400.status, 400, "{}", a400.body);
    s.server.stop().await;
}

lodestar_tests::on_both_backends!(
    a_direct_conversation_is_opened_once,
    the_list_shows_last_message_and_unread_count_most_recent_first,
    sending_is_idempotent_by_message_id,
    the_answer_to_a_send_is_the_stored_message,
    message_rules,
    history_pages_backwards_oldest_first,
    reads_are_idempotent_and_clear_unread_counts,
);
