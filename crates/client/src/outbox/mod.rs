//! One outbox for every action the user takes, online or not.
//!
//! Every kind of action is one variant of [`OutboxAction`] (listed once, in the `actions!` call
//! below) and one payload type implementing [`Action`]: its ordering lane, its subject, a
//! summary for people, how it is sent, and how the server's answer or refusal is applied to the
//! replica. The replica stores the action whole (`replica::outbox`); `sync::push` is one loop
//! over [`OutboxAction::deliver`]. Nothing else changes when a kind is added.
//!
//! The shape follows matrix-rust-sdk's send queue (requests stored whole, a dependent request
//! waiting on a parent and receiving its result), keeping what Lodestar does better: the visible
//! effect and the entry are written in one transaction, and `take_next` is one statement.

mod direct;
mod mentorship;
mod message;
mod message_actions;
mod message_queue;
mod notes;
mod plans;
mod profile;
mod read;
mod safety;
mod sessions;
mod upload;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use sqlx::{Sqlite, Transaction};
use uuid::Uuid;

use crate::api::Api;
use crate::error::{ClientError, ClientResult};
use crate::replica::{OutboxEntry, Replica};

pub(crate) use direct::open_direct_in;
pub use direct::OpenDirect;
pub use mentorship::{Answer, AnswerRequest, Answered, AskMentor, EndMentorship};
pub use message_actions::{Before, DeleteMessage, EditMessage, React};
pub use notes::EditNotes;
pub use plans::{GoalPlan, Plan, Save, SaveGoal, SaveTask, TaskPlan};
pub use profile::EditProfile;
pub use read::MarkRead;
pub(crate) use safety::apply_block;
pub use safety::SetBlock;
pub use sessions::{GiveFeedback, SaveSession, SessionPlan, SessionStep, Step};
pub use upload::{pending_upload, uploaded_bytes, Upload};

/// A write transaction of the replica.
pub(crate) type Tx = Transaction<'static, Sqlite>;

/// The order an action keeps: entries of one lane are sent one at a time, in queue order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lane {
    /// Everything said and read in one conversation.
    Conversation(Uuid),
    /// The user's own record (profile edits).
    Me,
    /// One mentorship request: its creation, then its decline or withdrawal.
    Request(Uuid),
    /// One mentorship: its accept, then what is written into it (goals, tasks, its end).
    Mentorship(Uuid),
}

impl Lane {
    /// As stored in the `lane` column.
    pub(crate) fn key(&self) -> String {
        match self {
            Lane::Conversation(id) => format!("conversation/{}", id.simple()),
            Lane::Me => "me".to_owned(),
            Lane::Request(id) => format!("request/{}", id.simple()),
            Lane::Mentorship(id) => format!("mentorship/{}", id.simple()),
        }
    }
}

/// What an action acts on. A waiting entry with the same subject takes a newer action's
/// payload instead of a second entry (see [`Action::fold`]), and a pull that brings the
/// subject's confirmed state retires the entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Subject {
    /// What sort of thing (`message`, `read`, `profile`, `direct`, …).
    pub kind: &'static str,
    /// Which one.
    pub id: Uuid,
}

/// An entry as the Outbox screen names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Summary {
    /// What kind of thing, for people ("Message", "Read receipt").
    pub title: String,
    /// Which one ("see you at noon", "3 messages").
    pub detail: String,
}

/// How an attempt to send an entry ended.
#[derive(Debug)]
pub(crate) enum Outcome {
    /// The server has it; the replica shows its answer and the entry is gone.
    Sent,
    /// Refused for good, with the reason.
    Refused(ClientError),
    /// Not now (offline, busy, signed out): the entry waits.
    Later(ClientError),
}

/// One kind of outbox action: implement this for a payload and add it to `actions!`.
#[allow(async_fn_in_trait)] // Called on concrete types only (the enum dispatches), so `Send` is known.
pub trait Action: Serialize + DeserializeOwned + Clone {
    /// What the server answers, handed to dependent entries as their `parent_result`.
    type Sent: Serialize + DeserializeOwned;

