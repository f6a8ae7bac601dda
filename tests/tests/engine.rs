//! The background engine against a real server: live delivery, notifications that follow the
//! rules, offline and back without losing anything.

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::time::{Duration, Instant};

use chrono::Utc;
use lodestar_client::engine::{Engine, Event, SyncState, Topic};
use lodestar_client::sync::pull;
use lodestar_client::{Api, Replica};
use lodestar_tests::{Backend, TestServer, User};
use tokio::sync::broadcast::Receiver;

async fn engine_for(s: &TestServer, user: &User, dir: &std::path::Path) -> (Engine, Replica) {
    let api = Api::new(&s.api.base).unwrap().with_token(&user.token);
    let replica = Replica::open(&dir.join(format!("{}.db", user.username))).await.unwrap();
    replica.set_me(user.id).await.unwrap();
    let url = format!("{}/v1/events", s.api.base.replacen("http://", "ws://", 1));
    (Engine::start(api, replica.clone(), user.id, url, user.token.clone()), replica)
}

/// Waits for the first event matching `pred`.
async fn wait_for(
    rx: &mut Receiver<Event>,
    what: &str,
    mut pred: impl FnMut(&Event) -> bool,
) -> Event {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        match tokio::time::timeout(left, rx.recv()).await {
            Ok(Ok(e)) if pred(&e) => return e,
            Ok(Ok(_)) => {}
            Ok(Err(tokio::sync::broadcast::error::RecvError::Lagged(_))) => {}
            other => panic!("no {what} event: {other:?}"),
        }
    }
}

async fn the_engine_delivers_live_and_notifies_by_the_rules(backend: Backend) {
    let s = TestServer::spawn(backend).await;
    let dir = tempfile::tempdir().unwrap();
    let ann = s.api.register("ann").await;
    let ben = s.api.register("ben").await;
    let conv = s.api.direct(&ann, &ben).await;
    s.api.send(&ann, conv, "history before ben's engine ever ran").await;
    let (ben_engine, ben_replica) = engine_for(&s, &ben, dir.path()).await;
    let mut events = ben_engine.subscribe();
    wait_for(&mut events, "online", |e| *e == Event::Sync(SyncState::Online)).await;
    assert_eq!(
        ben_replica.messages(ben.id, conv, None, 10).await.unwrap().len(),
        1,
        "the first sync brought history"
    );

    // Ann sends from her own engine: Ben's replica has it, and a notification is raised.
    let (ann_engine, ann_replica) = engine_for(&s, &ann, dir.path()).await;
    let mut ann_events = ann_engine.subscribe();
    wait_for(&mut ann_events, "online", |e| *e == Event::Sync(SyncState::Online)).await;
    let started = Instant::now();
    ann_replica
        .queue_message(ann.id, conv, Some("are you free on Thursday?"), None, None, Utc::now())
        .await
        .unwrap();
    ann_engine.kick();
    let Event::Notify(n) = wait_for(&mut events, "notify", |e| matches!(e, Event::Notify(_))).await
    else {
        unreachable!()
    };
    let latency = started.elapsed();
    println!("send on one engine to the other's replica and notification: {latency:?}");
    assert_eq!(
        (n.sender.as_str(), n.preview.as_str(), n.conversation_id),
        ("ann", "are you free on Thursday?", conv)
    );
    assert_eq!(ben_replica.messages(ben.id, conv, None, 10).await.unwrap().len(), 2);

    // The open and focused conversation gets no notification, but its messages still change.
    ben_engine.set_focus(Some(conv));
    ann_replica
        .queue_message(ann.id, conv, Some("no need to ping me"), None, None, Utc::now())
        .await
        .unwrap();
    ann_engine.kick();
    wait_for(&mut events, "messages changed", |e| *e == Topic::Messages.one(conv)).await;
    // Muted elsewhere: still nothing. Unfocused and unmuted again: notified.
    ben_engine.set_focus(None);
    ben_replica.set_muted(conv, true).await.unwrap();
    ann_replica
        .queue_message(ann.id, conv, Some("muted one"), None, None, Utc::now())
        .await
        .unwrap();
    ann_engine.kick();
    wait_for(&mut events, "messages changed", |e| {
        matches!(e, Event::Changed { topic: Topic::Messages, .. })
    })
    .await;
    ben_replica.set_muted(conv, false).await.unwrap();
    ann_replica
        .queue_message(ann.id, conv, Some("loud one"), None, None, Utc::now())
        .await
        .unwrap();
    ann_engine.kick();
    let Event::Notify(n) = wait_for(&mut events, "notify", |e| matches!(e, Event::Notify(_))).await
    else {
        unreachable!()
    };
    assert_eq!(n.preview, "loud one", "neither the focused nor the muted message notified");
    ann_engine.stop().await;
    ben_engine.stop().await;
    s.server.stop().await;
}

