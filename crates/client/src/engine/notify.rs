//! Notification decisions (DESIGN.md, "Sync"): a new message from someone else, in a
//! conversation that is not open and focused and not muted, raises a notification with the
//! sender and a preview. History is never announced: not on the first sync, and not the old
//! messages a group hands a new member (they are older than what the replica already held).

use std::collections::HashSet;

use lodestar_protocol::Message;
use uuid::Uuid;

/// What the decision needs to know besides the message.
#[derive(Debug, Clone, Default)]
pub struct NotifyContext {
    /// The signed-in user.
    pub me: Uuid,
    /// The conversation open in a focused window, if any.
    pub focused: Option<Uuid>,
    /// Muted conversations.
    pub muted: HashSet<Uuid>,
    /// The newest seq the replica held before this pull.
    pub newest_before: i64,
    /// This pull is the replica's first: everything in it is history.
    pub first_sync: bool,
}

/// A notification to raise: the newest of `count` new messages in one conversation (a sync
/// round announces each conversation once, however many messages it brought).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Notification {
    /// Where to go when it is clicked.
    pub conversation_id: Uuid,
    /// The newest message.
    pub message_id: Uuid,
    /// Who sent it.
    pub sender: String,
    /// The start of its text, or what was attached.
    pub preview: String,
    /// How many new messages this announces (1 or more).
    pub count: u32,
}

/// What a desktop shows for one conversation: a title and a body, as plain text (where the
/// notification server reads markup, the shell sends [`Shown::body_markup`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shown {
    /// The conversation: one notification each, replaced as more messages come.
    pub conversation_id: Uuid,
    /// The title: who wrote.
    pub summary: String,
    /// The newest message's preview, or "3 new messages from ann" with it beneath.
    pub body: String,
}

impl Shown {
    /// The body for a notification server that reads markup (freedesktop's): escaped, so a
    /// message shows as typed and cannot style or link itself.
    pub fn body_markup(&self) -> String {
        escape_markup(&self.body)
    }
}

/// Keeps one notification per conversation: each new announcement replaces the conversation's
/// earlier one and adds up its count, until the user opens or dismisses it ([`Coalescer::clear`]).
/// A burst of a thousand messages is one notification saying so, not a thousand.
#[derive(Debug, Default)]
pub struct Coalescer {
    unseen: std::collections::HashMap<Uuid, u32>,
}

impl Coalescer {
    /// Adds an announcement; answers what the conversation's one notification now says.
    pub fn add(&mut self, n: &Notification) -> Shown {
        let total = self.unseen.entry(n.conversation_id).or_default();
        *total = total.saturating_add(n.count.max(1));
        let body = if *total == 1 {
            n.preview.clone()
        } else {
            format!("{} new messages from {}\n{}", total, n.sender, n.preview)
        };
        Shown { conversation_id: n.conversation_id, summary: n.sender.clone(), body }
    }

    /// The conversation's notification was opened or dismissed: counting starts again.
    pub fn clear(&mut self, conversation_id: Uuid) {
        self.unseen.remove(&conversation_id);
    }
}

/// Escapes what freedesktop notification servers read as markup in a body (`&`, `<`, `>`):
/// unescaped, a message could style or link itself in the user's notification.
pub fn escape_markup(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c => out.push(c),
        }
    }
    out
}

/// Whether `m` deserves a notification.
pub fn should_notify(m: &Message, ctx: &NotifyContext) -> bool {
    !ctx.first_sync
        && m.seq > ctx.newest_before
        && m.sender_id.is_some_and(|s| s != ctx.me)
        // An edit keeps its message's seq, so only new messages pass above; a tombstone never.
        && m.deleted_at.is_none()
        && ctx.focused != Some(m.conversation_id)
        && !ctx.muted.contains(&m.conversation_id)
}

/// The preview line: the first 100 characters of the text, or a word about the media.
pub fn preview(m: &Message) -> String {
    match m.content.as_deref().map(str::trim).filter(|c| !c.is_empty()) {
        Some(text) => preview_text(text),
        None => "sent an attachment".to_owned(),
    }
}

