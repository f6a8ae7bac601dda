//! Sessions (PROGRAM.md's second half): proposing, moving, confirming and cancelling meetings,
//! their calendar file, and feedback once one is held. Every action is applied to the replica and
//! queued, then sent at once if the server answers, as the other mentorship actions are.

use chrono::Utc;
use lodestar_protocol::{Feedback, FeedbackRequest, Session};
use uuid::Uuid;

use super::mentorship::Delivery;
use super::Client;
use crate::error::{ClientError, ClientResult};
use crate::outbox::{Step, Subject};
use crate::replica::mentorship::{Named, SessionChange};

impl Client {
    /// Proposes, moves or edits a session of a running mentorship.
    pub async fn save_session(
        &self,
        mentorship_id: Uuid,
        change: SessionChange,
    ) -> ClientResult<(Session, Delivery)> {
        let a = self.active()?;
        let s = a.replica.queue_session(a.info.user_id, mentorship_id, change, Utc::now()).await?;
        let delivery = self.deliver(Subject { kind: "session", id: s.session_id }).await?;
        Ok((self.fresh_session(s).await?, delivery))
    }

    /// Confirms or cancels a session (its id or a unique prefix of it).
    pub async fn session_step(
        &self,
        session: &str,
        step: Step,
    ) -> ClientResult<(Session, Delivery)> {
        let a = self.active()?;
        let id = a.replica.resolve_named(Named::Session, session).await?;
        let s = a.replica.queue_session_step(a.info.user_id, id, step, Utc::now()).await?;
        let delivery = self.deliver(Subject { kind: "session_step", id }).await?;
        Ok((self.fresh_session(s).await?, delivery))
    }

    /// Gives (or replaces) the user's feedback on a held session.
    pub async fn give_feedback(
        &self,
        session: &str,
        feedback: FeedbackRequest,
    ) -> ClientResult<(Feedback, Delivery)> {
        let a = self.active()?;
        let id = a.replica.resolve_named(Named::Session, session).await?;
        let f = a.replica.queue_feedback(a.info.user_id, id, feedback, Utc::now()).await?;
        let delivery = self.deliver(Subject { kind: "feedback", id }).await?;
        Ok((f, delivery))
    }

    /// A session by its id or a unique prefix of it, from the replica.
    pub async fn session(&self, session: &str) -> ClientResult<Session> {
        let a = self.active()?;
        let id = a.replica.resolve_named(Named::Session, session).await?;
        a.replica.session(id).await?.ok_or(ClientError::NotFound("session"))
    }

    /// A mentorship's sessions, by start, from the replica.
    pub async fn sessions(&self, mentorship_id: Uuid) -> ClientResult<Vec<Session>> {
        self.active()?.replica.sessions(mentorship_id).await
    }

    /// The calendar file (RFC 5545) of a session, made from the replica, so offline too.
    pub async fn session_calendar(&self, session: &str) -> ClientResult<String> {
        Ok(self.session(session).await?.calendar_file())
    }

    /// A session's shared notes as this device has them.
    pub async fn session_notes(&self, session: &str) -> ClientResult<(Session, String)> {
        let s = self.session(session).await?;
        let text = self.active()?.replica.notes(s.session_id).await?;
        Ok((s, text))
    }

    /// Makes a session's notes read `text` (what the notes area holds): the change is merged
    /// here at once and queued, then sent if the server answers. Answers the merged text.
    pub async fn write_notes(&self, session: &str, text: &str) -> ClientResult<(String, Delivery)> {
        let a = self.active()?;
        let s = self.session(session).await?;
        let (_, changed) =
            a.replica.queue_notes(s.mentorship_id, s.session_id, text, Utc::now()).await?;
        let delivery = match changed {
            true => self.deliver(Subject { kind: "notes", id: s.session_id }).await?,
            false => Delivery::Sent,
        };
        Ok((a.replica.notes(s.session_id).await?, delivery))
    }

    /// Adds a line (ended by a newline, so that a line the other person adds at the same time
    /// stays a line of its own) at the end of a session's notes.
    pub async fn append_notes(
        &self,
        session: &str,
        line: &str,
    ) -> ClientResult<(String, Delivery)> {
        let (_, current) = self.session_notes(session).await?;
        let sep = if current.is_empty() || current.ends_with('\n') { "" } else { "\n" };
        self.write_notes(session, &format!("{current}{sep}{line}\n")).await
    }

    /// The next session of each running mentorship (not cancelled, not over), soonest first.
    pub async fn next_sessions(&self, now: chrono::DateTime<Utc>) -> ClientResult<Vec<Session>> {
        self.active()?.replica.next_sessions(now).await
    }

    async fn fresh_session(&self, s: Session) -> ClientResult<Session> {
        Ok(self.active()?.replica.session(s.session_id).await?.unwrap_or(s))
    }
}

/// The user's own IANA time zone: `TZ` when it names one, else the system's, else `UTC`.
pub fn own_time_zone() -> String {
    let named = |z: &str| z.parse::<chrono_tz::Tz>().is_ok();
    if let Ok(tz) = std::env::var("TZ") {
        if named(&tz) {
            return tz;
        }
    }
    match iana_time_zone::get_timezone() {
        Ok(tz) if named(&tz) => tz,
        _ => "UTC".to_owned(),
    }
}

/// A wall-clock time ("YYYY-MM-DD HH:MM") in an IANA zone, as the RFC 3339 UTC instant the
/// session routes take. A time the zone skips (a spring-forward gap) is refused; an ambiguous
/// one (autumn) is the earlier.
pub fn wall_clock_to_utc(at: &str, zone: &str) -> ClientResult<String> {
    let field = ClientError::field;
    let tz: chrono_tz::Tz = zone.trim().parse().map_err(|_| field("time_zone", "invalid"))?;
    let naive = chrono::NaiveDateTime::parse_from_str(at.trim(), "%Y-%m-%d %H:%M")
        .map_err(|_| field("starts_at", "invalid"))?;
    let local = naive
        .and_local_timezone(tz)
        .earliest()
        .ok_or_else(|| field("starts_at", "skipped_by_clock_change"))?;
    Ok(local.with_timezone(&Utc).to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn a_wall_clock_time_in_a_zone_is_its_utc_instant() {
        assert_eq!(
            wall_clock_to_utc("2026-12-10 17:00", "America/Chicago").unwrap(),
            "2026-12-10T23:00:00Z"
        );
        assert_eq!(
            wall_clock_to_utc("2026-07-01 09:30", "Europe/London").unwrap(),
            "2026-07-01T08:30:00Z"
        );
        let gap = wall_clock_to_utc("2026-03-29 01:30", "Europe/London").unwrap_err();
        assert!(gap.to_string().contains("starts_at"), "{gap}");
        assert!(wall_clock_to_utc("2026-12-10 17:00", "Mars/Olympus").is_err());
        assert!(wall_clock_to_utc("10/12/2026 5pm", "UTC").is_err());
    }
}
