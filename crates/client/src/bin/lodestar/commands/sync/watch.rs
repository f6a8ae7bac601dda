//! `sync --watch`: runs the engine (the same background task the desktop app runs) and prints
//! what it reports until interrupted.

use lodestar_client::engine::{Event, SyncState, Topic};
use lodestar_client::{Client, ClientError};
use serde_json::json;

use crate::output::Out;

/// Stays live until Ctrl-C, printing sync state, delivered messages and notifications.
pub async fn run(client: &Client, out: &Out) -> Result<(), ClientError> {
    let engine = client.start_engine()?;
    let mut events = engine.subscribe();
    loop {
        tokio::select! {
            _ = tokio::signal::ctrl_c() => break,
            event = events.recv() => match event {
                Ok(Event::Changed { topic: Topic::Outbox, .. }) => {
                    let (pending, failed) = client.replica()?.outbox_counts().await?;
                    out.done(
                        &format!("outbox: {pending} waiting, {failed} failed"),
                        json!({"outbox": {"pending": pending, "failed": failed}}),
                    );
                }
                Ok(event) => show(out, &event),
                // Fell behind the stream: nothing is lost, the replica has it all.
                Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => {}
                Err(tokio::sync::broadcast::error::RecvError::Closed) => break,
            },
        }
    }
    engine.stop().await;
    Ok(())
}

fn show(out: &Out, event: &Event) {
    match event {
        Event::Sync(SyncState::Online) => out.done("online, up to date", json!({"state": "online"})),
        Event::Sync(SyncState::Offline { reason, retry_in_ms }) => out.done(
            &format!("offline ({reason}); retrying in {retry_in_ms} ms"),
            json!({"state": "offline", "reason": reason, "retry_in_ms": retry_in_ms}),
        ),
        Event::Sync(SyncState::SignedOut { suspended, reason }) => out.done(
            &format!("signed out by the server: {reason}"),
            json!({"state": "signed_out", "suspended": suspended, "reason": reason}),
        ),
        Event::Sync(SyncState::Syncing { applied, estimated_total, .. }) => out.done(
            &format!("syncing… {applied} of about {estimated_total} changes"),
            json!({"state": "syncing", "applied": applied, "estimated_total": estimated_total}),
        ),
        Event::Notify(n) => out.done(
            &format!("{}: {}", n.sender, n.preview),
            json!({"notify": {"conversation_id": n.conversation_id, "message_id": n.message_id, "sender": n.sender, "preview": n.preview}}),
        ),
        Event::Typing { conversation_id, user_id, username } => out.done(
            &format!("{} is typing…", username.as_deref().unwrap_or("someone")),
            json!({"typing": {"conversation_id": conversation_id, "user_id": user_id, "username": username}}),
        ),
        // The list and the messages are not printed; the outbox is, with its counts (above).
        Event::Changed { .. } => {}
    }
}
