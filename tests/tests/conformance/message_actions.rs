//! Edits, deletes, reactions and replies (API.md, "Richer messages"), on both backends: who may
//! do each, the edit window, idempotent reactions, and — what a hostile reader would try — that
//! nobody who syncs after an edit or a delete ever receives the old text.

use chrono::{DateTime, Utc};
use lodestar_protocol::validate::MessageBody;
use lodestar_protocol::{ChangeKind, ChangeOp, Message, Role};
use lodestar_server::store::{NewMessage, Refusal, SendOutcome, Store};
use lodestar_tests::Backend;
use uuid::Uuid;

use super::mentorships::{assert_refused, assert_rule, mentor, request};
use super::{
    assert_not_found, create, direct, fx, group_named, new_user, send, sync_all, t, user, Fx,
};

/// Every text of messages (and every reaction emoji) `who` can read by syncing from scratch.
async fn everything_synced(s: &dyn Store, who: Uuid) -> (Vec<String>, Vec<String>) {
    let (changes, _) = sync_all(s, who, 0, 100).await;
    let mut texts = Vec::new();
    let mut emojis = Vec::new();
    for c in changes {
        match (c.kind, c.op) {
            (ChangeKind::Message, _) => {
                let m: Message = serde_json::from_value(c.data).unwrap();
                texts.extend(m.content);
            }
            (ChangeKind::Reaction, ChangeOp::Upsert) => {
                emojis.push(c.data["emoji"].as_str().unwrap().to_owned());
            }
            _ => {}
        }
    }
    (texts, emojis)
}

fn reply(conversation_id: Uuid, to: Uuid, content: &str, at: DateTime<Utc>) -> NewMessage {
    NewMessage {
        message_id: Uuid::new_v4(),
        conversation_id,
        body: MessageBody { content: Some(content.to_owned()), media_url: None },
        sent_at: at,
        reply_to: Some(to),
    }
}

async fn only_the_sender_edits_within_a_day_and_the_old_text_is_gone(backend: Backend) {
    let Fx { s, _db } = fx(backend).await;
    let s = &*s;
    let (ann, ben, cat) = (user(s, "ann").await, user(s, "ben").await, user(s, "cat").await);
    let conv = direct(s, ann, ben, t(0)).await;
    let m = send(s, ann, conv, "see you at noom", t(1)).await;
    let seq = s.latest_seq().await.unwrap();

    let edited = s.edit_message(ann, m.message_id, "see you at noon".into(), t(60)).await.unwrap();
    assert_eq!(edited.content.as_deref(), Some("see you at noon"));
    assert_eq!(edited.edited_at, Some(t(60)));
    assert_eq!((edited.seq, edited.sent_at), (m.seq, m.sent_at), "it keeps its place");
    assert!(s.latest_seq().await.unwrap() > seq, "an edit is a change");
    let again = s.latest_seq().await.unwrap();
    s.edit_message(ann, m.message_id, "see you at noon".into(), t(61)).await.unwrap();
    assert_eq!(s.latest_seq().await.unwrap(), again, "the same text again changes nothing");

    assert_refused(
        s.edit_message(ben, m.message_id, "mine now".into(), t(62)).await,
        Refusal::NotSender,
        "the other person",
    );
    assert_not_found(s.edit_message(cat, m.message_id, "hi".into(), t(62)).await, "a stranger");
    assert_not_found(
        s.edit_message(ann, Uuid::new_v4(), "hi".into(), t(62)).await,
        "no such message",
    );
    let late = t(1) + chrono::Duration::hours(24) + chrono::Duration::seconds(1);
    assert_refused(
        s.edit_message(ann, m.message_id, "too late".into(), late).await,
        Refusal::EditWindow,
        "a day later",
    );

    s.edit_message(ann, m.message_id, "see you at one".into(), t(120)).await.unwrap();
    // Whoever syncs now, from scratch or from before the edits, reads only the latest text.
    let (texts, _) = everything_synced(s, ben).await;
    assert!(
        !texts.is_empty() && texts.iter().all(|t| t == "see you at one"),
        "old texts reached a fresh sync: {texts:?}"
    );
    let (after, _) = sync_all(s, ben, seq, 100).await;
    let message_changes = after.iter().filter(|c| c.kind == ChangeKind::Message).count();
    assert_eq!(message_changes, 1, "one change per message's latest revision");
    let (page, _) = s.messages(ben, conv, None, 10).await.unwrap();
    assert_eq!(page[0].content.as_deref(), Some("see you at one"));
}

