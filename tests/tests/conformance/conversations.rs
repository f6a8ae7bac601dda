//! Conversations and messages on both backends: opening a direct conversation, the list with
//! its unread counts, paging, idempotent sends and batches, exact times, reads, and racing writers.

use std::collections::HashSet;

use chrono::Duration as Span;
use lodestar_protocol::validate::MessageBody;
use lodestar_protocol::{direct_conversation_id, ChangeKind, ConversationType, Message, Read};
use lodestar_server::store::{NewMessage, SendOutcome};
use lodestar_tests::Backend;
use uuid::Uuid;

use super::{
    assert_not_found, created, direct, fx, group_named, message_changes, order, send, sorted,
    summary, sync_all, t, text, user,
};

async fn open_direct_is_one_conversation_from_either_side(backend: Backend) {
    let f = fx(backend).await;
    let s = &*f.s;
    let a = user(s, "ann").await;
    let b = user(s, "ben").await;
    let stranger = user(s, "sam").await;

    let first = s.open_direct(a, b, t(10)).await.unwrap();
    assert!(first.created);
    let conv = first.conversation;
    assert_eq!(conv.conversation_id, direct_conversation_id(a, b));
    assert_eq!(conv.kind, ConversationType::Direct);
    assert_eq!(conv.group_id, None);
    assert_eq!(conv.created_at, t(10));
    assert_eq!(sorted(conv.participants.clone()), sorted(vec![a, b]));

    let again = s.open_direct(b, a, t(20)).await.unwrap();
    assert!(!again.created, "the other side finds the same conversation");
    assert_eq!(again.conversation, conv);
    let again = s.open_direct(a, b, t(30)).await.unwrap();
    assert!(!again.created);
    assert_eq!(again.conversation, conv);

    assert_eq!(s.conversation(a, conv.conversation_id).await.unwrap(), conv);
    assert_eq!(s.conversation(b, conv.conversation_id).await.unwrap(), conv);
    assert_not_found(s.conversation(stranger, conv.conversation_id).await, "a stranger");
    assert_not_found(s.conversation(a, Uuid::new_v4()).await, "an unknown conversation");

    let seq = s.latest_seq().await.unwrap();
    assert_not_found(s.open_direct(a, Uuid::new_v4(), t(40)).await, "an unknown other user");
    assert_eq!(s.latest_seq().await.unwrap(), seq, "a refused open logged a change");
    assert_eq!(order(&s.conversations(a).await.unwrap()), [conv.conversation_id]);
    assert!(s.conversations(stranger).await.unwrap().is_empty());
}

async fn conversations_are_listed_most_recent_first_with_unread_counts(backend: Backend) {
    let f = fx(backend).await;
    let s = &*f.s;
    let a = user(s, "ann").await;
    let b = user(s, "ben").await;
    let c = user(s, "cat").await;
    let d = user(s, "dan").await;
    let stranger = user(s, "sam").await;
    let ab = direct(s, a, b, t(10)).await;
    let ac = direct(s, c, a, t(20)).await;
    let g = s.create_group(a, group_named("Circle"), &[d], t(30)).await.unwrap();
    let gc = g.conversation_id;

    let list = s.conversations(a).await.unwrap();
    assert_eq!(order(&list), [gc, ac, ab], "without messages, newest conversation first");
    for item in &list {
        assert_eq!(item.last_message, None);
        assert_eq!(item.unread_count, 0);
        let id = item.conversation.conversation_id;
        assert_eq!(item.conversation, s.conversation(a, id).await.unwrap());
    }
    assert_eq!(summary(&list, gc).conversation.kind, ConversationType::Group);
    assert_eq!(sorted(summary(&list, gc).conversation.participants.clone()), sorted(vec![a, d]));

    let m1 = send(s, b, ab, "hi ann", t(40)).await;
    let list = s.conversations(a).await.unwrap();
    assert_eq!(order(&list), [ab, gc, ac], "a new message moves its conversation first");
    assert_eq!(summary(&list, ab).last_message.as_ref(), Some(&m1));
    assert_eq!(summary(&list, ab).unread_count, 1);
    let bens = s.conversations(b).await.unwrap();
    assert_eq!(order(&bens), [ab]);
    assert_eq!(bens[0].unread_count, 0, "one's own messages are not unread");

    let m2 = send(s, b, ab, "are you there?", t(41)).await;
    let m3 = send(s, a, ab, "yes", t(42)).await;
    let list = s.conversations(a).await.unwrap();
    assert_eq!(summary(&list, ab).unread_count, 2);
    assert_eq!(summary(&list, ab).last_message.as_ref(), Some(&m3));
    assert_eq!(s.conversations(b).await.unwrap()[0].unread_count, 1);

    let gm = send(s, d, gc, "group hello", t(50)).await;
    let list = s.conversations(a).await.unwrap();
    assert_eq!(order(&list), [gc, ab, ac]);
    assert_eq!(summary(&list, gc).unread_count, 1);
    assert_eq!(summary(&list, gc).last_message.as_ref(), Some(&gm));
    assert_eq!(summary(&list, ac).unread_count, 0);

    s.mark_read(a, &[m1.message_id], t(60)).await.unwrap();
    assert_eq!(summary(&s.conversations(a).await.unwrap(), ab).unread_count, 1);
    s.mark_read(a, &[m1.message_id, m2.message_id, gm.message_id], t(61)).await.unwrap();
    let list = s.conversations(a).await.unwrap();
    assert_eq!(summary(&list, ab).unread_count, 0);
    assert_eq!(summary(&list, gc).unread_count, 0);
    assert_eq!(summary(&list, ab).last_message.as_ref(), Some(&m3), "reading moves nothing");
    assert_eq!(s.conversations(b).await.unwrap()[0].unread_count, 1, "ben's count is his own");

    assert!(s.conversations(stranger).await.unwrap().is_empty());
}

