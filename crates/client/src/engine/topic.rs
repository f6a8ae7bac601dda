//! What a change touched, declared once. The engine and the app name the topic of every change
//! they make; the desktop shell forwards each as one `changed` event; the UI re-reads what it
//! shows from the topics it subscribed to. A new domain adds a variant here and its views
//! subscribe to it: no other place names change events.

use uuid::Uuid;

use super::Event;

/// One kind of state the UI shows and re-reads when told it changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum Topic {
    /// The conversation list: conversations, their last messages, unread counts and mutes.
    Conversations,
    /// One conversation's messages and their states (the id is the conversation's).
    Messages,
    /// The outbox: what waits to be sent or was refused, and so its counts.
    Outbox,
    /// Mentorship requests, incoming and outgoing.
    Requests,
    /// Mentorships and their goals and tasks (the id is the mentorship's).
    Mentorships,
}

impl Topic {
    /// Every topic: after events were missed, all of them are stale.
    pub const ALL: [Topic; 5] =
        [Topic::Conversations, Topic::Messages, Topic::Outbox, Topic::Requests, Topic::Mentorships];

    /// Everything under this topic changed (for `Messages`: every conversation's).
    pub fn all(self) -> Event {
        Event::Changed { topic: self, id: None }
    }

    /// The one thing `id` under this topic changed.
    pub fn one(self, id: Uuid) -> Event {
        Event::Changed { topic: self, id: Some(id) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn topics_go_out_in_snake_case() {
        let names: Vec<String> =
            Topic::ALL.iter().map(|t| serde_json::to_string(t).unwrap()).collect();
        assert_eq!(
            names,
            [
                r#""conversations""#,
                r#""messages""#,
                r#""outbox""#,
                r#""requests""#,
                r#""mentorships""#
            ]
        );
    }
}
