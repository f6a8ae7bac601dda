//! One's own data, on both backends: one's reads, feedback and filed reports, and a deleted
//! account whose messages stay with no sender, whose groups go on under another owner (an
//! emptied one goes), whose mentorships end for the other person first, and whose peers are
//! each told to forget the profile.

use lodestar_protocol::validate::NewReport;
use lodestar_protocol::{ChangeKind, ChangeOp, ReportReason, Role};
use lodestar_server::store::{FiledReport, StoreError};
use lodestar_tests::Backend;
use uuid::Uuid;

use super::mentorships::{mentee, mentor, request};
use super::{direct, fx, group_named, send, sync_all, t, Fx};

async fn a_deleted_account_leaves_its_words_and_groups_behind(backend: Backend) {
    let Fx { s, _db } = fx(backend).await;
    let s = &*s;
    let ada = mentor(s, "ada", 2).await;
    let bo = mentee(s, "bo").await;
    let cy = mentee(s, "cy").await;
    let r = request(s, bo, ada, t(1)).await;
    let (_, m) = s.accept_request(ada, r.request_id, t(2)).await.unwrap();
    let conv = direct(s, ada, bo, t(3)).await;
    let said = send(s, bo, conv, "hello ada", t(4)).await;
    let answer = send(s, ada, conv, "hello bo", t(5)).await;
    s.mark_read(bo, &[answer.message_id], t(6)).await.unwrap();
    let shared = s.create_group(bo, group_named("Circle"), &[cy], t(7)).await.unwrap();
    let alone = s.create_group(bo, group_named("Mine"), &[], t(7)).await.unwrap();
    let report = FiledReport {
        report_id: Uuid::new_v4(),
        reporter_id: bo,
        user_id: cy,
        message_id: None,
        body: NewReport { reason: ReportReason::Spam, details: None },
    };
    s.file_report(report, t(8)).await.unwrap();
    assert_eq!(s.own_reads(bo).await.unwrap()[0].message_id, answer.message_id);
    assert_eq!(s.filed_reports(bo).await.unwrap()[0].reason, ReportReason::Spam);
    assert!(s.own_feedback(bo).await.unwrap().is_empty());
    let (_, ada_cursor) = sync_all(s, ada, 0, 1000).await;

    s.delete_account(bo, t(9)).await.unwrap();
    assert!(matches!(s.delete_account(bo, t(10)).await, Err(StoreError::NotFound)));
    let (history, _) = s.messages(ada, conv, None, 50).await.unwrap();
    let kept = history.iter().find(|x| x.message_id == said.message_id).unwrap();
    assert_eq!(kept.sender_id, None, "kept, from nobody");
    let (group, role) = s.group(cy, shared.group_id).await.unwrap();
    assert_eq!((group.members.len(), role), (1, Role::Owner), "cy owns the circle now");
    assert!(matches!(s.group(bo, alone.group_id).await, Err(StoreError::NotFound)));
    let (changes, _) = sync_all(s, ada, ada_cursor, 1000).await;
    assert!(changes.iter().any(|c| c.kind == ChangeKind::Profile
        && c.op == ChangeOp::Delete
        && c.data["user_id"] == serde_json::json!(bo)));
    assert!(
        changes.iter().any(|c| c.kind == ChangeKind::Mentorship
            && c.data["mentorship_id"] == serde_json::json!(m.mentorship_id)
            && c.data["status"] == "ended"),
        "the mentorship ended for ada first"
    );
}

lodestar_tests::on_both_backends!(a_deleted_account_leaves_its_words_and_groups_behind);