async fn messages_page_backwards_oldest_first(backend: Backend) {
    let f = fx(backend).await;
    let s = &*f.s;
    let a = user(s, "ann").await;
    let b = user(s, "ben").await;
    let stranger = user(s, "sam").await;
    let ab = direct(s, a, b, t(1)).await;
    let mut sent = Vec::new();
    for i in 0..25 {
        let from = if i % 2 == 0 { a } else { b };
        sent.push(send(s, from, ab, &format!("message {i}"), t(100 + i)).await);
    }
    assert!(sent.windows(2).all(|w| w[0].seq < w[1].seq), "seqs increase in sending order");

    let (all, more) = s.messages(b, ab, None, 100).await.unwrap();
    assert_eq!(all, sent);
    assert!(!more);
    let (exact, more) = s.messages(a, ab, None, 25).await.unwrap();
    assert_eq!(exact, sent);
    assert!(!more, "exactly `limit` messages left means no more");
    let (_, more) = s.messages(a, ab, None, 24).await.unwrap();
    assert!(more);

    let (p1, more1) = s.messages(a, ab, None, 10).await.unwrap();
    assert_eq!(p1, sent[15..], "the newest ten, oldest first");
    assert!(more1);
    let (p2, more2) = s.messages(a, ab, Some(p1[0].seq), 10).await.unwrap();
    assert_eq!(p2, sent[5..15]);
    assert!(more2);
    let (p3, more3) = s.messages(a, ab, Some(p2[0].seq), 10).await.unwrap();
    assert_eq!(p3, sent[..5]);
    assert!(!more3);
    let (p4, more4) = s.messages(a, ab, Some(p3[0].seq), 10).await.unwrap();
    assert!(p4.is_empty() && !more4);

    // Walking back until has_more is false yields each message exactly once, in seq order.
    let mut walked: Vec<Message> = Vec::new();
    let mut before = None;
    loop {
        let (page, more) = s.messages(b, ab, before, 10).await.unwrap();
        assert!(page.windows(2).all(|w| w[0].seq < w[1].seq), "a page is oldest first");
        before = page.first().map(|m| m.seq);
        let mut page = page;
        page.append(&mut walked);
        walked = page;
        if !more {
            break;
        }
    }
    assert_eq!(walked, sent);

    // `before` is exclusive and need not be a message's seq.
    let (p, _) = s.messages(a, ab, Some(sent[3].seq), 100).await.unwrap();
    assert_eq!(p, sent[..3]);
    let (p, _) = s.messages(a, ab, Some(sent[24].seq + 1000), 2).await.unwrap();
    assert_eq!(p, sent[23..]);

    assert_not_found(s.messages(stranger, ab, None, 10).await, "a stranger's messages()");
    assert_not_found(s.messages(a, Uuid::new_v4(), None, 10).await, "an unknown conversation");
}

