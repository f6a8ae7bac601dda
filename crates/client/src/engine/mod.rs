//! The engine: one tokio task per signed-in client that keeps the replica in step with the
//! server, and one typed event stream the app forwards to its UI.
//!
//! The task loops: catch up (push the outbox, pull every page from the stored cursor, push
//! again), then stay live on `/v1/events`: a frame that continues the stored cursor (its
//! `since`) is applied as it stands, any other is a poke to pull (so a missed or reordered
//! frame loses nothing: the cursor in the replica decides what comes). On any drop it
//! reconnects with exponential backoff and jitter, announcing offline and online as events.
//! `kick` asks for a push now (after something was queued); `set_focus` tells the notification
//! rule which conversation the user is looking at.

pub mod notify;
pub mod sessions;
mod state;
mod topic;

use std::sync::Arc;
use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use lodestar_protocol::{ClientFrame, EventFrame};
use tokio::sync::{broadcast, watch, Notify};
use tokio::task::JoinHandle;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use uuid::Uuid;

use crate::api::Api;
use crate::error::{ClientError, ClientResult};
use crate::replica::{ApplyStats, Replica};
use crate::sync::{pull_pages, push};
use notify::{
    preview, request_notice, request_notification, should_notify, Notification, NotifyContext,
};
use state::ended_by_server;
pub use state::SyncState;
pub use topic::Topic;

/// The shortest and longest wait before reconnecting.
const MIN_BACKOFF: Duration = Duration::from_millis(250);
const MAX_BACKOFF: Duration = Duration::from_secs(30);

/// Everything the UI needs to hear.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    /// Online, offline or syncing.
    Sync(SyncState),
    /// What the UI shows under `topic` may look different: re-read it. `id` narrows it to one
    /// thing (a conversation's messages); `None` means all of the topic.
    Changed {
        /// What changed.
        topic: Topic,
        /// Which one, when only one did.
        id: Option<Uuid>,
    },
    /// Raise a desktop notification.
    Notify(Notification),
    /// Someone is typing in a conversation (relayed by the server; gone after a few seconds
    /// of silence or when their message arrives).
    Typing {
        /// Where.
        conversation_id: Uuid,
        /// Who.
        user_id: Uuid,
        /// Their username, when the replica knows it.
        username: Option<String>,
    },
}

/// Typing notices the user's own client sends, at most one per this long per conversation
/// (the server relays at most one per 3 s per person anyway).
const TYPING_EVERY: Duration = Duration::from_secs(3);

/// The handle of a running engine; dropping it without `stop` leaves the task to end with the
/// runtime.
pub struct Engine {
    events: broadcast::Sender<Event>,
    focus: watch::Sender<Option<Uuid>>,
    kick: Arc<Notify>,
    typing: tokio::sync::mpsc::Sender<Uuid>,
    stop: watch::Sender<bool>,
    task: JoinHandle<()>,
    reminders: JoinHandle<()>,
}

impl Engine {
    /// Starts the engine of `me` over `replica`, talking to the server through `api`, live on
    /// `events_url` with `token`.
    pub fn start(
        api: Api,
        replica: Replica,
        me: Uuid,
        events_url: String,
        token: String,
    ) -> Engine {
        let (events, _) = broadcast::channel(1024);
        let (focus, focus_rx) = watch::channel(None);
        let (stop, stop_rx) = watch::channel(false);
        let kick = Arc::new(Notify::new());
        let (typing, typing_rx) = tokio::sync::mpsc::channel(8);
        let reminders = tokio::spawn(remind(replica.clone(), me, events.clone(), stop_rx.clone()));
        let worker = Worker {
            api,
            replica,
            me,
            events: events.clone(),
            focus: focus_rx,
            kick: kick.clone(),
            typing: typing_rx,
            typed: std::collections::HashMap::new(),
            stop: stop_rx,
            events_url,
            token,
        };
        let task = tokio::spawn(worker.run());
        Engine { events, focus, kick, typing, stop, task, reminders }
    }

    /// A receiver of every event from now on.
    pub fn subscribe(&self) -> broadcast::Receiver<Event> {
        self.events.subscribe()
    }

    /// The conversation open in a focused window (`None` when the window loses focus).
    pub fn set_focus(&self, conversation: Option<Uuid>) {
        self.focus.send_replace(conversation);
    }

