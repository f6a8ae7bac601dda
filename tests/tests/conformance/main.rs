//! The `Store` conformance suite: every trait method, on SQLite and on PostgreSQL, against the
//! store itself (no HTTP). What each test asserts is what a user of the store would check: the
//! values that come back, who may see what, and what sync hands each user.
//!
//! Times are explicit and whole seconds (see [`t`]) unless a test is about precision, so results
//! never depend on the wall clock and both backends store them exactly.

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

mod media;
mod mentorships;
mod message_actions;
mod own_data;
mod profiles;
mod program;
mod safety;
mod sessions;
mod stats;

use std::collections::HashSet;
use std::fmt::Debug;
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Duration as Span, NaiveDate, TimeZone, Utc};
use lodestar_protocol::validate::{
    GroupPatch, MessageBody, NewGroup, NewUser, ProfilePatch, ProfileValues,
};
use lodestar_protocol::{
    direct_conversation_id, group_conversation_id, Change, ChangeKind, ChangeOp,
    ConversationSummary, ConversationType, GroupMember, Me, Message, Profile, Read, Role,
    UsersQuery,
};
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

// ---------------------------------------------------------------------------------------------
// Accounts and sessions
// ---------------------------------------------------------------------------------------------

async fn a_fresh_store_is_empty(backend: Backend) {
    let f = fx(backend).await;
    let s = &*f.s;
    assert!(s.is_empty().await.unwrap());
    assert_eq!(s.latest_seq().await.unwrap(), 0);
    assert!(s.search_users(&UsersQuery::default(), 100, today()).await.unwrap().is_empty());
    user(s, "ann").await;
    assert!(!s.is_empty().await.unwrap());
    assert!(s.latest_seq().await.unwrap() > 0);
}

async fn create_user_round_trips_every_field(backend: Backend) {
    let f = fx(backend).await;
    let s = &*f.s;
    let mut u = new_user("ann");
    u.email = "Ann.Lee@Example.com".into();
    u.profile = ProfileValues {
        phone_number: Some("+15551234567".into()),
        city: Some("Austin".into()),
        state: Some("TX".into()),
        profile_picture_url: Some("https://img.example.com/ann.png".into()),
        bio: Some("Backend engineer; I like databases.".into()),
        mentor_status: true,
        mentee_status: false,
        job_title: Some("Staff Engineer".into()),
        years_of_experience: Some(12),
        industry: Some("Software".into()),
        skills: vec!["rust".into(), "postgres".into(), "distributed systems".into()],
        interests: vec!["chess".into(), "climbing".into()],
        mentee_capacity: 5,
        accepting_requests: false,
    };
    let me = create(s, u, t(0)).await;
    let expected = Me {
        profile: Profile {
            user_id: me.profile.user_id,
            username: "ann".into(),
            city: Some("Austin".into()),
            state: Some("TX".into()),
            age: Some(35),
            profile_picture_url: Some("https://img.example.com/ann.png".into()),
            bio: Some("Backend engineer; I like databases.".into()),
            mentor_status: true,
            mentee_status: false,
            job_title: Some("Staff Engineer".into()),
            years_of_experience: Some(12),
            industry: Some("Software".into()),
            skills: vec!["rust".into(), "postgres".into(), "distributed systems".into()],
            interests: vec!["chess".into(), "climbing".into()],
            created_at: t(0),
            mentee_capacity: 5,
            accepting_requests: false,
            open_slots: 5,
        },
        email: "Ann.Lee@Example.com".into(),
        phone_number: Some("+15551234567".into()),
        date_of_birth: date(1990, 4, 12),
        is_coordinator: false,
    };
    assert_eq!(me, expected, "create_user answers the stored record");
    let id = me.profile.user_id;
    assert_eq!(s.me(id, today()).await.unwrap(), expected, "me() round trip");
    // The age is derived on the day asked, turning over on the birthday.
    assert_eq!(s.me(id, date(2026, 4, 11)).await.unwrap().profile.age, Some(35));
    assert_eq!(s.me(id, date(2026, 4, 12)).await.unwrap().profile.age, Some(36));
    assert_eq!(s.profile(id, date(2026, 4, 12)).await.unwrap().age, Some(36));
    // Others see the Profile: the same record without the private fields.
    assert_eq!(s.profile(me.profile.user_id, today()).await.unwrap(), Profile::from(expected));
    assert_eq!(s.password_hash(me.profile.user_id).await.unwrap(), "x");

    // A user with nothing optional comes back with nothing optional.
    let bare = create(s, new_user("ben"), t(1)).await;
    assert_eq!(s.me(bare.profile.user_id, today()).await.unwrap(), bare);
    assert_eq!(bare.phone_number, None);
    assert_eq!(bare.profile.city, None);
    assert_eq!(bare.profile.bio, None);
    assert_eq!(bare.profile.years_of_experience, None);
    assert!(bare.profile.skills.is_empty() && bare.profile.interests.is_empty());
    assert!(!bare.profile.mentor_status && !bare.profile.mentee_status);
    assert_eq!(bare.profile.created_at, t(1));

    let nobody = Uuid::new_v4();
    assert_not_found(s.me(nobody, today()).await, "me() of an unknown user");
    assert_not_found(s.profile(nobody, today()).await, "profile() of an unknown user");
    assert_not_found(s.password_hash(nobody).await, "password_hash() of an unknown user");
}

async fn create_user_names_each_taken_field(backend: Backend) {
    let f = fx(backend).await;
    let s = &*f.s;
    let mut ann = new_user("ann");
    ann.profile.phone_number = Some("+15550001111".into());
    create(s, ann, t(0)).await;
    let seq = s.latest_seq().await.unwrap();

    let mut u = new_user("ANN");
    u.email = "other@example.com".into();
    assert_conflict(try_create(s, u, t(1)).await, &["username"], "case-variant username");

    let mut u = new_user("zed");
    u.email = "ANN@EXAMPLE.COM".into();
    assert_conflict(try_create(s, u, t(1)).await, &["email"], "case-variant email");

    let mut u = new_user("zed");
    u.profile.phone_number = Some("+15550001111".into());
    assert_conflict(try_create(s, u, t(1)).await, &["phone_number"], "same phone");

    let mut u = new_user("Ann");
    u.email = "ann@Example.COM".into();
    u.profile.phone_number = Some("+15550001111".into());
    assert_conflict(
        try_create(s, u, t(1)).await,
        &["username", "email", "phone_number"],
        "everything taken",
    );

    // Nothing was written by the refusals.
    assert_eq!(s.latest_seq().await.unwrap(), seq, "a refused registration logged a change");
    let all = s.search_users(&UsersQuery::default(), 100, today()).await.unwrap();
    assert_eq!(names(&all), ["ann"]);

    // Different values are fine, and two users without a phone do not collide.
    create(s, new_user("zed"), t(2)).await;
    create(s, new_user("amy"), t(3)).await;
}