async fn send_message_is_idempotent_by_id(backend: Backend) {
    let f = fx(backend).await;
    let s = &*f.s;
    let a = user(s, "ann").await;
    let b = user(s, "ben").await;
    let c = user(s, "cat").await;
    let ab = direct(s, a, b, t(1)).await;
    let ac = direct(s, a, c, t(1)).await;

    let req = text(ab, "hello ben", t(5));
    let first = created(s.send_message(a, req.clone()).await.unwrap());
    assert_eq!(first.message_id, req.message_id);
    assert_eq!(first.conversation_id, ab);
    assert_eq!(first.sender_id, Some(a));
    assert_eq!(first.content.as_deref(), Some("hello ben"));
    assert_eq!(first.media_url, None);
    assert_eq!(first.sent_at, t(5));
    assert!(first.seq > 0);
    let seq = s.latest_seq().await.unwrap();
    assert!(first.seq <= seq);

    // The same request again answers the stored message and writes nothing.
    assert_eq!(s.send_message(a, req.clone()).await.unwrap(), SendOutcome::Existing(first.clone()));
    // The same id with other content, another sender, or another conversation is a conflict.
    let other_text = NewMessage {
        body: MessageBody { content: Some("something else".into()), media_url: None },
        ..req.clone()
    };
    assert_eq!(s.send_message(a, other_text).await.unwrap(), SendOutcome::IdConflict);
    let with_media = NewMessage {
        body: MessageBody {
            content: Some("hello ben".into()),
            media_url: Some("https://m.example.com/x.png".into()),
        },
        ..req.clone()
    };
    assert_eq!(s.send_message(a, with_media).await.unwrap(), SendOutcome::IdConflict);
    assert_eq!(s.send_message(b, req.clone()).await.unwrap(), SendOutcome::IdConflict);
    let elsewhere = NewMessage { conversation_id: ac, ..req.clone() };
    assert_eq!(s.send_message(a, elsewhere).await.unwrap(), SendOutcome::IdConflict);
    assert_eq!(s.latest_seq().await.unwrap(), seq, "retries and conflicts logged changes");
    assert_eq!(s.messages(b, ab, None, 10).await.unwrap().0, std::slice::from_ref(&first));
    assert!(s.messages(a, ac, None, 10).await.unwrap().0.is_empty());

    // Someone outside the conversation, or an unknown conversation: NotFound, nothing written.
    assert_not_found(s.send_message(c, text(ab, "let me in", t(6))).await, "a stranger sends");
    assert_not_found(s.send_message(a, text(Uuid::new_v4(), "?", t(6))).await, "no such place");
    assert_eq!(s.latest_seq().await.unwrap(), seq);
    assert_eq!(s.messages(a, ab, None, 10).await.unwrap().0.len(), 1);

    // A media-only message; seqs strictly increase across conversations and senders.
    let media = NewMessage {
        message_id: Uuid::new_v4(),
        conversation_id: ab,
        body: MessageBody { content: None, media_url: Some("https://m.example.com/p.jpg".into()) },
        sent_at: t(7),
        reply_to: None,
    };
    let m2 = created(s.send_message(b, media).await.unwrap());
    assert_eq!(m2.content, None);
    assert_eq!(m2.media_url.as_deref(), Some("https://m.example.com/p.jpg"));
    let m3 = send(s, c, ac, "from cat", t(8)).await;
    let m4 = send(s, a, ab, "again", t(9)).await;
    assert!(first.seq < m2.seq && m2.seq < m3.seq && m3.seq < m4.seq);
    assert_eq!(s.messages(a, ab, None, 10).await.unwrap().0, [first, m2, m4]);
}

