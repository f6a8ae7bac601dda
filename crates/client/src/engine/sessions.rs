//! What sessions tell the user on the desktop (PROGRAM.md): the other person proposed, moved,
//! confirmed or cancelled one (from a pull), and a reminder 15 minutes before a confirmed one,
//! computed from the replica so it comes offline too, once per session on this device.
//! Every notification is filed under the pair's conversation, whose window shows the
//! mentorship panel: clicking it opens the panel.

use chrono::{DateTime, TimeDelta, Utc};
use lodestar_protocol::{direct_conversation_id, Session, SessionStatus};
use uuid::Uuid;

use super::notify::{Notification, NotifyContext};
use crate::error::ClientResult;
use crate::replica::Replica;

/// How long before a confirmed session its reminder comes.
pub const REMINDER_LEAD: TimeDelta = TimeDelta::minutes(15);

/// Why a session a pull brought is news.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SessionNotice {
    /// The other person proposed it, or moved it to a new time.
    Proposed,
    /// The other person confirmed the user's proposal.
    Confirmed,
    /// The other person cancelled it.
    Cancelled,
}

/// Whether a session a pull brought (`before`: the replica's copy, none when new to it) is news
/// for `ctx.me`. Never on the first sync, never what the user did themselves.
pub fn session_notice(
    s: &Session,
    before: Option<&Session>,
    ctx: &NotifyContext,
) -> Option<SessionNotice> {
    if ctx.first_sync || before.is_some_and(|b| b.sequence >= s.sequence) {
        return None;
    }
    let was = before.map(|b| b.status);
    match s.status {
        SessionStatus::Proposed if s.proposed_by != ctx.me => Some(SessionNotice::Proposed),
        SessionStatus::Confirmed if s.proposed_by == ctx.me && was != Some(s.status) => {
            Some(SessionNotice::Confirmed)
        }
        SessionStatus::Cancelled if s.cancelled_by != Some(ctx.me) && was != Some(s.status) => {
            Some(SessionNotice::Cancelled)
        }
        _ => None,
    }
}

/// "Thu 3 Dec, 17:00" in `zone` (an IANA name; UTC when unknown).
pub fn short_time(at: DateTime<Utc>, zone: &str) -> String {
    match zone.parse::<chrono_tz::Tz>() {
        Ok(tz) => at.with_timezone(&tz).format("%a %-d %b, %H:%M").to_string(),
        Err(_) => at.format("%a %-d %b, %H:%M UTC").to_string(),
    }
}

/// The notification of a session's news or reminder, under the pair's conversation.
pub fn session_notification(
    s: &Session,
    pair: (Uuid, Uuid),
    what: &str,
    other: String,
) -> Notification {
    Notification {
        conversation_id: direct_conversation_id(pair.0, pair.1),
        message_id: s.session_id,
        sender: other,
        preview: what.to_owned(),
        count: 1,
    }
}

/// What a notice says.
pub fn notice_text(s: &Session, notice: SessionNotice, zone: &str) -> String {
    let when = short_time(s.starts_at, zone);
    match notice {
        SessionNotice::Proposed => format!("proposes a session: {when}"),
        SessionNotice::Confirmed => format!("confirmed the session: {when}"),
        SessionNotice::Cancelled => match &s.cancel_reason {
            Some(r) => {
                format!("cancelled the session of {when}: {}", super::notify::preview_text(r))
            }
            None => format!("cancelled the session of {when}"),
        },
    }
}

/// The reminders due at `now` (confirmed sessions of running mentorships starting within
/// [`REMINDER_LEAD`]), each taken once: a second call at any later time does not repeat them.
pub async fn due_reminders(
    replica: &Replica,
    me: Uuid,
    now: DateTime<Utc>,
    zone: &str,
) -> ClientResult<Vec<Notification>> {
    let mut out = Vec::new();
    for (s, mentor, mentee) in replica.take_reminders(now, REMINDER_LEAD).await? {
        let other = if mentor == me { mentee } else { mentor };
        let name = replica.username(other).await?.unwrap_or_else(|| "your mentorship".to_owned());
        let minutes = (s.starts_at - now).num_minutes().max(1);
        let mut what = format!("Session in {minutes} min · {}", short_time(s.starts_at, zone));
        if let Some(place) = &s.location {
            what.push_str(&format!(" · {place}"));
        }
        out.push(session_notification(&s, (mentor, mentee), &what, name));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn session(proposed_by: Uuid, status: SessionStatus, sequence: i32) -> Session {
        let now = Utc::now();
        Session {
            session_id: Uuid::nil(),
            mentorship_id: Uuid::nil(),
            starts_at: now,
            duration_minutes: 30,
            time_zone: "UTC".into(),
            location: None,
            agenda: None,
            status,
            proposed_by,
            confirmed_at: None,
            cancelled_by: None,
            cancel_reason: Some("exams".into()),
            sequence,
            created_at: now,
            updated_at: now,
        }
    }

    #[test]
    fn only_the_other_persons_changes_are_news() {
        let (me, other) = (Uuid::new_v4(), Uuid::new_v4());
        let ctx = NotifyContext { me, ..NotifyContext::default() };
        let theirs = session(other, SessionStatus::Proposed, 0);
        assert_eq!(session_notice(&theirs, None, &ctx), Some(SessionNotice::Proposed));
        let first = NotifyContext { first_sync: true, ..ctx.clone() };
        assert_eq!(session_notice(&theirs, None, &first), None, "history is not news");
        let mine = session(me, SessionStatus::Proposed, 0);
        assert_eq!(session_notice(&mine, None, &ctx), None, "one's own proposal");
        let confirmed = session(me, SessionStatus::Confirmed, 1);
        assert_eq!(session_notice(&confirmed, Some(&mine), &ctx), Some(SessionNotice::Confirmed));
        assert_eq!(session_notice(&confirmed, Some(&confirmed), &ctx), None, "seen already");
        let mut cancelled = session(me, SessionStatus::Cancelled, 2);
        cancelled.cancelled_by = Some(other);
        assert_eq!(
            session_notice(&cancelled, Some(&confirmed), &ctx),
            Some(SessionNotice::Cancelled)
        );
        assert_eq!(
            notice_text(&cancelled, SessionNotice::Cancelled, "Mars/Base"),
            format!(
                "cancelled the session of {}: exams",
                cancelled.starts_at.format("%a %-d %b, %H:%M UTC")
            )
        );
        cancelled.cancelled_by = Some(me);
        assert_eq!(session_notice(&cancelled, Some(&confirmed), &ctx), None, "one's own cancel");
    }
}
