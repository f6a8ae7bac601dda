//! The `Store` conformance suite: every trait method, on SQLite and on PostgreSQL, against the
//! store itself (no HTTP). What each test asserts is what a user of the store would check: the
//! values that come back, who may see what, and what sync hands each user.
//!
//! Times are explicit and whole seconds (see [`t`]) unless a test is about precision, so results
//! never depend on the wall clock and both backends store them exactly.

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

mod accounts;
mod conversations;
mod groups;
mod media;
mod mentorships;
mod message_actions;
mod own_data;
mod profiles;
mod program;
mod races;
mod safety;
mod sessions;
mod stats;
mod sync;

use std::fmt::Debug;
use std::sync::Arc;

use chrono::{DateTime, Duration as Span, NaiveDate, TimeZone, Utc};
use lodestar_protocol::validate::{MessageBody, NewGroup, NewUser, ProfileValues};
use lodestar_protocol::{Change, ChangeKind, ChangeOp, ConversationSummary, Me, Message, Profile};
use lodestar_server::store::{NewAccount, NewMessage, SendOutcome, Store, StoreError, StoreResult};
use lodestar_tests::{Backend, Database};
use uuid::Uuid;

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

/// A store on a fresh database; the database lives as long as the fixture.
struct Fx {
    s: Arc<dyn Store>,
    _db: Database,
}

async fn fx(backend: Backend) -> Fx {
    let db = Database::fresh(backend).await;
    let s = lodestar_server::store::open(&db.url).await.unwrap();
    let expected = match backend {
        Backend::Sqlite => "sqlite",
        Backend::Postgres => "postgres",
    };
    assert_eq!(s.backend(), expected);
    Fx { s, _db: db }
}

/// A fixed instant plus `secs` seconds: every time in this suite is explicit.
fn t(secs: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2025, 6, 1, 12, 0, 0).unwrap() + Span::seconds(secs)
}

/// The day of [`t`].
fn today() -> NaiveDate {
    t(0).date_naive()
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// A registration with only the required fields.
fn new_user(name: &str) -> NewUser {
    NewUser {
        username: name.to_owned(),
        email: format!("{name}@example.com"),
        password: "a long enough password".into(),
        date_of_birth: date(1990, 4, 12),
        profile: ProfileValues::default(),
    }
}

async fn try_create(s: &dyn Store, user: NewUser, at: DateTime<Utc>) -> StoreResult<Me> {
    s.create_user(NewAccount { user, password_hash: "x".into() }, at).await
}

async fn create(s: &dyn Store, user: NewUser, at: DateTime<Utc>) -> Me {
    try_create(s, user, at).await.unwrap()
}

/// A plain user made at `t(0)`.
async fn user(s: &dyn Store, name: &str) -> Uuid {
    create(s, new_user(name), t(0)).await.profile.user_id
}

fn text(conversation_id: Uuid, content: &str, at: DateTime<Utc>) -> NewMessage {
    NewMessage {
        message_id: Uuid::new_v4(),
        conversation_id,
        body: MessageBody { content: Some(content.to_owned()), media_url: None },
        sent_at: at,
        reply_to: None,
    }
}

#[track_caller]
fn created(outcome: SendOutcome) -> Message {
    match outcome {
        SendOutcome::Created(m) => m,
        other => panic!("expected Created, got {other:?}"),
    }
}

async fn send(
    s: &dyn Store,
    sender: Uuid,
    conv: Uuid,
    content: &str,
    at: DateTime<Utc>,
) -> Message {
    created(s.send_message(sender, text(conv, content, at)).await.unwrap())
}

async fn direct(s: &dyn Store, a: Uuid, b: Uuid, at: DateTime<Utc>) -> Uuid {
    s.open_direct(a, b, at).await.unwrap().conversation.conversation_id
}

fn group_named(name: &str) -> NewGroup {
    NewGroup { group_name: name.to_owned(), description: None }
}

#[track_caller]
fn assert_not_found<T: Debug>(r: StoreResult<T>, what: &str) {
    match r {
        Err(StoreError::NotFound) => {}
        other => panic!("{what}: expected NotFound, got {other:?}"),
    }
}

#[track_caller]
fn assert_conflict<T: Debug>(r: StoreResult<T>, fields: &[&str], what: &str) {
    match r {
        Err(StoreError::Conflict(taken)) => assert_eq!(taken, fields, "{what}: wrong fields"),
        other => panic!("{what}: expected Conflict({fields:?}), got {other:?}"),
    }
}

/// Every change `user` may see after `since`, paging by `limit`; checks each page's shape.
async fn sync_all(s: &dyn Store, user: Uuid, since: i64, limit: i64) -> (Vec<Change>, i64) {
    let mut cursor = since;
    let mut out: Vec<Change> = Vec::new();
    for _ in 0..100_000 {
        let (page, next, more) = s.sync(user, cursor, limit).await.unwrap();
        assert!(page.len() as i64 <= limit, "a page longer than its limit");
        assert!(page.windows(2).all(|w| w[0].seq < w[1].seq), "seqs not increasing in a page");
        if let Some(first) = page.first() {
            assert!(first.seq > cursor, "a change at or before the cursor came back");
        }
        if let Some(last) = page.last() {
            assert!(next >= last.seq, "the cursor {next} is behind a returned seq {}", last.seq);
        }
        if more {
            assert!(!page.is_empty(), "has_more with an empty page");
        }
        assert!(next >= cursor, "the cursor went backwards");
        out.extend(page);
        cursor = next;
        if !more {
            return (out, cursor);
        }
    }
    panic!("sync never reached has_more = false");
}

fn seqs(changes: &[Change]) -> Vec<i64> {
    changes.iter().map(|c| c.seq).collect()
}

fn mentions(changes: &[Change], id: Uuid) -> bool {
    let id = id.to_string();
    changes.iter().any(|c| c.data.to_string().contains(&id))
}

fn has(changes: &[Change], kind: ChangeKind, op: ChangeOp, field: &str, id: Uuid) -> bool {
    changes.iter().any(|c| c.kind == kind && c.op == op && c.data[field] == id.to_string())
}

fn message_changes(changes: &[Change], id: Uuid) -> usize {
    changes
        .iter()
        .filter(|c| c.kind == ChangeKind::Message && c.data["message_id"] == id.to_string())
        .count()
}

fn summary(list: &[ConversationSummary], id: Uuid) -> &ConversationSummary {
    list.iter().find(|c| c.conversation.conversation_id == id).expect("conversation listed")
}

fn order(list: &[ConversationSummary]) -> Vec<Uuid> {
    list.iter().map(|c| c.conversation.conversation_id).collect()
}

fn sorted(mut ids: Vec<Uuid>) -> Vec<Uuid> {
    ids.sort();
    ids
}

fn names(profiles: &[Profile]) -> Vec<&str> {
    profiles.iter().map(|p| p.username.as_str()).collect()
}
