//! The store's traits, one per domain, and [`Store`], which is all of them.

use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use lodestar_protocol::validate::{
    GoalPatch, GroupPatch, NewFeedback, NewGoal, NewGroup, NewSession, NewTask, ProfilePatch,
    RequestFilter, SessionPatch, TaskPatch,
};
use lodestar_protocol::{
    Change, Conversation, ConversationSummary, Feedback, Goal, Group, GroupMember, Me, Mentorship,
    MentorshipDetail, MentorshipRequest, MentorshipStatus, Message, Profile, Read, Role, Session,
    SessionNotes, Task, UsersQuery,
};
use uuid::Uuid;

use crate::matching::{Candidate, CommonGround};

use super::{
    ChangeScope, LoginRecord, NewAccount, NewMessage, NewRequest, OpenedDirect, SendOutcome,
    StoreError, StoreResult,
};

/// Accounts, sessions and login throttling.
#[async_trait]
pub trait AccountStore: Send + Sync + 'static {
    /// Whether the database holds no user yet (for `--demo`).
    async fn is_empty(&self) -> StoreResult<bool>;
    /// Which of a new account's unique fields are already taken (`username`, `email`,
    /// `phone_number`): checked before the password is hashed, so a registration that cannot
    /// succeed costs no hash.
    async fn taken(
        &self,
        username: &str,
        email: &str,
        phone: Option<&str>,
    ) -> StoreResult<Vec<String>>;
    /// Creates an account; `Conflict` names each taken field.
    async fn create_user(&self, account: NewAccount, now: DateTime<Utc>) -> StoreResult<Me>;
    /// Finds an account by username or email, ignoring case.
    async fn find_login(&self, login: &str) -> StoreResult<Option<LoginRecord>>;
    /// The password hash of an account.
    async fn password_hash(&self, user_id: Uuid) -> StoreResult<String>;
    /// Replaces the password hash and revokes every token but `keep_token_hash`.
    async fn set_password_hash(
        &self,
        user_id: Uuid,
        hash: &str,
        keep_token_hash: &str,
    ) -> StoreResult<()>;
    /// Stores a session token's hash.
    async fn create_session(
        &self,
        user_id: Uuid,
        token_hash: &str,
        now: DateTime<Utc>,
        expires_at: DateTime<Utc>,
    ) -> StoreResult<()>;
    /// The user of an unexpired session.
    async fn session_user(&self, token_hash: &str, now: DateTime<Utc>)
        -> StoreResult<Option<Uuid>>;
    /// Which of `token_hashes` are sessions still valid at `now` (the rest were revoked, by a
    /// logout or a password change on any instance, or expired): what the live sockets check.
    async fn valid_sessions(
        &self,
        token_hashes: &[String],
        now: DateTime<Utc>,
    ) -> StoreResult<Vec<String>>;
    /// Revokes one session.
    async fn delete_session(&self, token_hash: &str) -> StoreResult<()>;
    /// Records one throttled attempt under each key (committed before this returns, so every
    /// later count on any instance sees it).
    async fn record_attempt(
        &self,
        keys: &[String],
        attempt: Uuid,
        at: DateTime<Utc>,
    ) -> StoreResult<()>;
    /// Removes every row of one attempt (it succeeded, or the throttle refused it).
    async fn forget_attempt(&self, attempt: Uuid) -> StoreResult<()>;
    /// Attempts counted under `key` since `since`: how many, and the oldest.
    async fn login_failures(
        &self,
        key: &str,
        since: DateTime<Utc>,
    ) -> StoreResult<(i64, Option<DateTime<Utc>>)>;
    /// Forgets the failures under `key`.
    async fn clear_login_failures(&self, key: &str) -> StoreResult<()>;
}

