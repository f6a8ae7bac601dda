//! The mentorship domain through the client engine against a real server, on both backends:
//! a mentee asks and a mentor accepts, each offline in turn, delivered once; a refused accept
//! (the last slot taken meanwhile) kept as failed with the server's reason, what was written
//! into it blocked, and the server's state shown again; goals and tasks edited on two replicas
//! offline converge; ten offline edits of a goal send one request.

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use chrono::Utc;
use lodestar_client::engine::notify::{request_notice, NotifyContext, RequestNotice};
use lodestar_client::outbox::Answer;
use lodestar_client::replica::mentorship::{GoalChange, TaskChange};
use lodestar_client::replica::OutboxState;
use lodestar_client::sync::{pull, push};
use lodestar_protocol::{
    direct_conversation_id, mentorship_id_for_request, CreateGoalRequest, CreateTaskRequest,
    GoalStatus, MentorshipStatus, RequestBox, RequestStatus, UpdateGoalRequest, UpdateTaskRequest,
};
use lodestar_tests::{signed_in_replica, unreachable_api, Backend, TestServer, User};
use serde_json::json;
use uuid::Uuid;

async fn mentor(s: &TestServer, name: &str, capacity: i64) -> User {
    s.api.register_with(name, json!({"mentor_status": true, "mentee_capacity": capacity})).await
}

async fn mentee(s: &TestServer, name: &str) -> User {
    s.api.register_with(name, json!({"mentee_status": true})).await
}

fn goal(title: &str) -> GoalChange {
    GoalChange::New(CreateGoalRequest {
        goal_id: Uuid::new_v4(),
        title: title.into(),
        details: None,
        due_date: None,
    })
}

fn task(title: &str, assignee: Option<Uuid>, due: Option<&str>) -> TaskChange {
    TaskChange::New(CreateTaskRequest {
        task_id: Uuid::new_v4(),
        title: title.into(),
        assignee_id: assignee,
        goal_id: None,
        due_date: due.map(str::to_owned),
        source_message_id: None,
    })
}

