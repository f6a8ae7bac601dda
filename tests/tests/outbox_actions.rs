//! The one outbox against a real server: dependent entries (a conversation opened offline
//! before its messages), a refused parent blocking its children, discarding a parent with its
//! children, a parent acknowledged after a crash, payload folding, an entry written by a newer
//! version kept and reported, and a replica of the previous version migrated with its queue.

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::path::Path;

use chrono::Utc;
use lodestar_client::outbox::OutboxAction;
use lodestar_client::replica::{MessageStatus, OutboxState};
use lodestar_client::sync::{pull, push};
use lodestar_client::{Api, Replica};
use lodestar_protocol::{direct_conversation_id, UpdateMeRequest};
use lodestar_tests::{signed_in_replica, unreachable_api, Backend, TestServer, User};
use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{ConnectOptions, Connection};
use uuid::Uuid;

/// Runs SQL on a replica file the way another process (or an older or newer version) would.
async fn raw_sql(path: &Path, sql: &str) {
    let mut conn = SqliteConnectOptions::new().filename(path).connect().await.unwrap();
    sqlx::raw_sql(sql).execute(&mut conn).await.unwrap();
    conn.close().await.unwrap();
}

async fn server_texts(s: &TestServer, conv: Uuid, reader: &User) -> Vec<String> {
    let page =
        s.api.get(&format!("/v1/conversations/{conv}/messages"), &reader.token).await.expect(200);
    page["messages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["content"].as_str().unwrap().to_owned())
        .collect()
}

async fn messages_wait_for_their_conversation_even_across_a_crash(backend: Backend) {
    let s = TestServer::spawn(backend).await;
    let dir = tempfile::tempdir().unwrap();
    let ann = s.api.register("ann").await;
    let ben = s.api.register("ben").await;
    let (api, replica) = signed_in_replica(&s, &ann, dir.path()).await;

    // Offline: the conversation opens here at once, and two messages go into it.
    let conv = replica.open_direct_locally(ann.id, ben.id, Utc::now()).await.unwrap();
    assert_eq!(conv, direct_conversation_id(ann.id, ben.id));
    for text in ["first", "second"] {
        replica.queue_message(ann.id, conv, Some(text), None, None, Utc::now()).await.unwrap();
    }
    let queued = replica.outbox().await.unwrap();
    assert_eq!(queued.len(), 3);
    assert_eq!(queued[0].kind, "open_direct");
    assert_eq!(queued[0].summary().title, "New conversation");
    for child in &queued[1..] {
        assert_eq!(child.depends_on, Some(queued[0].id), "a message waits for its conversation");
        assert_eq!(child.conversation_id(), Some(conv));
    }
    let report = push(&unreachable_api(&ann.token), &replica).await.unwrap();
    assert_eq!(report.sent, 0);
    assert!(report.stopped.is_some());

    // A crash while the opening was on its way: the entry stays `sending` on disk.
    let path = dir.path().join("ann.db");
    drop(replica);
    raw_sql(
        &path,
        &format!("UPDATE outbox SET state = 'sending', attempts = 1 WHERE id = {}", queued[0].id),
    )
    .await;
    let replica = Replica::open(&path).await.unwrap();
    let reopened = replica.outbox().await.unwrap();
    assert_eq!(reopened[0].state, OutboxState::Pending, "a crash's `sending` is pending again");

    // Online: the conversation first, then its messages in order, each once.
    let report = push(&api, &replica).await.unwrap();
    assert_eq!((report.sent, report.failed, report.stopped), (3, 0, None));
    assert!(replica.outbox().await.unwrap().is_empty());
    assert_eq!(server_texts(&s, conv, &ben).await, ["first", "second"]);
    pull(&api, &replica, |_| {}).await.unwrap();
    let shown = replica.messages(ann.id, conv, None, 50).await.unwrap();
    assert!(shown.iter().all(|m| m.status == MessageStatus::Sent), "{shown:?}");
    s.server.stop().await;
}

async fn a_refused_parent_blocks_its_children_until_retried_or_discarded(backend: Backend) {
    let s = TestServer::spawn(backend).await;
    let dir = tempfile::tempdir().unwrap();
    let ann = s.api.register("ann").await;
    let ben = s.api.register("ben").await;
    let known = s.api.direct(&ann, &ben).await;
    let (api, replica) = signed_in_replica(&s, &ann, dir.path()).await;

    // Someone the server does not know (an account deleted since, say).
    let ghost = Uuid::new_v4();
    let conv = replica.open_direct_locally(ann.id, ghost, Utc::now()).await.unwrap();
    replica.queue_message(ann.id, conv, Some("hello?"), None, None, Utc::now()).await.unwrap();
    replica
        .queue_message(ann.id, known, Some("unrelated, still goes"), None, None, Utc::now())
        .await
        .unwrap();
    let report = push(&api, &replica).await.unwrap();
    assert_eq!((report.sent, report.failed), (1, 1), "{report:?}");

    let entries = replica.outbox().await.unwrap();
    assert_eq!(entries.len(), 2);
    let (parent, child) = (&entries[0], &entries[1]);
    assert_eq!(parent.state, OutboxState::Failed);
    let reason = parent.last_error.clone().unwrap();
    assert!(reason.starts_with("not_found"), "{reason}");
    assert_eq!(child.state, OutboxState::Blocked);
    let blocked = child.last_error.clone().unwrap();
    assert!(blocked.contains(&parent.id.to_string()) && blocked.contains(&reason), "{blocked}");
    assert_eq!(replica.outbox_counts().await.unwrap(), (0, 2), "both wait for the user");
    // The message shows failed with the reason, in its conversation and in the list.
    let shown = replica.messages(ann.id, conv, None, 50).await.unwrap();
    assert!(matches!(&shown[0].status, MessageStatus::Failed { reason } if reason == &blocked));
    let listed = replica.conversations(ann.id).await.unwrap();
    assert_eq!(listed.iter().find(|c| c.conversation_id == conv).unwrap().failed_count, 1);
    // A message written now cannot go either.
    replica.queue_message(ann.id, conv, Some("anyone?"), None, None, Utc::now()).await.unwrap();
    let later = replica.outbox().await.unwrap();
    assert_eq!((later[2].state, later[2].depends_on), (OutboxState::Blocked, Some(parent.id)));
    // A blocked entry is not the one to retry.
    assert_eq!(replica.retry(child.id).await.unwrap_err().code().to_string(), "not_found");

    // Retrying the parent readies its children; refused again, they are blocked again.
    replica.retry(parent.id).await.unwrap();
    let states: Vec<OutboxState> =
        replica.outbox().await.unwrap().iter().map(|e| e.state).collect();
    assert_eq!(states, [OutboxState::Pending; 3]);
    let report = push(&api, &replica).await.unwrap();
    assert_eq!((report.sent, report.failed), (0, 1));
    let states: Vec<OutboxState> =
        replica.outbox().await.unwrap().iter().map(|e| e.state).collect();
    assert_eq!(states, [OutboxState::Failed, OutboxState::Blocked, OutboxState::Blocked]);

    // Discarding the parent takes its children, their messages and the conversation with it.
    replica.discard(parent.id).await.unwrap();
    assert!(replica.outbox().await.unwrap().is_empty());
    assert!(replica.messages(ann.id, conv, None, 50).await.unwrap().is_empty());
    assert!(!replica.has_conversation(conv).await.unwrap());
    assert!(replica.has_conversation(known).await.unwrap());
    assert_eq!(server_texts(&s, known, &ben).await, ["unrelated, still goes"]);
    s.server.stop().await;
}

async fn waiting_edits_of_one_subject_fold_into_one_entry(backend: Backend) {
    let s = TestServer::spawn(backend).await;
    let dir = tempfile::tempdir().unwrap();
    let ann = s.api.register("ann").await;
    let ben = s.api.register("ben").await;
    let conv = s.api.direct(&ann, &ben).await;
    let (api, replica) = signed_in_replica(&s, &ann, dir.path()).await;

    // Ten profile edits offline: one entry, later values winning field by field.
    for i in 0..10 {
        let patch = UpdateMeRequest {
            bio: Some(Some(format!("bio, take {i}"))),
            city: (i == 3).then(|| Some("Austin".to_owned())),
            ..Default::default()
        };
        replica.queue_profile(ann.id, &patch, Utc::now()).await.unwrap();
    }
    let queued = replica.outbox().await.unwrap();
    assert_eq!(queued.len(), 1, "ten edits of the profile send one patch");
    let fields = queued[0].summary().detail;
    assert!(fields.contains("bio") && fields.contains("city"), "{fields}");

    // Read receipts of one conversation fold too.
    let mut bens = Vec::new();
    for text in ["one", "two"] {
        let id = Uuid::new_v4();
        s.api
            .post(
                "/v1/messages",
                &ben.token,
                serde_json::json!({"message_id": id, "conversation_id": conv, "content": text}),
            )
            .await
            .expect(201);
        bens.push(id);
        pull(&api, &replica, |_| {}).await.unwrap();
        assert_eq!(replica.queue_read(ann.id, conv, Utc::now()).await.unwrap(), 1);
    }
    let queued = replica.outbox().await.unwrap();
    assert_eq!(queued.len(), 2, "{queued:?}");
    match &queued[1].action {
        Some(OutboxAction::Read(read)) => assert_eq!(read.message_ids, bens),
        other => panic!("expected one read entry, got {other:?}"),
    }

    let report = push(&api, &replica).await.unwrap();
    assert_eq!((report.sent, report.failed), (2, 0));
    let me = s.api.get("/v1/me", &ann.token).await.expect(200);
    assert_eq!((me["bio"].as_str(), me["city"].as_str()), (Some("bio, take 9"), Some("Austin")));
    for id in bens {
        let reads = s.api.get(&format!("/v1/messages/{id}/reads"), &ben.token).await.expect(200);
        assert_eq!(reads["reads"][0]["user_id"], ann.id.to_string(), "{reads}");
    }
    s.server.stop().await;
}

async fn an_entry_of_a_newer_version_is_kept_and_reported(backend: Backend) {
    let s = TestServer::spawn(backend).await;
    let dir = tempfile::tempdir().unwrap();
    let ann = s.api.register("ann").await;
    let ben = s.api.register("ben").await;
    let conv = s.api.direct(&ann, &ben).await;
    let (api, replica) = signed_in_replica(&s, &ann, dir.path()).await;
    replica.queue_message(ann.id, conv, Some("before"), None, None, Utc::now()).await.unwrap();
    let path = dir.path().join("ann.db");
    drop(replica);
    // A newer Lodestar queued an action this version has never heard of.
    raw_sql(
        &path,
        "INSERT INTO outbox (kind, lane, subject, subject_id, action, created_at) VALUES \
         ('teleport', 'me', 'teleport', NULL, '{\"kind\":\"teleport\",\"to\":\"mars\"}', '2026-12-03T09:00:00Z')",
    )
    .await;
    let replica = Replica::open(&path).await.unwrap();
    replica.queue_message(ann.id, conv, Some("after"), None, None, Utc::now()).await.unwrap();

    let listed = replica.outbox().await.unwrap();
    assert_eq!(listed.len(), 3);
    let newer = &listed[1];
    assert_eq!((newer.kind.as_str(), newer.action.is_none()), ("teleport", true));
    assert!(newer.summary().detail.contains("newer version"), "{:?}", newer.summary());

    let report = push(&api, &replica).await.unwrap();
    assert_eq!((report.sent, report.failed, report.stopped), (2, 0, None), "the rest still goes");
    assert_eq!(server_texts(&s, conv, &ben).await, ["before", "after"]);
    let left = replica.outbox().await.unwrap();
    assert_eq!(left.len(), 1, "kept, never dropped");
    assert_eq!(
        (left[0].kind.as_str(), left[0].state, left[0].attempts),
        ("teleport", OutboxState::Pending, 0)
    );
    assert_eq!(replica.outbox_counts().await.unwrap(), (1, 0), "and counted as waiting");
    s.server.stop().await;
}

async fn a_replica_of_the_previous_version_keeps_its_queue(backend: Backend) {
    let s = TestServer::spawn(backend).await;
    let dir = tempfile::tempdir().unwrap();
    let ann = s.api.register("ann").await;
    let ben = s.api.register("ben").await;
    let cat = s.api.register("cat").await;
    let conv = s.api.direct(&ann, &ben).await;
    let r = Uuid::new_v4();
    s.api
        .post(
            "/v1/messages",
            &ben.token,
            serde_json::json!({"message_id": r, "conversation_id": conv, "content": "read me"}),
        )
        .await
        .expect(201);
    let path = dir.path().join("ann.db");

    // The previous version's replica (migrations up to 0004), with its queue written the way
    // that version wrote it: a message, read receipts, a profile edit, and a conversation with
    // cat opened offline with a message in it.
    let mut migrator = sqlx::migrate::Migrator::new(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../migrations/client"),
    )
    .await
    .unwrap();
    migrator.migrations =
        migrator.migrations.iter().filter(|m| m.version <= 4).cloned().collect::<Vec<_>>().into();
    {
        let mut conn = SqliteConnectOptions::new()
            .filename(&path)
            .create_if_missing(true)
            .connect()
            .await
            .unwrap();
        migrator.run(&mut conn).await.unwrap();
        conn.close().await.unwrap();
    }
    let cat_conv = direct_conversation_id(ann.id, cat.id);
    let hex = |id: Uuid| id.simple().to_string();
    let (m1, m2) = (Uuid::new_v4(), Uuid::new_v4());
    let sent_at = "2026-12-03T09:00:00Z";
    raw_sql(
        &path,
        &format!(
            "UPDATE sync_state SET me = x'{me}';
             INSERT INTO conversations VALUES (x'{cc}', 'DIRECT', NULL, '{sent_at}');
             INSERT INTO local_conversations VALUES (x'{cc}', x'{cat}');
             INSERT INTO messages VALUES (x'{m1}', x'{conv}', x'{me}', 'to ben', NULL, '{sent_at}', NULL);
             INSERT INTO messages VALUES (x'{m2}', x'{cc}', x'{me}', 'to cat', NULL, '{sent_at}', NULL);
             INSERT INTO outbox (kind, conversation_id, message_id, payload, created_at) VALUES
               ('message', x'{conv}', x'{m1}', '{{\"message_id\":\"{m1s}\",\"conversation_id\":\"{convs}\",\"content\":\"to ben\",\"media_url\":null,\"sent_at\":\"{sent_at}\"}}', '{sent_at}'),
               ('read', x'{conv}', NULL, '{{\"message_ids\":[\"{rs}\"]}}', '{sent_at}'),
               ('profile', NULL, NULL, '{{\"bio\":\"migrated\"}}', '{sent_at}'),
               ('message', x'{cc}', x'{m2}', '{{\"message_id\":\"{m2s}\",\"conversation_id\":\"{ccs}\",\"content\":\"to cat\",\"media_url\":null,\"sent_at\":\"{sent_at}\"}}', '{sent_at}');",
            me = hex(ann.id),
            cc = hex(cat_conv),
            cat = hex(cat.id),
            conv = hex(conv),
            m1 = hex(m1),
            m2 = hex(m2),
            m1s = m1,
            m2s = m2,
            convs = conv,
            ccs = cat_conv,
            rs = r,
        ),
    )
    .await;

    let replica = Replica::open(&path).await.unwrap();
    let entries = replica.outbox().await.unwrap();
    let kinds: Vec<&str> = entries.iter().map(|e| e.kind.as_str()).collect();
    assert_eq!(kinds, ["message", "read", "profile", "message", "open_direct"]);
    assert!(entries.iter().all(|e| e.action.is_some()), "every entry reads: {entries:?}");
    assert_eq!(entries[0].message_id(), Some(m1));
    assert_eq!(entries[1].conversation_id(), Some(conv));
    match &entries[1].action {
        Some(OutboxAction::Read(read)) => assert_eq!(read.message_ids, [r]),
        other => panic!("{other:?}"),
    }
    assert_eq!(
        entries[3].depends_on,
        Some(entries[4].id),
        "the message waits for its conversation"
    );
    assert_eq!(entries[0].depends_on, None);

    let api = Api::new(&s.api.base).unwrap().with_token(&ann.token);
    let report = push(&api, &replica).await.unwrap();
    assert_eq!((report.sent, report.failed), (5, 0), "{report:?} {:?}", replica.outbox().await);
    assert!(replica.outbox().await.unwrap().is_empty());
    assert_eq!(server_texts(&s, conv, &ben).await, ["read me", "to ben"]);
    let reads = s.api.get(&format!("/v1/messages/{r}/reads"), &ben.token).await.expect(200);
    assert_eq!(reads["reads"][0]["user_id"], ann.id.to_string(), "{reads}");
    assert_eq!(server_texts(&s, cat_conv, &cat).await, ["to cat"]);
    let me = s.api.get("/v1/me", &ann.token).await.expect(200);
    assert_eq!(me["bio"].as_str(), Some("migrated"));
    s.server.stop().await;
}

lodestar_tests::on_both_backends!(
    messages_wait_for_their_conversation_even_across_a_crash,
    a_refused_parent_blocks_its_children_until_retried_or_discarded,
    waiting_edits_of_one_subject_fold_into_one_entry,
    an_entry_of_a_newer_version_is_kept_and_reported,
    a_replica_of_the_previous_version_keeps_its_queue,
);
