//! Reminders 15 minutes before a confirmed session, from the replica with the server stopped,
//! at the minute a clock the test controls says, once per session on a device (PROGRAM.md).
//! A session still only proposed is not reminded of.

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use chrono::{DateTime, SubsecRound, TimeDelta, Utc};
use lodestar_client::engine::sessions::due_reminders;
use lodestar_tests::{mentorship_with_session, signed_in_replica, Backend, TestServer};
use serde_json::json;
use uuid::Uuid;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reminder_comes_at_its_minute_offline_and_once() {
    let s = TestServer::spawn(Backend::Sqlite).await;
    let api = &s.api;
    // The helper's own session (five hours ahead, only proposed) is never reminded of here.
    let (ada, bo, _, mid, _) = mentorship_with_session(api).await;
    let start: DateTime<Utc> = (Utc::now() + TimeDelta::hours(3)).trunc_subsecs(0);
    let mut ids = Vec::new();
    for (minutes, confirm) in [(0, true), (5, false)] {
        let sid = Uuid::new_v4();
        let at = (start + TimeDelta::minutes(minutes)).to_rfc3339();
        let body = json!({"session_id": sid, "starts_at": at, "duration_minutes": 30, "time_zone": "UTC", "location": "Room 4"});
        api.post(&format!("/v1/mentorships/{mid}/sessions"), &bo.token, body).await.expect(201);
        if confirm {
            api.post(&format!("/v1/sessions/{sid}/confirm"), &ada.token, json!({}))
                .await
                .expect(200);
        }
        ids.push(sid);
    }
    let dir = tempfile::tempdir().unwrap();
    let (_, phone) = signed_in_replica(&s, &bo, &dir.path().join("phone")).await;
    let (_, laptop) = signed_in_replica(&s, &bo, &dir.path().join("laptop")).await;
    s.stop().await;

    let at = |minutes_before: i64| start - TimeDelta::minutes(minutes_before);
    assert!(due_reminders(&phone, bo.id, at(16), "UTC").await.unwrap().is_empty(), "not yet");
    let due = due_reminders(&phone, bo.id, at(15), "UTC").await.unwrap();
    assert_eq!(due.len(), 1, "the confirmed one only: {due:?}");
    let n = &due[0];
    assert_eq!(n.message_id, ids[0]);
    assert_eq!(
        n.conversation_id,
        lodestar_protocol::direct_conversation_id(ada.id, bo.id),
        "opens the pair's panel"
    );
    assert_eq!(n.sender, "ada");
    assert_eq!(
        n.preview,
        format!("Session in 15 min · {} · Room 4", start.format("%a %-d %b, %H:%M"))
    );
    for later in [14, 10, 1] {
        assert!(due_reminders(&phone, bo.id, at(later), "UTC").await.unwrap().is_empty(), "once");
    }
    // Once per device: the laptop, opened late, still reminds; the phone's app restarted
    // (its replica file opened again) does not remind twice; after the start, nothing.
    assert_eq!(due_reminders(&laptop, bo.id, at(3), "UTC").await.unwrap().len(), 1);
    drop(phone);
    let phone =
        lodestar_client::Replica::open(&dir.path().join("phone").join("bob.db")).await.unwrap();
    assert!(due_reminders(&phone, bo.id, at(5), "UTC").await.unwrap().is_empty());
    assert!(due_reminders(&laptop, bo.id, at(-1), "UTC").await.unwrap().is_empty());
}
