//! The mentorship domain of the Store (PROGRAM.md's first half), on both backends: requests
//! within capacity and their expiry, mentorships, goals and action items, who sees what, and
//! the races the capacity rules must survive.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use lodestar_protocol::validate::{
    GoalPatch, NewGoal, NewTask, ProfilePatch, ProfileValues, RequestFilter, TaskPatch,
};
use lodestar_protocol::{
    direct_conversation_id, mentorship_id_for_request, ChangeKind, GoalStatus, MentorshipRequest,
    MentorshipStatus, RequestBox, RequestStatus,
};
use lodestar_server::store::{NewRequest, Refusal, Store, StoreError, StoreResult};
use lodestar_tests::Backend;
use uuid::Uuid;

use super::{create, fx, new_user, send, sync_all, t, today, Fx};

const DAY: i64 = 24 * 3600;

pub(super) async fn mentor(s: &dyn Store, name: &str, capacity: i32) -> Uuid {
    let mut u = new_user(name);
    u.profile =
        ProfileValues { mentor_status: true, mentee_capacity: capacity, ..Default::default() };
    create(s, u, t(0)).await.profile.user_id
}

pub(super) async fn mentee(s: &dyn Store, name: &str) -> Uuid {
    let mut u = new_user(name);
    u.profile = ProfileValues { mentee_status: true, ..Default::default() };
    create(s, u, t(0)).await.profile.user_id
}

pub(super) fn ask(mentor_id: Uuid) -> NewRequest {
    NewRequest { request_id: Uuid::new_v4(), mentor_id, message: "Could you mentor me?".into() }
}

pub(super) async fn request(
    s: &dyn Store,
    from: Uuid,
    to: Uuid,
    at: DateTime<Utc>,
) -> MentorshipRequest {
    let (r, created) = s.create_request(from, ask(to), at).await.unwrap();
    assert!(created);
    r
}

#[track_caller]
pub(super) fn assert_refused<T: std::fmt::Debug>(r: StoreResult<T>, want: Refusal, what: &str) {
    match r {
        Err(StoreError::Refused(got)) => assert_eq!(got, want, "{what}"),
        other => panic!("{what}: expected Refused({want:?}), got {other:?}"),
    }
}

#[track_caller]
pub(super) fn assert_rule<T: std::fmt::Debug>(
    r: StoreResult<T>,
    field: &str,
    code: &str,
    what: &str,
) {
    match r {
        Err(StoreError::Rule { field: f, code: c }) => assert_eq!((f, c), (field, code), "{what}"),
        other => panic!("{what}: expected Rule({field}, {code}), got {other:?}"),
    }
}

async fn open_slots(s: &dyn Store, user: Uuid) -> i32 {
    s.profile(user, today()).await.unwrap().open_slots
}

fn filter(mailbox: Option<RequestBox>, status: Option<RequestStatus>) -> RequestFilter {
    RequestFilter { mailbox, status }
}