/// The start of a text: its first 100 characters, with an ellipsis when there is more.
pub fn preview_text(text: &str) -> String {
    let text = text.trim();
    if text.chars().count() > 100 {
        format!("{}…", text.chars().take(100).collect::<String>())
    } else {
        text.to_owned()
    }
}

/// Why a request is worth a notification.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RequestNotice {
    /// Someone asks the user, as mentor, for mentorship.
    Asked,
    /// The mentor the user asked accepted.
    Accepted,
}

/// Whether a request a pull brought (`before`: the status the replica held, none when new to
/// it) is news for `me`. Never on the first sync, never what the user did themselves.
pub fn request_notice(
    r: &lodestar_protocol::MentorshipRequest,
    before: Option<lodestar_protocol::RequestStatus>,
    ctx: &NotifyContext,
) -> Option<RequestNotice> {
    use lodestar_protocol::RequestStatus::{Accepted, Pending};
    if ctx.first_sync || before == Some(r.status) {
        return None;
    }
    match r.status {
        Pending if r.mentor_id == ctx.me && before.is_none() => Some(RequestNotice::Asked),
        Accepted if r.mentee_id == ctx.me => Some(RequestNotice::Accepted),
        _ => None,
    }
}

/// The notification of a request: under the pair's conversation, which an accept opens.
pub fn request_notification(
    r: &lodestar_protocol::MentorshipRequest,
    notice: RequestNotice,
    other: String,
) -> Notification {
    let preview = match notice {
        RequestNotice::Asked => format!("asks you for mentorship: {}", preview_text(&r.message)),
        RequestNotice::Accepted => "accepted your mentorship request".to_owned(),
    };
    Notification {
        conversation_id: lodestar_protocol::direct_conversation_id(r.mentor_id, r.mentee_id),
        message_id: r.request_id,
        sender: other,
        preview,
        count: 1,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn msg(sender: Uuid, conversation: Uuid, seq: i64) -> Message {
        Message {
            message_id: Uuid::new_v4(),
            conversation_id: conversation,
            sender_id: Some(sender),
            content: Some("hello".into()),
            media_url: None,
            sent_at: chrono::Utc::now(),
            seq,
            status: Default::default(),
            held_reason: None,
            reply_to: None,
            edited_at: None,
            deleted_at: None,
        }
    }

    #[test]
    fn follows_the_rules() {
        let (me, other, conv, elsewhere) =
            (Uuid::new_v4(), Uuid::new_v4(), Uuid::new_v4(), Uuid::new_v4());
        let ctx = NotifyContext { me, newest_before: 10, ..NotifyContext::default() };
        assert!(should_notify(&msg(other, conv, 11), &ctx), "a new message from someone else");
        assert!(!should_notify(&msg(me, conv, 11), &ctx), "not one's own");
        assert!(
            !should_notify(&msg(other, conv, 9), &ctx),
            "not history (a group's past, handed on joining)"
        );
        let focused = NotifyContext { focused: Some(conv), ..ctx.clone() };
        assert!(
            !should_notify(&msg(other, conv, 11), &focused),
            "not the open and focused conversation"
        );
        assert!(should_notify(&msg(other, elsewhere, 11), &focused), "but another one");
        let muted = NotifyContext { muted: [conv].into(), ..ctx.clone() };
        assert!(!should_notify(&msg(other, conv, 11), &muted), "not a muted one");
        let first = NotifyContext { first_sync: true, ..ctx };
        assert!(!should_notify(&msg(other, conv, 11), &first), "not the first sync");
    }

    #[test]
    fn requests_notify_the_mentor_once_and_the_mentee_on_acceptance() {
        use lodestar_protocol::{MentorshipRequest, RequestStatus};
        let (mentor, mentee) = (Uuid::new_v4(), Uuid::new_v4());
        let now = chrono::Utc::now();
        let mut r = MentorshipRequest {
            request_id: Uuid::new_v4(),
            mentee_id: mentee,
            mentor_id: mentor,
            message: "hello".into(),
            status: RequestStatus::Pending,
            decline_reason: None,
            created_at: now,
            expires_at: now,
            responded_at: None,
            mentorship_id: None,
        };
        let as_mentor = NotifyContext { me: mentor, ..NotifyContext::default() };
        let as_mentee = NotifyContext { me: mentee, ..NotifyContext::default() };
        assert_eq!(request_notice(&r, None, &as_mentor), Some(RequestNotice::Asked));
        assert_eq!(request_notice(&r, Some(RequestStatus::Pending), &as_mentor), None, "once");
        assert_eq!(request_notice(&r, None, &as_mentee), None, "not one's own request");
        let first = NotifyContext { first_sync: true, ..as_mentor.clone() };
        assert_eq!(request_notice(&r, None, &first), None, "not history");
        r.status = RequestStatus::Accepted;
        assert_eq!(
            request_notice(&r, Some(RequestStatus::Pending), &as_mentee),
            Some(RequestNotice::Accepted)
        );
        assert_eq!(request_notice(&r, Some(RequestStatus::Accepted), &as_mentee), None);
        assert_eq!(request_notice(&r, Some(RequestStatus::Pending), &as_mentor), None);
        r.status = RequestStatus::Declined;
        assert_eq!(request_notice(&r, Some(RequestStatus::Pending), &as_mentee), None);
        let n = request_notification(&r, RequestNotice::Asked, "ann".into());
        assert_eq!(n.preview, "asks you for mentorship: hello");
        assert_eq!(n.conversation_id, lodestar_protocol::direct_conversation_id(mentee, mentor));
    }

    #[test]
    fn previews_are_short() {
        let mut m = msg(Uuid::new_v4(), Uuid::new_v4(), 1);
        m.content = Some("x".repeat(150));
        assert_eq!(preview(&m).chars().count(), 101);
        m.content = None;
        m.media_url = Some("https://example.com/a.png".into());
        assert_eq!(preview(&m), "sent an attachment");
    }

    fn announce(conversation_id: Uuid, sender: &str, preview: &str) -> Notification {
        Notification {
            conversation_id,
            message_id: Uuid::new_v4(),
            sender: sender.into(),
            preview: preview.into(),
            count: 1,
        }
    }

    #[test]
    fn a_burst_is_one_notification_per_conversation_saying_how_many() {
        let (ours, theirs) = (Uuid::new_v4(), Uuid::new_v4());
        let mut c = Coalescer::default();
        let first = c.add(&announce(ours, "ann", "hi"));
        assert_eq!((first.summary.as_str(), first.body.as_str()), ("ann", "hi"));
        let mut last = first;
        for i in 0..999 {
            last = c.add(&announce(ours, "ann", &format!("message {i}")));
        }
        assert_eq!(last.conversation_id, ours);
        assert_eq!(last.body, "1000 new messages from ann\nmessage 998");
        let other = c.add(&announce(theirs, "ben", "hello"));
        assert_eq!(other.body, "hello", "another conversation counts on its own");
        // A round that brought 5 at once counts them all.
        let five = c.add(&Notification { count: 5, ..announce(theirs, "ben", "five") });
        assert!(five.body.starts_with("6 new messages from ben"), "{}", five.body);
        c.clear(ours);
        assert_eq!(
            c.add(&announce(ours, "ann", "again")).body,
            "again",
            "opened: counting restarts"
        );
    }

    #[test]
    fn a_shown_body_is_plain_and_escaped_for_markup() {
        let mut c = Coalescer::default();
        let shown = c.add(&announce(Uuid::new_v4(), "ann", "<b>hi</b> & bye"));
        assert_eq!(shown.body, "<b>hi</b> & bye", "plain text for systems without markup");
        assert_eq!(shown.body_markup(), "&lt;b&gt;hi&lt;/b&gt; &amp; bye");
    }

    #[test]
    fn bodies_are_escaped() {
        assert_eq!(
            escape_markup("<b>bold</b> & <a href=\"x\">link</a>"),
            "&lt;b&gt;bold&lt;/b&gt; &amp; &lt;a href=\"x\"&gt;link&lt;/a&gt;"
        );
    }
}
