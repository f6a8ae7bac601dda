//! The queue's own rules on a real replica file: what a child receives from its parent, and
//! which entry `take_next` hands out.

#![allow(clippy::unwrap_used)]

use chrono::Utc;
use lodestar_protocol::SendMessageRequest;
use uuid::Uuid;

use super::*;
use crate::outbox::OpenDirect;

async fn replica() -> (tempfile::TempDir, Replica) {
    let dir = tempfile::tempdir().unwrap();
    let replica = Replica::open(&dir.path().join("r.db")).await.unwrap();
    (dir, replica)
}

fn message(conversation_id: Uuid) -> OutboxAction {
    OutboxAction::from(SendMessageRequest {
        message_id: Uuid::new_v4(),
        conversation_id,
        content: Some("hi".into()),
        media_url: None,
        sent_at: None,
        reply_to: None,
    })
}

#[tokio::test]
async fn a_child_waits_and_then_receives_its_parents_answer() {
    let (_dir, replica) = replica().await;
    let conv = Uuid::new_v4();
    let mut tx = replica.write().await.unwrap();
    let open = OpenDirect { conversation_id: conv, other_user_id: Uuid::new_v4() };
    let parent = enqueue(&mut tx, open.into(), Utc::now()).await.unwrap();
    let child = enqueue(&mut tx, message(conv), Utc::now()).await.unwrap();
    let elsewhere = enqueue(&mut tx, message(Uuid::new_v4()), Utc::now()).await.unwrap();
    tx.commit().await.unwrap();

    // The parent goes first; while it is in flight, its lane waits but another lane does not.
    assert_eq!(replica.take_next().await.unwrap().unwrap().id, parent);
    assert_eq!(replica.take_next().await.unwrap().unwrap().id, elsewhere);
    assert!(replica.take_next().await.unwrap().is_none(), "the child waits for its parent");

    let mut tx = replica.write().await.unwrap();
    retire(&mut tx, parent, r#"{"conversation_id":"x"}"#).await.unwrap();
    tx.commit().await.unwrap();
    let next = replica.take_next().await.unwrap().unwrap();
    assert_eq!((next.id, next.depends_on), (child, None));
    assert_eq!(next.parent_result, Some(serde_json::json!({"conversation_id": "x"})));
}

#[tokio::test]
async fn entries_left_sending_by_a_crash_go_again_after_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("r.db");
    let replica = Replica::open(&path).await.unwrap();
    let mut tx = replica.write().await.unwrap();
    let id = enqueue(&mut tx, message(Uuid::new_v4()), Utc::now()).await.unwrap();
    tx.commit().await.unwrap();
    assert_eq!(replica.take_next().await.unwrap().unwrap().id, id);
    drop(replica);
    let replica = Replica::open(&path).await.unwrap();
    let again = replica.take_next().await.unwrap().unwrap();
    assert_eq!((again.id, again.attempts), (id, 2), "taken again, its first attempt counted");
}
