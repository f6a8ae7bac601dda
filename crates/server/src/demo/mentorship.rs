//! The demo program's mentorship loop (PROGRAM.md), so a newcomer sees it at once: two active
//! mentorships with goals and action items (one overdue, one made from a message of the pair's
//! conversation), a mentor with no open slot beside mentors with room, and requests pending,
//! accepted and declined; each mentorship with a session held three days ago (with the
//! mentee's feedback) and a confirmed one starting within the hour. Everything goes through the
//! store's own rules, as a person's would.

use std::collections::HashMap;

use chrono::{DateTime, Duration, Utc};
use lodestar_protocol::validate::{
    self, GoalPatch, NewFeedback, NewGoal, NewSession, NewTask, ProfilePatch, TaskPatch,
};
use lodestar_protocol::{CreateGoalRequest, CreateTaskRequest, Fit, GoalStatus, Mentorship};
use uuid::Uuid;

use super::id;
use crate::error::ApiError;
use crate::store::{NewRequest, Store};

/// A mentor whose one slot is taken, to show a full mentor in the directory and matches.
const FULL_MENTOR: &str = "hana.sato";

/// A request: mentee, mentor, days ago, message.
struct Ask(&'static str, &'static str, i64, &'static str);

#[rustfmt::skip]
const ACCEPTED: &[Ask] = &[
    Ask("kwame.asante", "dev_okafor", 10, "Hi Dev, I taught science for five years and I'm learning Python and SQL to become a data analyst. Would you mentor me through the switch?"),
    Ask("ethan.park", "hana.sato", 6, "Hi Hana, I'm applying for mid-level product design roles this month. Would you mentor me through portfolio reviews and interviews?"),
];

#[rustfmt::skip]
const PENDING: &[Ask] = &[
    Ask("chloe.nguyen", "raj.patel", 2, "Hi Raj, I play CTFs (mostly pwn and reversing) and I'm learning Rust. Would you mentor me toward a security internship next summer?"),
    Ask("liam.obrien", "marcus.bell", 1, "Hi Marcus, I'm preparing for CFA Level I while working in FP&A. Would you mentor me through the exam year?"),
];

/// A declined request, with the mentor's reason.
const DECLINED: (Ask, &str) = (
    Ask("ruby.evans", "jordan.reyes", 5, "Hi Jordan, I'd love advice on starting a social enterprise around after-school programs."),
    "I'm only taking founders who are raising this term. Aisha Bello knows nonprofit funding far better than I do: ask her!",
);

/// A goal of a mentorship: title, due in days (negative: past), achieved.
struct GoalSeed(&'static str, i64, bool);

/// An action item: title, assigned to the mentee (else the mentor), due in days, done, and the
/// index of the pair's message it was made from.
struct TaskSeed(&'static str, bool, i64, bool, Option<usize>);

#[rustfmt::skip]
const PLANS: &[(&str, &[GoalSeed], &[TaskSeed])] = &[
    ("kwame.asante",
        &[GoalSeed("Publish a SQL analysis of school report card data", 21, false),
          GoalSeed("Tell the teaching story as a strength in interviews", 45, false)],
        &[TaskSeed("Pick three questions to answer with the report card data", true, -2, false, Some(3)),
          TaskSeed("Send Kwame two example analysis write-ups", false, -6, true, None),
          TaskSeed("Draft the write-up's outline", true, 10, false, None)]),
    ("ethan.park",
        &[GoalSeed("Apply to five mid-level product design roles", 14, false),
          GoalSeed("Lead the portfolio with the design system audit", -1, true)],
        &[TaskSeed("Add the usability findings to the checkout case study", true, 2, true, Some(3)),
          TaskSeed("Second portfolio review before Friday", false, 3, false, None)]),
];

/// Seeds the loop; `chats` holds each demo conversation's message ids, by its mentee.
pub(super) async fn seed(
    store: &dyn Store,
    ids: &HashMap<&'static str, Uuid>,
    chats: &HashMap<&'static str, Vec<Uuid>>,
    now: DateTime<Utc>,
) -> Result<(), ApiError> {
    let today = now.date_naive();
    let one_slot = ProfilePatch { mentee_capacity: Some(1), ..ProfilePatch::default() };
    store.update_me(id(ids, FULL_MENTOR)?, one_slot, today).await?;

    let mut mentorships = HashMap::new();
    for ask in ACCEPTED {
        let request_id = request(store, ids, ask, now).await?;
        let mentor = id(ids, ask.1)?;
        let at = now - Duration::days(ask.2) + Duration::hours(20);
        let (_, m) = store.accept_request(mentor, request_id, at).await?;
        mentorships.insert(ask.0, (m, at));
    }
    for ask in PENDING {
        request(store, ids, ask, now).await?;
    }
    let (ask, reason) = &DECLINED;
    let request_id = request(store, ids, ask, now).await?;
    let at = now - Duration::days(ask.2) + Duration::hours(30);
    store.decline_request(id(ids, ask.1)?, request_id, Some((*reason).to_owned()), at).await?;

    for (mentee, goals, tasks) in PLANS {
        let (m, started) = mentorships.get(mentee).ok_or_else(|| {
            ApiError::Internal(format!("demo plan of {mentee} has no mentorship"))
        })?;
        sessions(store, m, now).await?;
        let at = *started + Duration::hours(2);
        let mut first_goal = None;
        for GoalSeed(title, due_in, achieved) in goals.iter() {
            let req = CreateGoalRequest {
                goal_id: Uuid::new_v4(),
                title: (*title).to_owned(),
                details: None,
                due_date: Some((today + Duration::days(*due_in)).to_string()),
            };
            let goal: NewGoal = validate::new_goal(&req)?;
            let (goal, _) = store.create_goal(m.mentee_id, m.mentorship_id, goal, at).await?;
            if *achieved {
                let done = GoalPatch { status: Some(GoalStatus::Achieved), ..GoalPatch::default() };
                store
                    .update_goal(m.mentor_id, goal.goal_id, done, now - Duration::hours(3))
                    .await?;
            }
            first_goal.get_or_insert(goal.goal_id);
        }
        for TaskSeed(title, for_mentee, due_in, done, from) in tasks.iter() {
            let assignee = if *for_mentee { m.mentee_id } else { m.mentor_id };
            let source = from.and_then(|i| chats.get(mentee).and_then(|sent| sent.get(i)).copied());
            let req = CreateTaskRequest {
                task_id: Uuid::new_v4(),
                title: (*title).to_owned(),
                assignee_id: Some(assignee),
                goal_id: first_goal,
                due_date: Some((today + Duration::days(*due_in)).to_string()),
                source_message_id: source,
            };
            let task: NewTask = validate::new_task(&req)?;
            // Made this morning, after the messages they come from.
            let made = now - Duration::hours(8);
            let (task, _) = store.create_task(m.mentor_id, m.mentorship_id, task, made).await?;
            if *done {
                let tick = TaskPatch { done: Some(true), ..TaskPatch::default() };
                store.update_task(assignee, task.task_id, tick, now - Duration::hours(5)).await?;
            }
        }
    }
    Ok(())
}

/// A session held three days ago, with notes both wrote and the mentee's feedback, and one
/// confirmed for the coming hour with the mentee's questions in its notes (the mentor proposes,
/// the mentee confirms).
async fn sessions(store: &dyn Store, m: &Mentorship, now: DateTime<Utc>) -> Result<(), ApiError> {
    let plan = |starts_at: DateTime<Utc>, agenda: &str| NewSession {
        session_id: Uuid::new_v4(),
        starts_at,
        duration_minutes: 45,
        time_zone: "America/Chicago".to_owned(),
        location: Some("https://meet.example/lodestar-demo".to_owned()),
        agenda: Some(agenda.to_owned()),
    };
    let held = plan(now - Duration::days(3), "Where you are, where you want to be in six months");
    let next = plan(now + Duration::minutes(40), "Review the first draft together");
    for (session, proposed) in [(held, now - Duration::days(5)), (next, now - Duration::hours(6))] {
        let id = session.session_id;
        store.propose_session(m.mentor_id, m.mentorship_id, session, proposed).await?;
        store.confirm_session(m.mentee_id, id, proposed + Duration::hours(1)).await?;
        if proposed < now - Duration::days(1) {
            let comment = Some("Clear next steps; I left knowing what to do this week.".to_owned());
            let feedback = NewFeedback { rating: 5, fit: Fit::Good, comment };
            store.give_feedback(m.mentee_id, id, feedback, now - Duration::days(2)).await?;
            let mentor = "Now: junior, mostly bug fixes.\nIn six months: owning a small service end to end.\n";
            let both = format!(
                "{mentor}Next steps:\n- pick one service to shadow\n- write a design note\n"
            );
            let state = notes(store, m.mentor_id, id, &[], mentor, now - Duration::days(3)).await?;
            notes(store, m.mentee_id, id, &state, &both, now - Duration::days(3)).await?;
        } else {
            let questions = "Questions:\n- how much detail in the first draft?\n";
            notes(store, m.mentee_id, id, &[], questions, now - Duration::hours(2)).await?;
        }
    }
    Ok(())
}

/// Makes a session's notes read `text` as `user` types it over `state` (the document as they
/// have it), merged on the server; answers the merged document.
async fn notes(
    store: &dyn Store,
    user: Uuid,
    session: Uuid,
    state: &[u8],
    text: &str,
    at: DateTime<Utc>,
) -> Result<Vec<u8>, ApiError> {
    let bad = |e: lodestar_notes::NotesError| ApiError::Internal(format!("demo notes: {e}"));
    let (update, _) = lodestar_notes::edit(state, text).map_err(bad)?;
    let merged = store.merge_notes(user, session, update, at).await?;
    lodestar_notes::decode(&merged.state).map_err(bad)
}

/// Makes one request as of `ask`'s day; answers its id.
async fn request(
    store: &dyn Store,
    ids: &HashMap<&'static str, Uuid>,
    ask: &Ask,
    now: DateTime<Utc>,
) -> Result<Uuid, ApiError> {
    let &Ask(mentee, mentor, days_ago, text) = ask;
    let request = NewRequest {
        request_id: Uuid::new_v4(),
        mentor_id: id(ids, mentor)?,
        message: validate::new_request(text)?,
    };
    let at = now - Duration::days(days_ago);
    Ok(store.create_request(id(ids, mentee)?, request, at).await?.0.request_id)
}