/// A batch (the server's group commit) answers each message as it would have been answered
/// alone, in order, and writes the new ones with consecutive seqs in one go.
async fn a_batch_answers_each_message_as_if_alone(backend: Backend) {
    let f = fx(backend).await;
    let s = &*f.s;
    let a = user(s, "ann").await;
    let b = user(s, "ben").await;
    let c = user(s, "cat").await;
    let ab = direct(s, a, b, t(1)).await;
    let circle = s.create_group(a, group_named("circle"), &[c], t(1)).await.unwrap();
    let g = circle.conversation_id;
    let before = send(s, a, ab, "already stored", t(2)).await;
    let start = s.latest_seq().await.unwrap();

    let new_ab = text(ab, "new in ab", t(3));
    let new_g = text(g, "new in the group", t(3));
    let retry_in_batch = new_ab.clone();
    let conflict_in_batch = NewMessage { conversation_id: g, ..new_ab.clone() };
    let stored_again =
        NewMessage { message_id: before.message_id, ..text(ab, "already stored", t(2)) };
    let stored_other = NewMessage { message_id: before.message_id, ..text(ab, "different", t(2)) };
    let batch = vec![
        (a, new_ab.clone()),
        (b, text(g, "ben is not in the group", t(3))),
        (c, new_g.clone()),
        (a, retry_in_batch),
        (c, conflict_in_batch),
        (b, NewMessage { conversation_id: g, ..new_ab.clone() }),
        (a, stored_again),
        (a, stored_other),
        (c, text(ab, "cat is not in ab", t(3))),
        (a, text(Uuid::new_v4(), "nowhere", t(3))),
    ];
    let out = s.send_messages(&batch).await.unwrap();
    assert_eq!(out.len(), batch.len());
    let mut out = out.into_iter();
    let m1 = created(out.next().unwrap().unwrap());
    assert_not_found(out.next().unwrap(), "a non-member in a batch");
    let m2 = created(out.next().unwrap().unwrap());
    assert_eq!(
        out.next().unwrap().unwrap(),
        SendOutcome::Existing(m1.clone()),
        "a retry in the same batch"
    );
    assert_eq!(
        out.next().unwrap().unwrap(),
        SendOutcome::IdConflict,
        "an id reused in the same batch"
    );
    assert_eq!(
        out.next().unwrap().unwrap(),
        SendOutcome::IdConflict,
        "a taken id answers before the conversation is checked, as it would alone"
    );
    assert_eq!(out.next().unwrap().unwrap(), SendOutcome::Existing(before.clone()));
    assert_eq!(out.next().unwrap().unwrap(), SendOutcome::IdConflict);
    assert_not_found(out.next().unwrap(), "a stranger in a batch");
    assert_not_found(out.next().unwrap(), "no such conversation in a batch");

    assert_eq!((m1.seq, m2.seq), (start + 1, start + 2), "new messages take consecutive seqs");
    assert_eq!(s.latest_seq().await.unwrap(), start + 2, "only the two new messages were logged");
    assert_eq!((m1.sender_id, m1.content.as_deref()), (Some(a), Some("new in ab")));
    assert_eq!(s.messages(b, ab, None, 10).await.unwrap().0, [before, m1.clone()]);
    assert_eq!(s.messages(c, g, None, 10).await.unwrap().0, std::slice::from_ref(&m2));
    let (changes, _) = sync_all(s, b, start, 100).await;
    assert_eq!(message_changes(&changes, m1.message_id), 1);
    assert_eq!(message_changes(&changes, m2.message_id), 0, "ben sees nothing of the group");

    // A batch where nothing is new writes nothing; an empty batch answers nothing.
    let again = s.send_messages(&[(a, new_ab), (c, new_g)]).await.unwrap();
    assert_eq!(
        again.into_iter().map(Result::unwrap).collect::<Vec<_>>(),
        [SendOutcome::Existing(m1), SendOutcome::Existing(m2)]
    );
    assert!(s.send_messages(&[]).await.unwrap().is_empty());
    assert_eq!(s.latest_seq().await.unwrap(), start + 2);
}

