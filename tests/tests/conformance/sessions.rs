//! Sessions of a mentorship and their feedback (PROGRAM.md's second half), on both backends:
//! who may propose, move, confirm and cancel, what a move does to a confirmation, the sequence
//! that calendars follow, feedback only once a confirmed session has ended, and who sees what.

use chrono::{DateTime, Utc};
use lodestar_protocol::validate::{NewFeedback, NewSession, SessionPatch};
use lodestar_protocol::{ChangeKind, Fit, Mentorship, SessionStatus};
use lodestar_server::store::{Refusal, Store};
use lodestar_tests::Backend;
use uuid::Uuid;

use super::mentorships::{assert_refused, assert_rule, mentee, mentor, request};
use super::{fx, sync_all, t, Fx};

const HOUR: i64 = 3600;

fn meeting(starts_at: DateTime<Utc>) -> NewSession {
    NewSession {
        session_id: Uuid::new_v4(),
        starts_at,
        duration_minutes: 60,
        time_zone: "America/Chicago".into(),
        location: Some("https://meet.example/ada-bo".into()),
        agenda: Some("Your first SQL analysis".into()),
    }
}

/// ada mentors bo; eve is a stranger.
async fn pair(s: &dyn Store) -> (Uuid, Uuid, Uuid, Mentorship) {
    let ada = mentor(s, "ada", 2).await;
    let bo = mentee(s, "bo").await;
    let eve = mentee(s, "eve").await;
    let r = request(s, bo, ada, t(1)).await;
    let (_, m) = s.accept_request(ada, r.request_id, t(2)).await.unwrap();
    (ada, bo, eve, m)
}

async fn sessions_are_proposed_by_one_and_confirmed_by_the_other(backend: Backend) {
    let Fx { s, _db } = fx(backend).await;
    let s = &*s;
    let (ada, bo, eve, m) = pair(s).await;
    let plan = meeting(t(48 * HOUR));

    super::assert_not_found(
        s.propose_session(eve, m.mentorship_id, plan.clone(), t(10)).await,
        "a stranger proposing",
    );
    let (proposed, created) =
        s.propose_session(bo, m.mentorship_id, plan.clone(), t(10)).await.unwrap();
    assert!(created);
    assert_eq!(
        (proposed.status, proposed.proposed_by, proposed.sequence),
        (SessionStatus::Proposed, bo, 0)
    );
    assert_eq!(proposed.ends_at(), t(48 * HOUR + HOUR));
    let (again, created) =
        s.propose_session(bo, m.mentorship_id, plan.clone(), t(11)).await.unwrap();
    assert!(!created, "the same id again is a retry");
    assert_eq!(again, proposed);
    assert!(
        matches!(
            s.propose_session(ada, m.mentorship_id, plan.clone(), t(11)).await,
            Err(lodestar_server::store::StoreError::Conflict(_))
        ),
        "someone else's id is taken"
    );

    // Only the other person confirms; a stranger does not even see it.
    assert_refused(
        s.confirm_session(bo, plan.session_id, t(12)).await,
        Refusal::OwnProposal,
        "the proposer confirming",
    );
    super::assert_not_found(
        s.confirm_session(eve, plan.session_id, t(12)).await,
        "a stranger confirming",
    );
    super::assert_not_found(s.mentorship_session(eve, plan.session_id).await, "a stranger reading");
    let confirmed = s.confirm_session(ada, plan.session_id, t(13)).await.unwrap();
    assert_eq!(
        (confirmed.status, confirmed.confirmed_at, confirmed.sequence),
        (SessionStatus::Confirmed, Some(t(13)), 1)
    );
    assert_eq!(
        s.confirm_session(ada, plan.session_id, t(14)).await.unwrap(),
        confirmed,
        "confirming twice is once"
    );

    // Moving it makes it proposed again, by the mover; an agenda edit does not.
    let agenda =
        SessionPatch { agenda: Some(Some("Bring questions".into())), ..Default::default() };
    let edited = s.edit_session(ada, plan.session_id, agenda, t(15)).await.unwrap();
    assert_eq!(
        (edited.status, edited.sequence, edited.agenda.as_deref()),
        (SessionStatus::Confirmed, 2, Some("Bring questions"))
    );
    let later = SessionPatch { starts_at: Some(t(72 * HOUR)), ..Default::default() };
    let moved = s.edit_session(ada, plan.session_id, later, t(16)).await.unwrap();
    assert_eq!(
        (moved.status, moved.proposed_by, moved.confirmed_at, moved.sequence),
        (SessionStatus::Proposed, ada, None, 3)
    );
    let confirmed = s.confirm_session(bo, plan.session_id, t(17)).await.unwrap();
    assert_eq!(confirmed.status, SessionStatus::Confirmed);

    // The detail lists it; sync tells exactly the two.
    let detail = s.mentorship(bo, m.mentorship_id).await.unwrap();
    assert_eq!(detail.sessions, vec![confirmed.clone()]);
    for who in [ada, bo] {
        let (changes, _) = sync_all(s, who, 0, 500).await;
        assert!(changes.iter().any(|c| c.kind == ChangeKind::Session), "the pair hears of it");
    }
    let (eve_changes, _) = sync_all(s, eve, 0, 500).await;
    assert!(!eve_changes.iter().any(|c| c.kind == ChangeKind::Session), "a stranger never does");

    // Cancelled, it stays cancelled: no edit, no confirm; cancelling again is the same answer.
    let cancelled =
        s.cancel_session(bo, plan.session_id, Some("Sick".into()), t(18)).await.unwrap();
    assert_eq!(
        (cancelled.status, cancelled.cancelled_by, cancelled.cancel_reason.as_deref()),
        (SessionStatus::Cancelled, Some(bo), Some("Sick"))
    );
    assert_eq!(s.cancel_session(ada, plan.session_id, None, t(19)).await.unwrap(), cancelled);
    assert_refused(
        s.confirm_session(ada, plan.session_id, t(19)).await,
        Refusal::Cancelled,
        "confirming a cancelled one",
    );
    let agenda = SessionPatch { agenda: Some(None), ..Default::default() };
    assert_refused(
        s.edit_session(ada, plan.session_id, agenda, t(19)).await,
        Refusal::Cancelled,
        "editing a cancelled one",
    );
}