async fn requests_creation_follows_the_rules(backend: Backend) {
    let Fx { s, _db } = fx(backend).await;
    let s = &*s;
    let ada = mentor(s, "ada", 3).await;
    let bo = mentee(s, "bo").await;
    let plain = create(s, new_user("plain"), t(0)).await.profile.user_id;

    let ask_ada = ask(ada);
    let (first, created) = s.create_request(bo, ask_ada.clone(), t(1)).await.unwrap();
    assert!(created);
    assert_eq!((first.status, first.mentee_id, first.mentor_id), (RequestStatus::Pending, bo, ada));
    assert_eq!(first.expires_at, t(1) + chrono::Duration::days(14));
    let (again, created) = s.create_request(bo, ask_ada.clone(), t(5)).await.unwrap();
    assert!(!created, "the same request again is a retry");
    assert_eq!(again, first);
    let reused = NewRequest { message: "something else".into(), ..ask_ada };
    super::assert_conflict(
        s.create_request(bo, reused, t(6)).await,
        &["request_id"],
        "a reused id",
    );

    assert_refused(
        s.create_request(bo, ask(ada), t(7)).await,
        Refusal::AlreadyAsked,
        "a second pending request",
    );
    assert_rule(
        s.create_request(bo, ask(plain), t(8)).await,
        "mentor_id",
        "not_a_mentor",
        "not a mentor",
    );
    assert_rule(
        s.create_request(bo, ask(Uuid::new_v4()), t(8)).await,
        "mentor_id",
        "not_a_mentor",
        "nobody",
    );
    assert_rule(
        s.create_request(plain, ask(ada), t(8)).await,
        "mentee_status",
        "not_a_mentee",
        "not a mentee",
    );

    // Five pending requests at most.
    for i in 0..4 {
        let m = mentor(s, &format!("m{i}"), 1).await;
        request(s, bo, m, t(10 + i)).await;
    }
    let sixth = mentor(s, "m5", 1).await;
    assert_refused(
        s.create_request(bo, ask(sixth), t(20)).await,
        Refusal::TooManyPending,
        "a sixth",
    );

    // A mentor who is not accepting takes no request.
    let closed = mentor(s, "closed", 3).await;
    let patch = ProfilePatch { accepting_requests: Some(false), ..Default::default() };
    s.update_me(closed, patch, today()).await.unwrap();
    let cy = mentee(s, "cy").await;
    assert_refused(
        s.create_request(cy, ask(closed), t(21)).await,
        Refusal::MentorUnavailable,
        "not accepting",
    );

    // Each side sees its box; nobody else sees anything.
    let incoming = s.requests(ada, filter(Some(RequestBox::Incoming), None), t(30)).await.unwrap();
    assert_eq!(incoming, vec![first.clone()]);
    let outgoing = s.requests(bo, filter(Some(RequestBox::Outgoing), None), t(30)).await.unwrap();
    assert_eq!(outgoing.len(), 5);
    assert!(outgoing.windows(2).all(|w| w[0].created_at >= w[1].created_at), "newest first");
    assert!(s
        .requests(bo, filter(Some(RequestBox::Incoming), None), t(30))
        .await
        .unwrap()
        .is_empty());
    assert!(s.requests(plain, filter(None, None), t(30)).await.unwrap().is_empty());
    let declined =
        s.requests(bo, filter(None, Some(RequestStatus::Declined)), t(30)).await.unwrap();
    assert!(declined.is_empty());
}

async fn accepting_opens_the_mentorship_and_the_pairs_conversation(backend: Backend) {
    let Fx { s, _db } = fx(backend).await;
    let s = &*s;
    let ada = mentor(s, "ada", 2).await;
    let bo = mentee(s, "bo").await;
    let eve = mentee(s, "eve").await;
    let r = request(s, bo, ada, t(1)).await;
    let (before, _) = sync_all(s, eve, 0, 100).await;

    super::assert_not_found(
        s.accept_request(eve, r.request_id, t(2)).await,
        "a stranger accepting",
    );
    assert_refused(
        s.accept_request(bo, r.request_id, t(2)).await,
        Refusal::WrongParty,
        "the mentee accepting",
    );
    let (accepted, m) = s.accept_request(ada, r.request_id, t(3)).await.unwrap();
    assert_eq!(accepted.status, RequestStatus::Accepted);
    assert_eq!(accepted.responded_at, Some(t(3)));
    assert_eq!(accepted.mentorship_id, Some(m.mentorship_id));
    assert_eq!(m.mentorship_id, mentorship_id_for_request(r.request_id));
    assert_eq!((m.mentor_id, m.mentee_id, m.status), (ada, bo, MentorshipStatus::Active));
    assert_eq!(m.conversation_id, direct_conversation_id(ada, bo));
    s.conversation(bo, m.conversation_id).await.expect("the mentee is in the pair's conversation");
    assert_eq!(open_slots(s, ada).await, 1);

    // Accepting again (a retry) answers the same and takes no second slot.
    let (again, m2) = s.accept_request(ada, r.request_id, t(9)).await.unwrap();
    assert_eq!((again, m2.clone()), (accepted.clone(), m.clone()));
    assert_eq!(open_slots(s, ada).await, 1);
    assert_refused(
        s.decline_request(ada, r.request_id, None, t(9)).await,
        Refusal::NotPending,
        "declining an accepted one",
    );
    assert_refused(
        s.withdraw_request(bo, r.request_id, t(9)).await,
        Refusal::NotPending,
        "withdrawing an accepted one",
    );
    assert_refused(
        s.create_request(bo, ask(ada), t(9)).await,
        Refusal::AlreadyAsked,
        "asking one's own mentor",
    );

    // Exactly the two people hear of it.
    for user in [ada, bo] {
        let (changes, _) = sync_all(s, user, 0, 100).await;
        let kinds: Vec<ChangeKind> = changes.iter().map(|c| c.kind).collect();
        assert!(
            kinds.contains(&ChangeKind::MentorshipRequest)
                && kinds.contains(&ChangeKind::Mentorship),
            "{kinds:?}"
        );
        let last = changes.iter().rev().find(|c| c.kind == ChangeKind::Mentorship).unwrap();
        assert_eq!(last.data["mentorship_id"], m.mentorship_id.to_string());
    }
    let (after, _) = sync_all(s, eve, 0, 100).await;
    assert_eq!(after.len(), before.len(), "a stranger hears nothing");
    let mine = s.mentorships(bo, Some(MentorshipStatus::Active)).await.unwrap();
    assert_eq!(mine, vec![m.clone()]);
    assert!(s.mentorships(eve, None).await.unwrap().is_empty());
    super::assert_not_found(s.mentorship(eve, m.mentorship_id).await, "a stranger's view");
}

