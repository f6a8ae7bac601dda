//! Reports, suspension and the trail, on both backends: what a report may name, its context,
//! one resolution only, a suspension that revokes every token and refuses the login until
//! lifted, and a trail that records each step, newest first.

use lodestar_protocol::validate::NewReport;
use lodestar_protocol::{AuditAction, ReportAction, ReportReason, ReportStatus, UsersQuery};
use lodestar_server::store::{FiledReport, Refusal, StoreError};
use lodestar_tests::Backend;
use uuid::Uuid;

use super::mentorships::{assert_refused, mentee, mentor};
use super::{direct, fx, send, t, today, Fx};

fn filed(reporter_id: Uuid, user_id: Uuid, message_id: Option<Uuid>) -> FiledReport {
    FiledReport {
        report_id: Uuid::new_v4(),
        reporter_id,
        user_id,
        message_id,
        body: NewReport { reason: ReportReason::Spam, details: Some("links".into()) },
    }
}

async fn a_report_names_only_what_its_reporter_can_see(backend: Backend) {
    let Fx { s, _db } = fx(backend).await;
    let s = &*s;
    let ann = mentee(s, "ann").await;
    let bo = mentor(s, "bo", 2).await;
    let cy = mentee(s, "cy").await;
    let conv = direct(s, ann, bo, t(1)).await;
    for i in 0..7 {
        send(s, bo, conv, &format!("m{i}"), t(2 + i)).await;
    }
    let last = send(s, bo, conv, "the bad one", t(10)).await.message_id;
    let theirs_elsewhere = {
        let other = direct(s, bo, cy, t(11)).await;
        send(s, bo, other, "private", t(12)).await.message_id
    };
    let rule = |r: Result<bool, StoreError>, field: &str| {
        assert!(matches!(r, Err(StoreError::Rule { field: f, .. }) if f == field), "{field}: {r:?}")
    };
    rule(s.file_report(filed(ann, ann, None), t(13)).await, "user_id");
    rule(s.file_report(filed(ann, bo, Some(theirs_elsewhere)), t(13)).await, "message_id");
    rule(s.file_report(filed(ann, cy, Some(last)), t(13)).await, "message_id");
    assert!(matches!(
        s.file_report(filed(ann, Uuid::new_v4(), None), t(13)).await,
        Err(StoreError::NotFound)
    ));
    let report = filed(ann, bo, Some(last));
    assert!(s.file_report(report.clone(), t(14)).await.unwrap());
    assert!(!s.file_report(report.clone(), t(15)).await.unwrap(), "the same report again");
    let stolen = FiledReport { reporter_id: cy, ..report.clone() };
    assert!(matches!(s.file_report(stolen, t(15)).await, Err(StoreError::Conflict(_))));

    let (open, users) = s.reports(ReportStatus::Open, today()).await.unwrap();
    assert_eq!(open.len(), 1);
    let contents: Vec<_> = open[0].context.iter().map(|m| m.content.clone().unwrap()).collect();
    assert_eq!(contents, ["m2", "m3", "m4", "m5", "m6", "the bad one"]);
    let mut names: Vec<_> = users.into_iter().map(|p| p.username).collect();
    names.sort();
    assert_eq!(names, ["ann", "bo"]);

    // Twenty open reports at most from one member.
    for _ in 1..20 {
        s.file_report(filed(ann, cy, None), t(16)).await.unwrap();
    }
    assert_refused(
        s.file_report(filed(ann, cy, None), t(17)).await,
        Refusal::TooManyReports,
        "21st",
    );
}