/// Times come back exactly as they were given (what a retry, `messages()`, `reads()` and sync
/// answer agree to the nanosecond with what the first answer said).
async fn times_round_trip_exactly(backend: Backend) {
    let f = fx(backend).await;
    let s = &*f.s;
    let a = user(s, "ann").await;
    let b = user(s, "ben").await;
    let ab = direct(s, a, b, t(1)).await;
    let at = t(5) + Span::nanoseconds(123_456_789);
    let read_at = t(6) + Span::nanoseconds(987_654_321);
    let req = text(ab, "precise", at);
    let first = created(s.send_message(a, req.clone()).await.unwrap());
    let mut wrong = Vec::new();
    match s.send_message(a, req).await.unwrap() {
        SendOutcome::Existing(again) if again == first => {}
        other => wrong.push(format!("retry answered {other:?}, first answer was {first:?}")),
    }
    let listed = s.messages(b, ab, None, 10).await.unwrap().0;
    if listed != [first.clone()] {
        wrong.push(format!("messages() answered {listed:?}, send answered {first:?}"));
    }
    s.mark_read(b, &[first.message_id], read_at).await.unwrap();
    let reads = s.reads(a, first.message_id).await.unwrap();
    // The store keeps times to the microsecond (PostgreSQL's precision) on both backends.
    let kept = chrono::SubsecRound::trunc_subsecs(read_at, 6);
    if reads.len() != 1 || reads[0].read_at != kept {
        wrong.push(format!("reads() answered {reads:?}, mark_read was given {read_at}"));
    }
    let (changes, _) = sync_all(s, b, 0, 1000).await;
    for c in &changes {
        if c.kind == ChangeKind::Message {
            let logged: Message = serde_json::from_value(c.data.clone()).unwrap();
            if Some(&logged) != listed.first() {
                wrong.push(format!("sync carries {logged:?}, messages() answers {listed:?}"));
            }
        }
        if c.kind == ChangeKind::Read {
            let logged: Read = serde_json::from_value(c.data.clone()).unwrap();
            if Some(&logged) != reads.first() {
                wrong.push(format!("sync carries {logged:?}, reads() answers {reads:?}"));
            }
        }
    }
    assert!(wrong.is_empty(), "times differ between answers:\n{}", wrong.join("\n"));
}

async fn mark_read_is_idempotent_and_all_or_nothing(backend: Backend) {
    let f = fx(backend).await;
    let s = &*f.s;
    let a = user(s, "ann").await;
    let b = user(s, "ben").await;
    let c = user(s, "cat").await;
    let d = user(s, "dan").await;
    let ab = direct(s, a, b, t(1)).await;
    let cd = direct(s, c, d, t(1)).await;
    let m1 = send(s, b, ab, "one", t(10)).await;
    let m2 = send(s, b, ab, "two", t(11)).await;
    let m3 = send(s, a, ab, "mine", t(12)).await;
    let elsewhere = send(s, c, cd, "private", t(13)).await;

    s.mark_read(a, &[m1.message_id], t(20)).await.unwrap();
    let expected = vec![Read { message_id: m1.message_id, user_id: a, read_at: t(20) }];
    assert_eq!(s.reads(a, m1.message_id).await.unwrap(), expected);
    assert_eq!(s.reads(b, m1.message_id).await.unwrap(), expected, "the sender sees the read");

    // Again, later: the first read_at stands and nothing is logged.
    let seq = s.latest_seq().await.unwrap();
    s.mark_read(a, &[m1.message_id], t(30)).await.unwrap();
    s.mark_read(a, &[m1.message_id, m1.message_id], t(31)).await.unwrap();
    assert_eq!(s.reads(a, m1.message_id).await.unwrap(), expected);
    assert_eq!(s.latest_seq().await.unwrap(), seq, "a repeated read logged a change");

    // One's own messages are not marked.
    s.mark_read(a, &[m3.message_id], t(32)).await.unwrap();
    assert!(s.reads(a, m3.message_id).await.unwrap().is_empty());
    s.mark_read(a, &[], t(32)).await.unwrap();

    // Any id that is unknown or not visible: NotFound, and none of the others is marked.
    assert_not_found(s.mark_read(a, &[m2.message_id, Uuid::new_v4()], t(33)).await, "unknown id");
    assert_not_found(
        s.mark_read(a, &[m2.message_id, elsewhere.message_id], t(34)).await,
        "another conversation's message",
    );
    assert!(s.reads(a, m2.message_id).await.unwrap().is_empty(), "a refused batch wrote a read");
    assert!(s.reads(c, elsewhere.message_id).await.unwrap().is_empty());
    assert_eq!(s.latest_seq().await.unwrap(), seq, "a refused batch logged a change");
    assert_not_found(s.mark_read(c, &[m1.message_id], t(35)).await, "a stranger marks");
    assert_eq!(s.reads(b, m1.message_id).await.unwrap(), expected);

    // Both participants' reads of one message, in read order.
    s.mark_read(b, &[m3.message_id], t(40)).await.unwrap();
    s.mark_read(a, &[m2.message_id], t(41)).await.unwrap();
    assert_eq!(
        s.reads(a, m3.message_id).await.unwrap(),
        [Read { message_id: m3.message_id, user_id: b, read_at: t(40) }]
    );
    assert_eq!(
        s.reads(b, m2.message_id).await.unwrap(),
        [Read { message_id: m2.message_id, user_id: a, read_at: t(41) }]
    );

    // reads() is as visible as the message.
    assert_not_found(s.reads(c, m1.message_id).await, "a stranger's reads()");
    assert_not_found(s.reads(a, elsewhere.message_id).await, "reads() of an unseen message");
    assert_not_found(s.reads(a, Uuid::new_v4()).await, "reads() of an unknown message");
}