async fn declines_withdrawals_and_expiry(backend: Backend) {
    let Fx { s, _db } = fx(backend).await;
    let s = &*s;
    let ada = mentor(s, "ada", 3).await;
    let [bo, cy, di] = [mentee(s, "bo").await, mentee(s, "cy").await, mentee(s, "di").await];
    let declined = request(s, bo, ada, t(1)).await;
    let withdrawn = request(s, cy, ada, t(2)).await;
    let expiring = request(s, di, ada, t(3)).await;

    let d = s
        .decline_request(ada, declined.request_id, Some("I am away this term".into()), t(10))
        .await
        .unwrap();
    assert_eq!(
        (d.status, d.decline_reason.as_deref()),
        (RequestStatus::Declined, Some("I am away this term"))
    );
    assert_eq!(
        s.decline_request(ada, declined.request_id, None, t(11)).await.unwrap(),
        d,
        "declining again"
    );
    assert_refused(
        s.decline_request(bo, declined.request_id, None, t(11)).await,
        Refusal::WrongParty,
        "the mentee declining",
    );
    assert_refused(
        s.withdraw_request(ada, withdrawn.request_id, t(12)).await,
        Refusal::WrongParty,
        "the mentor withdrawing",
    );
    let w = s.withdraw_request(cy, withdrawn.request_id, t(12)).await.unwrap();
    assert_eq!(w.status, RequestStatus::Withdrawn);
    // After a withdrawal the mentee may ask again.
    request(s, cy, ada, t(13)).await;

    // 14 days on, the third is expired on every route before the timer has run...
    let later = t(3 + 14 * DAY);
    let listed = s.requests(di, filter(None, None), later).await.unwrap();
    assert_eq!(listed[0].status, RequestStatus::Expired);
    let pending = s.requests(ada, filter(None, Some(RequestStatus::Pending)), later).await.unwrap();
    assert!(pending.iter().all(|r| r.request_id != expiring.request_id));
    assert_refused(
        s.accept_request(ada, expiring.request_id, later).await,
        Refusal::NotPending,
        "accepting an expired one",
    );
    // ...one second before, it was not.
    let before =
        s.requests(di, filter(None, None), later - chrono::Duration::seconds(1)).await.unwrap();
    assert_eq!(before[0].status, RequestStatus::Pending);

    // The timer writes it down once and both people hear of it through sync.
    let fresh = request(s, bo, mentor(s, "max", 1).await, t(20)).await;
    // The refused accept wrote nothing, its expiry included: di's, cy's second and bo's are due.
    assert_eq!(s.expire_requests(t(20 + 14 * DAY)).await.unwrap(), 3);
    assert_eq!(s.expire_requests(t(20 + 14 * DAY)).await.unwrap(), 0, "each expires once");
    let (changes, _) = sync_all(s, bo, 0, 1000).await;
    let last = changes
        .iter()
        .rev()
        .find(|c| c.data["request_id"] == fresh.request_id.to_string())
        .unwrap();
    assert_eq!(last.data["status"], "expired");
}

