//! Printing: friendly text by default, one JSON document with `--json`; errors on stderr.

use lodestar_client::client::{Status, SyncReport};
use lodestar_client::replica::{ConversationItem, MessageItem, MessageStatus, SearchHit};
use lodestar_client::session::TokenStorage;
use lodestar_client::sync::PullProgress;
use lodestar_client::ClientError;
use lodestar_protocol::{Match, Me, Message, Profile};
use serde_json::{json, Value};
use uuid::Uuid;

/// Where answers go.
pub struct Out {
    json: bool,
}

fn print_json(v: &Value) {
    println!("{}", serde_json::to_string_pretty(v).unwrap_or_else(|_| v.to_string()));
}

fn status_word(s: &MessageStatus) -> String {
    match s {
        MessageStatus::Received => String::new(),
        MessageStatus::Pending => "pending".into(),
        MessageStatus::Sending => "sending".into(),
        MessageStatus::Failed { reason } => format!("failed: {reason}"),
        MessageStatus::Sent => "sent".into(),
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

impl Out {
    /// Text or JSON.
    pub fn new(json: bool) -> Out {
        Out { json }
    }

    /// A one-line result.
    pub fn done(&self, text: &str, json: Value) {
        if self.json {
            print_json(&json);
        } else {
            println!("{text}");
        }
    }

    /// An error: on stderr as text, and as the JSON document with `--json`.
    pub fn error(&self, e: &ClientError) {
        if self.json {
            let fields = match e {
                ClientError::Invalid(f) => json!(f.0),
                ClientError::Server { fields, .. } => json!(fields),
                _ => json!({}),
            };
            print_json(
                &json!({"error": {"code": e.code(), "message": e.to_string(), "fields": fields}}),
            );
        }
        let hint = match e {
            ClientError::NotSignedIn => " (run `lodestar login USERNAME` first)",
            ClientError::Offline(_) => " (the command needs the server; try again when online)",
            _ => "",
        };
        eprintln!("error: {e}{hint}");
    }

    /// Signed in after register or login.
    pub fn signed_in(&self, what: &str, me: &Me, server: &str, storage: &TokenStorage) {
        let place = match storage {
            TokenStorage::Keychain => "the OS keychain".to_owned(),
            TokenStorage::File(p) => format!("{} (a file only you can read)", p.display()),
        };
        self.done(
            &format!("{what} as {} on {server}; token kept in {place}", me.profile.username),
            json!({"user": me, "server": server, "token_storage": place}),
        );
    }

    /// Pull progress, on stderr so stdout stays one document.
    pub fn progress(&self, p: PullProgress) {
        if !self.json && p.more {
            eprintln!("syncing… {} of about {} changes", p.applied, p.estimated_total);
        }
    }

    /// The end of a sync.
    pub fn synced(&self, r: &SyncReport) {
        let mut text = format!("up to date: {} changes pulled, {} sent", r.pulled, r.pushed);
        if r.failed > 0 {
            text.push_str(&format!(", {} refused (see `lodestar status`)", r.failed));
        }
        self.done(&text, json!({"pulled": r.pulled, "pushed": r.pushed, "failed": r.failed}));
    }

    /// `status`.
    pub fn status(&self, s: &Status) {
        if self.json {
            return print_json(&json!(s));
        }
        println!(
            "{} on {} — {}",
            s.username,
            s.server,
            if s.online { "online" } else { "offline" }
        );
        println!("cursor: {}", s.cursor.as_deref().unwrap_or("(never synced)"));
        println!("outbox: {} waiting, {} failed", s.outbox_pending, s.outbox_failed);
        println!("last sync: {}", s.last_sync_at.map_or("never".to_owned(), |t| t.to_rfc3339()));
    }

    /// The conversation list.
    pub fn conversations(&self, list: &[ConversationItem]) {
        if self.json {
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
            let prefix =
                if c.kind == lodestar_protocol::ConversationType::Group { "#" } else { "@" };
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
    pub fn messages(&self, items: &[MessageItem], me: Option<Uuid>) {
        if self.json {
            let items: Vec<Value> = items
                .iter()
                .map(|m| json!({"message": message_json(&m.message), "sender": m.sender_name, "status": status_word(&m.status)}))
                .collect();
            return print_json(&json!({"messages": items}));
        }
        for m in items {
            let who = if m.message.sender_id == me {
                "me".to_owned()
            } else {
                m.sender_name.clone().unwrap_or_else(|| "(unknown)".to_owned())
            };
            let text = m.message.content.clone().unwrap_or_default();
            let media =
                m.message.media_url.as_deref().map(|u| format!(" [{u}]")).unwrap_or_default();
            let status = status_word(&m.status);
            let status = if status.is_empty() { String::new() } else { format!("  ({status})") };
            println!("{} {who}: {text}{media}{status}", m.message.sent_at.format("%Y-%m-%d %H:%M"));
        }
    }

    /// After `send`.
    pub fn sent(&self, m: &Message, delivered: bool) {
        let text = if delivered {
            "sent"
        } else {
            "queued; it will be sent when the server can be reached"
        };
        self.done(
            &format!("{text} ({})", m.message_id),
            json!({"message": message_json(m), "delivered": delivered}),
        );
    }

    /// Search results.
    pub fn search(&self, hits: &[SearchHit]) {
        if self.json {
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

    /// Directory results.
    pub fn profiles(&self, users: &[Profile]) {
        if self.json {
            return print_json(&json!({"users": users}));
        }
        for u in users {
            let role = match (u.mentor_status, u.mentee_status) {
                (true, true) => "mentor & mentee",
                (true, false) => "mentor",
                (false, true) => "mentee",
                _ => "",
            };
            println!(
                "{:<16} {:<15} {:<30} {:<12} {}  {}",
                u.username,
                role,
                u.job_title.as_deref().unwrap_or(""),
                u.industry.as_deref().unwrap_or(""),
                u.state.as_deref().unwrap_or(""),
                u.skills.join(", ")
            );
        }
    }

    /// Matches.
    pub fn matches(&self, matches: &[Match]) {
        if self.json {
            return print_json(&json!({"matches": matches}));
        }
        for m in matches {
            println!("{:<16} {:>4.0}%  {}", m.user.username, m.score * 100.0, m.reasons.join("; "));
        }
    }

    /// A profile.
    pub fn profile(&self, me: &Me) {
        if self.json {
            return print_json(&json!(me));
        }
        let p = &me.profile;
        println!("{} <{}>", p.username, me.email);
        for (k, v) in [
            ("job title", p.job_title.clone()),
            ("industry", p.industry.clone()),
            ("years", p.years_of_experience.map(|y| y.to_string())),
            ("city", p.city.clone()),
            ("state", p.state.clone()),
            ("skills", Some(p.skills.join(", "))),
            ("interests", Some(p.interests.join(", "))),
            ("bio", p.bio.clone()),
        ] {
            if let Some(v) = v.filter(|v| !v.is_empty()) {
                println!("  {k:<10} {v}");
            }
        }
    }
}
