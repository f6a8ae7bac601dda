//! One WebSocket per connected client: follow the instance's live feed, and when a batch may
//! concern this user (see [`crate::feed`]), pull what they may see since the socket's cursor and
//! send it as a frame.
//!
//! A frame is only a shortcut: the client stores the cursor it carries and, after any drop,
//! catches up with `GET /v1/sync`, so a lost frame loses nothing.

use std::collections::HashSet;
use std::time::Duration;

use axum::extract::ws::{close_code, CloseFrame, Message, WebSocket};
use futures_util::{SinkExt, StreamExt};
use lodestar_protocol::{format_cursor, ClientFrame, EventFrame};
use tokio::sync::broadcast::error::RecvError;
use uuid::Uuid;

use crate::feed::{assess, Verdict};
use crate::sockets::{Closed, Registration};
use crate::typing::Notice;
use crate::AppState;

/// How often the server pings an idle socket.
const PING_EVERY: Duration = Duration::from_secs(20);
/// Changes per frame.
const FRAME_LIMIT: i64 = 500;

/// Serves one socket until the client leaves, the server shuts down, a send fails, or the
/// registry closes it (its token was revoked or expired; the user opened too many).
pub async fn serve(socket: WebSocket, state: AppState, reg: Registration, mut cursor: i64) {
    let user = reg.user();
    let mut closed = reg.closed.clone();
    let (mut tx, mut rx) = socket.split();
    // Subscribed before the first pull, so no batch falls between the two.
    let mut feed = state.feed.subscribe();
    let mut typing = state.typing.subscribe();
    let mut shutdown = state.shutdown.clone();
    let mut ping = tokio::time::interval(PING_EVERY);
    ping.tick().await;
    let mut mine = HashSet::new();
    // The cursor the client was last told: batches skipped since hold nothing for this user,
    // so the next frame continues it exactly.
    let mut told = cursor;
    // Anything after the starting cursor is sent at once.
    let mut next = Verdict::Pull { reload: true };
    loop {
        if let Verdict::Pull { reload } = next {
            match pull(&state, &reg, reload, &mut mine, (&mut cursor, &mut told), &mut tx).await {
                Ok(None) => {}
                Ok(Some(why)) => {
                    close(&mut tx, why).await;
                    break;
                }
                Err(e) => {
                    tracing::debug!(%user, error = %e, "closing socket");
                    break;
                }
            }
        }
        next = Verdict::Skip(cursor);
        tokio::select! {
            batch = feed.recv() => match batch {
                Ok(batch) => next = assess(&batch, user, cursor, &mine),
                Err(RecvError::Lagged(_)) => next = Verdict::Pull { reload: true },
                Err(RecvError::Closed) => break,
            },
            _ = ping.tick() => {
                if tx.send(Message::Ping(Vec::new().into())).await.is_err() {
                    break;
                }
            }
            incoming = rx.next() => match incoming {
                None | Some(Err(_)) | Some(Ok(Message::Close(_))) => break,
                Some(Ok(Message::Text(text))) => heard(&state, user, &mine, &text),
                Some(Ok(_)) => {}
            },
            notice = typing.recv() => match notice {
                Ok(n) if n.user_id != user && mine.contains(&n.conversation_id) => {
                    let frame = EventFrame::Typing { conversation_id: n.conversation_id, user_id: n.user_id };
                    let Ok(text) = serde_json::to_string(&frame) else { continue };
                    if tx.send(Message::Text(text.into())).await.is_err() {
                        break;
                    }
                }
                Ok(_) | Err(RecvError::Lagged(_)) => {}
                Err(RecvError::Closed) => break,
            },
            why = async { closed.wait_for(Option::is_some).await.ok().and_then(|why| *why) } => {
                if let Some(why) = why {
                    close(&mut tx, why).await;
                }
                break;
            }
            _ = async { shutdown.wait_for(|v| *v).await.map(|_| ()) } => {
                let _ = tx.send(Message::Close(None)).await;
                break;
            }
        }
        if let Verdict::Skip(seq) = next {
            cursor = cursor.max(seq);
        }
    }
}

