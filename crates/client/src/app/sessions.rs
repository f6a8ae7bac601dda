//! Sessions for the window: proposing, moving, confirming and cancelling them, their notes,
//! feedback, and "Add to calendar". Every action is applied to the replica and queued at once
//! (so it shows at once, offline too); the engine sends it.

use std::path::PathBuf;

use chrono::Utc;
use lodestar_protocol::{CreateSessionRequest, FeedbackRequest, UpdateSessionRequest};
use uuid::Uuid;

use super::mentorship::clearable;
use super::views::sessions::{session_view, FeedbackEdit, MeetingView, SessionEdit};
use super::App;
use crate::client::{own_time_zone, wall_clock_to_utc};
use crate::engine::Topic;
use crate::error::{ClientError, ClientResult};
use crate::outbox::Step;
use crate::replica::mentorship::SessionChange;
use crate::replica::Replica;

/// The held session to ask feedback on now: the first held one, then every fourth, each asked
/// once and never when feedback was given.
pub(super) async fn feedback_to_ask(
    replica: &Replica,
    sessions: &[MeetingView],
) -> ClientResult<Option<Uuid>> {
    let held = sessions.iter().filter(|s| s.held);
    for (i, s) in held.enumerate() {
        if i % 4 == 0 && s.my_feedback.is_none() && !replica.feedback_asked(s.session_id).await? {
            return Ok(Some(s.session_id));
        }
    }
    Ok(None)
}

/// Where "Add to calendar" saves: the Downloads folder (made if missing), else the home folder.
pub(super) fn downloads() -> ClientResult<PathBuf> {
    let dirs = directories::UserDirs::new().ok_or_else(|| {
        ClientError::Corrupt("no home folder to save the calendar file in".into())
    })?;
    let dir = match dirs.download_dir() {
        Some(d) => d.to_owned(),
        None => dirs.home_dir().join("Downloads"),
    };
    std::fs::create_dir_all(&dir)
        .map_err(|e| ClientError::Corrupt(format!("{}: {e}", dir.display())))?;
    Ok(dir)
}

impl App {
    async fn session_done(&self, mentorship_id: Uuid) {
        self.queued(&[Topic::Mentorships, Topic::Conversations], Some(mentorship_id)).await;
    }

    /// Proposes a session, or moves or edits one (queued; works offline).
    pub async fn save_session(
        &self,
        mentorship_id: Uuid,
        edit: &SessionEdit,
    ) -> ClientResult<MeetingView> {
        let zone = edit.time_zone.clone().unwrap_or_else(own_time_zone);
        let start = match &edit.starts_local {
            Some(local) => Some(wall_clock_to_utc(&local.replacen('T', " ", 1), &zone)?),
            None => None,
        };
        let change = match edit.session_id {
            None => SessionChange::New(CreateSessionRequest {
                session_id: Uuid::new_v4(),
                starts_at: start.unwrap_or_default(),
                duration_minutes: edit.duration_minutes.unwrap_or(60),
                time_zone: zone,
                location: super::views::given(&edit.location),
                agenda: super::views::given(&edit.agenda),
            }),
            Some(id) => SessionChange::Edit(
                id,
                UpdateSessionRequest {
                    time_zone: start.as_ref().map(|_| zone),
                    starts_at: start,
                    duration_minutes: edit.duration_minutes,
                    location: clearable(&edit.location),
                    agenda: clearable(&edit.agenda),
                },
            ),
        };
        let client = self.client.read().await;
        let (_, replica, me, _) = client.parts()?;
        let s = replica.queue_session(me, mentorship_id, change, Utc::now()).await?;
        let view =
            session_view(replica, me, &s, &replica.mentorship_marks().await?, Utc::now()).await?;
        drop(client);
        self.session_done(mentorship_id).await;
        Ok(view)
    }

    /// Confirms (the person who did not propose it) or cancels a session (queued).
    pub async fn session_step(&self, session_id: Uuid, step: Step) -> ClientResult<()> {
        let client = self.client.read().await;
        let (_, replica, me, _) = client.parts()?;
        let s = replica.queue_session_step(me, session_id, step, Utc::now()).await?;
        drop(client);
        self.session_done(s.mentorship_id).await;
        Ok(())
    }

    /// Gives (or replaces) the user's feedback on a held session (queued).
    pub async fn give_feedback(&self, session_id: Uuid, edit: &FeedbackEdit) -> ClientResult<()> {
        let req = FeedbackRequest {
            rating: edit.rating,
            fit: edit.fit.clone(),
            comment: super::views::given(&edit.comment),
        };
        let client = self.client.read().await;
        let (_, replica, me, _) = client.parts()?;
        let now = Utc::now();
        replica.queue_feedback(me, session_id, req, now).await?;
        replica.mark_feedback_asked(session_id, now).await?;
        let mentorship = replica.session(session_id).await?.map(|s| s.mentorship_id);
        drop(client);
        self.queued(&[Topic::Mentorships], mentorship).await;
        Ok(())
    }