async fn capacity_bounds_accepts_and_ending_frees_a_slot(backend: Backend) {
    let Fx { s, _db } = fx(backend).await;
    let s = &*s;
    let ada = mentor(s, "ada", 1).await;
    let [bo, cy, di] = [mentee(s, "bo").await, mentee(s, "cy").await, mentee(s, "di").await];
    let first = request(s, bo, ada, t(1)).await;
    let second = request(s, cy, ada, t(2)).await;
    let (_, m) = s.accept_request(ada, first.request_id, t(3)).await.unwrap();
    assert_eq!(open_slots(s, ada).await, 0);
    assert_refused(
        s.accept_request(ada, second.request_id, t(4)).await,
        Refusal::MentorUnavailable,
        "a full mentor accepting",
    );
    assert_refused(
        s.create_request(di, ask(ada), t(4)).await,
        Refusal::MentorUnavailable,
        "asking a full mentor",
    );
    let matches = s
        .search_users(
            &lodestar_protocol::UsersQuery { accepting: Some(true), ..Default::default() },
            50,
            today(),
        )
        .await
        .unwrap();
    assert!(matches.iter().all(|p| p.user_id != ada), "a full mentor is not listed as accepting");

    let ended = s
        .end_mentorship(bo, m.mentorship_id, Some("we reached our goals".into()), t(5))
        .await
        .unwrap();
    assert_eq!(
        (ended.status, ended.ended_by, ended.end_reason.as_deref()),
        (MentorshipStatus::Ended, Some(bo), Some("we reached our goals"))
    );
    assert_eq!(
        s.end_mentorship(ada, m.mentorship_id, None, t(6)).await.unwrap(),
        ended,
        "ending again"
    );
    assert_eq!(open_slots(s, ada).await, 1);
    let (_, m2) = s.accept_request(ada, second.request_id, t(7)).await.unwrap();
    assert_eq!(m2.mentee_id, cy);
    assert_eq!(open_slots(s, ada).await, 0);
}

