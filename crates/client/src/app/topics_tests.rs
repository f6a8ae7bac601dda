//! The topics the facade announces: what the window re-reads after each action.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;

use chrono::{NaiveDate, Utc};
use lodestar_protocol::{Me, Profile};
use tokio::sync::broadcast::Receiver;
use uuid::Uuid;

use super::views::ProfileEdit;
use super::App;
use crate::client::Client;
use crate::engine::{Event, Topic};
use crate::session::{SessionInfo, SessionStore};

/// Nothing listens on the discard port: every request is refused at once, as offline.
const UNREACHABLE: &str = "http://127.0.0.1:9";

/// Ann, signed in on `dir` against a server that does not answer, with no engine running (so
/// every event comes from the facade itself).
async fn ann(dir: &Path) -> (App, Uuid) {
    let me = Uuid::new_v4();
    let info = SessionInfo { server: UNREACHABLE.into(), user_id: me, username: "ann".into() };
    SessionStore::with_file_only(dir).save(&info, "token").unwrap();
    let client = Client::open_file_only(dir).await.unwrap();
    (App::over(client, dir, None), me)
}

/// Every event sent so far (the facade sends before its method returns).
fn sent(rx: &mut Receiver<Event>) -> Vec<Event> {
    std::iter::from_fn(|| rx.try_recv().ok()).collect()
}

#[tokio::test]
async fn sending_changes_the_conversation_and_the_list() {
    let dir = tempfile::tempdir().unwrap();
    let (app, _) = ann(dir.path()).await;
    let conv = Uuid::new_v4();
    let mut rx = app.subscribe();
    app.send(conv, Some("hello"), None, None).await.unwrap();
    assert_eq!(sent(&mut rx), [Topic::Messages.one(conv), Topic::Conversations.all()]);
}

#[tokio::test]
async fn muting_changes_the_list_and_reading_nothing_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let (app, _) = ann(dir.path()).await;
    let conv = Uuid::new_v4();
    let mut rx = app.subscribe();
    app.set_muted(conv, true).await.unwrap();
    assert_eq!(sent(&mut rx), [Topic::Conversations.all()]);
    assert_eq!(app.mark_read(conv).await.unwrap(), 0);
    assert_eq!(sent(&mut rx), []);
}

#[tokio::test]
async fn a_profile_edit_queued_offline_changes_the_outbox() {
    let dir = tempfile::tempdir().unwrap();
    let (app, me) = ann(dir.path()).await;
    let profile = Profile {
        user_id: me,
        username: "ann".into(),
        city: None,
        state: None,
        age: None,
        profile_picture_url: None,
        bio: None,
        mentor_status: false,
        mentee_status: true,
        job_title: None,
        years_of_experience: None,
        industry: None,
        skills: vec![],
        interests: vec![],
        created_at: Utc::now(),
        mentee_capacity: 3,
        accepting_requests: true,
        open_slots: 3,
    };
    let date_of_birth = NaiveDate::from_ymd_opt(1990, 4, 12).unwrap();
    let current = Me {
        profile,
        email: "ann@example.com".into(),
        phone_number: None,
        date_of_birth,
        is_coordinator: false,
    };
    app.client.read().await.replica().unwrap().restore_me(&current).await.unwrap();
    let mut edit = ProfileEdit::of(&current);
    edit.bio = "Rust and coffee".into();
    let mut rx = app.subscribe();
    let shown = app.update_profile(&edit).await.unwrap();
    assert_eq!(shown.profile.bio.as_deref(), Some("Rust and coffee"), "shown at once");
    assert_eq!(sent(&mut rx), [Topic::Outbox.all()]);
    let outbox = app.outbox().await.unwrap();
    assert_eq!(outbox.len(), 1, "what the window re-reads on that event: {outbox:?}");
}
