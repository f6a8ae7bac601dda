//! `conversations`, `open`, `send`, `reply`, `edit`, `delete`, `react`, `messages`, `read`,
//! `draft`, `search`: everything about conversations and their messages, all of it working
//! offline against the replica. A conversation is named on the command line by its id,
//! `@username` or `#group-name`; a message by its id or the first characters of it, as
//! `messages` shows them.

use clap::Subcommand;
use lodestar_client::client::ConversationSpec;
use lodestar_client::replica::{ConversationItem, MessageItem, MessageStatus, SearchHit};
use lodestar_client::{Client, ClientError};
use lodestar_protocol::Message;
use serde_json::{json, Value};
use uuid::Uuid;

use super::mentorship::delivered;
use crate::output::{print_json, Out};

/// The conversation commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Conversations with unread counts.
    Conversations,
    /// Open (or create) the direct conversation with a user; prints its id.
    Open { username: String },
    /// Send a message (queued locally first; sent when online); `--file` attaches a file
    /// (up to 25 MiB), uploaded before the message.
    Send {
        conversation: String,
        text: Option<String>,
        #[arg(long)]
        media: Option<String>,
        #[arg(long, conflicts_with = "media")]
        file: Option<std::path::PathBuf>,
    },
    /// Save an attachment (named by its media id or URL, or by its message) into a file.
    Download {
        media: String,
        /// A file to create, or a folder to put it in (default: here, under its name).
        #[arg(long)]
        out: Option<std::path::PathBuf>,
    },
    /// Answer a message of a conversation, quoting it.
    Reply { conversation: String, message: String, text: String },
    /// Change the text of one of your messages (within 24 hours).
    Edit { message: String, text: String },
    /// Delete a message for everyone (yours, or any in a group you own or administer).
    Delete { message: String },
    /// React to a message with one emoji (`--remove` takes it back).
    React {
        message: String,
        emoji: String,
        #[arg(long)]
        remove: bool,
    },
    /// Show a conversation's messages.
    Messages {
        conversation: String,
        #[arg(long, default_value_t = 50)]
        limit: i64,
    },
    /// Mark every message of a conversation read.
    Read { conversation: String },
    /// Show or set the unsent draft of a conversation.
    Draft { conversation: String, text: Option<String> },
    /// Full-text search of the local replica.
    Search { text: String },
}

/// Runs one conversation command.
pub async fn run(command: Command, client: &Client, out: &Out) -> Result<(), ClientError> {
    match command {
        Command::Conversations => conversations(out, &client.conversations().await?),
        Command::Open { username } => {
            let id = client.open_direct(&username).await?;
            out.done(&id.to_string(), json!({"conversation_id": id}));
        }
        Command::Send { conversation, text, media, file } => {
            let id = client.resolve_or_open(parse_conversation_spec(&conversation)).await?;
            match file {
                Some(path) => {
                    let (message, delivery) = client.send_file(id, &path, text.as_deref()).await?;
                    let said = format!("sent ({})", message.message_id);
                    delivered(out, "message", &said, message_json(&message), delivery)?;
                }
                None => {
                    let (message, delivered) =
                        client.send(id, text.as_deref(), media.as_deref(), None).await?;
                    sent(out, &message, delivered);
                }
            }
        }
        Command::Download { media, out: to } => {
            let got = client.download(&media, to.as_deref()).await?;
            out.done(
                &format!("saved {} ({} bytes, {})", got.path.display(), got.size, got.content_type),
                json!({"path": got.path, "size": got.size, "content_type": got.content_type}),
            );
        }
        Command::Reply { conversation, message, text } => {
            let id = client.resolve_or_open(parse_conversation_spec(&conversation)).await?;
            let to = client.message_named(&message).await?;
            let (message, delivered) = client.send(id, Some(&text), None, Some(to)).await?;
            sent(out, &message, delivered);
        }
        Command::Edit { message, text } => {
            let id = client.message_named(&message).await?;
            let delivery = client.edit_message(id, &text).await?;
            delivered(out, "edit", "edited", json!({"message_id": id, "content": text}), delivery)?;
        }
        Command::Delete { message } => {
            let id = client.message_named(&message).await?;
            let delivery = client.delete_message(id).await?;
            delivered(out, "delete", "deleted", json!({"message_id": id}), delivery)?;
        }
        Command::React { message, emoji, remove } => {
            let id = client.message_named(&message).await?;
            let delivery = client.react(id, &emoji, !remove).await?;
            let word = if remove { "reaction taken back" } else { "reacted" };
            delivered(
                out,
                "reaction",
                word,
                json!({"message_id": id, "emoji": emoji, "on": !remove}),
                delivery,
            )?;
        }
        Command::Messages { conversation, limit } => {
            let id = client.resolve(parse_conversation_spec(&conversation)).await?;
            messages(out, &client.messages(id, limit).await?, client.signed_in().map(|s| s.0));
        }
        Command::Read { conversation } => {
            let id = client.resolve(parse_conversation_spec(&conversation)).await?;
            let n = client.read(id).await?;
            out.done(&format!("{n} messages marked read"), json!({"marked_read": n}));
        }
        Command::Draft { conversation, text } => {
            let id = client.resolve(parse_conversation_spec(&conversation)).await?;
            match text {
                Some(t) => {
                    client.set_draft(id, &t).await?;
                    out.done("draft saved", json!({"draft": t}));
                }
                None => {
                    let d = client.draft(id).await?.map(|d| d.content);
                    out.done(d.as_deref().unwrap_or(""), json!({"draft": d}));
                }
            }
        }
        Command::Search { text } => search(out, &client.search(&text).await?),
    }
    Ok(())
}

