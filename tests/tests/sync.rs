//! `GET /v1/sync`: paging equivalence, visibility, history on joining, deletes on leaving, and
//! the late-commit guarantee on PostgreSQL.

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::collections::HashSet;
use std::time::Duration;

use lodestar_tests::{Api, Backend, TestServer, User};
use serde_json::{json, Value};
use uuid::Uuid;

fn seqs(changes: &[Value]) -> Vec<i64> {
    changes.iter().map(|c| c["seq"].as_i64().unwrap()).collect()
}

fn mentions(changes: &[Value], id: Uuid) -> bool {
    let id = id.to_string();
    changes.iter().any(|c| c["data"].to_string().contains(&id))
}

/// A small world: A and B talk directly, A, B and C share a group, everyone reads and edits.
async fn world(api: &Api) -> (User, User, User, Uuid, Uuid) {
    let a = api.register_with("ann", json!({"mentor_status": true, "skills": ["rust"]})).await;
    let b = api.register_with("ben", json!({"mentee_status": true})).await;
    let c = api.register("cat").await;
    let ab = api.direct(&a, &b).await;
    for i in 0..7 {
        let from = if i % 2 == 0 { &a } else { &b };
        api.send(from, ab, &format!("direct {i}")).await;
    }
    let group = api
        .post("/v1/groups", &a.token, json!({"group_name": "Circle", "member_ids": [b.id, c.id]}))
        .await
        .expect(201);
    let gconv: Uuid = group["conversation_id"].as_str().unwrap().parse().unwrap();
    for i in 0..5 {
        let m = api.send(&c, gconv, &format!("group {i}")).await;
        api.post("/v1/read", &b.token, json!({"message_ids": [m["message_id"]]})).await.expect(204);
    }
    api.patch("/v1/me", &a.token, json!({"bio": "I mentor Rust folks"})).await.expect(200);
    (a, b, c, ab, gconv)
}

async fn paging_by_one_equals_one_big_page(backend: Backend) {
    let s = TestServer::spawn(backend).await;
    let (a, b, c, _, _) = world(&s.api).await;
    for user in [&a, &b, &c] {
        let (big, big_cursor) = s.api.sync_all(user, None, 1000).await;
        let (small, small_cursor) = s.api.sync_all(user, None, 1).await;
        assert!(!big.is_empty());
        assert_eq!(big, small, "paging by 1 differs for {}", user.username);
        assert_eq!(big_cursor, small_cursor);
        let ordered = seqs(&big);
        assert!(
            ordered.windows(2).all(|w| w[0] < w[1]),
            "seqs not strictly increasing: {ordered:?}"
        );
        // From the final cursor nothing more comes.
        let (rest, _) = s.api.sync_all(user, Some(&big_cursor), 10).await;
        assert!(rest.is_empty(), "changes after the final cursor: {rest:?}");
    }
    // What each user sees is consistent with what they can read over HTTP.
    let (b_changes, _) = s.api.sync_all(&b, None, 1000).await;
    let messages = b_changes.iter().filter(|c| c["kind"] == "message").count();
    assert_eq!(messages, 12, "ben sees 7 direct and 5 group messages");
    let own = b_changes
        .iter()
        .filter(|c| c["kind"] == "profile" && c["data"]["user_id"] == b.id.to_string());
    assert!(
        own.clone().all(|c| c["data"]["email"] == "ben@example.com"),
        "own profile comes as Me"
    );
    let others = b_changes
        .iter()
        .filter(|c| c["kind"] == "profile" && c["data"]["user_id"] != b.id.to_string());
    assert!(others.clone().count() >= 2);
    assert!(
        others.clone().all(|c| c["data"].get("email").is_none()),
        "others' private fields leaked"
    );
    assert!(b_changes
        .iter()
        .any(|c| c["kind"] == "profile" && c["data"]["bio"] == "I mentor Rust folks"));
    s.server.stop().await;
}