/// Both sides opening at once, and a retry racing its original, still make one of each.
async fn racing_writers_make_one_conversation_and_one_message(backend: Backend) {
    let f = fx(backend).await;
    let a = user(&*f.s, "ann").await;
    let b = user(&*f.s, "ben").await;
    let (s1, s2) = (f.s.clone(), f.s.clone());
    let (x, y) = tokio::join!(
        tokio::spawn(async move { s1.open_direct(a, b, t(1)).await.unwrap() }),
        tokio::spawn(async move { s2.open_direct(b, a, t(1)).await.unwrap() }),
    );
    let (x, y) = (x.unwrap(), y.unwrap());
    assert!(x.created != y.created, "exactly one open creates: {x:?} {y:?}");
    assert_eq!(x.conversation, y.conversation);
    let ab = x.conversation.conversation_id;

    let req = text(ab, "sent twice at once", t(2));
    let (r1, r2) = (req.clone(), req.clone());
    let (s1, s2) = (f.s.clone(), f.s.clone());
    let (x, y) = tokio::join!(
        tokio::spawn(async move { s1.send_message(a, r1).await.unwrap() }),
        tokio::spawn(async move { s2.send_message(a, r2).await.unwrap() }),
    );
    let stored = match (x.unwrap(), y.unwrap()) {
        (SendOutcome::Created(m), SendOutcome::Existing(n))
        | (SendOutcome::Existing(n), SendOutcome::Created(m)) => {
            assert_eq!(m, n, "the retry answers the same message");
            m
        }
        other => panic!("expected one Created and one Existing, got {other:?}"),
    };
    assert_eq!(f.s.messages(b, ab, None, 10).await.unwrap().0, std::slice::from_ref(&stored));

    // Many senders at once: distinct seqs, each message once in sync.
    let mut tasks = Vec::new();
    for i in 0..20 {
        let st = f.s.clone();
        let from = if i % 2 == 0 { a } else { b };
        tasks.push(tokio::spawn(async move {
            created(
                st.send_message(from, text(ab, &format!("burst {i}"), t(10 + i))).await.unwrap(),
            )
        }));
    }
    let mut burst = Vec::new();
    for task in tasks {
        burst.push(task.await.unwrap());
    }
    let distinct: HashSet<i64> = burst.iter().map(|m| m.seq).collect();
    assert_eq!(distinct.len(), burst.len(), "two messages share a seq");
    let (changes, _) = sync_all(&*f.s, b, 0, 3).await;
    for m in burst.iter().chain([&stored]) {
        assert_eq!(message_changes(&changes, m.message_id), 1);
    }
    let (listed, more) = f.s.messages(a, ab, None, 100).await.unwrap();
    assert!(!more);
    assert_eq!(listed.len(), 21);
    assert!(listed.windows(2).all(|w| w[0].seq < w[1].seq));
}

lodestar_tests::on_both_backends!(
    open_direct_is_one_conversation_from_either_side,
    conversations_are_listed_most_recent_first_with_unread_counts,
    messages_page_backwards_oldest_first,
    send_message_is_idempotent_by_id,
    a_batch_answers_each_message_as_if_alone,
    times_round_trip_exactly,
    mark_read_is_idempotent_and_all_or_nothing,
    racing_writers_make_one_conversation_and_one_message,
);