async fn the_engine_goes_offline_and_comes_back_by_itself(backend: Backend) {
    let s = TestServer::spawn(backend).await;
    let dir = tempfile::tempdir().unwrap();
    let ann = s.api.register("ann").await;
    let ben = s.api.register("ben").await;
    let conv = s.api.direct(&ann, &ben).await;
    let (engine, replica) = engine_for(&s, &ann, dir.path()).await;
    let mut events = engine.subscribe();
    wait_for(&mut events, "online", |e| *e == Event::Sync(SyncState::Online)).await;
    let (db, addr) = s.stop().await;
    wait_for(&mut events, "offline", |e| matches!(e, Event::Sync(SyncState::Offline { .. }))).await;
    replica
        .queue_message(
            ann.id,
            conv,
            Some("written while the server was down"),
            None,
            None,
            Utc::now(),
        )
        .await
        .unwrap();
    engine.kick();
    let s = TestServer::start_at(db, &addr).await;
    wait_for(&mut events, "online again", |e| *e == Event::Sync(SyncState::Online)).await;
    // Delivered once, without anyone asking.
    let api = Api::new(&s.api.base).unwrap().with_token(&ben.token);
    let ben_replica = Replica::open(&dir.path().join("ben.db")).await.unwrap();
    ben_replica.set_me(ben.id).await.unwrap();
    pull(&api, &ben_replica, |_| {}).await.unwrap();
    let seen = ben_replica.messages(ben.id, conv, None, 10).await.unwrap();
    assert_eq!(seen.len(), 1);
    assert!(replica.outbox().await.unwrap().is_empty());
    engine.stop().await;
    s.server.stop().await;
}

async fn a_burst_is_announced_once_per_conversation(backend: Backend) {
    let s = TestServer::spawn(backend).await;
    let dir = tempfile::tempdir().unwrap();
    let ann = s.api.register("ann").await;
    let cat = s.api.register("cat").await;
    let ben = s.api.register("ben").await;
    let from_ann = s.api.direct(&ann, &ben).await;
    let from_cat = s.api.direct(&cat, &ben).await;
    // Ben's replica has synced once, so what comes next is news, not history.
    let (engine, _replica) = engine_for(&s, &ben, dir.path()).await;
    let mut events = engine.subscribe();
    wait_for(&mut events, "online", |e| *e == Event::Sync(SyncState::Online)).await;
    engine.stop().await;
    // While Ben is away, a burst: 200 from ann, 3 from cat.
    for i in 0..200 {
        s.api.send(&ann, from_ann, &format!("burst {i}")).await;
    }
    for i in 0..3 {
        s.api.send(&cat, from_cat, &format!("cat {i}")).await;
    }
    let (engine, _replica) = engine_for(&s, &ben, dir.path()).await;
    let mut events = engine.subscribe();
    let mut announced = Vec::new();
    wait_for(&mut events, "online", |e| {
        if let Event::Notify(n) = e {
            // A side effect in the predicate: every event before "online" passes through it.
            announced.push(n.clone());
        }
        *e == Event::Sync(SyncState::Online)
    })
    .await;
    engine.stop().await;
    announced.sort_by_key(|n| n.sender.clone());
    let summary: Vec<_> =
        announced.iter().map(|n| (n.sender.as_str(), n.count, n.preview.as_str())).collect();
    assert_eq!(summary, vec![("ann", 200, "burst 199"), ("cat", 3, "cat 2")]);
    s.server.stop().await;
}