async fn a_request_and_its_accept_made_offline_in_turn_arrive_once(backend: Backend) {
    let s = TestServer::spawn(backend).await;
    let dir = tempfile::tempdir().unwrap();
    let ada = mentor(&s, "ada", 2).await;
    let bo = mentee(&s, "bob").await;
    let (bo_api, bo_rep) = signed_in_replica(&s, &bo, dir.path()).await;
    let (ada_api, ada_rep) = signed_in_replica(&s, &ada, dir.path()).await;

    // The mentee asks with no network: shown at once as pending, waiting in the outbox.
    let r = bo_rep.queue_request(bo.id, ada.id, "  Teach me Rust?  ", Utc::now()).await.unwrap();
    assert_eq!((r.status, r.message.as_str()), (RequestStatus::Pending, "Teach me Rust?"));
    let mine = bo_rep.requests(bo.id, Some(RequestBox::Outgoing)).await.unwrap();
    assert_eq!(mine.len(), 1);
    let mark = bo_rep.mentorship_marks().await.unwrap().of(&[("request", r.request_id)]);
    assert!(mark.pending && mark.failed.is_none(), "{mark:?}");
    let again = bo_rep.queue_request(bo.id, ada.id, "twice?", Utc::now()).await.unwrap_err();
    assert_eq!(again.code().as_str(), "conflict", "asking the same mentor twice: {again}");
    assert!(push(&unreachable_api(&bo.token), &bo_rep).await.unwrap().stopped.is_some());
    let entries = bo_rep.outbox().await.unwrap();
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].summary().title, "Mentorship request");

    // Online again: sent once, even when sent twice (the id is the idempotency key).
    assert_eq!(push(&bo_api, &bo_rep).await.unwrap().sent, 1);
    let body =
        json!({"request_id": r.request_id, "mentor_id": ada.id, "message": "Teach me Rust?"});
    s.api.post("/v1/mentorship-requests", &bo.token, body).await.expect(200);
    let inbox = s.api.get("/v1/mentorship-requests?box=incoming", &ada.token).await.expect(200);
    assert_eq!(inbox["requests"].as_array().unwrap().len(), 1, "{inbox}");

    // The mentor's pull brings it, as news.
    let stats = pull(&ada_api, &ada_rep, |_| {}).await.unwrap();
    let incoming = ada_rep.requests(ada.id, Some(RequestBox::Incoming)).await.unwrap();
    assert_eq!(incoming.len(), 1);
    assert_eq!(incoming[0].request_id, r.request_id);
    assert!(stats.applied > 0);
    pull(&bo_api, &bo_rep, |_| {}).await.unwrap();
    let named = (ada_rep.username(bo.id).await.unwrap(), bo_rep.username(ada.id).await.unwrap());
    assert_eq!(named, (Some("bob".into()), Some("ada".into())), "each can name the other");

    // The mentor accepts with no network, and writes a goal and a task into the mentorship at
    // once: all shown at once, all waiting for the accept.
    let accepted =
        ada_rep.queue_answer(ada.id, r.request_id, Answer::Accept, Utc::now()).await.unwrap();
    let mid = mentorship_id_for_request(r.request_id);
    assert_eq!((accepted.status, accepted.mentorship_id), (RequestStatus::Accepted, Some(mid)));
    let m = ada_rep.mentorship(mid).await.unwrap().expect("the mentorship shows at once");
    assert_eq!(m.conversation_id, direct_conversation_id(ada.id, bo.id));
    assert!(ada_rep.has_conversation(m.conversation_id).await.unwrap());
    let g = ada_rep.queue_goal(ada.id, mid, goal("Ship a crate"), Utc::now()).await.unwrap();
    let t = ada_rep.queue_task(ada.id, mid, task("Read the book", Some(bo.id), None), Utc::now());
    let t = t.await.unwrap();
    let twice = ada_rep.queue_answer(ada.id, r.request_id, Answer::Accept, Utc::now()).await;
    assert_eq!(twice.unwrap_err().code().as_str(), "not_pending");
    assert!(push(&unreachable_api(&ada.token), &ada_rep).await.unwrap().stopped.is_some());
    let waiting = ada_rep.outbox().await.unwrap();
    let accept = waiting.iter().find(|e| e.kind == "answer").unwrap();
    for child in waiting.iter().filter(|e| e.kind == "goal" || e.kind == "task") {
        assert_eq!(child.depends_on, Some(accept.id), "{} waits for the accept", child.kind);
    }

    // Online: everything goes, in order, once.
    let report = push(&ada_api, &ada_rep).await.unwrap();
    assert_eq!(report.failed, 0, "{report:?} {:?}", ada_rep.outbox().await);
    assert!(ada_rep.outbox().await.unwrap().is_empty());
    let detail = s.api.get(&format!("/v1/mentorships/{mid}"), &bo.token).await.expect(200);
    assert_eq!(detail["status"], "active");
    assert_eq!(detail["goals"][0]["goal_id"], g.goal_id.to_string(), "{detail}");
    assert_eq!(detail["tasks"][0]["task_id"], t.task_id.to_string(), "{detail}");
    assert_eq!(detail["tasks"][0]["assignee_id"], bo.id.to_string());
    let list = s.api.get("/v1/mentorships", &bo.token).await.expect(200);
    assert_eq!(list["mentorships"].as_array().unwrap().len(), 1);

    // The mentee's pull brings the acceptance (news), the mentorship, its goal and task.
    let before = bo_rep.request(r.request_id).await.unwrap().unwrap().status;
    pull(&bo_api, &bo_rep, |_| {}).await.unwrap();
    let now = bo_rep.request(r.request_id).await.unwrap().unwrap();
    assert_eq!(now.status, RequestStatus::Accepted);
    let ctx = NotifyContext { me: bo.id, ..NotifyContext::default() };
    assert_eq!(request_notice(&now, Some(before), &ctx), Some(RequestNotice::Accepted));
    assert_eq!(bo_rep.mentorships(bo.id).await.unwrap().len(), 1);
    assert_eq!(bo_rep.goals(mid).await.unwrap()[0].title, "Ship a crate");
    assert_eq!(bo_rep.tasks(mid).await.unwrap()[0].assignee_id, bo.id);
    // The mentor's slots followed: 1 of 2 open.
    let ada_now = s.api.get("/v1/me", &ada.token).await.expect(200);
    assert_eq!(ada_now["open_slots"], 1);
    pull(&ada_api, &ada_rep, |_| {}).await.unwrap();
    assert_eq!(ada_rep.my_profile(ada.id).await.unwrap().profile.open_slots, 1);
    s.server.stop().await;
}

