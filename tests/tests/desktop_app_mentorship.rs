//! The desktop app's mentorship facade (`lodestar_client::app::App`) against a real server
//! with its engine running: the Requests inbox with names, a notification for a new request and
//! for an accepted one, the Mentorship panel's goals and action items (one made from a message,
//! ticked by the other side), and a goal added with the server down, shown pending, delivered
//! once it is back.

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

mod desktop_app_support;

use desktop_app_support::*;
use lodestar_client::app::views::{GoalEdit, RegisterForm, TaskEdit};
use lodestar_client::engine::{Event, Topic};
use lodestar_protocol::{mentorship_id_for_request, RequestBox, RequestStatus};
use lodestar_tests::{Backend, TestServer};
use serde_json::json;
use tokio::sync::broadcast::error::RecvError;
use uuid::Uuid;

/// Waits for a notification on the app's event stream and answers it.
async fn notification(
    events: &mut tokio::sync::broadcast::Receiver<Event>,
) -> lodestar_client::engine::notify::Notification {
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(15);
    loop {
        match tokio::time::timeout_at(deadline, events.recv()).await {
            Ok(Ok(Event::Notify(n))) => return n,
            Ok(Ok(_)) | Ok(Err(RecvError::Lagged(_))) => {}
            other => panic!("no notification: {other:?}"),
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_mentor_hears_of_a_request_and_accepts_it_from_the_inbox() {
    let s = TestServer::spawn(Backend::Sqlite).await;
    let dir = tempfile::tempdir().unwrap();
    let form = RegisterForm { mentor_status: true, ..form("ada") };
    let app = signed_up(&s, dir.path(), form).await;
    online(&app).await;
    let mut events = app.subscribe();
    let bob = s.api.register_with("bob", json!({"mentee_status": true})).await;
    let ada = login(&s, "ada").await;
    let rid = Uuid::new_v4();
    let body = json!({"request_id": rid, "mentor_id": ada.id, "message": "Could you mentor me?"});
    s.api.post("/v1/mentorship-requests", &bob.token, body).await.expect(201);

    let n = notification(&mut events).await;
    assert_eq!(n.sender, "bob");
    assert_eq!(n.preview, "asks you for mentorship: Could you mentor me?");
    let inbox = app.requests(Some(RequestBox::Incoming)).await.unwrap();
    assert_eq!(inbox.len(), 1);
    let r = &inbox[0];
    assert_eq!(
        (r.mentee.username.as_str(), r.incoming, r.status),
        ("bob", true, RequestStatus::Pending)
    );
    assert!((r.expires_at - r.created_at).num_days() == 14);

    app.answer_request(rid, lodestar_client::outbox::Answer::Accept).await.unwrap();
    let shown = app.requests(None).await.unwrap();
    assert_eq!(shown[0].status, RequestStatus::Accepted, "shown accepted at once");
    let mid = mentorship_id_for_request(rid);
    let list = app.mentorships().await.unwrap();
    assert_eq!((list[0].mentorship_id, list[0].i_mentor), (mid, true));
    assert_eq!(list[0].other.username, "bob");
    eventually("the accept delivered", || async {
        let r = app.requests(None).await.unwrap();
        (!r[0].pending).then_some(())
    })
    .await;
    let server = s.api.get(&format!("/v1/mentorships/{mid}"), &bob.token).await.expect(200);
    assert_eq!(server["status"], "active");
    assert_eq!(app.my_profile().await.unwrap().profile.open_slots, 2, "3 slots, 1 taken");
    app.shutdown().await;
    s.server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_mentee_requests_is_accepted_and_plans_with_the_mentor() {
    let s = TestServer::spawn(Backend::Sqlite).await;
    let dir = tempfile::tempdir().unwrap();
    let ada =
        s.api.register_with("ada", json!({"mentor_status": true, "mentee_capacity": 1})).await;
    let form = RegisterForm { mentee_status: true, ..form("bob") };
    let app = signed_up(&s, dir.path(), form).await;
    online(&app).await;
    let mut events = app.subscribe();

    let asked = app.request_mentorship(ada.id, "Teach me Rust?").await.unwrap();
    assert_eq!(asked.status, RequestStatus::Pending);
    next_event(&mut events, Topic::Requests.all()).await;
    let sent = eventually("the request delivered and the mentor named", || async {
        let r = app.requests(Some(RequestBox::Outgoing)).await.unwrap();
        (!r[0].pending && r[0].mentor.username == "ada").then(|| r[0].clone())
    })
    .await;
    assert_eq!(sent.failed, None);
    let again = app.request_mentorship(ada.id, "again").await.unwrap_err();
    assert_eq!(again.code().as_str(), "conflict");

    // The mentor accepts: a notification, and the mentorship in the list.
    let rid = asked.request_id;
    s.api
        .post(&format!("/v1/mentorship-requests/{rid}/accept"), &ada.token, json!({}))
        .await
        .expect(200);
    let n = notification(&mut events).await;
    assert_eq!(
        (n.sender.as_str(), n.preview.as_str()),
        ("ada", "accepted your mentorship request")
    );
    let mid = mentorship_id_for_request(rid);
    let m = eventually("the mentorship", || async {
        app.mentorships().await.unwrap().into_iter().find(|m| m.mentorship_id == mid)
    })
    .await;
    assert!(!m.i_mentor);
    assert_eq!(n.conversation_id, m.conversation_id, "the notification opens the pair's chat");

    // A message from the mentor becomes an action item; the mentor ticks it; it shows done.
    let said = s.api.send(&ada, m.conversation_id, "Read chapter 4 by Friday").await;
    let said: Uuid = said["message_id"].as_str().unwrap().parse().unwrap();
    eventually("the message", || async { shown(&app, m.conversation_id, said).await }).await;
    let edit = TaskEdit {
        title: Some("Read chapter 4".into()),
        source_message_id: Some(said),
        due_date: Some("2020-01-01".into()),
        ..Default::default()
    };
    let task = app.save_task(mid, &edit).await.unwrap();
    assert!(task.overdue && !task.done && task.assignee.user_id != ada.id);
    let delivered = eventually("the task delivered", || async {
        let d = app.mentorship(mid).await.unwrap();
        d.tasks.iter().find(|t| !t.pending).cloned()
    })
    .await;
    assert_eq!(delivered.source_message_id, Some(said));
    while events.try_recv().is_ok() {}
    let tick = json!({"done": true});
    s.api.patch(&format!("/v1/tasks/{}", task.task_id), &ada.token, tick).await.expect(200);
    next_event(&mut events, Topic::Mentorships.one(mid)).await;
    let d = eventually("the task ticked by the other side", || async {
        let d = app.mentorship(mid).await.unwrap();
        d.tasks[0].done.then_some(d)
    })
    .await;
    assert!(!d.tasks[0].overdue, "{:?}", d.tasks[0]);
    assert_eq!(d.mentorship.open_tasks, 0);

    // The mentor proposes a session: it shows in the panel's timeline.
    let sid = Uuid::new_v4();
    let starts = (chrono::Utc::now() + chrono::TimeDelta::days(2)).to_rfc3339();
    let body = json!({"session_id": sid, "starts_at": starts, "duration_minutes": 30, "time_zone": "America/Chicago"});
    s.api.post(&format!("/v1/mentorships/{mid}/sessions"), &ada.token, body).await.expect(201);
    let shown = eventually("the proposed session in the panel", || async {
        app.mentorship(mid).await.unwrap().sessions.into_iter().find(|x| x.session_id == sid)
    })
    .await;
    assert_eq!(
        (shown.status.as_str(), shown.proposed_by.username.as_str(), shown.held),
        ("proposed", "ada", false)
    );

    // The server goes away: a goal is added, shown pending and listed in the Outbox.
    let (db, addr) = s.stop().await;
    let goal = GoalEdit { title: Some("Ship a crate".into()), ..Default::default() };
    let g = app.save_goal(mid, &goal).await.unwrap();
    let d = app.mentorship(mid).await.unwrap();
    assert!(d.goals[0].pending && d.goals[0].title == "Ship a crate");
    let outbox = app.outbox().await.unwrap();
    assert!(
        outbox.iter().any(|e| e.title == "New goal" && e.summary == "Ship a crate"),
        "{outbox:?}"
    );
    let s = TestServer::start_at(db, &addr).await;
    eventually("the goal delivered once the server is back", || async {
        let d = app.mentorship(mid).await.unwrap();
        (!d.goals[0].pending).then_some(())
    })
    .await;
    let server = s.api.get(&format!("/v1/mentorships/{mid}"), &ada.token).await.expect(200);
    assert_eq!(server["goals"].as_array().unwrap().len(), 1);
    assert_eq!(server["goals"][0]["goal_id"], g.goal_id.to_string());
    app.shutdown().await;
    s.server.stop().await;
}