async fn a_stranger_sees_nothing_of_others(backend: Backend) {
    let s = TestServer::spawn(backend).await;
    let (a, b, c, ab, gconv) = world(&s.api).await;
    let stranger = s.api.register("sam").await;
    let (seen, _) = s.api.sync_all(&stranger, None, 1000).await;
    for id in [a.id, b.id, c.id, ab, gconv] {
        assert!(!mentions(&seen, id), "the stranger saw {id}: {seen:?}");
    }
    assert!(seen.iter().all(|c| c["kind"] == "profile"), "only their own profile: {seen:?}");
    // C is in the group with A and B but not in their direct conversation.
    let (c_seen, _) = s.api.sync_all(&c, None, 1000).await;
    assert!(!mentions(&c_seen, ab), "cat saw the direct conversation of ann and ben");
    s.server.stop().await;
}

async fn joining_brings_history_and_leaving_sends_a_delete(backend: Backend) {
    let s = TestServer::spawn(backend).await;
    let (a, _, _, _, gconv) = world(&s.api).await;
    let dan = s.api.register("dan").await;
    let (_, before_join) = s.api.sync_all(&dan, None, 100).await;
    let group_id = s.api.get(&format!("/v1/conversations/{gconv}"), &a.token).await.expect(200)
        ["group_id"]
        .clone();
    s.api
        .post(
            &format!("/v1/groups/{}/members", group_id.as_str().unwrap()),
            &a.token,
            json!({"user_id": dan.id}),
        )
        .await
        .expect(201);
    let (joined, after_join) = s.api.sync_all(&dan, Some(&before_join), 100).await;
    let history: Vec<&Value> = joined.iter().filter(|c| c["kind"] == "message").collect();
    assert_eq!(history.len(), 5, "the group's five old messages reach the new member");
    assert!(joined.iter().any(|c| c["kind"] == "read"), "and their read receipts");
    assert!(joined
        .iter()
        .any(|c| c["kind"] == "profile" && c["data"]["user_id"] == a.id.to_string()));
    assert!(joined.iter().any(|c| c["kind"] == "group" && c["data"]["group_name"] == "Circle"));
    // Dan leaves: a delete for his membership, then nothing more of the group.
    s.api
        .delete(
            &format!("/v1/groups/{}/members/{}", group_id.as_str().unwrap(), dan.id),
            &dan.token,
        )
        .await
        .expect(204);
    s.api.send(&a, gconv, "after dan left").await;
    let (left, _) = s.api.sync_all(&dan, Some(&after_join), 100).await;
    assert!(
        left.iter().any(|c| c["kind"] == "group_member"
            && c["op"] == "delete"
            && c["data"]["user_id"] == dan.id.to_string()),
        "no membership delete: {left:?}"
    );
    assert!(
        !left.iter().any(|c| c["kind"] == "message"),
        "a message after leaving reached dan: {left:?}"
    );
    s.server.stop().await;
}

async fn bad_cursors_and_limits_are_refused(backend: Backend) {
    let s = TestServer::spawn(backend).await;
    let a = s.api.register("ann").await;
    assert_eq!(s.api.get("/v1/sync?since=yesterday", &a.token).await.field("since"), "invalid");
    assert_eq!(s.api.get("/v1/sync?since=-4", &a.token).await.field("since"), "invalid");
    assert_eq!(s.api.get("/v1/sync?limit=0", &a.token).await.field("limit"), "out_of_range");
    assert_eq!(s.api.get("/v1/sync?limit=1001", &a.token).await.field("limit"), "out_of_range");
    s.api.get("/v1/sync?limit=1000", &a.token).await.expect(200);
    s.server.stop().await;
}

lodestar_tests::on_both_backends!(
    paging_by_one_equals_one_big_page,
    a_stranger_sees_nothing_of_others,
    joining_brings_history_and_leaving_sends_a_delete,
    bad_cursors_and_limits_are_refused,
);