async fn a_refused_accept_is_kept_failed_with_the_reason(backend: Backend) {
    let s = TestServer::spawn(backend).await;
    let dir = tempfile::tempdir().unwrap();
    let ada = mentor(&s, "ada", 1).await;
    let bo = mentee(&s, "bob").await;
    let cy = mentee(&s, "cyd").await;
    let (bo_api, bo_rep) = signed_in_replica(&s, &bo, dir.path()).await;
    let (cy_api, cy_rep) = signed_in_replica(&s, &cy, dir.path()).await;
    let first = bo_rep.queue_request(bo.id, ada.id, "me first", Utc::now()).await.unwrap();
    let second = cy_rep.queue_request(cy.id, ada.id, "me too", Utc::now()).await.unwrap();
    assert_eq!(push(&bo_api, &bo_rep).await.unwrap().sent, 1);
    assert_eq!(push(&cy_api, &cy_rep).await.unwrap().sent, 1);

    // Offline, the mentor accepts both (the replica cannot know which the server takes) and
    // sets a goal in the second.
    let (ada_api, ada_rep) = signed_in_replica(&s, &ada, dir.path()).await;
    for r in [&first, &second] {
        ada_rep.queue_answer(ada.id, r.request_id, Answer::Accept, Utc::now()).await.unwrap();
    }
    let lost = mentorship_id_for_request(second.request_id);
    ada_rep.queue_goal(ada.id, lost, goal("never"), Utc::now()).await.unwrap();

    // Online: the first is taken; the second finds the slot gone.
    let report = push(&ada_api, &ada_rep).await.unwrap();
    assert_eq!(report.failed, 1, "{report:?}");
    let entries = ada_rep.outbox().await.unwrap();
    let refused = entries.iter().find(|e| e.kind == "answer").expect("kept, not dropped");
    assert_eq!(refused.state, OutboxState::Failed);
    let reason = refused.last_error.clone().unwrap();
    assert!(reason.starts_with("unavailable: ") && reason.contains("open slot"), "{reason}");
    let blocked = entries.iter().find(|e| e.kind == "goal").unwrap();
    assert_eq!(blocked.state, OutboxState::Blocked);

    // The server's state is shown again: the second request pending, marked with the reason;
    // its mentorship, which only ever existed here, gone.
    let r = ada_rep.request(second.request_id).await.unwrap().unwrap();
    assert_eq!(r.status, RequestStatus::Pending);
    let mark = ada_rep.mentorship_marks().await.unwrap().of(&[("mentorship", lost)]);
    assert_eq!(mark.failed.as_deref(), Some(reason.as_str()));
    assert!(ada_rep.mentorship(lost).await.unwrap().is_none());
    assert!(ada_rep.goals(lost).await.unwrap().is_empty());
    let kept = mentorship_id_for_request(first.request_id);
    let kept = ada_rep.mentorship(kept).await.unwrap().unwrap();
    assert_eq!(kept.status, MentorshipStatus::Active);
    let server = s.api.get("/v1/mentorships", &ada.token).await.expect(200);
    assert_eq!(server["mentorships"].as_array().unwrap().len(), 1, "capacity 1 held");

    // Discarding the refusal takes the goal waiting on it along.
    ada_rep.discard(refused.id).await.unwrap();
    assert!(ada_rep.outbox().await.unwrap().is_empty());
    s.server.stop().await;
}

