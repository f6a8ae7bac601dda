//! Replies, edits, deletes, reactions and typing through the desktop app's core
//! (`lodestar_client::app::App`, its engine live on a real server): each shows at once, works
//! offline and reaches the other person's app in order after the send it follows; a refused
//! edit puts the server's text back; the search index forgets replaced and deleted text at once;
//! typing reaches the other app as an event and nothing of it is stored.

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

mod desktop_app_support;

use desktop_app_support::*;
use lodestar_client::engine::{Event, SyncState};
use lodestar_client::replica::MessageStatus;
use lodestar_tests::{Backend, TestServer};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn revisions_made_offline_reach_the_other_app_in_order() {
    let s = TestServer::spawn(Backend::Sqlite).await;
    let (dir_a, dir_b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let ben = signed_up(&s, dir_b.path(), form("ben")).await;
    let ann = signed_up(&s, dir_a.path(), form("ann")).await;
    let conv = ann.open_direct("ben").await.unwrap();
    let first =
        ann.send(conv, Some("lunch on tuesdya?"), None, None).await.unwrap().message.message_id;
    let typo = ann
        .send(conv, Some("at the cafe by the park"), None, None)
        .await
        .unwrap()
        .message
        .message_id;
    online(&ann).await;
    online(&ben).await;
    eventually("both sent", || async {
        let a = shown(&ann, conv, first).await?;
        let b = shown(&ann, conv, typo).await?;
        (a.status == MessageStatus::Sent && b.status == MessageStatus::Sent).then_some(())
    })
    .await;
    let reply = {
        eventually("ben has it", || async { shown(&ben, conv, first).await }).await;
        ben.send(conv, Some("yes! noon?"), None, Some(first)).await.unwrap()
    };
    let quoted = reply.reply.expect("the reply quotes at once");
    assert_eq!(
        (quoted.message_id, quoted.text.as_str(), quoted.sender_name.as_deref()),
        (first, "lunch on tuesdya?", Some("ann"))
    );
    let reply_id = reply.message.message_id;
    let at_ann =
        eventually("ben's reply at ann", || async { shown(&ann, conv, reply_id).await }).await;
    assert_eq!(at_ann.reply.map(|q| q.message_id), Some(first));

    // Offline: an edit, a delete and a reaction, each shown at once.
    let (db, addr) = s.stop().await;
    eventually("offline", || async {
        matches!(ann.sync_state(), SyncState::Offline { .. }).then_some(())
    })
    .await;
    ann.edit_message(first, "lunch on tuesday?").await.unwrap();
    ann.delete_message(typo).await.unwrap();
    ann.react(reply_id, "👍", true).await.unwrap();
    let now = ann.messages(conv, 50).await.unwrap();
    let find = |id| now.iter().find(|m| m.message.message_id == id).unwrap();
    assert_eq!(find(first).message.content.as_deref(), Some("lunch on tuesday?"));
    assert!(find(first).message.edited_at.is_some());
    assert!(find(typo).message.deleted_at.is_some() && find(typo).message.content.is_none());
    assert_eq!(
        (find(reply_id).reactions[0].emoji.as_str(), find(reply_id).reactions[0].mine),
        ("👍", true)
    );
    assert!(ann.search("cafe").await.unwrap().is_empty(), "search forgot the deleted text at once");
    assert!(ann.search("tuesdya").await.unwrap().is_empty(), "…and the replaced one");
    assert_eq!(ann.search("tuesday").await.unwrap().len(), 1);
    let kinds: Vec<String> = ann.outbox().await.unwrap().into_iter().map(|e| e.kind).collect();
    assert_eq!(kinds, ["edit", "delete", "reaction"], "queued in the order made");
    // Nothing the server has not said stands in for what the user did: a pull (on reconnect)
    // must not put the old text back while the edit waits.

    let s = TestServer::start_at(db, &addr).await;
    eventually("the outbox drained", || async {
        ann.outbox().await.unwrap().is_empty().then_some(())
    })
    .await;
    let seen = eventually("ben sees all three", || async {
        let page = ben.messages(conv, 50).await.unwrap();
        let f = page.iter().find(|m| m.message.message_id == first)?;
        let t = page.iter().find(|m| m.message.message_id == typo)?;
        let r = page.iter().find(|m| m.message.message_id == reply_id)?;
        (f.message.content.as_deref() == Some("lunch on tuesday?")
            && t.message.deleted_at.is_some()
            && !r.reactions.is_empty())
        .then(|| page.clone())
    })
    .await;
    let r = seen.iter().find(|m| m.message.message_id == reply_id).unwrap();
    assert_eq!(
        (r.reactions[0].names.as_slice(), r.reactions[0].mine),
        (&["ann".to_owned()][..], false)
    );
    assert_eq!(r.reply.as_ref().unwrap().text, "lunch on tuesday?", "the quote follows the edit");
    assert!(ben.search("cafe").await.unwrap().is_empty(), "gone from ben's search too");

    // A refused edit (someone else's message) is said at once; taking a reaction back works.
    let err = ann.edit_message(reply_id, "not mine").await.unwrap_err();
    assert!(err.to_string().contains("only the person who sent"), "{err}");
    ann.react(reply_id, "👍", false).await.unwrap();
    eventually("ben sees it taken back", || async {
        shown(&ben, conv, reply_id).await.filter(|m| m.reactions.is_empty())
    })
    .await;
    ann.shutdown().await;
    ben.shutdown().await;
    s.server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn typing_reaches_the_other_app_and_is_not_stored() {
    let s = TestServer::spawn(Backend::Sqlite).await;
    let (dir_a, dir_b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let ben = signed_up(&s, dir_b.path(), form("ben")).await;
    let ann = signed_up(&s, dir_a.path(), form("ann")).await;
    let conv = ann.open_direct("ben").await.unwrap();
    ann.send(conv, Some("hi"), None, None).await.unwrap();
    online(&ann).await;
    online(&ben).await;
    // Everything written so far has reached ben (the message too), so nothing else moves the
    // server's seq while ann types.
    eventually("ben has the message", || async {
        let page = ben.messages(conv, 10).await.ok()?;
        page.iter().any(|m| m.message.content.as_deref() == Some("hi")).then_some(())
    })
    .await;
    eventually("ann's outbox empty", || async {
        ann.outbox().await.unwrap().is_empty().then_some(())
    })
    .await;
    let mut events = ben.subscribe();
    let before = s.store().latest_seq().await.unwrap();
    let ann_id = s.store().find_login("ann").await.unwrap().unwrap().user_id;
    // The server learns the socket's conversations on its pulls: type until it relays (the
    // app sends at most one notice per 3 s).
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    let heard = 'heard: loop {
        assert!(std::time::Instant::now() < deadline, "ben's app never heard ann typing");
        ann.typing(conv).await;
        let wait = tokio::time::sleep(std::time::Duration::from_millis(500));
        tokio::pin!(wait);
        loop {
            tokio::select! {
                e = events.recv() => {
                    if let Ok(Event::Typing { conversation_id, user_id, username }) = e {
                        break 'heard (conversation_id, user_id, username);
                    }
                }
                _ = &mut wait => break,
            }
        }
    };
    assert_eq!(heard, (conv, ann_id, Some("ann".to_owned())));
    assert_eq!(s.store().latest_seq().await.unwrap(), before, "typing is never stored");
    ann.shutdown().await;
    ben.shutdown().await;
    s.server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_message_deleted_before_it_left_is_gone_for_everyone() {
    let s = TestServer::spawn(Backend::Sqlite).await;
    let (dir_a, dir_b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let ben = signed_up(&s, dir_b.path(), form("ben")).await;
    let ann = signed_up(&s, dir_a.path(), form("ann")).await;
    let conv = ann.open_direct("ben").await.unwrap();
    online(&ann).await;
    let (db, addr) = s.stop().await;
    eventually("offline", || async {
        matches!(ann.sync_state(), SyncState::Offline { .. }).then_some(())
    })
    .await;
    let oops = ann
        .send(conv, Some("sent to the wrong person"), None, None)
        .await
        .unwrap()
        .message
        .message_id;
    let fine = ann.send(conv, Some("hello ben"), None, None).await.unwrap().message.message_id;
    ann.edit_message(fine, "hello Ben").await.unwrap();
    ann.delete_message(oops).await.unwrap();
    // Still waiting: dropped with its entry. Caught in flight by the engine's retry (it cannot
    // reach the server, but the entry was being tried): a tombstone now, the delete queued
    // after the send. Either way its text is gone from this screen at once.
    let now = shown(&ann, conv, oops).await;
    assert!(
        now.as_ref().is_none_or(|m| m.message.deleted_at.is_some() && m.message.content.is_none()),
        "{now:?}"
    );
    assert!(ann
        .outbox()
        .await
        .unwrap()
        .iter()
        .all(|e| e.state != lodestar_client::replica::OutboxState::Failed));
    let s = TestServer::start_at(db, &addr).await;
    let page = eventually("ben has hello Ben and no wrong text", || async {
        let page = ben.messages(conv, 50).await.unwrap();
        let settled = ann.outbox().await.unwrap().is_empty()
            && page.iter().any(|m| m.message.content.as_deref() == Some("hello Ben"))
            && page
                .iter()
                .all(|m| m.message.content.as_deref() != Some("sent to the wrong person"));
        settled.then_some(page)
    })
    .await;
    let texts: Vec<_> = page.iter().filter_map(|m| m.message.content.clone()).collect();
    assert_eq!(texts, ["hello Ben"], "the edit left with its send (or followed it)");
    ann.shutdown().await;
    ben.shutdown().await;
    s.server.stop().await;
}