async fn find_login_by_username_or_email_in_any_case(backend: Backend) {
    let f = fx(backend).await;
    let s = &*f.s;
    let mut u = new_user("ann");
    u.email = "Ann.Lee@Example.com".into();
    let ann = create(s, u, t(0)).await.profile.user_id;
    let ben = user(s, "ben").await;
    for login in ["ann", "ANN", "Ann", "ann.lee@example.com", "ANN.LEE@EXAMPLE.COM", " ann "] {
        let found = s.find_login(login).await.unwrap().unwrap_or_else(|| panic!("{login:?}"));
        assert_eq!(found.user_id, ann, "{login:?}");
        assert_eq!(found.password_hash, "x");
    }
    assert_eq!(s.find_login("BEN@example.com").await.unwrap().unwrap().user_id, ben);
    assert!(s.find_login("nobody").await.unwrap().is_none());
    assert!(s.find_login("an").await.unwrap().is_none(), "a prefix is not a login");
    assert!(s.find_login("%").await.unwrap().is_none());
}

async fn sessions_expire_and_can_be_revoked(backend: Backend) {
    let f = fx(backend).await;
    let s = &*f.s;
    let ann = user(s, "ann").await;
    let ben = user(s, "ben").await;
    s.create_session(ann, "h-ann", t(0), t(3600)).await.unwrap();
    s.create_session(ben, "h-ben", t(0), t(3600)).await.unwrap();
    assert_eq!(s.session_user("h-ann", t(10)).await.unwrap(), Some(ann));
    assert_eq!(s.session_user("h-ben", t(10)).await.unwrap(), Some(ben));
    assert_eq!(s.session_user("h-ann", t(3599)).await.unwrap(), Some(ann));
    assert_eq!(s.session_user("h-ann", t(3600)).await.unwrap(), None, "expired at expires_at");
    assert_eq!(s.session_user("h-ann", t(9000)).await.unwrap(), None);
    assert_eq!(s.session_user("unknown", t(10)).await.unwrap(), None);

    // A session whose expiry is already past never works.
    s.create_session(ann, "h-old", t(0), t(-1)).await.unwrap();
    assert_eq!(s.session_user("h-old", t(0)).await.unwrap(), None);

    s.delete_session("h-ann").await.unwrap();
    assert_eq!(s.session_user("h-ann", t(10)).await.unwrap(), None, "revoked");
    assert_eq!(s.session_user("h-ben", t(10)).await.unwrap(), Some(ben), "others stay");
    s.delete_session("never-existed").await.unwrap();
}

async fn set_password_hash_revokes_every_other_session(backend: Backend) {
    let f = fx(backend).await;
    let s = &*f.s;
    let ann = user(s, "ann").await;
    let ben = user(s, "ben").await;
    for h in ["a1", "a2", "a3"] {
        s.create_session(ann, h, t(0), t(3600)).await.unwrap();
    }
    s.create_session(ben, "b1", t(0), t(3600)).await.unwrap();
    s.set_password_hash(ann, "new-hash", "a2").await.unwrap();
    assert_eq!(s.password_hash(ann).await.unwrap(), "new-hash");
    assert_eq!(s.find_login("ann").await.unwrap().unwrap().password_hash, "new-hash");
    assert_eq!(s.password_hash(ben).await.unwrap(), "x", "another user's hash is untouched");
    assert_eq!(s.session_user("a1", t(1)).await.unwrap(), None);
    assert_eq!(s.session_user("a3", t(1)).await.unwrap(), None);
    assert_eq!(s.session_user("a2", t(1)).await.unwrap(), Some(ann), "the named one is kept");
    assert_eq!(s.session_user("b1", t(1)).await.unwrap(), Some(ben), "others' sessions stay");
}

async fn login_failures_count_the_window_and_clear(backend: Backend) {
    let f = fx(backend).await;
    let s = &*f.s;
    let both = ["user:ann".to_owned(), "ip:10.0.0.1".to_owned()];
    s.record_attempt(&both, Uuid::new_v4(), t(-600)).await.unwrap();
    s.record_attempt(&both[..1], Uuid::new_v4(), t(-300)).await.unwrap();
    let last = Uuid::new_v4();
    s.record_attempt(&both, last, t(-60)).await.unwrap();

    assert_eq!(s.login_failures("user:ann", t(-900)).await.unwrap(), (3, Some(t(-600))));
    assert_eq!(s.login_failures("user:ann", t(-400)).await.unwrap(), (2, Some(t(-300))));
    assert_eq!(
        s.login_failures("user:ann", t(-60)).await.unwrap(),
        (0, None),
        "since is exclusive"
    );
    assert_eq!(s.login_failures("ip:10.0.0.1", t(-900)).await.unwrap(), (2, Some(t(-600))));
    assert_eq!(s.login_failures("user:ben", t(-900)).await.unwrap(), (0, None));

    s.clear_login_failures("user:ann").await.unwrap();
    assert_eq!(s.login_failures("user:ann", t(-900)).await.unwrap(), (0, None));
    assert_eq!(
        s.login_failures("ip:10.0.0.1", t(-900)).await.unwrap(),
        (2, Some(t(-600))),
        "clearing one key keeps the others"
    );
    s.clear_login_failures("never-failed").await.unwrap();
    // Forgetting an attempt removes its rows under every key, and nothing else.
    s.forget_attempt(last).await.unwrap();
    assert_eq!(s.login_failures("ip:10.0.0.1", t(-900)).await.unwrap(), (1, Some(t(-600))));
    s.forget_attempt(Uuid::new_v4()).await.unwrap();
    assert_eq!(s.login_failures("ip:10.0.0.1", t(-900)).await.unwrap(), (1, Some(t(-600))));
}

