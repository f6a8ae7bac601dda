//! The unread counts kept by triggers (migration 0014) against a recount of the rows, after each
//! kind of write the replica makes: messages arriving, confirmed, re-applied, losing their sender,
//! deleted; reads arriving and going; and the replica learning whose it is.

#![allow(clippy::unwrap_used)]

use std::collections::BTreeMap;

use uuid::Uuid;

use super::*;

/// The counts the triggers keep, the conversations at zero left out.
async fn kept(r: &Replica) -> BTreeMap<Uuid, i64> {
    let rows: Vec<(Uuid, i64)> =
        sqlx::query_as("SELECT conversation_id, n FROM unread_counts WHERE n <> 0")
            .fetch_all(r.pool())
            .await
            .unwrap();
    rows.into_iter().collect()
}

/// The same counts from the rows themselves (what the conversation list counted before).
async fn recounted(r: &Replica) -> BTreeMap<Uuid, i64> {
    let rows: Vec<(Uuid, i64)> = sqlx::query_as(
        "SELECT m.conversation_id, count(*) FROM messages m, sync_state s WHERE s.id = 1 \
         AND m.seq IS NOT NULL AND (m.sender_id IS NULL OR m.sender_id <> s.me) AND NOT EXISTS \
         (SELECT 1 FROM message_read_status r WHERE r.message_id = m.message_id AND r.user_id = s.me) \
         GROUP BY m.conversation_id",
    )
    .fetch_all(r.pool())
    .await
    .unwrap();
    rows.into_iter().collect()
}

async fn run(r: &Replica, sql: &str, binds: &[Option<Uuid>]) {
    let mut q = sqlx::query(sql);
    for b in binds {
        q = q.bind(*b);
    }
    q.execute(r.pool()).await.unwrap();
}

async fn message(r: &Replica, id: Uuid, conv: Uuid, sender: Uuid, seq: Option<i64>) {
    sqlx::query(
        "INSERT INTO messages (message_id, conversation_id, sender_id, content, sent_at, seq) \
         VALUES ($1, $2, $3, 'hi', '2026-12-04T10:00:00Z', $4)",
    )
    .bind(id)
    .bind(conv)
    .bind(sender)
    .bind(seq)
    .execute(r.pool())
    .await
    .unwrap();
}

#[tokio::test]
async fn unread_counts_follow_every_write() {
    let dir = tempfile::tempdir().unwrap();
    let r = Replica::open(&dir.path().join("r.db")).await.unwrap();
    let (me, ann, ben) = (Uuid::new_v4(), Uuid::new_v4(), Uuid::new_v4());
    let (c1, c2) = (Uuid::new_v4(), Uuid::new_v4());
    let m: Vec<Uuid> = (0..8).map(|_| Uuid::new_v4()).collect();

    // Written before the replica knows whose it is: counted again when it learns.
    message(&r, m[0], c1, ann, Some(1)).await;
    r.set_me(me).await.unwrap();
    let check = |step: &'static str| {
        let r = r.clone();
        async move {
            let (k, c) = (kept(&r).await, recounted(&r).await);
            assert_eq!(k, c, "after {step}: kept {k:?}, recounted {c:?}");
            c
        }
    };
    assert_eq!(check("learning whose it is").await.get(&c1), Some(&1));

    message(&r, m[1], c1, ann, Some(2)).await;
    message(&r, m[2], c1, me, Some(3)).await; // one's own: never unread
    message(&r, m[3], c2, ben, Some(4)).await;
    message(&r, m[4], c2, me, None).await; // pending
    let counts = check("messages arriving").await;
    assert_eq!((counts.get(&c1), counts.get(&c2)), (Some(&2), Some(&1)));

    run(&r, "UPDATE messages SET seq = 5 WHERE message_id = $1", &[Some(m[4])]).await;
    check("one's own pending message confirmed").await;

    // A page applied again: the upsert updates every column.
    run(
        &r,
        "INSERT INTO messages (message_id, conversation_id, sender_id, content, sent_at, seq) \
         VALUES ($1, $2, $3, 'hi', '2026-12-04T10:00:00Z', 2) ON CONFLICT (message_id) DO UPDATE SET \
         conversation_id = excluded.conversation_id, sender_id = excluded.sender_id, seq = excluded.seq",
        &[Some(m[1]), Some(c1), Some(ann)],
    )
    .await;
    check("a message re-applied").await;

    let read = "INSERT INTO message_read_status (message_id, user_id, read_at) \
                VALUES ($1, $2, '2026-12-04T10:01:00Z') ON CONFLICT DO NOTHING";
    run(&r, read, &[Some(m[0]), Some(me)]).await;
    run(&r, read, &[Some(m[0]), Some(me)]).await; // again: nothing
    run(&r, read, &[Some(m[3]), Some(ann)]).await; // someone else's read
    run(&r, read, &[Some(m[7]), Some(me)]).await; // a read before its message arrives
    let counts = check("reads").await;
    assert_eq!(counts.get(&c1), Some(&1));
    message(&r, m[7], c2, ben, Some(6)).await;
    check("a message arriving already read").await;

    run(&r, "UPDATE messages SET sender_id = NULL WHERE sender_id = $1", &[Some(me)]).await;
    check("one's own account forgotten (its messages lose their sender)").await;
    run(&r, "UPDATE messages SET sender_id = NULL WHERE sender_id = $1", &[Some(ann)]).await;
    check("a sender forgotten").await;

    // A conversation deleted as `delete_conversation` does: its reads, then its messages.
    run(
        &r,
        "DELETE FROM message_read_status WHERE message_id IN \
         (SELECT message_id FROM messages WHERE conversation_id = $1)",
        &[Some(c1)],
    )
    .await;
    check("a conversation's reads deleted").await;
    run(&r, "DELETE FROM messages WHERE conversation_id = $1", &[Some(c1)]).await;
    let counts = check("a conversation's messages deleted").await;
    assert_eq!(counts.get(&c1), None);

    run(&r, "UPDATE sync_state SET me = $1 WHERE id = 1", &[Some(ben)]).await;
    check("another owner").await;
}
