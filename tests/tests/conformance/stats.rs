//! The program at a glance, on both backends: each figure counted from a small program whose
//! answers are known (a request answered in 2 hours and one in 4: a median of 3).

use chrono::TimeDelta;
use lodestar_protocol::validate::{NewFeedback, NewReport, NewSession};
use lodestar_protocol::{Fit, ReportReason};
use lodestar_server::store::FiledReport;
use lodestar_tests::Backend;
use uuid::Uuid;

use super::mentorships::{mentee, mentor, request};
use super::{create, fx, new_user, send, t, Fx};

const HOUR: i64 = 3600;

async fn the_stats_count_the_program(backend: Backend) {
    let Fx { s, _db } = fx(backend).await;
    let s = &*s;
    let empty = s.program_stats(t(0)).await.unwrap();
    assert_eq!((empty.requests.median_response_hours, empty.feedback.average_rating), (None, None));
    assert_eq!(empty.sessions.held_by_week.len(), 12);
    assert!(empty.requests.response_times.iter().all(|b| b.count == 0));

    let ada = mentor(s, "ada", 5).await;
    let cy = mentor(s, "cy", 5).await;
    let bo = mentee(s, "bo").await;
    let di = mentee(s, "di").await;
    let ed = mentee(s, "ed").await;
    let mut kid = new_user("kid");
    kid.date_of_birth = chrono::NaiveDate::from_ymd_opt(2012, 1, 1).unwrap();
    create(s, kid, t(0)).await;
    let cora = mentee(s, "cora").await;
    s.set_coordinator("cora", true).await.unwrap();

    let accepted = request(s, bo, ada, t(0)).await;
    let (_, m) = s.accept_request(ada, accepted.request_id, t(2 * HOUR)).await.unwrap();
    let declined = request(s, di, ada, t(0)).await;
    s.decline_request(ada, declined.request_id, None, t(4 * HOUR)).await.unwrap();
    let withdrawn = request(s, ed, ada, t(0)).await;
    s.withdraw_request(ed, withdrawn.request_id, t(HOUR)).await.unwrap();
    request(s, ed, cy, t(0)).await; // pending until it expires after 14 days
    let ended = request(s, di, cy, t(0)).await;
    let (_, m2) = s.accept_request(cy, ended.request_id, t(HOUR)).await.unwrap();
    s.end_mentorship(di, m2.mentorship_id, None, t(2 * HOUR)).await.unwrap();

    let session = NewSession {
        session_id: Uuid::new_v4(),
        starts_at: t(24 * HOUR),
        duration_minutes: 60,
        time_zone: "UTC".into(),
        location: None,
        agenda: None,
    };
    s.propose_session(bo, m.mentorship_id, session.clone(), t(3 * HOUR)).await.unwrap();
    s.confirm_session(ada, session.session_id, t(4 * HOUR)).await.unwrap();
    let called_off =
        NewSession { session_id: Uuid::new_v4(), starts_at: t(48 * HOUR), ..session.clone() };
    s.propose_session(bo, m.mentorship_id, called_off.clone(), t(3 * HOUR)).await.unwrap();
    s.cancel_session(ada, called_off.session_id, None, t(5 * HOUR)).await.unwrap();
    let after = t(26 * HOUR);
    let good = NewFeedback { rating: 5, fit: Fit::Good, comment: None };
    s.give_feedback(bo, session.session_id, good, after).await.unwrap();
    let poor = NewFeedback { rating: 2, fit: Fit::Poor, comment: None };
    s.give_feedback(ada, session.session_id, poor, after).await.unwrap();
    send(s, ada, m.conversation_id, "welcome", t(3 * HOUR)).await;
    send(s, bo, m.conversation_id, "thanks", t(3 * HOUR)).await;
    let report = FiledReport {
        report_id: Uuid::new_v4(),
        reporter_id: bo,
        user_id: cy,
        message_id: None,
        body: NewReport { reason: ReportReason::Other, details: None },
    };
    s.file_report(report, t(HOUR)).await.unwrap();
    s.suspend(cora, ed, "spam", t(HOUR)).await.unwrap();

    let now = t(20 * 24 * HOUR);
    let got = s.program_stats(now).await.unwrap();
    assert_eq!(
        (got.users.mentors, got.users.mentees, got.users.minors, got.users.suspended),
        (2, 4, 1, 1)
    );
    let r = &got.requests;
    assert_eq!((r.pending, r.accepted, r.declined, r.expired, r.withdrawn), (0, 2, 1, 1, 1));
    let median = r.median_response_hours.unwrap();
    assert!((median - 2.0).abs() < 0.01, "answers after 1, 2 and 4 hours: {median}");
    let buckets: Vec<(Option<i32>, i64)> =
        r.response_times.iter().map(|b| (b.up_to_hours, b.count)).collect();
    assert_eq!(buckets, [(Some(1), 1), (Some(6), 2), (Some(24), 0), (Some(72), 0), (None, 0)]);
    assert_eq!((got.mentorships.active, got.mentorships.ended), (1, 1));
    assert_eq!((got.sessions.held_30d, got.sessions.cancelled_30d), (1, 1));
    let weeks: i64 = got.sessions.held_by_week.iter().map(|w| w.count).sum();
    assert_eq!(weeks, 1);
    assert_eq!(
        got.sessions.held_by_week.last().unwrap().week_start,
        (now - TimeDelta::weeks(1)).date_naive()
    );
    assert_eq!(
        (got.feedback.count, got.feedback.average_rating, got.feedback.poor_fit),
        (2, Some(3.5), 1)
    );
    assert_eq!((got.messages_30d, got.reports_open, got.held_open), (2, 1, 0));
    assert_eq!(s.program_stats(t(3 * HOUR)).await.unwrap().requests.pending, 1, "not yet expired");
}

lodestar_tests::on_both_backends!(the_stats_count_the_program);