async fn taken_names_each_taken_field_before_any_write(backend: Backend) {
    let f = fx(backend).await;
    let s = &*f.s;
    let mut with_phone = new_user("ann");
    with_phone.profile.phone_number = Some("+15550100".into());
    let ann = create(s, with_phone, t(0)).await;
    assert_eq!(s.taken("ANN", "other@example.com", None).await.unwrap(), vec!["username"]);
    assert_eq!(s.taken("other", "Ann@Example.com", None).await.unwrap(), vec!["email"]);
    assert_eq!(
        s.taken("other", "other@example.com", Some("+15550100")).await.unwrap(),
        vec!["phone_number"]
    );
    assert!(s.taken("other", "other@example.com", Some("+15550199")).await.unwrap().is_empty());
    assert_eq!(s.me(ann.profile.user_id, today()).await.unwrap().profile.username, "ann");
}

async fn valid_sessions_are_the_unexpired_unrevoked_ones(backend: Backend) {
    let f = fx(backend).await;
    let s = &*f.s;
    let ann = user(s, "ann").await;
    s.create_session(ann, "live", t(0), t(100)).await.unwrap();
    s.create_session(ann, "expired", t(0), t(5)).await.unwrap();
    s.create_session(ann, "revoked", t(0), t(100)).await.unwrap();
    s.delete_session("revoked").await.unwrap();
    let asked: Vec<String> = ["live", "expired", "revoked", "never"].map(String::from).into();
    assert_eq!(s.valid_sessions(&asked, t(10)).await.unwrap(), vec!["live".to_owned()]);
    assert!(s.valid_sessions(&[], t(10)).await.unwrap().is_empty());
    // More than one query's worth of hashes.
    let many: Vec<String> =
        (0..2_500).map(|i| format!("h{i}")).chain(["live".to_owned()]).collect();
    assert_eq!(s.valid_sessions(&many, t(10)).await.unwrap(), vec!["live".to_owned()]);
}

async fn conversation_members_lists_direct_and_group_members(backend: Backend) {
    let f = fx(backend).await;
    let s = &*f.s;
    let (a, b, c) = (user(s, "ann").await, user(s, "ben").await, user(s, "cat").await);
    let ab = direct(s, a, b, t(1)).await;
    let group = s
        .create_group(a, NewGroup { group_name: "cohort".into(), description: None }, &[c], t(2))
        .await
        .unwrap();
    let mut members =
        s.conversation_members(&[ab, group.conversation_id, Uuid::new_v4()]).await.unwrap();
    members.sort();
    let mut expected =
        vec![(ab, a), (ab, b), (group.conversation_id, a), (group.conversation_id, c)];
    expected.sort();
    assert_eq!(members, expected);
    assert!(s.conversation_members(&[]).await.unwrap().is_empty());
}

// ---------------------------------------------------------------------------------------------
// Conversations and messages
// ---------------------------------------------------------------------------------------------

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

// ---------------------------------------------------------------------------------------------
// Groups
// ---------------------------------------------------------------------------------------------

async fn groups_keep_roles_and_members(backend: Backend) {
    let f = fx(backend).await;
    let s = &*f.s;
    let a = user(s, "ann").await;
    let b = user(s, "ben").await;
    let c = user(s, "cat").await;
    let d = user(s, "dan").await;
    let stranger = user(s, "sam").await;

    let new = NewGroup { group_name: "Rust circle".into(), description: Some("weekly".into()) };
    // The creator and duplicates in `members` count once.
    let g = s.create_group(a, new, &[b, c, a, b], t(10)).await.unwrap();
    assert_eq!(g.group_name, "Rust circle");
    assert_eq!(g.description.as_deref(), Some("weekly"));
    assert_eq!(g.created_by, a);
    assert_eq!(g.created_at, t(10));
    assert_eq!(g.conversation_id, group_conversation_id(g.group_id));
    let mut members = g.members.clone();
    members.sort_by_key(|m| m.user_id);
    let mut expected = vec![
        GroupMember { user_id: a, role: Role::Owner, joined_at: t(10) },
        GroupMember { user_id: b, role: Role::Member, joined_at: t(10) },
        GroupMember { user_id: c, role: Role::Member, joined_at: t(10) },
    ];
    expected.sort_by_key(|m| m.user_id);
    assert_eq!(members, expected);

    assert_eq!(s.group(a, g.group_id).await.unwrap(), (g.clone(), Role::Owner));
    assert_eq!(s.group(b, g.group_id).await.unwrap(), (g.clone(), Role::Member));
    assert_not_found(s.group(stranger, g.group_id).await, "a stranger's group()");
    assert_not_found(s.group(a, Uuid::new_v4()).await, "an unknown group");

    // Its conversation exists for the members only.
    let conv = s.conversation(c, g.conversation_id).await.unwrap();
    assert_eq!(conv.kind, ConversationType::Group);
    assert_eq!(conv.group_id, Some(g.group_id));
    assert_eq!(conv.created_at, t(10));
    assert_eq!(sorted(conv.participants), sorted(vec![a, b, c]));
    assert_not_found(s.conversation(stranger, g.conversation_id).await, "a stranger");
    assert_eq!(order(&s.conversations(b).await.unwrap()), [g.conversation_id]);

    // update_group: None leaves, Some(None) clears.
    let renamed = s
        .update_group(
            g.group_id,
            GroupPatch { group_name: Some("Rustaceans".into()), description: None },
        )
        .await
        .unwrap();
    assert_eq!(renamed.group_name, "Rustaceans");
    assert_eq!(renamed.description.as_deref(), Some("weekly"));
    assert_eq!(renamed.members, g.members);
    let cleared = s
        .update_group(g.group_id, GroupPatch { group_name: None, description: Some(None) })
        .await
        .unwrap();
    assert_eq!(cleared.group_name, "Rustaceans");
    assert_eq!(cleared.description, None);
    let described = s
        .update_group(
            g.group_id,
            GroupPatch { group_name: None, description: Some(Some("new".into())) },
        )
        .await
        .unwrap();
    assert_eq!(described.description.as_deref(), Some("new"));
    assert_eq!(s.group(b, g.group_id).await.unwrap().0, described);
    assert_not_found(
        s.update_group(Uuid::new_v4(), GroupPatch::default()).await,
        "update_group of an unknown group",
    );

    // add_member.
    let added = s.add_member(g.group_id, d, Role::Admin, t(20)).await.unwrap();
    assert_eq!(added, GroupMember { user_id: d, role: Role::Admin, joined_at: t(20) });
    assert_eq!(s.group(d, g.group_id).await.unwrap().1, Role::Admin);
    assert!(s.group(a, g.group_id).await.unwrap().0.members.contains(&added));
    let conv = s.conversation(d, g.conversation_id).await.unwrap();
    assert_eq!(sorted(conv.participants), sorted(vec![a, b, c, d]));
    assert_conflict(s.add_member(g.group_id, d, Role::Member, t(21)).await, &["user_id"], "again");
    assert_conflict(s.add_member(g.group_id, a, Role::Member, t(21)).await, &["user_id"], "owner");
    assert_not_found(s.add_member(Uuid::new_v4(), d, Role::Member, t(21)).await, "no group");
    assert_not_found(
        s.add_member(g.group_id, Uuid::new_v4(), Role::Member, t(21)).await,
        "no user",
    );
    assert_eq!(s.group(d, g.group_id).await.unwrap().1, Role::Admin, "a refused add changed d");

    // set_role.
    let promoted = s.set_role(g.group_id, c, Role::Admin).await.unwrap();
    assert_eq!(promoted, GroupMember { user_id: c, role: Role::Admin, joined_at: t(10) });
    assert_eq!(s.group(c, g.group_id).await.unwrap().1, Role::Admin);
    let demoted = s.set_role(g.group_id, d, Role::Member).await.unwrap();
    assert_eq!(demoted.role, Role::Member);
    assert_eq!(demoted.joined_at, t(20));
    assert_not_found(s.set_role(g.group_id, stranger, Role::Admin).await, "set_role non-member");
    assert_not_found(s.set_role(Uuid::new_v4(), c, Role::Admin).await, "set_role no group");
    assert_not_found(s.group(stranger, g.group_id).await, "set_role made a stranger a member");

    // remove_member.
    assert_not_found(s.remove_member(g.group_id, stranger).await, "remove a non-member");
    assert_not_found(s.remove_member(Uuid::new_v4(), b).await, "remove from no group");
    s.remove_member(g.group_id, b).await.unwrap();
    assert_not_found(s.group(b, g.group_id).await, "a removed member's group()");
    assert_not_found(s.conversation(b, g.conversation_id).await, "a removed member's conversation");
    assert_not_found(
        s.messages(b, g.conversation_id, None, 10).await,
        "a removed member's messages",
    );
    assert!(s.conversations(b).await.unwrap().is_empty());
    assert_not_found(
        s.send_message(b, text(g.conversation_id, "still here?", t(30))).await,
        "a removed member sends",
    );
    let (after, role) = s.group(a, g.group_id).await.unwrap();
    assert_eq!(role, Role::Owner);
    assert_eq!(sorted(after.members.iter().map(|m| m.user_id).collect()), sorted(vec![a, c, d]));
    assert_not_found(s.remove_member(g.group_id, b).await, "removing twice");
    // And back again.
    s.add_member(g.group_id, b, Role::Member, t(40)).await.unwrap();
    assert_eq!(s.group(b, g.group_id).await.unwrap().1, Role::Member);
}

