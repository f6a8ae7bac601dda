//! Session notes written on two replicas at the same time, each offline, against a real server
//! on both backends: an insert inside a passage the other deletes keeps every inserted
//! character, inserts at the same place are both kept, and both replicas end with the same text
//! whichever syncs first; a client killed after the server took its update but before the
//! answer landed sends it again on restart, and nothing is lost or doubled.

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::path::Path;

use chrono::Utc;
use lodestar_client::outbox::OutboxAction;
use lodestar_client::sync::{pull, push};
use lodestar_client::Replica;
use lodestar_protocol::NotesUpdateRequest;
use lodestar_tests::{
    mentorship_with_session, signed_in_replica, unreachable_api, Backend, TestServer,
};
use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{ConnectOptions, Connection};
use uuid::Uuid;

async fn raw_sql(path: &Path, sql: &str) {
    let mut conn = SqliteConnectOptions::new().filename(path).connect().await.unwrap();
    sqlx::raw_sql(sql).execute(&mut conn).await.unwrap();
    conn.close().await.unwrap();
}

async fn concurrent_offline_notes_merge(backend: Backend, mentor_first: bool) {
    let s = TestServer::spawn(backend).await;
    let (ada, bob, _, mid, sid) = mentorship_with_session(&s.api).await;
    let (mid, sid) = (Uuid::parse_str(&mid).unwrap(), Uuid::parse_str(&sid).unwrap());
    let dir = tempfile::tempdir().unwrap();
    let (ada_api, ada_replica) = signed_in_replica(&s, &ada, &dir.path().join("ada")).await;
    let (bob_api, bob_replica) = signed_in_replica(&s, &bob, &dir.path().join("bob")).await;

    // A base text both have.
    ada_replica.queue_notes(mid, sid, "Agenda: joins, views", Utc::now()).await.unwrap();
    push(&ada_api, &ada_replica).await.unwrap();
    pull(&bob_api, &bob_replica, |_| {}).await.unwrap();
    assert_eq!(bob_replica.notes(sid).await.unwrap(), "Agenda: joins, views");

    // Offline, at the same time, each saving as the notes area does while they type: ada
    // inserts inside the passage bob deletes, then both add a line at the very end (inserts at
    // one place). Each one's saves fold into one outbox entry.
    let ada_text = "Agenda: joins, window functions, views\nada: bring examples";
    let bob_text = "Agenda: joins\nbob: read chapter 3";
    for text in ["Agenda: joins, window functions, views", ada_text] {
        ada_replica.queue_notes(mid, sid, text, Utc::now()).await.unwrap();
    }
    for text in ["Agenda: joins", bob_text] {
        bob_replica.queue_notes(mid, sid, text, Utc::now()).await.unwrap();
    }
    assert_eq!(ada_replica.outbox().await.unwrap().len(), 1, "two saves, one entry");
    for (who, token) in [(&ada_replica, &ada.token), (&bob_replica, &bob.token)] {
        assert!(push(&unreachable_api(token), who).await.unwrap().stopped.is_some());
    }
    assert_eq!(ada_replica.notes(sid).await.unwrap(), ada_text, "each sees their own at once");

    // Online again, in either order.
    let order = if mentor_first {
        [(&ada_api, &ada_replica), (&bob_api, &bob_replica)]
    } else {
        [(&bob_api, &bob_replica), (&ada_api, &ada_replica)]
    };
    for (api, replica) in order.iter().chain(order.iter()) {
        let report = push(api, replica).await.unwrap();
        assert_eq!(report.failed, 0);
        pull(api, replica, |_| {}).await.unwrap();
    }
    let (a, b) = (ada_replica.notes(sid).await.unwrap(), bob_replica.notes(sid).await.unwrap());
    assert_eq!(a, b, "both end with the same text");
    let server = s.api.get(&format!("/v1/sessions/{sid}/notes"), &ada.token).await.expect(200);
    assert_eq!(server["text"], a.as_str());
    for kept in ["window functions", "ada: bring examples", "bob: read chapter 3", "Agenda: joins"]
    {
        assert!(a.contains(kept), "{kept:?} kept in {a:?}");
    }
    assert!(!a.contains("views"), "the deleted passage stays deleted: {a:?}");
    s.server.stop().await;
}

async fn the_mentor_syncs_first(backend: Backend) {
    concurrent_offline_notes_merge(backend, true).await;
}

async fn the_mentee_syncs_first(backend: Backend) {
    concurrent_offline_notes_merge(backend, false).await;
}

async fn a_client_killed_mid_push_loses_nothing(backend: Backend) {
    let s = TestServer::spawn(backend).await;
    let (ada, _, _, mid, sid) = mentorship_with_session(&s.api).await;
    let (mid, sid) = (Uuid::parse_str(&mid).unwrap(), Uuid::parse_str(&sid).unwrap());
    let dir = tempfile::tempdir().unwrap();
    let (api, replica) = signed_in_replica(&s, &ada, dir.path()).await;
    replica.queue_notes(mid, sid, "Notes typed on a train ✓", Utc::now()).await.unwrap();

    // The push reached the server (it merged the update), then the process died before the
    // answer was written: the entry is still on disk, `sending`.
    let entry = replica.outbox().await.unwrap().remove(0);
    assert_eq!(entry.kind, "notes");
    let Some(OutboxAction::EditNotes(edit)) = &entry.action else { panic!("{entry:?}") };
    let update = edit.update.clone();
    api.merge_notes(sid, &NotesUpdateRequest { update }).await.unwrap();
    let path = dir.path().join("ada.db");
    drop(replica);
    raw_sql(
        &path,
        &format!("UPDATE outbox SET state = 'sending', attempts = 1 WHERE id = {}", entry.id),
    )
    .await;

    let replica = Replica::open(&path).await.unwrap();
    assert_eq!(
        replica.notes(sid).await.unwrap(),
        "Notes typed on a train ✓",
        "nothing typed is lost"
    );
    let report = push(&api, &replica).await.unwrap();
    assert_eq!((report.sent, report.failed), (1, 0));
    assert!(replica.outbox().await.unwrap().is_empty());
    let server = s.api.get(&format!("/v1/sessions/{sid}/notes"), &ada.token).await.expect(200);
    assert_eq!(server["text"], "Notes typed on a train ✓", "merged once, not doubled");
    assert_eq!(replica.notes(sid).await.unwrap(), "Notes typed on a train ✓");
    s.server.stop().await;
}

lodestar_tests::on_both_backends!(
    the_mentor_syncs_first,
    the_mentee_syncs_first,
    a_client_killed_mid_push_loses_nothing
);