async fn goals_and_tasks_edited_on_two_replicas_offline_converge(backend: Backend) {
    let s = TestServer::spawn(backend).await;
    let dir = tempfile::tempdir().unwrap();
    let ada = mentor(&s, "ada", 3).await;
    let bo = mentee(&s, "bob").await;
    let rid = Uuid::new_v4();
    let body = json!({"request_id": rid, "mentor_id": ada.id, "message": "hi"});
    s.api.post("/v1/mentorship-requests", &bo.token, body).await.expect(201);
    s.api
        .post(&format!("/v1/mentorship-requests/{rid}/accept"), &ada.token, json!({}))
        .await
        .expect(200);
    let mid = mentorship_id_for_request(rid);
    let (ada_api, ada_rep) = signed_in_replica(&s, &ada, dir.path()).await;
    let g = ada_rep.queue_goal(ada.id, mid, goal("Learn SQL"), Utc::now()).await.unwrap();
    let t = ada_rep.queue_task(ada.id, mid, task("Write a query", Some(bo.id), None), Utc::now());
    let t = t.await.unwrap();
    push(&ada_api, &ada_rep).await.unwrap();
    let (bo_api, bo_rep) = signed_in_replica(&s, &bo, dir.path()).await;
    assert_eq!(bo_rep.tasks(mid).await.unwrap().len(), 1);

    // Both offline: the mentor renames the goal ten times (one entry) and sets the task's due
    // date; the mentee ticks the task and marks the goal achieved.
    for i in 1..=10 {
        let patch = UpdateGoalRequest {
            title: Some(Some(format!("Learn SQL, take {i}"))),
            ..Default::default()
        };
        ada_rep
            .queue_goal(ada.id, mid, GoalChange::Edit(g.goal_id, patch), Utc::now())
            .await
            .unwrap();
    }
    let due = UpdateTaskRequest { due_date: Some(Some("2027-01-15".into())), ..Default::default() };
    ada_rep.queue_task(ada.id, mid, TaskChange::Edit(t.task_id, due), Utc::now()).await.unwrap();
    let entries = ada_rep.outbox().await.unwrap();
    assert_eq!(entries.iter().filter(|e| e.kind == "goal").count(), 1, "ten edits fold into one");
    let done = UpdateTaskRequest { done: Some(true), ..Default::default() };
    let ticked = bo_rep.queue_task(bo.id, mid, TaskChange::Edit(t.task_id, done), Utc::now());
    assert!(ticked.await.unwrap().done_at.is_some(), "shown done at once");
    let achieved =
        UpdateGoalRequest { status: Some(Some("achieved".into())), ..Default::default() };
    bo_rep.queue_goal(bo.id, mid, GoalChange::Edit(g.goal_id, achieved), Utc::now()).await.unwrap();

    // Back online, each pushes and pulls: the two replicas and the server agree, each field
    // carrying the last edit of it.
    for (api, rep) in [(&bo_api, &bo_rep), (&ada_api, &ada_rep), (&bo_api, &bo_rep)] {
        let report = push(api, rep).await.unwrap();
        assert_eq!(report.failed, 0, "{report:?}");
        pull(api, rep, |_| {}).await.unwrap();
    }
    let (a_goals, b_goals) = (ada_rep.goals(mid).await.unwrap(), bo_rep.goals(mid).await.unwrap());
    let (a_tasks, b_tasks) = (ada_rep.tasks(mid).await.unwrap(), bo_rep.tasks(mid).await.unwrap());
    assert_eq!(a_goals, b_goals);
    assert_eq!(a_tasks, b_tasks);
    assert_eq!(a_goals[0].title, "Learn SQL, take 10");
    assert_eq!(a_goals[0].status, GoalStatus::Achieved);
    assert!(a_tasks[0].done_at.is_some());
    assert_eq!(a_tasks[0].due_date.unwrap().to_string(), "2027-01-15");
    let server = s.api.get(&format!("/v1/mentorships/{mid}"), &ada.token).await.expect(200);
    assert_eq!(server["goals"][0]["title"], "Learn SQL, take 10");
    assert_eq!(server["goals"][0]["status"], "achieved");
    s.server.stop().await;
}

lodestar_tests::on_both_backends!(
    a_request_and_its_accept_made_offline_in_turn_arrive_once,
    a_refused_accept_is_kept_failed_with_the_reason,
    goals_and_tasks_edited_on_two_replicas_offline_converge,
);