/// Live frames are applied as they come only when they continue the stored cursor: a dropped
/// frame, or frames out of order, fall back on the pull, and the replica ends up with every
/// message once (what the engine does with each frame, done here by hand on real frames).
async fn a_dropped_or_reordered_frame_loses_nothing(backend: Backend) {
    let s = TestServer::spawn(backend).await;
    let dir = tempfile::tempdir().unwrap();
    let ann = s.api.register("ann").await;
    let ben = s.api.register("ben").await;
    let conv = s.api.direct(&ann, &ben).await;
    let api = Api::new(&s.api.base).unwrap().with_token(&ben.token);
    let replica = Replica::open(&dir.path().join("ben.db")).await.unwrap();
    replica.set_me(ben.id).await.unwrap();
    pull(&api, &replica, |_| {}).await.unwrap();
    let (start, _) = replica.cursor().await.unwrap();
    let mut socket = lodestar_tests::Events::connect(&s.api.base, &ben, start.as_deref()).await;
    // Every frame, in the order sent, until each of four messages has come in one.
    let mut frames: Vec<lodestar_protocol::EventFrame> = Vec::new();
    for i in 0..4 {
        s.api.send(&ann, conv, &format!("live {i}")).await;
        loop {
            let frame = socket.next_frame(Duration::from_secs(10)).await.expect("a frame");
            let has_message =
                frame["changes"].as_array().unwrap().iter().any(|c| c["kind"] == "message");
            frames.push(serde_json::from_value(frame).unwrap());
            if has_message {
                break;
            }
        }
    }
    // Each frame names the cursor it continues: the one before it ended at.
    let chain: Vec<(Option<String>, String)> = frames
        .iter()
        .filter_map(|f| match f {
            lodestar_protocol::EventFrame::Changes { since, cursor, .. } => {
                Some((since.clone(), cursor.clone()))
            }
            _ => None,
        })
        .collect();
    assert!(chain.len() >= 4, "{chain:?}");
    assert_eq!(chain[0].0, start, "the first continues where the socket started");
    for pair in chain.windows(2) {
        assert_eq!(pair[1].0.as_deref(), Some(pair[0].1.as_str()), "{chain:?}");
    }
    let changes = |i: usize| match &frames[i] {
        lodestar_protocol::EventFrame::Changes { changes, cursor, since } => {
            (since.clone().unwrap(), changes.clone(), cursor.clone())
        }
        other => panic!("not changes: {other:?}"),
    };
    let count = || async { replica.messages(ben.id, conv, None, 50).await.unwrap().len() };

    // The first continues the replica: applied without a pull.
    let (since, c, cursor) = changes(0);
    assert!(replica.apply_continuing(&since, &c, &cursor).await.unwrap().is_some());
    assert_eq!(count().await, 1);
    // The second is dropped; the last comes before the third: neither continues the cursor,
    // and neither touches the replica.
    let (since, c, cursor) = changes(frames.len() - 1);
    assert!(replica.apply_continuing(&since, &c, &cursor).await.unwrap().is_none());
    assert_eq!(count().await, 1, "a frame past a gap is not applied");
    // So the engine pulls: everything arrives, once.
    pull(&api, &replica, |_| {}).await.unwrap();
    assert_eq!(count().await, 4);
    // The dropped second, arriving late, no longer continues anything: nothing is applied twice.
    let (since, c, cursor) = changes(1);
    assert!(replica.apply_continuing(&since, &c, &cursor).await.unwrap().is_none());
    pull(&api, &replica, |_| {}).await.unwrap();
    let texts: Vec<Option<String>> = replica
        .messages(ben.id, conv, None, 50)
        .await
        .unwrap()
        .into_iter()
        .map(|m| m.message.content)
        .collect();
    assert_eq!(texts.len(), 4, "{texts:?}");
    for i in 0..4 {
        let text = Some(format!("live {i}"));
        assert_eq!(texts.iter().filter(|t| **t == text).count(), 1, "{texts:?}");
    }
    s.server.stop().await;
}

async fn added_to_a_long_group_while_online_shows_its_newest_page_first(backend: Backend) {
    let s = TestServer::spawn(backend).await;
    let dir = tempfile::tempdir().unwrap();
    let ann = s.api.register("ann").await;
    let ben = s.api.register("ben").await;
    let (group, conv) = s.api.group(&ben, "Cohort").await;
    let total = 5_000;
    let ids = s.seed_messages(ben.id, conv, total).await;
    let (engine, replica) = engine_for(&s, &ann, dir.path()).await;
    let mut events = engine.subscribe();
    wait_for(&mut events, "online", |e| *e == Event::Sync(SyncState::Online)).await;

    // Ann is added while online: the history follows frame by frame (or page by page), oldest
    // first, but the group is shown with its newest messages already in.
    let added = s
        .api
        .post(
            &format!("/v1/groups/{group}/members"),
            &ben.token,
            serde_json::json!({"user_id": ann.id}),
        )
        .await;
    assert_eq!(added.status, 201, "{}", added.body);
    wait_for(&mut events, "the group's messages", |e| *e == Topic::Messages.one(conv)).await;
    let window = replica.messages(ann.id, conv, None, 50).await.unwrap();
    assert_eq!(
        window.last().map(|m| m.message.message_id),
        ids.last().copied(),
        "when the group is first shown, its newest message is in"
    );

    // Then the whole history, once each and in order.
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let all = replica.messages(ann.id, conv, None, 10_000).await.unwrap();
        if all.len() == total {
            let all: Vec<_> = all.iter().map(|m| m.message.message_id).collect();
            assert_eq!(all, ids);
            break;
        }
        assert!(Instant::now() < deadline, "{} of {total} messages after 30 s", all.len());
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    s.server.stop().await;
}

lodestar_tests::on_both_backends!(
    added_to_a_long_group_while_online_shows_its_newest_page_first,
    the_engine_delivers_live_and_notifies_by_the_rules,
    the_engine_goes_offline_and_comes_back_by_itself,
    a_burst_is_announced_once_per_conversation,
    a_dropped_or_reordered_frame_loses_nothing,
);