    /// The lane it is ordered in.
    fn lane(&self) -> Lane;

    /// What it acts on.
    fn subject(&self) -> Subject;

    /// The subject of an entry it must wait for, if one is still queued (a message waits for
    /// its conversation to be opened on the server).
    fn waits_for(&self) -> Option<Subject> {
        None
    }

    /// For the Outbox screen.
    fn summary(&self) -> Summary;

    /// Takes a newer action on the same subject into this waiting one; `false` queues it
    /// separately. By default each action is sent on its own.
    fn fold(&mut self, newer: &Self) -> bool {
        let _ = newer;
        false
    }

    /// Sends it. `parent` is the answer to the entry it waited for, if any.
    async fn send(&self, api: &Api, parent: Option<&serde_json::Value>)
        -> ClientResult<Self::Sent>;

    /// Applies the server's answer to the replica, in the transaction that removes the entry.
    async fn acked(&self, tx: &mut Tx, sent: &Self::Sent) -> ClientResult<()> {
        let _ = (tx, sent);
        Ok(())
    }

    /// The server refused it for good: undo what only made sense if it were taken (the
    /// entry itself stays, failed, until the user retries or discards it).
    async fn refused(&self, api: &Api, replica: &Replica) -> ClientResult<()> {
        let _ = (api, replica);
        Ok(())
    }

    /// The user discarded it: remove its visible effect, in the transaction that removes it.
    async fn discarded(&self, tx: &mut Tx) -> ClientResult<()> {
        let _ = tx;
        Ok(())
    }
}

/// Folds a newer patch into an older one: later values win, field by field, and a clearing
/// `null` is kept. `None` when the merged fields no longer read as a patch.
pub(crate) fn merge_patch<T: Serialize + DeserializeOwned>(older: &T, newer: &T) -> Option<T> {
    let fields = |p: &T| match serde_json::to_value(p) {
        Ok(serde_json::Value::Object(map)) => Some(map),
        _ => None,
    };
    let mut merged = fields(older)?;
    merged.extend(fields(newer)?);
    serde_json::from_value(serde_json::Value::Object(merged)).ok()
}

/// Sends one entry's action and applies the outcome.
async fn deliver<A: Action>(
    action: &A,
    api: &Api,
    replica: &Replica,
    entry: &OutboxEntry,
) -> ClientResult<Outcome> {
    match action.send(api, entry.parent_result.as_ref()).await {
        Ok(sent) => {
            let result = serde_json::to_string(&sent)
                .map_err(|e| ClientError::Corrupt(format!("outbox result: {e}")))?;
            let mut tx = replica.write().await?;
            action.acked(&mut tx, &sent).await?;
            crate::replica::outbox::retire(&mut tx, entry.id, &result).await?;
            tx.commit().await?;
            Ok(Outcome::Sent)
        }
        Err(e) if e.is_permanent() => {
            action.refused(api, replica).await?;
            Ok(Outcome::Refused(e))
        }
        Err(e) => Ok(Outcome::Later(e)),
    }
}