    /// The user is typing in a conversation: the others are told while the engine is live
    /// (dropped otherwise: a typing notice is worth nothing later).
    pub fn typing(&self, conversation: Uuid) {
        let _ = self.typing.try_send(conversation);
    }

    /// Something was queued: push now rather than at the next poke.
    pub fn kick(&self) {
        self.kick.notify_one();
    }

    /// Stops the task and waits for it.
    pub async fn stop(self) {
        let _ = self.stop.send(true);
        let _ = self.task.await;
        let _ = self.reminders.await;
    }
}

/// How often the reminder check runs: a reminder comes within this of its minute.
const REMINDER_TICK: Duration = Duration::from_secs(20);

/// Raises the reminders of sessions as they come due, from the replica alone (offline too),
/// until the engine stops.
async fn remind(
    replica: Replica,
    me: Uuid,
    events: broadcast::Sender<Event>,
    mut stop: watch::Receiver<bool>,
) {
    let zone = crate::client::own_time_zone();
    let mut tick = tokio::time::interval(REMINDER_TICK);
    loop {
        tokio::select! {
            _ = tick.tick() => {}
            _ = stop.changed() => return,
        }
        match sessions::due_reminders(&replica, me, chrono::Utc::now(), &zone).await {
            Ok(due) => {
                for n in due {
                    let _ = events.send(Event::Notify(n));
                }
            }
            Err(e) => tracing::warn!(error = %e, "could not read the reminders"),
        }
    }
}

struct Worker {
    api: Api,
    replica: Replica,
    me: Uuid,
    events: broadcast::Sender<Event>,
    focus: watch::Receiver<Option<Uuid>>,
    kick: Arc<Notify>,
    typing: tokio::sync::mpsc::Receiver<Uuid>,
    /// When the user's last typing notice went out, per conversation.
    typed: std::collections::HashMap<Uuid, std::time::Instant>,
    stop: watch::Receiver<bool>,
    events_url: String,
    token: String,
}

/// How long opening the event socket may take before the round counts as offline.
const SOCKET_CONNECT_TIMEOUT: Duration = Duration::from_secs(15);

fn jitter(max: Duration) -> Duration {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    let span = max.as_millis().max(1) as u64;
    Duration::from_millis(u64::from(nanos) % span)
}

impl Worker {
    fn emit(&self, event: Event) {
        // No subscriber is not an error: the app may not be listening yet.
        let _ = self.events.send(event);
    }

    fn stopping(&self) -> bool {
        *self.stop.borrow()
    }

    async fn run(mut self) {
        let mut backoff = MIN_BACKOFF;
        while !self.stopping() {
            let outcome = match self.catch_up().await {
                Ok(()) => self.live().await,
                Err(e) => Err(e),
            };
            if self.stopping() {
                return;
            }
            let wait = match outcome {
                Ok(()) => {
                    backoff = MIN_BACKOFF;
                    MIN_BACKOFF
                }
                Err(e) => {
                    if let Some(state) = ended_by_server(&e) {
                        tracing::info!(error = %e, "the server ended this session");
                        self.emit(Event::Sync(state));
                        return;
                    }
                    let wait = backoff + jitter(backoff / 2);
                    tracing::info!(error = %e, retry_in_ms = wait.as_millis() as u64, "sync paused");
                    self.emit(Event::Sync(SyncState::Offline {
                        reason: e.to_string(),
                        retry_in_ms: wait.as_millis() as u64,
                    }));
                    backoff = (backoff * 2).min(MAX_BACKOFF);
                    wait
                }
            };
            // A kick (something queued) or a stop cuts the wait short.
            tokio::select! {
                _ = tokio::time::sleep(wait) => {}
                _ = self.kick.notified() => {}
                _ = self.stop.changed() => {}
            }
        }
    }

    /// What decides whether a change is announced, as the replica stands before it applies.
    async fn notify_context(&self, first_sync: bool) -> ClientResult<NotifyContext> {
        let focused = *self.focus.borrow();
        Ok(NotifyContext {
            me: self.me,
            focused,
            muted: self.replica.muted_conversations().await?,
            newest_before: self.replica.newest_seq().await?,
            first_sync,
        })
    }

