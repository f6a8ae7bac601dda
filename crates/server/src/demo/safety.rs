//! The demo program's safety: its coordinator, a minor mentee in a mentorship whose message
//! with a phone number waits for review, and a spammer reported by a mentee with the message.

use std::collections::HashMap;

use chrono::{DateTime, Duration, Utc};
use lodestar_protocol::validate::{self, NewReport};
use lodestar_protocol::ReportReason;
use uuid::Uuid;

use super::{id, send};
use crate::error::ApiError;
use crate::store::{FiledReport, NewRequest, Store};

/// The demo's coordinator (printed at start).
pub(super) const COORDINATOR: &str = "coord.rivera";

/// Seeds the coordinator, the minor's mentorship and the report.
pub(super) async fn seed(
    store: &dyn Store,
    ids: &HashMap<&'static str, Uuid>,
    now: DateTime<Utc>,
) -> Result<(), ApiError> {
    store.set_coordinator(COORDINATOR, true).await?;

    // A minor and her mentor: contact only inside the mentorship, contact details held.
    let (kid, mentor) = (id(ids, "jayden.brooks")?, id(ids, "aisha.bello")?);
    let asked = now - Duration::days(6);
    let request = NewRequest {
        request_id: Uuid::new_v4(),
        mentor_id: mentor,
        message: validate::new_request(
            "Hi! I run my school's robotics club and we need money for parts. Could you teach me grant writing?",
        )?,
    };
    let request_id = store.create_request(kid, request, asked).await?.0.request_id;
    let (_, m) = store.accept_request(mentor, request_id, asked + Duration::hours(5)).await?;
    let at = asked + Duration::hours(6);
    send(store, mentor, m.conversation_id, "Welcome, Jayden! Bring your club's budget to our first session and we'll find three grants to try.", at).await?;
    send(
        store,
        kid,
        m.conversation_id,
        "Thank you!! Could I text you instead? My number is 312-555-0142.",
        at + Duration::hours(1),
    )
    .await?;

    // A spammer, reported with the message.
    let (spammer, leo) = (id(ids, "brandon.vale")?, id(ids, "leo.martin")?);
    let at = now - Duration::hours(20);
    let conversation = store.open_direct(spammer, leo, at).await?.conversation.conversation_id;
    send(
        store,
        spammer,
        conversation,
        "Hey Leo, quick question: are you open to new opportunities?",
        at,
    )
    .await?;
    let spam = send(store, spammer, conversation, "Students make $5,000 a week with my program, zero experience. Sign up at quick-cash.example/leo before Friday!", at + Duration::minutes(3)).await?;
    let report = FiledReport {
        report_id: Uuid::new_v4(),
        reporter_id: leo,
        user_id: spammer,
        message_id: Some(spam),
        body: NewReport {
            reason: ReportReason::Spam,
            details: Some("He messaged me out of nowhere with a get-rich-quick link.".to_owned()),
        },
    };
    store.file_report(report, at + Duration::hours(1)).await?;
    Ok(())
}