async fn goals_and_tasks_belong_to_the_two(backend: Backend) {
    let Fx { s, _db } = fx(backend).await;
    let s = &*s;
    let ada = mentor(s, "ada", 3).await;
    let [bo, eve] = [mentee(s, "bo").await, mentee(s, "eve").await];
    let r = request(s, bo, ada, t(1)).await;
    let (_, m) = s.accept_request(ada, r.request_id, t(2)).await.unwrap();
    let other = request(s, eve, ada, t(3)).await;
    let (_, other_m) = s.accept_request(ada, other.request_id, t(4)).await.unwrap();

    let new_goal = NewGoal {
        goal_id: Uuid::new_v4(),
        title: "Ship a Rust CLI".into(),
        details: None,
        due_date: Some(super::date(2025, 9, 1)),
    };
    let (goal, created) =
        s.create_goal(bo, m.mentorship_id, new_goal.clone(), t(10)).await.unwrap();
    assert!(created);
    assert_eq!(
        (goal.status, goal.created_by, goal.due_date),
        (GoalStatus::Open, bo, new_goal.due_date)
    );
    assert_eq!(
        s.create_goal(bo, m.mentorship_id, new_goal.clone(), t(11)).await.unwrap(),
        (goal.clone(), false)
    );
    super::assert_not_found(
        s.create_goal(
            eve,
            m.mentorship_id,
            NewGoal { goal_id: Uuid::new_v4(), ..new_goal.clone() },
            t(11),
        )
        .await,
        "a stranger's goal",
    );
    let achieved = s
        .update_goal(
            ada,
            goal.goal_id,
            GoalPatch { status: Some(GoalStatus::Achieved), ..Default::default() },
            t(12),
        )
        .await
        .unwrap();
    assert_eq!(
        (achieved.status, achieved.updated_at, achieved.title.as_str()),
        (GoalStatus::Achieved, t(12), "Ship a Rust CLI")
    );
    super::assert_not_found(
        s.update_goal(eve, goal.goal_id, GoalPatch::default(), t(12)).await,
        "a stranger editing a goal",
    );

    let said = send(s, ada, m.conversation_id, "Read the clap docs by Friday", t(13)).await;
    let elsewhere = send(s, ada, other_m.conversation_id, "hello eve", t(13)).await;
    let task = |title: &str| NewTask {
        task_id: Uuid::new_v4(),
        title: title.into(),
        assignee_id: Some(bo),
        goal_id: Some(goal.goal_id),
        due_date: None,
        source_message_id: Some(said.message_id),
    };
    let (item, created) =
        s.create_task(ada, m.mentorship_id, task("Read the clap docs"), t(14)).await.unwrap();
    assert!(created);
    assert_eq!(
        (item.assignee_id, item.created_by, item.source_message_id, item.done_at),
        (bo, ada, Some(said.message_id), None)
    );
    assert_rule(
        s.create_task(ada, m.mentorship_id, NewTask { assignee_id: Some(eve), ..task("x") }, t(15))
            .await,
        "assignee_id",
        "not_in_mentorship",
        "assigning a stranger",
    );
    let foreign_goal = s
        .create_goal(
            eve,
            other_m.mentorship_id,
            NewGoal { goal_id: Uuid::new_v4(), ..new_goal.clone() },
            t(15),
        )
        .await
        .unwrap()
        .0;
    assert_rule(
        s.create_task(
            ada,
            m.mentorship_id,
            NewTask { goal_id: Some(foreign_goal.goal_id), ..task("x") },
            t(15),
        )
        .await,
        "goal_id",
        "unknown_goal",
        "another pair's goal",
    );
    assert_rule(
        s.create_task(
            ada,
            m.mentorship_id,
            NewTask { source_message_id: Some(elsewhere.message_id), ..task("x") },
            t(15),
        )
        .await,
        "source_message_id",
        "unknown_message",
        "another conversation's message",
    );
    let mine = s
        .create_task(
            bo,
            m.mentorship_id,
            NewTask { assignee_id: None, goal_id: None, source_message_id: None, ..task("Mine") },
            t(15),
        )
        .await
        .unwrap()
        .0;
    assert_eq!(mine.assignee_id, bo, "no assignee means the caller");

    let done = s
        .update_task(bo, item.task_id, TaskPatch { done: Some(true), ..Default::default() }, t(16))
        .await
        .unwrap();
    assert_eq!(done.done_at, Some(t(16)));
    let again = s
        .update_task(ada, item.task_id, TaskPatch { done: Some(true), ..Default::default() }, t(17))
        .await
        .unwrap();
    assert_eq!(again.done_at, Some(t(16)), "a second tick keeps when it was done");
    let reopened = s
        .update_task(
            ada,
            item.task_id,
            TaskPatch { done: Some(false), ..Default::default() },
            t(18),
        )
        .await
        .unwrap();
    assert_eq!(reopened.done_at, None);
    super::assert_not_found(
        s.update_task(eve, item.task_id, TaskPatch::default(), t(18)).await,
        "a stranger ticking",
    );

    let detail = s.mentorship(bo, m.mentorship_id).await.unwrap();
    assert_eq!(detail.goals.iter().map(|g| g.goal_id).collect::<Vec<_>>(), [goal.goal_id]);
    assert_eq!(
        detail.tasks.iter().map(|t| t.task_id).collect::<Vec<_>>(),
        [item.task_id, mine.task_id]
    );
    let (changes, _) = sync_all(s, eve, 0, 1000).await;
    assert!(
        !super::mentions(&changes, goal.goal_id) && !super::mentions(&changes, item.task_id),
        "a stranger hears nothing of them"
    );
    let (changes, _) = sync_all(s, bo, 0, 1000).await;
    assert!(super::mentions(&changes, goal.goal_id) && super::mentions(&changes, item.task_id));

    // An ended mentorship is read-only.
    s.end_mentorship(ada, m.mentorship_id, None, t(20)).await.unwrap();
    assert_refused(
        s.create_goal(bo, m.mentorship_id, NewGoal { goal_id: Uuid::new_v4(), ..new_goal }, t(21))
            .await,
        Refusal::Ended,
        "a goal after the end",
    );
    assert_refused(
        s.update_task(
            bo,
            item.task_id,
            TaskPatch { done: Some(true), ..Default::default() },
            t(21),
        )
        .await,
        Refusal::Ended,
        "a tick after the end",
    );
}

