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

/// A notification to raise.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Notification {
    /// Where to go when it is clicked.
    pub conversation_id: Uuid,
    /// The message.
    pub message_id: Uuid,
    /// Who sent it.
    pub sender: String,
    /// The start of the text, or what was attached.
    pub preview: String,
}

/// Whether `m` deserves a notification.
pub fn should_notify(m: &Message, ctx: &NotifyContext) -> bool {
    !ctx.first_sync
        && m.seq > ctx.newest_before
        && m.sender_id.is_some_and(|s| s != ctx.me)
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
    fn previews_are_short() {
        let mut m = msg(Uuid::new_v4(), Uuid::new_v4(), 1);
        m.content = Some("x".repeat(150));
        assert_eq!(preview(&m).chars().count(), 101);
        m.content = None;
        m.media_url = Some("https://example.com/a.png".into());
        assert_eq!(preview(&m), "sent an attachment");
    }
}