async fn deletes_leave_a_tombstone_by_the_sender_or_a_group_admin(backend: Backend) {
    let Fx { s, _db } = fx(backend).await;
    let s = &*s;
    let (ann, ben, cat, dan) =
        (user(s, "ann").await, user(s, "ben").await, user(s, "cat").await, user(s, "dan").await);
    let g = s.create_group(ann, group_named("Circle"), &[ben, cat], t(0)).await.unwrap();
    s.set_role(g.group_id, ben, Role::Admin).await.unwrap();
    let conv = g.conversation_id;
    let cats = send(s, cat, conv, "my phone is 555", t(1)).await;
    let anns = send(s, ann, conv, "welcome", t(2)).await;
    assert!(s.react(ann, cats.message_id, "👍", t(3)).await.unwrap());

    assert_refused(
        s.delete_message(cat, anns.message_id, t(4)).await,
        Refusal::NotSender,
        "a member deletes another's",
    );
    assert_not_found(s.delete_message(dan, anns.message_id, t(4)).await, "a stranger");
    let gone = s.delete_message(ben, cats.message_id, t(5)).await.unwrap();
    assert_eq!((gone.content, gone.media_url, gone.deleted_at), (None, None, Some(t(5))));
    let twice = s.delete_message(cat, cats.message_id, t(6)).await.unwrap();
    assert_eq!(twice.deleted_at, Some(t(5)), "a second delete answers the tombstone");
    s.delete_message(ann, anns.message_id, t(7)).await.unwrap();
    assert_refused(
        s.edit_message(ann, anns.message_id, "back".into(), t(8)).await,
        Refusal::Deleted,
        "edit a tombstone",
    );
    assert_refused(
        s.react(ben, anns.message_id, "🎉", t(8)).await,
        Refusal::Deleted,
        "react to a tombstone",
    );

    // A member added now syncs the history: tombstones only, no text, no reaction.
    s.add_member(g.group_id, dan, Role::Member, t(9)).await.unwrap();
    for who in [dan, ben] {
        let (texts, emojis) = everything_synced(s, who).await;
        assert!(texts.is_empty(), "deleted text synced: {texts:?}");
        assert!(emojis.is_empty(), "a deleted message's reaction synced: {emojis:?}");
    }
    let (page, _) = s.messages(dan, conv, None, 10).await.unwrap();
    assert!(page.iter().all(|m| m.deleted_at.is_some() && m.content.is_none()));
}

async fn reactions_are_idempotent_and_only_for_members(backend: Backend) {
    let Fx { s, _db } = fx(backend).await;
    let s = &*s;
    let (ann, ben, cat) = (user(s, "ann").await, user(s, "ben").await, user(s, "cat").await);
    let conv = direct(s, ann, ben, t(0)).await;
    let m = send(s, ann, conv, "passed the exam!", t(1)).await;
    assert!(s.react(ben, m.message_id, "🎉", t(2)).await.unwrap());
    let seq = s.latest_seq().await.unwrap();
    assert!(!s.react(ben, m.message_id, "🎉", t(3)).await.unwrap(), "the same reaction again");
    assert_eq!(s.latest_seq().await.unwrap(), seq, "…changes nothing");
    assert!(s.react(ben, m.message_id, "❤️", t(3)).await.unwrap());
    assert!(s.react(ann, m.message_id, "🎉", t(3)).await.unwrap());
    assert_not_found(s.react(cat, m.message_id, "👀", t(4)).await, "a stranger reacts");
    assert_not_found(s.unreact(cat, m.message_id, "🎉").await, "a stranger takes one back");

    let (changes, _) = sync_all(s, ann, seq, 100).await;
    let kinds: Vec<_> = changes.iter().map(|c| (c.kind, c.op)).collect();
    assert_eq!(kinds, [(ChangeKind::Reaction, ChangeOp::Upsert); 2]);
    assert_eq!(changes[0].data["user_id"], ben.to_string());

    assert!(s.unreact(ben, m.message_id, "🎉").await.unwrap());
    assert!(!s.unreact(ben, m.message_id, "🎉").await.unwrap(), "taken back twice");
    let (changes, _) = sync_all(s, ann, seq, 100).await;
    let last = changes.last().unwrap();
    assert_eq!((last.kind, last.op), (ChangeKind::Reaction, ChangeOp::Delete));
    assert_eq!(
        (last.data["user_id"].as_str(), last.data["emoji"].as_str()),
        (Some(&*ben.to_string()), Some("🎉"))
    );

    // A block keeps two people apart: no reaction across it either.
    s.block(ann, ben, t(5)).await.unwrap();
    assert_refused(
        s.react(ben, m.message_id, "👍", t(6)).await,
        Refusal::Blocked,
        "across a block",
    );
}