    /// Push, pull every page (announcing progress, changes and notifications), push again.
    async fn catch_up(&mut self) -> ClientResult<()> {
        self.push().await?;
        let (cursor, _) = self.replica.cursor().await?;
        let ctx = self.notify_context(cursor.is_none()).await?;
        let mut pages = Vec::new();
        let mut told: Vec<Uuid> = Vec::new();
        pull_pages(&self.api, &self.replica, |state, stats| {
            // A conversation new to this pull is shown as soon as its first page is in (a group
            // just joined opens on its newest page while its history syncs for a while);
            // the rest of what the pull changed is announced once at its end.
            let mut fresh = false;
            for id in &stats.conversations {
                if !told.contains(id) {
                    told.push(*id);
                    fresh = true;
                    self.emit(Topic::Messages.one(*id));
                }
            }
            if fresh {
                self.emit(Topic::Conversations.all());
            }
            if state.more || state.pages > 1 {
                self.emit(Event::Sync(SyncState::Syncing {
                    applied: state.applied,
                    estimated_total: state.estimated_total,
                    more: state.more,
                }));
            }
            pages.push(stats.clone());
        })
        .await?;
        self.announce(&ctx, &pages).await?;
        self.push().await
    }

    /// A live frame of changes: applied as it stands when it continues the replica's cursor,
    /// which saves the pull's round trip for every message; a frame that does not (one was
    /// dropped or came out of order, the socket started elsewhere, an older server names no
    /// `since`) leaves the cursor to decide, through a pull.
    async fn live_changes(
        &mut self,
        since: Option<String>,
        changes: Vec<lodestar_protocol::Change>,
        cursor: String,
    ) -> ClientResult<()> {
        let Some(since) = since else { return self.catch_up().await };
        let ctx = self.notify_context(false).await?;
        // Added to a group while online: its history follows frame by frame, oldest first, so
        // its newest page is fetched at once, as a pull does.
        let joined = crate::sync::new_groups(&self.replica, &changes).await?;
        match self.replica.apply_continuing(&since, &changes, &cursor).await? {
            Some(stats) => {
                for conversation_id in joined {
                    crate::sync::newest_first(&self.api, &self.replica, conversation_id).await;
                }
                self.announce(&ctx, std::slice::from_ref(&stats)).await
            }
            None => self.catch_up().await,
        }
    }

    /// Tells the window what `pages` changed and raises their notifications.
    async fn announce(&mut self, ctx: &NotifyContext, pages: &[ApplyStats]) -> ClientResult<()> {
        let mut changed = false;
        // One announcement per conversation per round, naming the newest message and counting
        // the rest: a burst of a thousand messages is one event, not a thousand notifications.
        let mut newest: Vec<(&lodestar_protocol::Message, u32)> = Vec::new();
        for stats in pages {
            changed |= stats.applied > 0;
            for id in &stats.conversations {
                self.emit(Topic::Messages.one(*id));
            }
            for m in stats.messages.iter().filter(|m| should_notify(m, ctx)) {
                match newest.iter_mut().find(|(n, _)| n.conversation_id == m.conversation_id) {
                    Some(slot) => *slot = (m, slot.1.saturating_add(1)),
                    None => newest.push((m, 1)),
                }
            }
        }
        for (m, count) in newest {
            let sender = match m.sender_id {
                Some(id) => {
                    self.replica.username(id).await?.unwrap_or_else(|| "someone".to_owned())
                }
                None => "someone".to_owned(),
            };
            self.emit(Event::Notify(Notification {
                conversation_id: m.conversation_id,
                message_id: m.message_id,
                sender,
                preview: preview(m),
                count,
            }));
        }
        let mut requests = false;
        for stats in pages {
            requests |= !stats.requests.is_empty();
            for id in &stats.mentorships {
                self.emit(Topic::Mentorships.one(*id));
            }
            for (r, before) in &stats.requests {
                let Some(notice) = request_notice(r, *before, ctx) else { continue };
                let other = if r.mentor_id == self.me { r.mentee_id } else { r.mentor_id };
                let name = self.replica.username(other).await?;
                let name = name.unwrap_or_else(|| "someone".to_owned());
                self.emit(Event::Notify(request_notification(r, notice, name)));
            }
        }
        let zone = crate::client::own_time_zone();
        for stats in pages {
            for (s, before) in &stats.sessions {
                let Some(notice) = sessions::session_notice(s, before.as_ref(), ctx) else {
                    continue;
                };
                let Some(m) = self.replica.mentorship(s.mentorship_id).await? else { continue };
                let other = if m.mentor_id == self.me { m.mentee_id } else { m.mentor_id };
                let name = self.replica.username(other).await?;
                let name = name.unwrap_or_else(|| "someone".to_owned());
                let text = sessions::notice_text(s, notice, &zone);
                let pair = (m.mentor_id, m.mentee_id);
                self.emit(Event::Notify(sessions::session_notification(s, pair, &text, name)));
            }
        }
        if requests {
            self.emit(Topic::Requests.all());
        }
        if changed {
            self.emit(Topic::Conversations.all());
        }
        Ok(())
    }