async fn the_last_owner_leaving_hands_the_group_on(backend: Backend) {
    let f = fx(backend).await;
    let s = &*f.s;
    let a = user(s, "ann").await;
    let b = user(s, "ben").await;
    let c = user(s, "cat").await;
    let g = s.create_group(a, group_named("Hand-over"), &[], t(10)).await.unwrap();
    assert_eq!(g.members.len(), 1);
    s.add_member(g.group_id, b, Role::Member, t(20)).await.unwrap();
    s.add_member(g.group_id, c, Role::Member, t(30)).await.unwrap();

    s.remove_member(g.group_id, a).await.unwrap();
    let (group, role) = s.group(b, g.group_id).await.unwrap();
    assert_eq!(role, Role::Owner, "the longest-standing member takes over");
    assert_eq!(s.group(c, g.group_id).await.unwrap().1, Role::Member);
    let owners: Vec<Uuid> =
        group.members.iter().filter(|m| m.role == Role::Owner).map(|m| m.user_id).collect();
    assert_eq!(owners, [b], "exactly one owner");
    assert_not_found(s.group(a, g.group_id).await, "the leaver");

    s.remove_member(g.group_id, b).await.unwrap();
    assert_eq!(s.group(c, g.group_id).await.unwrap().1, Role::Owner);

    // With another owner left, nobody is promoted.
    let g2 = s.create_group(a, group_named("Two owners"), &[b, c], t(40)).await.unwrap();
    s.set_role(g2.group_id, b, Role::Owner).await.unwrap();
    s.remove_member(g2.group_id, a).await.unwrap();
    assert_eq!(s.group(b, g2.group_id).await.unwrap().1, Role::Owner);
    assert_eq!(s.group(c, g2.group_id).await.unwrap().1, Role::Member);
}

async fn deleting_a_group_removes_it_for_everyone(backend: Backend) {
    let f = fx(backend).await;
    let s = &*f.s;
    let a = user(s, "ann").await;
    let b = user(s, "ben").await;
    let g = s.create_group(a, group_named("Short-lived"), &[b], t(10)).await.unwrap();
    let keep = s.create_group(b, group_named("Staying"), &[a], t(11)).await.unwrap();
    let m = send(s, b, g.conversation_id, "bye soon", t(12)).await;
    s.mark_read(a, &[m.message_id], t(13)).await.unwrap();
    let (_, b_cursor) = sync_all(s, b, 0, 1000).await;

    s.delete_group(g.group_id).await.unwrap();
    for u in [a, b] {
        assert_not_found(s.group(u, g.group_id).await, "group() after delete");
        assert_not_found(s.conversation(u, g.conversation_id).await, "conversation() after delete");
        assert_not_found(
            s.messages(u, g.conversation_id, None, 10).await,
            "messages() after delete",
        );
        assert_not_found(s.reads(u, m.message_id).await, "reads() after delete");
        assert_eq!(order(&s.conversations(u).await.unwrap()), [keep.conversation_id]);
    }
    assert_not_found(
        s.send_message(a, text(g.conversation_id, "anyone?", t(20))).await,
        "sending to a deleted group",
    );
    assert_not_found(s.delete_group(g.group_id).await, "deleting twice");
    assert_not_found(s.add_member(g.group_id, b, Role::Member, t(21)).await, "adding to it");
    // The other group is untouched.
    assert_eq!(s.group(a, keep.group_id).await.unwrap().1, Role::Member);

    // Members learn of it through sync.
    let (changes, _) = sync_all(s, b, b_cursor, 1000).await;
    assert!(has(&changes, ChangeKind::Group, ChangeOp::Delete, "group_id", g.group_id));
    assert!(has(
        &changes,
        ChangeKind::Conversation,
        ChangeOp::Delete,
        "conversation_id",
        g.conversation_id
    ));
}