/// A frame from the client: a typing notice in one of its conversations is relayed; anything
/// else (a typo, another client's dialect) is ignored, as the socket has nothing to answer.
fn heard(state: &AppState, user: Uuid, mine: &HashSet<Uuid>, text: &str) {
    if let Ok(ClientFrame::Typing { conversation_id }) = serde_json::from_str(text) {
        if mine.contains(&conversation_id) {
            state
                .typing
                .relay(Notice { conversation_id, user_id: user }, std::time::Instant::now());
        }
    }
}

/// Says why the server closes the socket: policy violation (1008) with the reason.
async fn close<S>(tx: &mut S, why: Closed)
where
    S: SinkExt<Message> + Unpin,
{
    let frame = CloseFrame { code: close_code::POLICY, reason: why.reason().into() };
    let _ = tx.send(Message::Close(Some(frame))).await;
}

/// Sends what is new since the cursor, then reads the user's conversations again if asked.
///
/// In that order: `mine` must know every conversation the user joined up to the cursor. Read
/// first, a conversation created between the read and the sync query reached the client, moved
/// the cursor past its membership changes (so no later batch would reload), and left `mine`
/// without it: every message in it was then skipped until the socket reconnected (seen as a
/// message that never arrived in the desktop tests under load).
async fn pull<S>(
    state: &AppState,
    reg: &Registration,
    reload: bool,
    mine: &mut HashSet<Uuid>,
    cursors: (&mut i64, &mut i64),
    tx: &mut S,
) -> Result<Option<Closed>, String>
where
    S: SinkExt<Message> + Unpin,
    S::Error: std::fmt::Display,
{
    if let Some(why) = push(state, reg, cursors, tx).await? {
        return Ok(Some(why));
    }
    if reload {
        *mine = state
            .store
            .conversation_ids(reg.user())
            .await
            .map_err(|e| e.to_string())?
            .into_iter()
            .collect();
    }
    Ok(None)
}

/// Sends every change after the cursor, a frame per page; stops (answering why) as soon as the
/// socket's token is no longer valid, checked before every frame: the registry's sweep closes
/// an idle revoked socket within a moment, and this check makes sure that moment never carries
/// a change. `cursors`: how far the socket has looked, and the cursor the client was last told.
///
/// Each frame is what `GET /v1/sync?since=` the told cursor answers, and names that cursor as
/// its `since`: the query starts there, not where the socket has looked, so a frame is exactly
/// the page the client would pull even if a batch the socket skipped held something for this
/// user (a client that applies the frame as it stands then misses nothing).
async fn push<S>(
    state: &AppState,
    reg: &Registration,
    (cursor, told): (&mut i64, &mut i64),
    tx: &mut S,
) -> Result<Option<Closed>, String>
where
    S: SinkExt<Message> + Unpin,
    S::Error: std::fmt::Display,
{
    loop {
        let closed = *reg.closed.borrow();
        if let Some(why) = closed {
            return Ok(Some(why));
        }
        let (changes, next, more) =
            state.store.sync(reg.user(), *told, FRAME_LIMIT).await.map_err(|e| e.to_string())?;
        let (changes, next, more) = crate::routes::fit_page(changes, next, more);
        let nothing = changes.is_empty();
        if !nothing {
            let valid = state
                .store
                .session_user(&reg.token_hash, chrono::Utc::now())
                .await
                .map_err(|e| e.to_string())?;
            if valid != Some(reg.user()) {
                return Ok(Some(Closed::Revoked));
            }
            let frame = EventFrame::Changes {
                changes,
                cursor: format_cursor(next),
                since: Some(format_cursor(*told)),
            };
            let text = serde_json::to_string(&frame).map_err(|e| e.to_string())?;
            tx.send(Message::Text(text.into())).await.map_err(|e| e.to_string())?;
        }
        *cursor = (*cursor).max(next);
        // Nothing for this user up to `next`: the told cursor stays where the client is (so the
        // next frame continues it), unless a full page of others' changes must be passed over.
        if !nothing || more {
            *told = next;
        }
        if !more {
            return Ok(None);
        }
    }
}