async fn an_ended_mentorship_takes_no_sessions_and_a_passed_time_no_confirmation(backend: Backend) {
    let Fx { s, _db } = fx(backend).await;
    let s = &*s;
    let (ada, bo, _, m) = pair(s).await;
    let soon = meeting(t(2 * HOUR));
    s.propose_session(ada, m.mentorship_id, soon.clone(), t(10)).await.unwrap();
    assert_rule(
        s.confirm_session(bo, soon.session_id, t(3 * HOUR)).await,
        "starts_at",
        "in_the_past",
        "confirming after the start",
    );
    s.end_mentorship(bo, m.mentorship_id, None, t(20)).await.unwrap();
    assert_refused(
        s.propose_session(ada, m.mentorship_id, meeting(t(9 * HOUR)), t(21)).await,
        Refusal::Ended,
        "proposing in an ended mentorship",
    );
    assert_refused(
        s.confirm_session(bo, soon.session_id, t(21)).await,
        Refusal::Ended,
        "confirming in an ended mentorship",
    );
    assert!(s.mentorship_session(bo, soon.session_id).await.is_ok(), "still readable");
}

async fn feedback_comes_after_a_held_session_and_replaces_ones_own(backend: Backend) {
    let Fx { s, _db } = fx(backend).await;
    let s = &*s;
    let (ada, bo, eve, m) = pair(s).await;
    let plan = meeting(t(HOUR));
    s.propose_session(ada, m.mentorship_id, plan.clone(), t(10)).await.unwrap();
    let good = NewFeedback { rating: 5, fit: Fit::Good, comment: Some("Very useful".into()) };
    assert_rule(
        s.give_feedback(bo, plan.session_id, good.clone(), t(3 * HOUR)).await,
        "session_id",
        "not_held",
        "a session never confirmed",
    );
    s.confirm_session(bo, plan.session_id, t(20)).await.unwrap();
    assert_rule(
        s.give_feedback(bo, plan.session_id, good.clone(), t(HOUR + 59 * 60)).await,
        "session_id",
        "not_held",
        "before it ended",
    );
    super::assert_not_found(
        s.give_feedback(eve, plan.session_id, good.clone(), t(3 * HOUR)).await,
        "a stranger's feedback",
    );
    let (given, created) =
        s.give_feedback(bo, plan.session_id, good.clone(), t(2 * HOUR)).await.unwrap();
    assert!(created);
    assert_eq!(
        (given.author_id, given.rating, given.fit, given.created_at),
        (bo, 5, Fit::Good, t(2 * HOUR))
    );
    let unsure = NewFeedback { rating: 3, fit: Fit::Unsure, comment: None };
    let (replaced, created) =
        s.give_feedback(bo, plan.session_id, unsure, t(3 * HOUR)).await.unwrap();
    assert!(!created, "one's own is replaced");
    assert_eq!((replaced.rating, replaced.fit, replaced.comment), (3, Fit::Unsure, None));
    let (theirs, created) = s.give_feedback(ada, plan.session_id, good, t(3 * HOUR)).await.unwrap();
    assert!(created && theirs.author_id == ada, "each of the two gives their own");
}