// ---------------------------------------------------------------------------------------------
// Sync
// ---------------------------------------------------------------------------------------------

async fn sync_shows_each_user_what_they_may_see(backend: Backend) {
    let f = fx(backend).await;
    let s = &*f.s;
    let a = user(s, "ann").await;
    let b = user(s, "ben").await;
    let stranger = user(s, "sam").await;
    let ab = direct(s, a, b, t(1)).await;
    let mut sent = Vec::new();
    for i in 0..5 {
        let from = if i % 2 == 0 { a } else { b };
        sent.push(send(s, from, ab, &format!("direct {i}"), t(10 + i)).await);
    }
    s.mark_read(b, &[sent[0].message_id], t(20)).await.unwrap();
    let patch =
        ProfilePatch { bio: Some(Some("I mentor Rust folks".into())), ..Default::default() };
    s.update_me(a, patch, today()).await.unwrap();

    let (big, cursor) = sync_all(s, a, 0, 1000).await;
    // Own profile, as Me (with the email); the latest edit included.
    let own: Vec<&Change> = big
        .iter()
        .filter(|c| c.kind == ChangeKind::Profile && c.data["user_id"] == a.to_string())
        .collect();
    assert!(!own.is_empty(), "ann's own profile is missing");
    assert!(own.iter().all(|c| c.data["email"] == "ann@example.com"), "own profile as Me");
    assert_eq!(own.last().unwrap().data["bio"], "I mentor Rust folks");
    // The other participant's profile, without private fields.
    let bens: Vec<&Change> = big
        .iter()
        .filter(|c| c.kind == ChangeKind::Profile && c.data["user_id"] == b.to_string())
        .collect();
    assert!(!bens.is_empty(), "ben's profile is missing");
    for c in &bens {
        for private in ["email", "phone_number", "date_of_birth"] {
            assert!(c.data.get(private).is_none(), "ben's {private} leaked: {}", c.data);
        }
    }
    // The conversation, its participants, every message exactly once, the read.
    assert!(has(&big, ChangeKind::Conversation, ChangeOp::Upsert, "conversation_id", ab));
    let participants: HashSet<String> = big
        .iter()
        .filter(|c| c.kind == ChangeKind::Participant)
        .map(|c| c.data["user_id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(participants, HashSet::from([a.to_string(), b.to_string()]));
    for m in &sent {
        assert_eq!(message_changes(&big, m.message_id), 1, "message {}", m.seq);
        let c = big.iter().find(|c| c.data["message_id"] == m.message_id.to_string()).unwrap();
        assert_eq!(c.data["content"], m.content.clone().unwrap());
        assert_eq!(c.data["seq"], m.seq);
    }
    assert!(big.iter().any(|c| c.kind == ChangeKind::Read
        && c.data["message_id"] == sent[0].message_id.to_string()
        && c.data["user_id"] == b.to_string()));
    assert!(!mentions(&big, stranger), "ann sees the stranger");

    // The cursor covers everything returned, and nothing comes after it.
    assert!(big.iter().all(|c| c.seq <= cursor));
    assert!(cursor <= s.latest_seq().await.unwrap());
    let (rest, again) = sync_all(s, a, cursor, 1000).await;
    assert!(rest.is_empty(), "changes after the final cursor: {rest:?}");
    assert_eq!(again, cursor);

    // Paging by one (or two) yields exactly the same changes and the same cursor.
    for limit in [1, 2, 7] {
        let (small, small_cursor) = sync_all(s, a, 0, limit).await;
        assert_eq!(seqs(&small), seqs(&big), "paging by {limit}");
        assert_eq!(small, big);
        assert_eq!(small_cursor, cursor);
    }
    // Starting mid-way yields the tail.
    let mid = big[big.len() / 2].seq;
    let (tail, _) = sync_all(s, a, mid, 3).await;
    assert_eq!(tail, big.iter().filter(|c| c.seq > mid).cloned().collect::<Vec<_>>());

    // Ben sees ann's edit, without her email.
    let (bens_view, _) = sync_all(s, b, 0, 1000).await;
    let edit = bens_view
        .iter()
        .rfind(|c| c.kind == ChangeKind::Profile && c.data["user_id"] == a.to_string())
        .expect("ben sees ann's profile");
    assert_eq!(edit.data["bio"], "I mentor Rust folks");
    assert!(edit.data.get("email").is_none());
    assert!(bens_view.iter().any(|c| c.kind == ChangeKind::Profile
        && c.data["user_id"] == b.to_string()
        && c.data["email"] == "ben@example.com"));

    // The stranger sees nothing of theirs: only their own profile.
    let (theirs, _) = sync_all(s, stranger, 0, 1000).await;
    for id in [a, b, ab].into_iter().chain(sent.iter().map(|m| m.message_id)) {
        assert!(!mentions(&theirs, id), "the stranger saw {id}: {theirs:?}");
    }
    assert!(!theirs.is_empty());
    assert!(theirs
        .iter()
        .all(|c| c.kind == ChangeKind::Profile && c.data["user_id"] == stranger.to_string()));
}

async fn joining_a_group_brings_its_history(backend: Backend) {
    let f = fx(backend).await;
    let s = &*f.s;
    let a = user(s, "ann").await;
    let b = user(s, "ben").await;
    let c = user(s, "cat").await;
    let g = s.create_group(a, group_named("History"), &[c], t(10)).await.unwrap();
    let mut old = Vec::new();
    for i in 0..3 {
        old.push(send(s, c, g.conversation_id, &format!("before ben {i}"), t(11 + i)).await);
    }
    s.mark_read(a, &[old[0].message_id], t(15)).await.unwrap();

    // Ben is fully synced: his cursor is past every one of those messages.
    let (before, b_cursor) = sync_all(s, b, 0, 1000).await;
    assert!(!mentions(&before, g.group_id) && !mentions(&before, g.conversation_id));
    assert!(old.iter().all(|m| m.seq < b_cursor));

    let (_, a_cursor) = sync_all(s, a, 0, 1000).await;
    s.add_member(g.group_id, b, Role::Member, t(20)).await.unwrap();
    // The members see the newcomer join, with their public profile only.
    let (a_view, _) = sync_all(s, a, a_cursor, 1000).await;
    assert!(has(&a_view, ChangeKind::GroupMember, ChangeOp::Upsert, "user_id", b));
    let p = a_view
        .iter()
        .find(|x| x.kind == ChangeKind::Profile && x.data["user_id"] == b.to_string())
        .expect("ann gets ben's profile when he joins");
    assert!(p.data.get("email").is_none(), "ben's email leaked to ann");
    let (joined, b_cursor2) = sync_all(s, b, b_cursor, 1000).await;
    for m in &old {
        assert!(message_changes(&joined, m.message_id) >= 1, "old message {} missing", m.seq);
    }
    let data = &joined
        .iter()
        .find(|c| {
            c.kind == ChangeKind::Message && c.data["message_id"] == old[2].message_id.to_string()
        })
        .unwrap()
        .data;
    assert_eq!(serde_json::from_value::<Message>(data.clone()).unwrap(), old[2]);
    assert!(has(&joined, ChangeKind::Group, ChangeOp::Upsert, "group_id", g.group_id));
    assert!(has(
        &joined,
        ChangeKind::Conversation,
        ChangeOp::Upsert,
        "conversation_id",
        g.conversation_id
    ));
    for member in [a, b, c] {
        assert!(has(&joined, ChangeKind::GroupMember, ChangeOp::Upsert, "user_id", member));
    }
    for other in [a, c] {
        let p = joined
            .iter()
            .find(|x| x.kind == ChangeKind::Profile && x.data["user_id"] == other.to_string())
            .expect("a member's profile");
        assert!(p.data.get("email").is_none());
    }
    assert!(joined.iter().any(
        |x| x.kind == ChangeKind::Read && x.data["message_id"] == old[0].message_id.to_string()
    ));

    // And what comes next reaches him too.
    let next = send(s, a, g.conversation_id, "welcome ben", t(30)).await;
    let (later, _) = sync_all(s, b, b_cursor2, 1000).await;
    assert_eq!(message_changes(&later, next.message_id), 1);
}

async fn leaving_a_group_stops_its_changes(backend: Backend) {
    let f = fx(backend).await;
    let s = &*f.s;
    let a = user(s, "ann").await;
    let b = user(s, "ben").await;
    let c = user(s, "cat").await;
    let g = s.create_group(a, group_named("Leavers"), &[b, c], t(10)).await.unwrap();
    let m1 = send(s, a, g.conversation_id, "while ben is here", t(11)).await;
    let (seen, b_cursor) = sync_all(s, b, 0, 1000).await;
    assert_eq!(message_changes(&seen, m1.message_id), 1);
    let (_, a_cursor) = sync_all(s, a, 0, 1000).await;

    s.remove_member(g.group_id, b).await.unwrap();
    let (left, b_cursor2) = sync_all(s, b, b_cursor, 1000).await;
    let membership_deleted = left.iter().any(|x| {
        x.kind == ChangeKind::GroupMember
            && x.op == ChangeOp::Delete
            && x.data["user_id"] == b.to_string()
            && x.data["group_id"] == g.group_id.to_string()
    });
    assert!(membership_deleted, "no group_member delete for ben: {left:?}");
    assert!(has(&left, ChangeKind::Group, ChangeOp::Delete, "group_id", g.group_id));
    assert!(has(
        &left,
        ChangeKind::Conversation,
        ChangeOp::Delete,
        "conversation_id",
        g.conversation_id
    ));

    // The others see him go.
    let (a_view, _) = sync_all(s, a, a_cursor, 1000).await;
    assert!(a_view.iter().any(|x| x.kind == ChangeKind::GroupMember
        && x.op == ChangeOp::Delete
        && x.data["user_id"] == b.to_string()));

    // Later activity in the group does not reach him, from any cursor.
    let m2 = send(s, c, g.conversation_id, "after ben left", t(20)).await;
    s.update_group(
        g.group_id,
        GroupPatch { group_name: Some("Renamed".into()), description: None },
    )
    .await
    .unwrap();
    s.add_member(g.group_id, user(s, "dan").await, Role::Member, t(21)).await.unwrap();
    s.mark_read(a, &[m2.message_id], t(22)).await.unwrap();
    let (after, _) = sync_all(s, b, b_cursor2, 1000).await;
    assert!(!mentions(&after, g.group_id) && !mentions(&after, g.conversation_id), "{after:?}");
    assert!(!mentions(&after, m2.message_id));
    let (from_zero, _) = sync_all(s, b, 0, 1000).await;
    assert_eq!(message_changes(&from_zero, m2.message_id), 0);
    assert!(!from_zero.iter().any(|x| x.data["group_name"] == "Renamed"));
    // While the members still get it.
    let (cs, _) = sync_all(s, c, 0, 1000).await;
    assert_eq!(message_changes(&cs, m2.message_id), 1);
}

async fn latest_seq_and_subscribe_follow_every_write(backend: Backend) {
    let f = fx(backend).await;
    let s = &*f.s;
    let mut rx = s.subscribe();
    let mut last = s.latest_seq().await.unwrap();
    assert_eq!(last, 0);

    // Each write moves the counter forward and the watch with it.
    macro_rules! grows {
        ($what:literal, $e:expr) => {{
            let out = $e;
            let now = s.latest_seq().await.unwrap();
            assert!(now > last, "{} did not advance latest_seq ({last} -> {now})", $what);
            tokio::time::timeout(Duration::from_secs(10), rx.wait_for(|v| *v >= now))
                .await
                .unwrap_or_else(|_| panic!("the watch did not reach {now} after {}", $what))
                .unwrap();
            last = now;
            out
        }};
    }
    let a = grows!("create_user", user(s, "ann").await);
    let b = grows!("create_user", user(s, "ben").await);
    let ab = grows!("open_direct", direct(s, a, b, t(1)).await);
    let m = grows!("send_message", send(s, a, ab, "hi", t(2)).await);
    assert!(m.seq <= last);
    assert!(*s.subscribe().borrow() >= m.seq, "a new subscriber starts at the latest seq");
    grows!("mark_read", s.mark_read(b, &[m.message_id], t(3)).await.unwrap());
    let patch = ProfilePatch { city: Some(Some("Austin".into())), ..Default::default() };
    grows!("update_me", s.update_me(a, patch, today()).await.unwrap());
    let g = grows!("create_group", s.create_group(a, group_named("G"), &[], t(4)).await.unwrap());
    let patch = GroupPatch { group_name: Some("G2".into()), description: None };
    grows!("update_group", s.update_group(g.group_id, patch).await.unwrap());
    grows!("add_member", s.add_member(g.group_id, b, Role::Member, t(5)).await.unwrap());
    grows!("set_role", s.set_role(g.group_id, b, Role::Admin).await.unwrap());
    let gm = grows!("send_message", send(s, b, g.conversation_id, "in g", t(6)).await);
    assert!(gm.seq > m.seq);
    grows!("remove_member", s.remove_member(g.group_id, b).await.unwrap());
    grows!("delete_group", s.delete_group(g.group_id).await.unwrap());

    // Reads move nothing.
    s.me(a, today()).await.unwrap();
    s.conversations(a).await.unwrap();
    s.messages(a, ab, None, 10).await.unwrap();
    s.sync(a, 0, 1000).await.unwrap();
    s.reads(a, m.message_id).await.unwrap();
    s.search_users(&UsersQuery::default(), 10, today()).await.unwrap();
    assert_eq!(s.latest_seq().await.unwrap(), last);

    // A full sync's cursor reaches the counter, and each user's changes have distinct seqs.
    for u in [a, b] {
        let (changes, cursor) = sync_all(s, u, 0, 1000).await;
        assert_eq!(cursor, last, "a caught-up cursor is the latest seq");
        let distinct: HashSet<i64> = changes.iter().map(|c| c.seq).collect();
        assert_eq!(distinct.len(), changes.len());
    }
}

/// The live feed's view of the log: every change after a seq, in order, with who it is for;
/// and the conversations a user is in.
async fn change_scopes_say_who_each_change_is_for(backend: Backend) {
    let f = fx(backend).await;
    let s = &*f.s;
    let a = user(s, "ann").await;
    let b = user(s, "ben").await;
    let c = user(s, "cat").await;
    let ab = direct(s, a, b, t(1)).await;
    let circle = s.create_group(a, group_named("circle"), &[c], t(1)).await.unwrap();
    let start = s.latest_seq().await.unwrap();
    let m = send(s, b, ab, "scoped", t(2)).await;
    let g = send(s, c, circle.conversation_id, "in the group", t(3)).await;

    let scopes = s.change_scopes(start, 100).await.unwrap();
    assert_eq!(scopes.iter().map(|c| c.seq).collect::<Vec<_>>(), [m.seq, g.seq]);
    assert_eq!(scopes[0].kind, ChangeKind::Message);
    assert_eq!(scopes[0].conversation_id, Some(ab));
    assert_eq!((scopes[0].subject_user_id, scopes[0].target_user_id), (None, None));
    assert_eq!(scopes[1].conversation_id, Some(circle.conversation_id));
    assert_eq!(s.change_scopes(start, 1).await.unwrap().len(), 1, "the limit holds");
    assert!(s.change_scopes(g.seq, 100).await.unwrap().is_empty());
    let all = s.change_scopes(0, 1000).await.unwrap();
    assert!(all.windows(2).all(|w| w[0].seq < w[1].seq), "oldest first");
    assert!(all.iter().any(|c| c.target_user_id.is_some() || c.subject_user_id.is_some()));

    assert_eq!(
        sorted(s.conversation_ids(a).await.unwrap()),
        sorted(vec![ab, circle.conversation_id])
    );
    assert_eq!(s.conversation_ids(b).await.unwrap(), [ab]);
    assert_eq!(s.conversation_ids(c).await.unwrap(), [circle.conversation_id]);
    assert!(s.conversation_ids(Uuid::new_v4()).await.unwrap().is_empty());
}

/// Several requests marking the same message read at once: each read reaches sync once.
async fn concurrent_reads_are_logged_once(backend: Backend) {
    let f = fx(backend).await;
    let a = user(&*f.s, "ann").await;
    let b = user(&*f.s, "ben").await;
    let ab = direct(&*f.s, a, b, t(1)).await;
    let m = send(&*f.s, a, ab, "read me", t(2)).await;
    let tasks: Vec<_> = (0..8)
        .map(|i| {
            let store = f.s.clone();
            tokio::spawn(async move { store.mark_read(b, &[m.message_id], t(10 + i)).await })
        })
        .collect();
    for task in tasks {
        task.await.unwrap().unwrap();
    }
    let (changes, _) = sync_all(&*f.s, a, 0, 1000).await;
    let reads = changes.iter().filter(|c| c.kind == ChangeKind::Read).count();
    assert_eq!(reads, 1, "one read, logged once: {changes:?}");
    assert_eq!(f.s.reads(a, m.message_id).await.unwrap().len(), 1);
}

// ---------------------------------------------------------------------------------------------
// A sender's clock, and writers racing a group's delete (issue 11, items 7 and 8)
// ---------------------------------------------------------------------------------------------

/// A `sent_at` beyond the clock skew is dated when the store accepts it, one within the skew or
/// in the past is kept, and `conversations()` follows the acceptance order (seq), not `sent_at`.
async fn sent_at_is_the_senders_only_up_to_the_clock_skew(backend: Backend) {
    let f = fx(backend).await;
    let s = &*f.s;
    let (a, b, c) = (user(s, "ann").await, user(s, "ben").await, user(s, "cat").await);
    let ab = direct(s, a, b, t(1)).await;
    let ac = direct(s, a, c, t(2)).await;
    let before = Utc::now() - Span::milliseconds(1);
    let far = Utc.with_ymd_and_hms(9999, 1, 1, 0, 0, 0).unwrap();
    let pinned = send(s, b, ab, "from the year 9999", far).await;
    let after = Utc::now();
    assert!(pinned.sent_at >= before && pinned.sent_at <= after, "dated {}", pinned.sent_at);
    let (listed, _) = s.messages(a, ab, None, 10).await.unwrap();
    assert_eq!(listed, std::slice::from_ref(&pinned), "stored as answered");
    let skewed_at = chrono::SubsecRound::trunc_subsecs(Utc::now(), 0) + Span::minutes(4);
    assert_eq!(send(s, b, ab, "a fast clock", skewed_at).await.sent_at, skewed_at);
    let offline = send(s, c, ac, "written offline", t(3)).await;
    assert_eq!(offline.sent_at, t(3), "a past sent_at stays");
    assert_eq!(order(&s.conversations(a).await.unwrap()), [ac, ab], "accepted last, first");
    let ad = direct(s, a, user(s, "dan").await, t(4)).await;
    assert_eq!(order(&s.conversations(a).await.unwrap()), [ad, ac, ab]);
    send(s, a, ab, "back in the oldest", t(0)).await;
    assert_eq!(order(&s.conversations(a).await.unwrap()), [ab, ad, ac]);
}

/// Members send, read, join and leave while the owner renames and deletes the group, with real
/// concurrency (no group commit in front of the store): with one lock order everywhere no
/// writer fails with anything but `NotFound` once the group is gone, and each round ends.
async fn writers_racing_a_group_delete_never_deadlock(backend: Backend) {
    let f = fx(backend).await;
    let owner = user(&*f.s, "owner").await;
    let mut members = Vec::new();
    for i in 0..4 {
        members.push(user(&*f.s, &format!("member{i}")).await);
    }
    let visitor = user(&*f.s, "visitor").await;
    for round in 0..20_i64 {
        let g = f.s.create_group(owner, group_named("race"), &members, t(round)).await.unwrap();
        let mut tasks = tokio::task::JoinSet::new();
        for &m in &members {
            let s = f.s.clone();
            tasks.spawn(async move { send_and_read_until_gone(&*s, m, g.conversation_id).await });
        }
        let s = f.s.clone();
        tasks.spawn(async move {
            for _ in 0..50 {
                let joined = s.add_member(g.group_id, visitor, Role::Member, t(round)).await;
                let left = s.remove_member(g.group_id, visitor).await;
                if matches!(joined, Err(StoreError::NotFound))
                    || matches!(left, Err(StoreError::NotFound))
                {
                    return;
                }
                joined.unwrap();
                left.unwrap();
            }
        });
        let (s, promoted) = (f.s.clone(), members[round as usize % members.len()]);
        tasks.spawn(async move {
            tokio::time::sleep(Duration::from_millis(2 + (round as u64 * 3) % 20)).await;
            let patch = GroupPatch { group_name: Some(format!("race {round}")), description: None };
            s.update_group(g.group_id, patch).await.unwrap();
            s.set_role(g.group_id, promoted, Role::Admin).await.unwrap();
            s.delete_group(g.group_id).await.unwrap();
        });
        let ended = tokio::time::timeout(Duration::from_secs(30), async {
            while let Some(done) = tasks.join_next().await {
                done.expect("a writer failed");
            }
        })
        .await;
        assert!(ended.is_ok(), "round {round} did not end: a deadlock");
        assert_not_found(f.s.group(owner, g.group_id).await, "the group after its delete");
    }
}

/// Sends and marks read what the others sent, until the group's conversation is gone.
async fn send_and_read_until_gone(s: &dyn Store, me: Uuid, conv: Uuid) {
    for n in 0..2_000 {
        match s.send_message(me, text(conv, &format!("{n}"), t(n))).await {
            Ok(SendOutcome::Created(_)) => {}
            Err(StoreError::NotFound) => return,
            other => panic!("a send answered {other:?}"),
        }
        let page = match s.messages(me, conv, None, 20).await {
            Ok((page, _)) => page,
            Err(StoreError::NotFound) => return,
            Err(e) => panic!("messages() answered {e:?}"),
        };
        let theirs: Vec<Uuid> =
            page.iter().filter(|m| m.sender_id != Some(me)).map(|m| m.message_id).collect();
        match s.mark_read(me, &theirs, t(n)).await {
            Ok(()) | Err(StoreError::NotFound) => {}
            Err(e) => panic!("mark_read answered {e:?}"),
        }
    }
    panic!("the group outlived 2,000 messages");
}

/// A new phone number is a key change of the user's row, which waits for every transaction that
/// checked that row as a foreign key: a group created with that user as a member must hold the
/// counter before it checks the row, as the profile edit does, or the two deadlock.
async fn profile_edits_racing_group_creation_never_deadlock(backend: Backend) {
    let f = fx(backend).await;
    let (a, b) = (user(&*f.s, "ann").await, user(&*f.s, "ben").await);
    let ab = direct(&*f.s, a, b, t(0)).await;
    let mut tasks = tokio::task::JoinSet::new();
    for worker in 0..2_i64 {
        let s = f.s.clone();
        tasks.spawn(async move {
            for n in 0..60 {
                let phone = format!("+1555{worker}{n:06}");
                let patch = ProfilePatch { phone_number: Some(Some(phone)), ..Default::default() };
                s.update_me(b, patch, today()).await.unwrap();
            }
        });
        let s = f.s.clone();
        tasks.spawn(async move {
            for n in 0..60 {
                s.create_group(a, group_named("circle"), &[b], t(n)).await.unwrap();
                s.send_message(b, text(ab, "hi", t(n))).await.unwrap();
            }
        });
    }
    let ended = tokio::time::timeout(Duration::from_secs(60), async {
        while let Some(done) = tasks.join_next().await {
            done.expect("a writer failed");
        }
    })
    .await;
    assert!(ended.is_ok(), "the writers did not end: a deadlock");
}

lodestar_tests::on_both_backends!(
    profile_edits_racing_group_creation_never_deadlock,
    sent_at_is_the_senders_only_up_to_the_clock_skew,
    writers_racing_a_group_delete_never_deadlock,
    concurrent_reads_are_logged_once,
    change_scopes_say_who_each_change_is_for,
    a_fresh_store_is_empty,
    create_user_round_trips_every_field,
    create_user_names_each_taken_field,
    find_login_by_username_or_email_in_any_case,
    sessions_expire_and_can_be_revoked,
    set_password_hash_revokes_every_other_session,
    login_failures_count_the_window_and_clear,
    taken_names_each_taken_field_before_any_write,
    valid_sessions_are_the_unexpired_unrevoked_ones,
    conversation_members_lists_direct_and_group_members,
    open_direct_is_one_conversation_from_either_side,
    conversations_are_listed_most_recent_first_with_unread_counts,
    messages_page_backwards_oldest_first,
    send_message_is_idempotent_by_id,
    a_batch_answers_each_message_as_if_alone,
    times_round_trip_exactly,
    mark_read_is_idempotent_and_all_or_nothing,
    racing_writers_make_one_conversation_and_one_message,
    groups_keep_roles_and_members,
    the_last_owner_leaving_hands_the_group_on,
    deleting_a_group_removes_it_for_everyone,
    sync_shows_each_user_what_they_may_see,
    joining_a_group_brings_its_history,
    leaving_a_group_stops_its_changes,
    latest_seq_and_subscribe_follow_every_write,
);