    /// The feedback prompt was dismissed: it is not asked again for this session.
    pub async fn dismiss_feedback(&self, session_id: Uuid) -> ClientResult<()> {
        let client = self.client.read().await;
        let replica = client.replica()?;
        replica.mark_feedback_asked(session_id, Utc::now()).await?;
        let mentorship = replica.session(session_id).await?.map(|s| s.mentorship_id);
        drop(client);
        if let Some(id) = mentorship {
            self.changed(Topic::Mentorships.one(id));
        }
        Ok(())
    }

    /// Makes a session's notes read `text` (what the notes area holds): merged here at once and
    /// queued. Answers the merged text (which may hold the other person's edits).
    pub async fn write_notes(&self, session_id: Uuid, text: &str) -> ClientResult<String> {
        let client = self.client.read().await;
        let replica = client.replica()?;
        let s = replica.session(session_id).await?.ok_or(ClientError::NotFound("session"))?;
        let (merged, changed) =
            replica.queue_notes(s.mentorship_id, session_id, text, Utc::now()).await?;
        drop(client);
        if changed {
            self.kick().await;
            self.changed(Topic::Outbox.all());
        }
        Ok(merged)
    }

    /// "Add to calendar": writes the session's calendar file (made from the replica, so
    /// offline too) to the Downloads folder and answers its path; saving it again replaces it,
    /// and calendars update the event by its UID and SEQUENCE.
    pub async fn save_calendar(&self, session_id: Uuid) -> ClientResult<String> {
        let client = self.client.read().await;
        let s =
            client.replica()?.session(session_id).await?.ok_or(ClientError::NotFound("session"))?;
        drop(client);
        let name = format!(
            "lodestar-session-{}-{}.ics",
            s.starts_at.format("%Y%m%d-%H%M"),
            &s.session_id.simple().to_string()[..8]
        );
        let path = downloads()?.join(name);
        let tmp = path.with_extension("ics.part");
        let write =
            std::fs::write(&tmp, s.calendar_file()).and_then(|()| std::fs::rename(&tmp, &path));
        write.map_err(|e| ClientError::Corrupt(format!("{}: {e}", path.display())))?;
        Ok(path.display().to_string())
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;
    use crate::app::views::PersonRef;

    fn held(n: u128, feedback: bool) -> MeetingView {
        let at = Utc::now();
        MeetingView {
            session_id: Uuid::from_u128(n),
            starts_at: at,
            duration_minutes: 30,
            time_zone: "UTC".into(),
            location: None,
            agenda: None,
            status: lodestar_protocol::SessionStatus::Confirmed,
            proposed_by: PersonRef { user_id: Uuid::nil(), username: "ann".into() },
            cancel_reason: None,
            held: true,
            can_confirm: false,
            notes: String::new(),
            my_feedback: feedback.then(|| lodestar_protocol::Feedback {
                session_id: Uuid::from_u128(n),
                author_id: Uuid::nil(),
                rating: 4,
                fit: lodestar_protocol::Fit::Good,
                comment: None,
                created_at: at,
            }),
            pending: false,
            failed: None,
        }
    }

    #[tokio::test]
    async fn feedback_is_asked_after_the_first_held_session_then_every_fourth_once_each() {
        let dir = tempfile::tempdir().unwrap();
        let replica = Replica::open(&dir.path().join("r.db")).await.unwrap();
        let mut sessions: Vec<MeetingView> = (1..=9).map(|n| held(n, false)).collect();
        let asked = |id: u128| Some(Uuid::from_u128(id));
        assert_eq!(feedback_to_ask(&replica, &sessions).await.unwrap(), asked(1), "the first");
        replica.mark_feedback_asked(Uuid::from_u128(1), Utc::now()).await.unwrap();
        assert_eq!(feedback_to_ask(&replica, &sessions).await.unwrap(), asked(5), "then the fifth");
        sessions[4] = held(5, true);
        assert_eq!(
            feedback_to_ask(&replica, &sessions).await.unwrap(),
            asked(9),
            "given: not asked"
        );
        replica.mark_feedback_asked(Uuid::from_u128(9), Utc::now()).await.unwrap();
        assert_eq!(feedback_to_ask(&replica, &sessions).await.unwrap(), None, "each once");
        sessions.iter_mut().for_each(|s| s.held = false);
        assert_eq!(feedback_to_ask(&replica, &sessions).await.unwrap(), None, "only held ones");
    }
}