/// How a conversation is named on the command line: an id, `@username` or `#group-name`.
fn parse_conversation_spec(spec: &str) -> ConversationSpec {
    if let Some(user) = spec.strip_prefix('@') {
        ConversationSpec::Direct(user.to_owned())
    } else if let Some(group) = spec.strip_prefix('#') {
        ConversationSpec::Group(group.to_owned())
    } else {
        match Uuid::parse_str(spec) {
            Ok(id) => ConversationSpec::Id(id),
            Err(_) => ConversationSpec::Invalid(spec.to_owned()),
        }
    }
}

fn status_word(s: &MessageStatus) -> String {
    match s {
        MessageStatus::Received => String::new(),
        MessageStatus::Pending => "pending".into(),
        MessageStatus::Sending => "sending".into(),
        MessageStatus::Failed { reason } => format!("failed: {reason}"),
        MessageStatus::Sent => "sent".into(),
        MessageStatus::Held { reason } => {
            format!(
                "held for review by your program: it contains {}",
                lodestar_client::held_words(reason)
            )
        }
        MessageStatus::Rejected => "not delivered: your program's coordinators declined it".into(),
        MessageStatus::Read { read_by, of } if *of <= 1 => {
            if *read_by > 0 {
                "read".into()
            } else {
                "sent".into()
            }
        }
        MessageStatus::Read { read_by, of } => format!("read by {read_by} of {of}"),
    }
}

fn message_json(m: &Message) -> Value {
    serde_json::to_value(m).unwrap_or(Value::Null)
}

/// The conversation list.
fn conversations(out: &Out, list: &[ConversationItem]) {
    if out.json() {
        let items: Vec<Value> = list
            .iter()
            .map(|c| {
                json!({"conversation_id": c.conversation_id, "type": c.kind, "title": c.title,
                    "last_message": c.last_message.as_ref().map(message_json), "unread_count": c.unread_count,
                    "pending_count": c.pending_count, "failed_count": c.failed_count, "muted": c.muted})
            })
            .collect();
        return print_json(&json!({"conversations": items}));
    }
    if list.is_empty() {
        println!("No conversations yet. Find someone with `lodestar directory` or `lodestar matches`, then `lodestar open USERNAME`.");
    }
    for c in list {
        let prefix = if c.kind == lodestar_protocol::ConversationType::Group { "#" } else { "@" };
        let mut marks = Vec::new();
        if c.unread_count > 0 {
            marks.push(format!("{} unread", c.unread_count));
        }
        if c.pending_count > 0 {
            marks.push(format!("{} waiting", c.pending_count));
        }
        if c.failed_count > 0 {
            marks.push(format!("{} failed", c.failed_count));
        }
        let last = c.last_message.as_ref().and_then(|m| m.content.clone()).unwrap_or_default();
        println!(
            "{prefix}{:<20} {:<24} {}  {}",
            c.title,
            marks.join(", "),
            c.conversation_id,
            last.chars().take(60).collect::<String>()
        );
    }
}