/// Profiles and the directory.
#[async_trait]
pub trait ProfileStore: Send + Sync + 'static {
    /// The full record of a user.
    async fn me(&self, user_id: Uuid, today: NaiveDate) -> StoreResult<Me>;
    /// What others see of a user.
    async fn profile(&self, user_id: Uuid, today: NaiveDate) -> StoreResult<Profile>;
    /// Applies a validated edit; `Conflict` names taken fields.
    async fn update_me(
        &self,
        user_id: Uuid,
        patch: ProfilePatch,
        today: NaiveDate,
    ) -> StoreResult<Me>;
    /// One page of the directory, ordered by username; the query is already checked.
    async fn search_users(
        &self,
        query: &UsersQuery,
        limit: i64,
        today: NaiveDate,
    ) -> StoreResult<Vec<Profile>>;
    /// The best `take` candidates for `me` by matching's points (`matching::score`), among
    /// everyone of the other role: mentors who take requests now (`mentors`) or mentees
    /// (`!mentors`), not suspended, not `me`, who share at least one thing of `ground` with `me`.
    /// Every such member is ranked, however many (no first few thousand); ties by username.
    async fn match_candidates(
        &self,
        me: Uuid,
        mentors: bool,
        ground: &CommonGround,
        take: i64,
    ) -> StoreResult<Vec<Candidate>>;
    /// The profiles of those of `ids` who exist, in no particular order.
    async fn profiles_of(&self, ids: &[Uuid], today: NaiveDate) -> StoreResult<Vec<Profile>>;
    /// Which of `ids` name no user.
    async fn missing_users(&self, ids: &[Uuid]) -> StoreResult<Vec<Uuid>>;
}

/// Direct conversations, messages and read receipts. A conversation or message the user may not see answers `NotFound`.
#[async_trait]
pub trait ConversationStore: Send + Sync + 'static {
    /// Opens (or finds) the direct conversation of two users.
    async fn open_direct(
        &self,
        me: Uuid,
        other: Uuid,
        now: DateTime<Utc>,
    ) -> StoreResult<OpenedDirect>;
    /// A conversation `user` takes part in.
    async fn conversation(&self, user: Uuid, conversation_id: Uuid) -> StoreResult<Conversation>;
    /// Every conversation of `user`, most recent first.
    async fn conversations(&self, user: Uuid) -> StoreResult<Vec<ConversationSummary>>;
    /// Messages older than `before`, newest `limit`, answered oldest first, and whether more exist.
    async fn messages(
        &self,
        user: Uuid,
        conversation_id: Uuid,
        before: Option<i64>,
        limit: i64,
    ) -> StoreResult<(Vec<Message>, bool)>;
    /// Stores a message from `sender`, idempotently by its id.
    async fn send_message(&self, sender: Uuid, message: NewMessage) -> StoreResult<SendOutcome> {
        let mut outcomes = self.send_messages(&[(sender, message)]).await?;
        outcomes
            .pop()
            .unwrap_or_else(|| Err(StoreError::Corrupt("a batch of one answered nothing".into())))
    }
    /// Group commit: stores messages `(sender, message)` in one transaction, answering each one's
    /// outcome in order, exactly as `send_message` would have one by one (`NotFound` for a
    /// conversation its sender may not see, a repeated id as the retry or the conflict it is).
    /// The outer error means nothing was written.
    async fn send_messages(
        &self,
        batch: &[(Uuid, NewMessage)],
    ) -> StoreResult<Vec<StoreResult<SendOutcome>>>;
    /// Marks messages read by `user`; `NotFound` (and nothing written) if any is not visible.
    async fn mark_read(
        &self,
        user: Uuid,
        message_ids: &[Uuid],
        now: DateTime<Utc>,
    ) -> StoreResult<()>;
    /// The reads of a message `user` may see.
    async fn reads(&self, user: Uuid, message_id: Uuid) -> StoreResult<Vec<Read>>;
    /// `(conversation_id, user_id)` for every member of each of `conversation_ids` now (direct
    /// participants and group members): what the live feed reads once per batch so that a
    /// change to a conversation wakes only the sockets of its members.
    async fn conversation_members(
        &self,
        conversation_ids: &[Uuid],
    ) -> StoreResult<Vec<(Uuid, Uuid)>>;
}

/// Groups and their members. The roles are checked by the routes; the store keeps `groups.members` in step and logs every change.
#[async_trait]
pub trait GroupStore: Send + Sync + 'static {
    /// Creates a group with `creator` as owner and `members` as members, and its conversation.
    async fn create_group(
        &self,
        creator: Uuid,
        group: NewGroup,
        members: &[Uuid],
        now: DateTime<Utc>,
    ) -> StoreResult<Group>;
    /// A group `user` belongs to, and `user`'s role in it.
    async fn group(&self, user: Uuid, group_id: Uuid) -> StoreResult<(Group, Role)>;
    /// Renames or re-describes a group.
    async fn update_group(&self, group_id: Uuid, patch: GroupPatch) -> StoreResult<Group>;
    /// Deletes a group, its conversation and its messages.
    async fn delete_group(&self, group_id: Uuid) -> StoreResult<()>;
    /// Adds a member; `Conflict(["user_id"])` if already one.
    async fn add_member(
        &self,
        group_id: Uuid,
        user_id: Uuid,
        role: Role,
        now: DateTime<Utc>,
    ) -> StoreResult<GroupMember>;
    /// Changes a member's role.
    async fn set_role(&self, group_id: Uuid, user_id: Uuid, role: Role)
        -> StoreResult<GroupMember>;
    /// Removes a member (or lets one leave).
    async fn remove_member(&self, group_id: Uuid, user_id: Uuid) -> StoreResult<()>;
}