    /// Sends the outbox; an unreachable server ends the round as offline.
    async fn push(&mut self) -> ClientResult<()> {
        let report = push(&self.api, &self.replica).await?;
        if report.sent > 0 || report.failed > 0 || report.stopped.is_some() {
            self.emit(Topic::Outbox.all());
            if report.sent > 0 {
                self.emit(Topic::Conversations.all());
            }
            // The server's answers replaced what was shown of requests and mentorships.
            self.emit(Topic::Requests.all());
            self.emit(Topic::Mentorships.all());
        }
        match report.stopped {
            Some(reason) => Err(ClientError::Offline(reason)),
            None => Ok(()),
        }
    }

    /// Stays on the event socket, pulling on every frame and pushing on every kick, until the
    /// socket drops (an error: reconnect) or the engine stops (Ok).
    async fn live(&mut self) -> ClientResult<()> {
        let mut req = self
            .events_url
            .as_str()
            .into_client_request()
            .map_err(|e| ClientError::Offline(e.to_string()))?;
        let auth =
            format!("Bearer {}", self.token).parse().map_err(|_| ClientError::NotSignedIn)?;
        req.headers_mut().insert("authorization", auth);
        // Bounded: a server that takes the connection but never answers the upgrade (overloaded,
        // or a proxy holding it) would otherwise leave the engine neither live nor retrying,
        // showing "Offline — retrying…" for good.
        let (mut socket, _) =
            tokio::time::timeout(SOCKET_CONNECT_TIMEOUT, tokio_tungstenite::connect_async(req))
                .await
                .map_err(|_| ClientError::Offline("the event socket did not open in time".into()))?
                .map_err(|e| ClientError::Offline(e.to_string()))?;
        // Anything committed between the catch-up and the socket opening: pull once more.
        self.catch_up().await?;
        self.emit(Event::Sync(SyncState::Online));
        loop {
            tokio::select! {
                frame = socket.next() => match frame {
                    Some(Ok(tokio_tungstenite::tungstenite::Message::Text(text))) => {
                        match serde_json::from_str::<EventFrame>(&text) {
                            Ok(EventFrame::Typing { conversation_id, user_id }) => {
                                let username = self.replica.username(user_id).await.ok().flatten();
                                self.emit(Event::Typing { conversation_id, user_id, username });
                            }
                            Ok(EventFrame::Changes { changes, cursor, since }) => {
                                self.live_changes(since, changes, cursor).await?;
                            }
                            // A frame this version does not know: the pull tells.
                            Err(_) => self.catch_up().await?,
                        }
                    }
                    Some(Ok(tokio_tungstenite::tungstenite::Message::Close(Some(frame))))
                        if frame.reason.starts_with("suspended") =>
                    {
                        return Err(ClientError::Server {
                            status: 403,
                            code: lodestar_protocol::ErrorCode::Suspended,
                            message: "your program's coordinators suspended this account".into(),
                            fields: Default::default(),
                        });
                    }
                    Some(Ok(tokio_tungstenite::tungstenite::Message::Close(_))) | None => {
                        return Err(ClientError::Offline("the server closed the event socket".into()));
                    }
                    Some(Ok(_)) => {}
                    Some(Err(e)) => return Err(ClientError::Offline(e.to_string())),
                },
                _ = self.kick.notified() => self.push().await?,
                Some(conversation_id) = self.typing.recv() => {
                    let now = std::time::Instant::now();
                    if self.typed.get(&conversation_id).is_none_or(|t| now.duration_since(*t) >= TYPING_EVERY) {
                        self.typed.insert(conversation_id, now);
                        let frame = serde_json::to_string(&ClientFrame::Typing { conversation_id })
                            .map_err(|e| ClientError::Corrupt(e.to_string()))?;
                        socket
                            .send(tokio_tungstenite::tungstenite::Message::Text(frame.into()))
                            .await
                            .map_err(|e| ClientError::Offline(e.to_string()))?;
                    }
                }
                _ = self.stop.changed() => return Ok(()),
            }
        }
    }
}