/// 50 accepts of 50 mentees' requests race for a mentor's 3 slots: exactly 3 win.
async fn fifty_accepts_racing_never_exceed_capacity(backend: Backend) {
    let Fx { s, _db } = fx(backend).await;
    let ada = mentor(&*s, "ada", 3).await;
    let mut ids = Vec::new();
    for i in 0..50 {
        let m = mentee(&*s, &format!("mentee{i}")).await;
        ids.push(request(&*s, m, ada, t(i)).await.request_id);
    }
    let tasks: Vec<_> = ids
        .into_iter()
        .map(|id| {
            let s: Arc<dyn Store> = s.clone();
            tokio::spawn(async move { s.accept_request(ada, id, t(100)).await })
        })
        .collect();
    let (mut won, mut full) = (0, 0);
    for task in tasks {
        match task.await.unwrap() {
            Ok(_) => won += 1,
            Err(StoreError::Refused(Refusal::MentorUnavailable)) => full += 1,
            Err(e) => panic!("an accept failed otherwise: {e:?}"),
        }
    }
    assert_eq!((won, full), (3, 47));
    assert_eq!(s.mentorships(ada, Some(MentorshipStatus::Active)).await.unwrap().len(), 3);
    assert_eq!(open_slots(&*s, ada).await, 0);
}

/// The same accept ten times at once (a retried request) makes one mentorship and takes one slot.
async fn the_same_accept_ten_times_at_once_is_one(backend: Backend) {
    let Fx { s, _db } = fx(backend).await;
    let ada = mentor(&*s, "ada", 3).await;
    let bo = mentee(&*s, "bo").await;
    let id = request(&*s, bo, ada, t(1)).await.request_id;
    let tasks: Vec<_> = (0..10)
        .map(|_| {
            let s: Arc<dyn Store> = s.clone();
            tokio::spawn(async move { s.accept_request(ada, id, t(2)).await })
        })
        .collect();
    let mut answers = Vec::new();
    for task in tasks {
        answers.push(task.await.unwrap().unwrap());
    }
    assert!(answers.windows(2).all(|w| w[0] == w[1]), "every retry answers the same");
    assert_eq!(open_slots(&*s, ada).await, 2);
}

/// One mentee's ten requests at once to ten mentors: the pending limit holds at 5.
async fn ten_requests_at_once_keep_the_pending_limit(backend: Backend) {
    let Fx { s, _db } = fx(backend).await;
    let bo = mentee(&*s, "bo").await;
    let mut mentors = Vec::new();
    for i in 0..10 {
        mentors.push(mentor(&*s, &format!("mentor{i}"), 2).await);
    }
    let tasks: Vec<_> = mentors
        .into_iter()
        .map(|m| {
            let s: Arc<dyn Store> = s.clone();
            tokio::spawn(async move { s.create_request(bo, ask(m), t(5)).await })
        })
        .collect();
    let (mut made, mut limited) = (0, 0);
    for task in tasks {
        match task.await.unwrap() {
            Ok(_) => made += 1,
            Err(StoreError::Refused(Refusal::TooManyPending)) => limited += 1,
            Err(e) => panic!("a request failed otherwise: {e:?}"),
        }
    }
    assert_eq!((made, limited), (5, 5));
}

lodestar_tests::on_both_backends!(
    requests_creation_follows_the_rules,
    accepting_opens_the_mentorship_and_the_pairs_conversation,
    declines_withdrawals_and_expiry,
    capacity_bounds_accepts_and_ending_frees_a_slot,
    goals_and_tasks_belong_to_the_two,
    fifty_accepts_racing_never_exceed_capacity,
    the_same_accept_ten_times_at_once_is_one,
    ten_requests_at_once_keep_the_pending_limit,
);