/// Mentorship requests (PROGRAM.md). Every method first turns the pending requests due at
/// `now` into `expired`, in the same transaction, so a request past its expiry is expired on
/// every route whether or not the timer has run. A request the caller is not a party to
/// answers `NotFound`; the wrong party gets `Refused(WrongParty)`.
#[async_trait]
pub trait RequestStore: Send + Sync + 'static {
    /// Asks a mentor; answers the request and whether it was made now (`false`: the same
    /// request again). The mentee/mentor rules answer `Rule` naming `mentor_id` or
    /// `mentee_status`; a reused id with other content `Conflict(["request_id"])`.
    async fn create_request(
        &self,
        mentee: Uuid,
        request: NewRequest,
        now: DateTime<Utc>,
    ) -> StoreResult<(MentorshipRequest, bool)>;
    /// The caller's requests, newest first.
    async fn requests(
        &self,
        user: Uuid,
        filter: RequestFilter,
        now: DateTime<Utc>,
    ) -> StoreResult<Vec<MentorshipRequest>>;
    /// The mentor accepts: within their capacity, in the same transaction as the mentorship,
    /// the pair's direct conversation and the mentor's slot count. Accepting again answers the
    /// same pair.
    async fn accept_request(
        &self,
        mentor: Uuid,
        request_id: Uuid,
        now: DateTime<Utc>,
    ) -> StoreResult<(MentorshipRequest, Mentorship)>;
    /// The mentor declines, with an optional reason (again: the same answer).
    async fn decline_request(
        &self,
        mentor: Uuid,
        request_id: Uuid,
        reason: Option<String>,
        now: DateTime<Utc>,
    ) -> StoreResult<MentorshipRequest>;
    /// The mentee withdraws (again: the same answer).
    async fn withdraw_request(
        &self,
        mentee: Uuid,
        request_id: Uuid,
        now: DateTime<Utc>,
    ) -> StoreResult<MentorshipRequest>;
    /// Expires every pending request due at `now`, telling both people; answers how many.
    async fn expire_requests(&self, now: DateTime<Utc>) -> StoreResult<u64>;
}

/// Mentorships, their goals and their action items. A mentorship the caller is not one of the
/// two people of answers `NotFound`; a write to an ended one `Refused(Ended)`.
#[async_trait]
pub trait MentorshipStore: Send + Sync + 'static {
    /// The caller's mentorships, newest first.
    async fn mentorships(
        &self,
        user: Uuid,
        status: Option<MentorshipStatus>,
    ) -> StoreResult<Vec<Mentorship>>;
    /// One mentorship with its goals and tasks.
    async fn mentorship(&self, user: Uuid, mentorship_id: Uuid) -> StoreResult<MentorshipDetail>;
    /// Ends a mentorship, opening the mentor's slot (again: the same answer).
    async fn end_mentorship(
        &self,
        user: Uuid,
        mentorship_id: Uuid,
        reason: Option<String>,
        now: DateTime<Utc>,
    ) -> StoreResult<Mentorship>;
    /// Adds a goal; `false` when the same goal was added before.
    async fn create_goal(
        &self,
        user: Uuid,
        mentorship_id: Uuid,
        goal: NewGoal,
        now: DateTime<Utc>,
    ) -> StoreResult<(Goal, bool)>;
    /// Edits a goal.
    async fn update_goal(
        &self,
        user: Uuid,
        goal_id: Uuid,
        patch: GoalPatch,
        now: DateTime<Utc>,
    ) -> StoreResult<Goal>;
    /// Adds an action item; `false` when the same one was added before. The assignee must be
    /// one of the two (`Rule` naming `assignee_id`), the goal one of this mentorship's, the
    /// source message one of the pair's conversation.
    async fn create_task(
        &self,
        user: Uuid,
        mentorship_id: Uuid,
        task: NewTask,
        now: DateTime<Utc>,
    ) -> StoreResult<(Task, bool)>;
    /// Edits or ticks an action item.
    async fn update_task(
        &self,
        user: Uuid,
        task_id: Uuid,
        patch: TaskPatch,
        now: DateTime<Utc>,
    ) -> StoreResult<Task>;
}