/// A page of messages.
fn messages(out: &Out, items: &[MessageItem], me: Option<Uuid>) {
    if out.json() {
        let items: Vec<Value> = items
            .iter()
            .map(|m| {
                let reactions: Vec<Value> = m
                    .reactions
                    .iter()
                    .map(|r| json!({"emoji": r.emoji, "count": r.count, "mine": r.mine, "names": r.names}))
                    .collect();
                json!({"message": message_json(&m.message), "sender": m.sender_name, "status": status_word(&m.status),
                    "reply": m.reply.as_ref().map(|r| json!({"message_id": r.message_id, "sender": r.sender_name, "text": r.text, "deleted": r.deleted})),
                    "reactions": reactions})
            })
            .collect();
        return print_json(&json!({"messages": items}));
    }
    for m in items {
        let who = if m.message.sender_id == me {
            "me".to_owned()
        } else {
            m.sender_name.clone().unwrap_or_else(|| "(unknown)".to_owned())
        };
        if let Some(r) = &m.reply {
            let quoted = if r.deleted { "This message was deleted" } else { &r.text };
            println!("         ↪ {}: {quoted}", r.sender_name.as_deref().unwrap_or("someone"));
        }
        let text = match m.message.deleted_at {
            Some(_) => "(this message was deleted)".to_owned(),
            None => m.message.content.clone().unwrap_or_default(),
        };
        let media = m.message.media_url.as_deref().map(|u| format!(" [{u}]")).unwrap_or_default();
        let edited = if m.message.edited_at.is_some() { " (edited)" } else { "" };
        let status = status_word(&m.status);
        let status = if status.is_empty() { String::new() } else { format!("  ({status})") };
        let reactions: Vec<String> =
            m.reactions.iter().map(|r| format!("{} {}", r.emoji, r.count)).collect();
        let reactions = if reactions.is_empty() {
            String::new()
        } else {
            format!("  [{}]", reactions.join(" "))
        };
        // The id's end names the message to `reply`, `edit`, `delete` and `react` (its start is
        // a timestamp, shared by the messages of the same minute).
        let short = &m.message.message_id.simple().to_string()[24..];
        println!(
            "{short} {} {who}: {text}{media}{edited}{status}{reactions}",
            m.message.sent_at.format("%Y-%m-%d %H:%M")
        );
    }
}

/// After `send`.
fn sent(out: &Out, m: &Message, delivered: bool) {
    let text =
        if delivered { "sent" } else { "queued; it will be sent when the server can be reached" };
    out.done(
        &format!("{text} ({})", m.message_id),
        json!({"message": message_json(m), "delivered": delivered}),
    );
}

/// Search results.
fn search(out: &Out, hits: &[SearchHit]) {
    if out.json() {
        let items: Vec<Value> = hits
            .iter()
            .map(|h| json!({"message_id": h.message_id, "conversation_id": h.conversation_id, "snippet": h.snippet}))
            .collect();
        return print_json(&json!({"results": items}));
    }
    if hits.is_empty() {
        println!("no messages match");
    }
    for h in hits {
        println!("{}  {}", h.conversation_id, h.snippet);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conversation_names_parse() {
        let id = Uuid::new_v4();
        assert_eq!(parse_conversation_spec(&id.to_string()), ConversationSpec::Id(id));
        assert_eq!(parse_conversation_spec("@ann"), ConversationSpec::Direct("ann".into()));
        assert_eq!(
            parse_conversation_spec("#Rust Circle"),
            ConversationSpec::Group("Rust Circle".into())
        );
        assert_eq!(parse_conversation_spec("ann"), ConversationSpec::Invalid("ann".into()));
    }
}
