//! Session notes in the replica: the document as this device knows it, which is the server's
//! merged document with what was typed here merged in. What is typed becomes an update
//! (`lodestar_notes::edit`), stored with the document and queued in the outbox in one
//! transaction; the server's documents (a push's answer, a pull) are merged in, never copied
//! over, so text typed here and not yet sent is never lost.

use chrono::{DateTime, Utc};
use lodestar_protocol::SessionNotes;
use uuid::Uuid;

use super::Tx;
use crate::error::{ClientError, ClientResult};
use crate::outbox::{EditNotes, OutboxAction};
use crate::replica::{enqueue, Replica};

fn corrupt(e: lodestar_notes::NotesError) -> ClientError {
    ClientError::Corrupt(format!("session notes: {e}"))
}

async fn state(tx: &mut Tx<'_>, session_id: Uuid) -> ClientResult<Vec<u8>> {
    let row: Option<Vec<u8>> =
        sqlx::query_scalar("SELECT state FROM session_notes WHERE session_id = $1")
            .bind(session_id)
            .fetch_optional(&mut **tx)
            .await?;
    Ok(row.unwrap_or_default())
}

async fn save(tx: &mut Tx<'_>, session_id: Uuid, state: &[u8], text: &str) -> ClientResult<()> {
    sqlx::query(
        "INSERT INTO session_notes (session_id, state, text) VALUES ($1, $2, $3) \
         ON CONFLICT (session_id) DO UPDATE SET state = excluded.state, text = excluded.text",
    )
    .bind(session_id)
    .bind(state)
    .bind(text)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Merges the server's notes into the local document.
pub(crate) async fn store_notes(tx: &mut Tx<'_>, notes: &SessionNotes) -> ClientResult<()> {
    let server = lodestar_notes::decode(&notes.state).map_err(corrupt)?;
    let local = state(tx, notes.session_id).await?;
    let (merged, text) = lodestar_notes::merge(&local, [server.as_slice()]).map_err(corrupt)?;
    save(tx, notes.session_id, &merged, &text).await
}

impl Replica {
    /// The notes of a session as this device has them (empty when none were written).
    pub async fn notes(&self, session_id: Uuid) -> ClientResult<String> {
        let text: Option<String> =
            sqlx::query_scalar("SELECT text FROM session_notes WHERE session_id = $1")
                .bind(session_id)
                .fetch_optional(self.pool())
                .await?;
        Ok(text.unwrap_or_default())
    }

    /// Makes the notes read `wanted`: the difference from what they read now becomes one update,
    /// applied here and queued. Answers the text as merged here; `false` when nothing changed.
    pub async fn queue_notes(
        &self,
        mentorship_id: Uuid,
        session_id: Uuid,
        wanted: &str,
        now: DateTime<Utc>,
    ) -> ClientResult<(String, bool)> {
        let wanted = lodestar_protocol::validate::notes_text(wanted)?;
        let mut tx = self.write().await?;
        super::local::active(&mut tx, mentorship_id).await?;
        let before = state(&mut tx, session_id).await?;
        let (update, after) = lodestar_notes::edit(&before, &wanted).map_err(corrupt)?;
        let text = lodestar_notes::text(&after).map_err(corrupt)?;
        if text == lodestar_notes::text(&before).map_err(corrupt)? {
            return Ok((text, false));
        }
        save(&mut tx, session_id, &after, &text).await?;
        let action = EditNotes::new(mentorship_id, session_id, &update);
        enqueue(&mut tx, OutboxAction::from(action), now).await?;
        tx.commit().await?;
        Ok((text, true))
    }
}