/// Sessions of a mentorship and their feedback (PROGRAM.md). Only the mentorship's two people
/// see a session (`NotFound` for anyone else); an ended mentorship or a cancelled session refuses
/// changes.
#[async_trait]
pub trait SessionStore: Send + Sync + 'static {
    /// Proposes a session; `false` when the same one was proposed before.
    async fn propose_session(
        &self,
        user: Uuid,
        mentorship_id: Uuid,
        session: NewSession,
        now: DateTime<Utc>,
    ) -> StoreResult<(Session, bool)>;
    /// Edits a session; a new start or length makes it proposed again, by the editor.
    async fn edit_session(
        &self,
        user: Uuid,
        session_id: Uuid,
        patch: SessionPatch,
        now: DateTime<Utc>,
    ) -> StoreResult<Session>;
    /// Confirms a proposed session: the person who did not propose it (again: the same answer).
    async fn confirm_session(
        &self,
        user: Uuid,
        session_id: Uuid,
        now: DateTime<Utc>,
    ) -> StoreResult<Session>;
    /// Cancels a session (again: the same answer).
    async fn cancel_session(
        &self,
        user: Uuid,
        session_id: Uuid,
        reason: Option<String>,
        now: DateTime<Utc>,
    ) -> StoreResult<Session>;
    /// A session with its mentorship, for one of the two people.
    async fn mentorship_session(
        &self,
        user: Uuid,
        session_id: Uuid,
    ) -> StoreResult<(Session, Mentorship)>;
    /// Gives (or replaces one's own) feedback on a held session; `true` when it is new.
    async fn give_feedback(
        &self,
        user: Uuid,
        session_id: Uuid,
        feedback: NewFeedback,
        now: DateTime<Utc>,
    ) -> StoreResult<(Feedback, bool)>;
    /// A session's shared notes (empty until someone writes).
    async fn session_notes(&self, user: Uuid, session_id: Uuid) -> StoreResult<SessionNotes>;
    /// Merges one client's edits (a yrs v1 update) into a session's notes; the same update
    /// again changes nothing. An update that cannot be read is a `Rule` naming `update`.
    async fn merge_notes(
        &self,
        user: Uuid,
        session_id: Uuid,
        update: Vec<u8>,
        now: DateTime<Utc>,
    ) -> StoreResult<SessionNotes>;
}

/// The sync log and its live watch.
#[async_trait]
pub trait SyncStore: Send + Sync + 'static {
    /// Which backend, for logs: `sqlite` or `postgres`.
    fn backend(&self) -> &'static str;
    /// A `watch` of the newest committed seq, poked after every commit on any instance.
    fn subscribe(&self) -> tokio::sync::watch::Receiver<i64>;
    /// The newest committed seq.
    async fn latest_seq(&self) -> StoreResult<i64>;
    /// The changes `user` may see after `since`, at most `limit`, the cursor after them, and
    /// whether more remain.
    async fn sync(
        &self,
        user: Uuid,
        since: i64,
        limit: i64,
    ) -> StoreResult<(Vec<Change>, i64, bool)>;
    /// Who each change after `since` is for (at most `limit`, oldest first), without its data:
    /// what the live feed reads once per commit for every socket of this instance.
    async fn change_scopes(&self, since: i64, limit: i64) -> StoreResult<Vec<ChangeScope>>;
    /// The ids of the conversations `user` takes part in (direct and through groups).
    async fn conversation_ids(&self, user: Uuid) -> StoreResult<Vec<Uuid>>;
}

/// The storage behind the server: every domain's trait. Every method that names a
/// conversation, message or group on behalf of a user answers `NotFound` when that user may
/// not see it.
pub trait Store:
    AccountStore
    + ProfileStore
    + ConversationStore
    + GroupStore
    + RequestStore
    + MentorshipStore
    + SessionStore
    + SyncStore
    + super::ProgramStore
    + super::SafetyStore
    + super::StatsStore
    + super::AccountDataStore
    + super::MessageActionStore
    + super::MediaStore
{
}

impl<T> Store for T where
    T: AccountStore
        + ProfileStore
        + ConversationStore
        + GroupStore
        + RequestStore
        + MentorshipStore
        + SessionStore
        + SyncStore
        + super::ProgramStore
        + super::SafetyStore
        + super::StatsStore
        + super::AccountDataStore
        + super::MessageActionStore
        + super::MediaStore
{
}