/// Declares every kind of action once: the enum, its stored names and the dispatch to each
/// payload's [`Action`] impl.
macro_rules! actions {
    ($( $(#[doc = $doc:literal])* $variant:ident($ty:ty) = $kind:literal, )*) => {
        /// Every kind of action the outbox can hold, stored whole as JSON tagged by `kind`.
        #[derive(Debug, Clone, Serialize, Deserialize)]
        #[serde(tag = "kind")]
        pub enum OutboxAction {
            $( $(#[doc = $doc])* #[serde(rename = $kind)] $variant($ty), )*
        }

        impl OutboxAction {
            /// The kinds this version can send.
            pub const KINDS: &'static [&'static str] = &[$($kind),*];

            /// Its stored kind.
            pub fn kind(&self) -> &'static str {
                match self { $(Self::$variant(_) => $kind,)* }
            }

            /// See [`Action::lane`].
            pub fn lane(&self) -> Lane {
                match self { $(Self::$variant(a) => a.lane(),)* }
            }

            /// See [`Action::subject`].
            pub fn subject(&self) -> Subject {
                match self { $(Self::$variant(a) => a.subject(),)* }
            }

            /// See [`Action::waits_for`].
            pub fn waits_for(&self) -> Option<Subject> {
                match self { $(Self::$variant(a) => a.waits_for(),)* }
            }

            /// See [`Action::summary`].
            pub fn summary(&self) -> Summary {
                match self { $(Self::$variant(a) => a.summary(),)* }
            }

            /// See [`Action::fold`]; actions of different kinds never fold.
            pub(crate) fn fold(&mut self, newer: &OutboxAction) -> bool {
                match (self, newer) {
                    $((Self::$variant(a), Self::$variant(b)) => a.fold(b),)*
                    #[allow(unreachable_patterns)]
                    _ => false,
                }
            }

            /// Sends it and applies the outcome (see [`Action`]).
            pub(crate) async fn deliver(
                &self,
                api: &Api,
                replica: &Replica,
                entry: &OutboxEntry,
            ) -> ClientResult<Outcome> {
                match self { $(Self::$variant(a) => deliver(a, api, replica, entry).await,)* }
            }

            /// See [`Action::discarded`].
            pub(crate) async fn discarded(&self, tx: &mut Tx) -> ClientResult<()> {
                match self { $(Self::$variant(a) => a.discarded(tx).await,)* }
            }
        }

        $(
            impl From<$ty> for OutboxAction {
                fn from(a: $ty) -> Self {
                    Self::$variant(a)
                }
            }
        )*
    };
}

actions! {
    /// `POST /v1/messages`: a message typed here.
    Message(lodestar_protocol::SendMessageRequest) = "message",
    /// `POST /v1/read`: read receipts of one conversation.
    Read(MarkRead) = "read",
    /// `PATCH /v1/me`: a profile edit.
    Profile(EditProfile) = "profile",
    /// `POST /v1/conversations/direct`: a direct conversation opened here, offline.
    OpenDirect(OpenDirect) = "open_direct",
    /// `POST /v1/mentorship-requests`: a mentee asks a mentor.
    AskMentor(AskMentor) = "request",
    /// `POST /v1/mentorship-requests/{id}/accept|decline|withdraw`.
    AnswerRequest(AnswerRequest) = "answer",
    /// `POST /v1/mentorships/{id}/end`.
    EndMentorship(EndMentorship) = "end",
    /// A goal made or changed.
    SaveGoal(SaveGoal) = "goal",
    /// A task made or changed.
    SaveTask(SaveTask) = "task",
    /// A session proposed or moved.
    SaveSession(SaveSession) = "session",
    /// A session confirmed or cancelled.
    SessionStep(SessionStep) = "session_step",
    /// Feedback on a held session.
    GiveFeedback(GiveFeedback) = "feedback",
    /// An edit of a session's notes.
    EditNotes(EditNotes) = "notes",
    /// A block of someone, or its lifting.
    SetBlock(SetBlock) = "block",
    /// `POST /v1/reports`: someone reported.
    Report(lodestar_protocol::ReportRequest) = "report",
    /// `PATCH /v1/messages/{id}`: new text for one's message.
    EditMessage(EditMessage) = "edit",
    /// `DELETE /v1/messages/{id}`.
    DeleteMessage(DeleteMessage) = "delete",
    /// A reaction added or taken back.
    React(React) = "reaction",
    /// `POST /v1/media`: a file attached here, before the message naming it.
    Upload(Upload) = "upload",
}

/// Whether this version knows a stored kind.
pub(crate) fn known(kind: &str) -> bool {
    OutboxAction::KINDS.contains(&kind)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use lodestar_protocol::{SendMessageRequest, UpdateMeRequest};

    use super::*;

    fn message(content: Option<&str>, media_url: Option<&str>) -> OutboxAction {
        OutboxAction::from(SendMessageRequest {
            message_id: Uuid::nil(),
            conversation_id: Uuid::nil(),
            content: content.map(str::to_owned),
            media_url: media_url.map(str::to_owned),
            sent_at: None,
            reply_to: None,
        })
    }

    fn profile(patch: serde_json::Value) -> OutboxAction {
        let patch: UpdateMeRequest = serde_json::from_value(patch).unwrap();
        OutboxAction::from(EditProfile { user_id: Uuid::nil(), patch })
    }

    #[test]
    fn entries_are_summarised_for_people() {
        let s = |a: OutboxAction| {
            let Summary { title, detail } = a.summary();
            format!("{title}: {detail}")
        };
        assert_eq!(s(message(Some("  see you at noon "), None)), "Message: see you at noon");
        let long = "x".repeat(150);
        assert_eq!(s(message(Some(&long), None)), format!("Message: {}…", "x".repeat(100)));
        assert_eq!(
            s(message(None, Some("https://example.com/a.png"))),
            "Message: https://example.com/a.png"
        );
        let read = |n: usize| {
            let message_ids = (0..n).map(|_| Uuid::new_v4()).collect();
            OutboxAction::from(MarkRead { conversation_id: Uuid::nil(), message_ids })
        };
        assert_eq!(s(read(3)), "Read receipt: 3 messages");
        assert_eq!(s(read(1)), "Read receipt: 1 message");
        assert_eq!(s(profile(serde_json::json!({"bio": "x"}))), "Profile change: bio");
        let two = s(profile(serde_json::json!({"city": null, "bio": "x"})));
        assert_eq!(two, "Profile change: bio, city");
    }

    #[test]
    fn actions_are_stored_whole_and_tagged_by_kind() {
        let a = message(Some("hi"), None);
        let json = serde_json::to_value(&a).unwrap();
        assert_eq!(json["kind"], "message");
        assert_eq!(json["content"], "hi");
        let back: OutboxAction = serde_json::from_value(json).unwrap();
        assert_eq!((back.kind(), back.lane()), ("message", Lane::Conversation(Uuid::nil())));
        assert!(serde_json::from_str::<OutboxAction>(r#"{"kind":"teleport"}"#).is_err());
        assert!(known("open_direct") && !known("teleport"));
    }

    #[test]
    fn only_actions_that_allow_it_fold() {
        let mut older = profile(serde_json::json!({"bio": "one", "city": "Austin"}));
        assert!(older.fold(&profile(serde_json::json!({"bio": "two", "state": null}))));
        assert_eq!(
            serde_json::to_value(&older).unwrap()["patch"],
            serde_json::json!({"bio": "two", "city": "Austin", "state": null}),
            "later values win, field by field; a clearing null is kept"
        );
        let mut m = message(Some("a"), None);
        assert!(!m.fold(&message(Some("b"), None)), "two messages are two messages");
        assert!(!older.fold(&message(Some("b"), None)), "kinds never mix");
        let ids = |n: usize| (0..n).map(|_| Uuid::new_v4()).collect::<Vec<_>>();
        let mut read = MarkRead { conversation_id: Uuid::nil(), message_ids: ids(999) };
        let first = read.message_ids[0];
        assert!(read.fold(&MarkRead { conversation_id: Uuid::nil(), message_ids: vec![first] }));
        assert_eq!(read.message_ids.len(), 999, "an id already there is not added twice");
        assert!(read.fold(&MarkRead { conversation_id: Uuid::nil(), message_ids: ids(1) }));
        assert!(
            !read.fold(&MarkRead { conversation_id: Uuid::nil(), message_ids: ids(1) }),
            "past the server's 1,000 a request, a new entry"
        );
    }
}