async fn notes_written_at_once_by_both_merge_and_reach_only_the_two(backend: Backend) {
    let Fx { s, _db } = fx(backend).await;
    let s = &*s;
    let (ada, bo, eve, m) = pair(s).await;
    let plan = meeting(t(48 * HOUR));
    s.propose_session(ada, m.mentorship_id, plan.clone(), t(10)).await.unwrap();
    let id = plan.session_id;
    assert_eq!(s.session_notes(bo, id).await.unwrap().text, "", "empty until someone writes");

    // Both start from the same notes, then write at the same time, each on their own copy.
    let (first, _) = lodestar_notes::edit(&[], "Agenda").unwrap();
    let shared = s.merge_notes(ada, id, first.clone(), t(11)).await.unwrap();
    let base = lodestar_notes::decode(&shared.state).unwrap();
    let (by_ada, _) = lodestar_notes::edit(&base, "Agenda: SQL joins").unwrap();
    let (by_bo, _) = lodestar_notes::edit(&base, "My agenda").unwrap();
    s.merge_notes(bo, id, by_bo.clone(), t(12)).await.unwrap();
    let merged = s.merge_notes(ada, id, by_ada, t(13)).await.unwrap();
    assert_eq!(merged.text, "My agenda: SQL joins", "nothing either wrote is lost");
    assert_eq!(merged.updated_at, Some(t(13)));
    let (_, cursor) = sync_all(s, bo, 0, 1_000).await;
    let again = s.merge_notes(bo, id, by_bo, t(14)).await.unwrap();
    assert_eq!(
        (again.text.as_str(), again.updated_at),
        (merged.text.as_str(), Some(t(13))),
        "a retry changes nothing"
    );
    let (after, _) = sync_all(s, bo, cursor, 100).await;
    assert!(after.is_empty(), "and tells no one: {after:?}");
    assert_eq!(s.session_notes(bo, id).await.unwrap(), merged);

    // The two hear of each merge; a stranger neither reads nor writes them.
    let (changes, _) = sync_all(s, bo, 0, 1_000).await;
    let last = changes
        .iter()
        .rev()
        .find(|c| c.kind == ChangeKind::SessionNotes)
        .expect("the notes in sync");
    assert_eq!(last.data["text"], "My agenda: SQL joins");
    let (changes, _) = sync_all(s, eve, 0, 1_000).await;
    assert!(!changes.iter().any(|c| c.kind == ChangeKind::SessionNotes));
    super::assert_not_found(s.session_notes(eve, id).await, "a stranger reading the notes");
    super::assert_not_found(
        s.merge_notes(eve, id, first.clone(), t(15)).await,
        "a stranger writing",
    );
    assert_rule(
        s.merge_notes(bo, id, vec![1, 2, 3], t(15)).await,
        "update",
        "invalid",
        "not an update",
    );

    // An ended mentorship's notes are read-only.
    s.end_mentorship(ada, m.mentorship_id, None, t(20)).await.unwrap();
    let (late, _) =
        lodestar_notes::edit(&lodestar_notes::decode(&merged.state).unwrap(), "late").unwrap();
    assert_refused(
        s.merge_notes(bo, id, late, t(21)).await,
        Refusal::Ended,
        "writing after the end",
    );
}

lodestar_tests::on_both_backends!(
    sessions_are_proposed_by_one_and_confirmed_by_the_other,
    an_ended_mentorship_takes_no_sessions_and_a_passed_time_no_confirmation,
    feedback_comes_after_a_held_session_and_replaces_ones_own,
    notes_written_at_once_by_both_merge_and_reach_only_the_two,
);