async fn a_reply_names_a_message_of_its_own_conversation(backend: Backend) {
    let Fx { s, _db } = fx(backend).await;
    let s = &*s;
    let (ann, ben, cat) = (user(s, "ann").await, user(s, "ben").await, user(s, "cat").await);
    let ab = direct(s, ann, ben, t(0)).await;
    let ac = direct(s, ann, cat, t(0)).await;
    let q = send(s, ben, ab, "which day?", t(1)).await;
    let elsewhere = send(s, cat, ac, "private", t(1)).await;
    let r = match s.send_message(ann, reply(ab, q.message_id, "Tuesday", t(2))).await.unwrap() {
        SendOutcome::Created(m) => m,
        other => panic!("{other:?}"),
    };
    assert_eq!(r.reply_to, Some(q.message_id));
    assert_eq!(s.messages(ben, ab, None, 10).await.unwrap().0[1].reply_to, Some(q.message_id));
    assert_rule(
        s.send_message(ann, reply(ab, elsewhere.message_id, "leak", t(3))).await,
        "reply_to",
        "not_in_conversation",
        "another conversation's message",
    );
    assert_rule(
        s.send_message(ann, reply(ab, Uuid::new_v4(), "??", t(3))).await,
        "reply_to",
        "not_in_conversation",
        "no such message",
    );
    // Queued offline and sent together: a reply to the message before it in the same batch.
    let first = NewMessage { reply_to: None, ..reply(ab, Uuid::nil(), "one", t(4)) };
    let second = reply(ab, first.message_id, "two", t(5));
    let sent = s.send_messages(&[(ann, first), (ann, second)]).await.unwrap();
    assert_eq!(sent.len(), 2);
    for outcome in sent {
        assert!(matches!(outcome, Ok(SendOutcome::Created(_))), "{outcome:?}");
    }
}

async fn an_edit_between_a_minor_and_an_adult_cannot_carry_contact_details(backend: Backend) {
    let Fx { s, _db } = fx(backend).await;
    let s = &*s;
    let ada = mentor(s, "ada", 2).await;
    let mut kid = new_user("kid");
    kid.date_of_birth = chrono::Utc::now().date_naive() - chrono::Duration::days(15 * 365);
    kid.profile.mentee_status = true;
    let kid = create(s, kid, t(0)).await.profile.user_id;
    let r = request(s, kid, ada, t(1)).await;
    let (_, m) = s.accept_request(ada, r.request_id, t(2)).await.unwrap();
    let said = send(s, kid, m.conversation_id, "thanks for today", t(3)).await;
    assert_refused(
        s.edit_message(kid, said.message_id, "text me at 312-555-0142".into(), t(4)).await,
        Refusal::Safeguarding,
        "a phone number slipped in by an edit",
    );
    let fine =
        s.edit_message(kid, said.message_id, "thanks for today!".into(), t(5)).await.unwrap();
    assert_eq!(fine.content.as_deref(), Some("thanks for today!"));
}

lodestar_tests::on_both_backends!(
    only_the_sender_edits_within_a_day_and_the_old_text_is_gone,
    deletes_leave_a_tombstone_by_the_sender_or_a_group_admin,
    reactions_are_idempotent_and_only_for_members,
    a_reply_names_a_message_of_its_own_conversation,
    an_edit_between_a_minor_and_an_adult_cannot_carry_contact_details
);