async fn a_suspension_revokes_refuses_and_is_recorded(backend: Backend) {
    let Fx { s, _db } = fx(backend).await;
    let s = &*s;
    let cora = mentee(s, "cora").await;
    let bo = mentor(s, "bo", 2).await;
    let ann = mentee(s, "ann").await;
    s.set_coordinator("cora", true).await.unwrap();
    assert!(s.is_coordinator(cora).await.unwrap() && !s.is_coordinator(bo).await.unwrap());
    s.create_session(bo, "tok-bo", t(0), t(10_000)).await.unwrap();
    let report = filed(ann, bo, None);
    s.file_report(report.clone(), t(1)).await.unwrap();

    let done = s
        .resolve_report(cora, report.report_id, ReportAction::Suspend, Some("spam".into()), t(2))
        .await
        .unwrap();
    assert_eq!(done.status, ReportStatus::Resolved);
    assert_eq!(
        done.resolution.as_ref().map(|r| (r.action, r.resolved_by)),
        Some((ReportAction::Suspend, Some(cora)))
    );
    assert_refused(
        s.resolve_report(cora, report.report_id, ReportAction::Dismiss, None, t(3)).await,
        Refusal::Resolved,
        "twice",
    );
    assert!(matches!(
        s.resolve_report(cora, Uuid::new_v4(), ReportAction::Dismiss, None, t(3)).await,
        Err(StoreError::NotFound)
    ));
    assert_eq!(s.session_user("tok-bo", t(3)).await.unwrap(), None, "every token revoked");
    assert_eq!(s.find_login("BO").await.unwrap().unwrap().suspended.as_deref(), Some("spam"));
    assert_eq!(s.suspended_among(&[bo, ann]).await.unwrap(), [bo]);
    let everyone = s.search_users(&UsersQuery::default(), 100, today()).await.unwrap();
    assert!(everyone.iter().all(|p| p.user_id != bo), "gone from the directory");
    assert!(!s.suspend(cora, bo, "again", t(4)).await.unwrap(), "suspended already");
    assert!(matches!(
        s.suspend(cora, cora, "me", t(4)).await,
        Err(StoreError::Rule { field: "user_id", .. })
    ));
    assert!(matches!(s.suspend(cora, Uuid::new_v4(), "x", t(4)).await, Err(StoreError::NotFound)));
    let listed = s.suspended(today()).await.unwrap();
    assert_eq!(
        (listed[0].user.user_id, listed[0].reason.as_str(), listed[0].suspended_by),
        (bo, "spam", Some(cora))
    );

    s.unsuspend(cora, bo, t(5)).await.unwrap();
    s.unsuspend(cora, bo, t(6)).await.unwrap();
    assert!(matches!(s.unsuspend(cora, Uuid::new_v4(), t(6)).await, Err(StoreError::NotFound)));
    assert_eq!(s.find_login("bo").await.unwrap().unwrap().suspended, None);
    assert!(s.suspended(today()).await.unwrap().is_empty());
    s.create_session(bo, "tok-bo-2", t(6), t(10_000)).await.unwrap();
    assert_eq!(s.session_user("tok-bo-2", t(7)).await.unwrap(), Some(bo));

    let warn = filed(bo, ann, None);
    s.file_report(warn.clone(), t(8)).await.unwrap();
    s.resolve_report(cora, warn.report_id, ReportAction::Warn, Some("be kind".into()), t(9))
        .await
        .unwrap();
    let (entries, more, users) = s.audit(None, 10, today()).await.unwrap();
    let actions: Vec<_> = entries.iter().map(|e| e.action).collect();
    assert_eq!(actions, [AuditAction::Warned, AuditAction::Unsuspended, AuditAction::Suspended]);
    assert!(!more);
    assert_eq!(entries[2].report_id, Some(report.report_id));
    assert!(entries.iter().all(|e| e.actor_id == Some(cora)));
    assert_eq!(users.len(), 3, "cora, bo and ann");
    let (page, more, _) = s.audit(Some(entries[0].audit_id), 1, today()).await.unwrap();
    assert_eq!((page[0].action, more), (AuditAction::Unsuspended, true));
}

lodestar_tests::on_both_backends!(
    a_report_names_only_what_its_reporter_can_see,
    a_suspension_revokes_refuses_and_is_recorded
);
