//! Every command the window may call, grouped by domain. Each is one line into
//! `lodestar_client::app::App`; the macro also writes their TypeScript signatures.

use lodestar_client::app::views::{
    DirectoryPage, DirectoryQuery, FeedbackEdit, GoalEdit, GoalView, GroupView, MeetingView,
    MentorshipDetailView, MentorshipView, OutboxView, ProfileEdit, RegisterForm, ReportForm,
    RequestView, SessionEdit, Settings, TaskEdit, TaskView,
};
use lodestar_client::app::SessionView;
use lodestar_client::client::Blocked;
use lodestar_client::engine::SyncState;
use lodestar_client::outbox::{Answer, Step};
use lodestar_client::replica::{ConversationItem, Draft, MessageItem, SearchHit};
use lodestar_client::transport::Transport;
use std::collections::BTreeMap;

use lodestar_protocol::{
    AuditList, HeldList, Match, Me, Profile, ProgramStats, ReportList, RequestBox, Role,
    SuspensionList,
};
use uuid::Uuid;

use crate::update::UpdateState;
use lodestar_client::app::views::Opening;
use lodestar_client::app::LastView;
use lodestar_protocol::links::Target;

/// Field → rule code ("required", "too_long", "taken", …), as the `check_*` commands answer.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, ts_rs::TS)]
#[serde(transparent)]
pub struct FieldErrors(#[ts(type = "{ [field: string]: string }")] pub BTreeMap<String, String>);

fn codes(e: lodestar_protocol::FieldErrors) -> FieldErrors {
    FieldErrors(e.0)
}

crate::commands! {
    // --- session ---
    /// Who is signed in, and the server to offer.
    fn session(app) -> SessionView { app.session().await }
    /// Creates an account on `server` and signs in.
    fn register(app, server: String, form: RegisterForm) -> SessionView { app.register(&server, &form).await }
    /// Signs in with a username or email.
    fn login(app, server: String, login: String, password: String) -> SessionView { app.login(&server, &login, &password).await }
    /// Whether a server address is encrypted, on this machine, or plain http elsewhere.
    fn server_transport(_app, server: String) -> Transport { Ok(lodestar_client::transport::transport(&server)) }
    /// Signs out (the replica stays).
    fn logout(app) -> () { app.logout().await }
    /// The sign-up form's errors by the server's own rules (empty when fine).
    fn check_register(app, form: RegisterForm) -> FieldErrors { Ok(codes(app.check_register(&form))) }

    // --- sync and outbox ---
    /// Online, offline or syncing.
    fn sync_state(app) -> SyncState { Ok(app.sync_state()) }
    /// What waits to be sent or was refused.
    fn outbox(app) -> Vec<OutboxView> { app.outbox().await }
    /// Sends a refused entry again.
    fn retry(app, entry_id: i64) -> () { app.retry(entry_id).await }
    /// Drops a refused entry.
    fn discard(app, entry_id: i64) -> () { app.discard(entry_id).await }

    // --- conversations ---
    /// The conversation list, most recent first.
    fn conversations(app) -> Vec<ConversationItem> { app.conversations().await }
    /// The newest `limit` messages, oldest first.
    fn messages(app, conversation_id: Uuid, limit: u32) -> Vec<MessageItem> { app.messages(conversation_id, limit).await }
    /// Messages before `before_seq`, oldest first (replica, then server).
    fn older_messages(app, conversation_id: Uuid, before_seq: i64, limit: u32) -> Vec<MessageItem> { app.older_messages(conversation_id, before_seq, limit).await }
    /// Queues a message (a reply when `reply_to` names the message it answers); it shows at
    /// once as pending, and works offline.
    fn send(app, conversation_id: Uuid, content: Option<String>, media_url: Option<String>, reply_to: Option<Uuid>) -> MessageItem { app.send(conversation_id, content.as_deref(), media_url.as_deref(), reply_to).await }
    /// New text for one of the user's messages (within 24 hours; works offline).
    fn edit_message(app, message_id: Uuid, content: String) -> () { app.edit_message(message_id, &content).await }
    /// Deletes a message, leaving "This message was deleted" (works offline).
    fn delete_message(app, message_id: Uuid) -> () { app.delete_message(message_id).await }
    /// Adds (`on`) or takes back the user's emoji on a message (works offline).
    fn react(app, message_id: Uuid, emoji: String, on: bool) -> () { app.react(message_id, &emoji, on).await }
    /// Attaches a file by its path (a drop) to a new message with optional text: copied, shown
    /// at once, uploaded and sent by the engine (works offline).
    fn attach_file(app, conversation_id: Uuid, path: String, content: Option<String>) -> () { app.attach(conversation_id, std::path::Path::new(&path), content.as_deref()).await }
    /// Attaches a file the window read (chosen or pasted), its bytes in base64.
    fn attach_bytes(app, conversation_id: Uuid, file_name: String, base64: String) -> () { app.attach_bytes(conversation_id, &file_name, &base64).await }
    /// Saves an attachment into the downloads folder; answers where.
    fn save_attachment(app, media_url: String, file_name: String) -> String { app.save_attachment(&media_url, &file_name).await }
    /// The user is typing in a conversation (the others are told, throttled).
    fn typing(app, conversation_id: Uuid) -> () { app.typing(conversation_id).await; Ok(()) }
    /// Marks a conversation read.
    fn mark_read(app, conversation_id: Uuid) -> u32 { app.mark_read(conversation_id).await.map(|n| u32::try_from(n).unwrap_or(u32::MAX)) }
    /// A conversation's saved draft.
    fn draft(app, conversation_id: Uuid) -> Option<Draft> { app.draft(conversation_id).await }
    /// Saves a draft as it is typed.
    fn save_draft(app, conversation_id: Uuid, draft: Draft) -> () { app.save_draft(conversation_id, &draft).await }
    /// Mutes or unmutes a conversation.
    fn set_muted(app, conversation_id: Uuid, muted: bool) -> () { app.set_muted(conversation_id, muted).await }
    /// The conversation open in a focused window (none when the window loses focus).
    fn focus_conversation(app, conversation_id: Option<Uuid>) -> () { app.focus(conversation_id).await; Ok(()) }
    /// Opens the direct conversation with a user; answers its id.
    fn open_direct(app, username: String) -> Uuid { app.open_direct(&username).await }
    /// Full-text search of the local replica.
    fn search(app, text: String) -> Vec<SearchHit> { app.search(&text).await }

    // --- directory ---
    /// A page of the program's directory.
    fn directory(app, query: DirectoryQuery) -> DirectoryPage { app.directory(&query).await }
    /// Suggested mentors or mentees, best first, with reasons.
    fn matches(app) -> Vec<Match> { app.matches().await }
    /// Someone's profile.
    fn user(app, username: String) -> Profile { app.user(&username).await }

    // --- profile ---
    /// The signed-in user's profile.
    fn my_profile(app) -> Me { app.my_profile().await }
    /// Saves the profile (sent now, or queued offline).
    fn update_profile(app, edit: ProfileEdit) -> Me { app.update_profile(&edit).await }
    /// The profile form's errors by the server's own rules (empty when fine).
    fn check_profile(app, edit: ProfileEdit) -> FieldErrors { Ok(codes(app.check_profile(&edit))) }

    // --- groups ---
    /// The group behind a conversation, with members (none for a direct one).
    fn group(app, conversation_id: Uuid) -> Option<GroupView> { app.group(conversation_id).await }
    /// Creates a group; answers its conversation.
    fn create_group(app, name: String, usernames: Vec<String>) -> Uuid { app.create_group(&name, &usernames).await }
    /// Renames a group.
    fn rename_group(app, group_id: Uuid, name: String) -> () { app.rename_group(group_id, &name).await }
    /// Adds a member by username.
    fn add_member(app, group_id: Uuid, username: String, role: Option<Role>) -> () { app.add_member(group_id, &username, role).await }
    /// Removes a member.
    fn remove_member(app, group_id: Uuid, user_id: Uuid) -> () { app.remove_member(group_id, user_id).await }
    /// Changes a member's role.
    fn set_role(app, group_id: Uuid, user_id: Uuid, role: Role) -> () { app.set_role(group_id, user_id, role).await }
    /// Leaves a group.
    fn leave_group(app, group_id: Uuid) -> () { app.leave_group(group_id).await }

    // --- mentorship ---
    /// The Requests inbox (incoming, outgoing, or both), newest first; works offline.
    fn requests(app, mailbox: Option<RequestBox>) -> Vec<RequestView> { app.requests(mailbox).await }
    /// Asks a mentor for mentorship (queued; works offline).
    fn request_mentorship(app, mentor_id: Uuid, message: String) -> RequestView { app.request_mentorship(mentor_id, &message).await }
    /// Accepts a request: the mentorship starts (queued; works offline).
    fn accept_request(app, request_id: Uuid) -> () { app.answer_request(request_id, Answer::Accept).await }
    /// Declines a request, perhaps with a reason (queued; works offline).
    fn decline_request(app, request_id: Uuid, reason: Option<String>) -> () { app.answer_request(request_id, Answer::Decline { reason }).await }
    /// Takes back one's request (queued; works offline).
    fn withdraw_request(app, request_id: Uuid) -> () { app.answer_request(request_id, Answer::Withdraw).await }
    /// The user's mentorships, active first.
    fn mentorships(app) -> Vec<MentorshipView> { app.mentorships().await }
    /// A mentorship with its goals and action items.
    fn mentorship(app, mentorship_id: Uuid) -> MentorshipDetailView { app.mentorship(mentorship_id).await }
    /// Ends a mentorship, perhaps with a reason (queued; works offline).
    fn end_mentorship(app, mentorship_id: Uuid, reason: Option<String>) -> () { app.end_mentorship(mentorship_id, reason.as_deref()).await }
    /// Adds or edits a goal (queued; works offline).
    fn save_goal(app, mentorship_id: Uuid, edit: GoalEdit) -> GoalView { app.save_goal(mentorship_id, &edit).await }
    /// Adds, edits or ticks an action item (queued; works offline).
    fn save_task(app, mentorship_id: Uuid, edit: TaskEdit) -> TaskView { app.save_task(mentorship_id, &edit).await }

    // --- sessions ---
    /// Proposes, moves or edits a session (queued; works offline).
    fn save_session(app, mentorship_id: Uuid, edit: SessionEdit) -> MeetingView { app.save_session(mentorship_id, &edit).await }
    /// Confirms a session the other person proposed (queued; works offline).
    fn confirm_session(app, session_id: Uuid) -> () { app.session_step(session_id, Step::Confirm).await }
    /// Cancels a session, perhaps with a reason (queued; works offline).
    fn cancel_session(app, session_id: Uuid, reason: Option<String>) -> () { app.session_step(session_id, Step::Cancel { reason }).await }
    /// Makes a session's notes read `text`; answers the merged text (queued; works offline).
    fn write_notes(app, session_id: Uuid, text: String) -> String { app.write_notes(session_id, &text).await }
    /// Gives or replaces one's feedback on a held session (queued; works offline).
    fn give_feedback(app, session_id: Uuid, edit: FeedbackEdit) -> () { app.give_feedback(session_id, &edit).await }
    /// The feedback prompt was dismissed: not asked again for this session.
    fn dismiss_feedback(app, session_id: Uuid) -> () { app.dismiss_feedback(session_id).await }
    /// "Add to calendar": saves the session's calendar file; answers where.
    fn save_calendar(app, session_id: Uuid) -> String { app.save_calendar(session_id).await }

    // --- safety ---
    /// Blocks someone (queued; works offline): their direct conversation leaves the list.
    fn block_user(app, user_id: Uuid) -> () { app.set_block(user_id, true).await }
    /// Lifts a block (queued; works offline).
    fn unblock_user(app, user_id: Uuid) -> () { app.set_block(user_id, false).await }
    /// Whom the user has blocked.
    fn blocked_users(app) -> Vec<Blocked> { app.blocked_users().await }
    /// Reports someone, perhaps one of their messages (queued; works offline).
    fn report_user(app, form: ReportForm) -> () { app.report_user(&form).await }
    /// "Download my data": saves the export to Downloads; answers where.
    fn save_export(app) -> String { app.save_export().await }
    /// "Delete my account", with the password: then signed out, this device's copy gone.
    fn delete_account(app, password: String) -> () { app.delete_account(&password).await }

    // --- the program (coordinators) ---
    /// The program at a glance.
    fn program_stats(app) -> ProgramStats { app.program_stats().await }
    /// The open (or resolved) reports, each with its context.
    fn program_reports(app, resolved: bool) -> ReportList { app.program_reports(resolved).await }
    /// Dismisses, warns about or suspends over a report.
    fn resolve_report(app, report_id: Uuid, action: String, note: Option<String>) -> () { app.resolve_report(report_id, &action, note).await }
    /// Suspends a member, with the reason they are told.
    fn suspend_user(app, user_id: Uuid, reason: String) -> () { app.set_suspended(user_id, Some(reason)).await }
    /// Lifts a suspension.
    fn unsuspend_user(app, user_id: Uuid) -> () { app.set_suspended(user_id, None).await }
    /// The suspended members.
    fn suspended_users(app) -> SuspensionList { app.suspended_users().await }
    /// The trail of what coordinators did, newest first; `before` (an `audit_id`) pages back.
    fn audit_trail(app, before: Option<i64>) -> AuditList { app.audit_trail(before).await }
    /// The messages held for review.
    fn held_messages(app) -> HeldList { app.held_messages().await }
    /// Releases (`true`) or rejects a held message.
    fn review_held(app, message_id: Uuid, release: bool) -> () { app.review_held(message_id, release).await }

    // --- settings ---
    /// The app's settings.
    fn settings(app) -> Settings { app.settings().await }
    /// Turns desktop notifications on or off.
    fn set_notifications(app, on: bool) -> () { app.set_notifications(on) }
    /// The window painted its first screen (the cold-start mark); `page_ms` is the page's own
    /// clock then (milliseconds since its navigation started).
    fn ui_ready(app, page_ms: f64) -> () { app.ui_ready(page_ms); Ok(()) }

    /// Where the user was when the window last closed (open the same conversation and place).
    fn last_view(app) -> LastView { Ok(app.last_view()) }
    /// Remembers the open conversation and the message at the top of its view.
    fn remember_view(app, view: LastView) -> () { app.remember_view(view) }

    // --- the desktop: links, login, updates ---
    /// What a clicked notification or link asks the window to show, taken (once).
    fn take_opening(_app & shell) -> Option<Opening> { Ok(crate::open::take(shell)) }
    /// Puts the `lodestar://` link to a profile, conversation or request form on the clipboard,
    /// and answers it.
    fn copy_link(app & shell, target: Target) -> String { crate::desktop::copy_link(shell, app, target).await }
    /// Whether the app starts with the session (hidden in the tray).
    fn starts_at_login(_app & shell) -> bool { crate::desktop::starts_at_login(shell) }
    /// Starts the app with the session, or not.
    fn set_starts_at_login(_app & shell, on: bool) -> () { crate::desktop::set_starts_at_login(shell, on) }
    /// Where the app's update stands.
    fn update_state(_app & shell) -> UpdateState { Ok(crate::update::state(shell)) }
    /// Asks the program's server for a newer version now.
    fn check_update(_app & shell) -> () { crate::update::check(shell).await; Ok(()) }
    /// Installs the downloaded update and restarts (refused while an upload is in flight).
    fn restart_to_update(_app & shell) -> () { crate::update::restart(shell).await }
}