/// The late-commit case: a writer holds its transaction open after taking its seq, others try
/// to commit meanwhile, and a reader syncs throughout. The held change must still reach a cursor
/// that was handed out while it was in flight, and nothing may come twice.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_late_commit_is_never_skipped_on_postgres() {
    use sqlx::Connection;
    let s = TestServer::spawn(Backend::Postgres).await;
    let a = s.api.register("ann").await;
    let b = s.api.register("ben").await;
    let ab = s.api.direct(&a, &b).await;
    s.api.send(&a, ab, "before").await;
    let (_, start) = s.api.sync_all(&b, None, 100).await;

    // The writer in flight: a message and its change, under a seq taken from the counter, held.
    let mut held = sqlx::PgConnection::connect(&s.db.url).await.unwrap();
    let mut tx = held.begin().await.unwrap();
    let held_seq: i64 =
        sqlx::query_scalar("UPDATE seq_counter SET value = value + 1 WHERE id = 1 RETURNING value")
            .fetch_one(&mut *tx)
            .await
            .unwrap();
    let held_id = Uuid::new_v4();
    let message = json!({"message_id": held_id, "conversation_id": ab, "sender_id": a.id, "content": "held",
        "media_url": null, "sent_at": chrono::Utc::now(), "seq": held_seq});
    sqlx::query("INSERT INTO messages (message_id, conversation_id, sender_id, content, sent_at, seq) VALUES ($1, $2, $3, 'held', now(), $4)")
        .bind(held_id)
        .bind(ab)
        .bind(a.id)
        .bind(held_seq)
        .execute(&mut *tx)
        .await
        .unwrap();
    sqlx::query("INSERT INTO changes (seq, kind, op, data, conversation_id) VALUES ($1, 'message', 'upsert', $2, $3)")
        .bind(held_seq)
        .bind(message.to_string())
        .bind(ab)
        .execute(&mut *tx)
        .await
        .unwrap();

    // Others write while it is open.
    let api = s.api.clone();
    let (a2, ab2) = (a.clone(), ab);
    let writers = tokio::spawn(async move {
        let mut sent = Vec::new();
        for i in 0..5 {
            sent.push(
                api.send(&a2, ab2, &format!("concurrent {i}")).await["message_id"]
                    .as_str()
                    .unwrap()
                    .to_owned(),
            );
        }
        sent
    });
    // A reader syncs while the writer is held; whatever cursor it gets must not pass the held seq.
    tokio::time::sleep(Duration::from_millis(300)).await;
    let page = s.api.get(&format!("/v1/sync?since={start}"), &b.token).await.expect(200);
    let mid_cursor = page["cursor"].as_str().unwrap().to_owned();
    assert!(
        mid_cursor.parse::<i64>().unwrap() < held_seq,
        "the cursor moved past a change still in flight"
    );
    // The others wait behind the seq in flight: that ordering is what keeps cursors gap-free.
    assert!(!writers.is_finished(), "writers committed past a seq still in flight");
    assert!(page["changes"].as_array().unwrap().is_empty());

    tx.commit().await.unwrap();
    let sent = tokio::time::timeout(Duration::from_secs(10), writers).await.unwrap().unwrap();
    let (after, _) = s.api.sync_all(&b, Some(&mid_cursor), 2).await;
    let ids: Vec<String> = after
        .iter()
        .filter(|c| c["kind"] == "message")
        .map(|c| c["data"]["message_id"].as_str().unwrap().to_owned())
        .collect();
    assert!(ids.contains(&held_id.to_string()), "the late commit was skipped: {ids:?}");
    for id in &sent {
        assert!(ids.contains(id), "a concurrent message is missing");
    }
    let unique: HashSet<&String> = ids.iter().collect();
    assert_eq!(unique.len(), ids.len(), "a change came twice: {ids:?}");
    s.server.stop().await;
}
