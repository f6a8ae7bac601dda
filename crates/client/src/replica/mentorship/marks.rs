//! Which mentorship rows an outbox entry still waits on, or was refused for: the views show a
//! clock beside the first and the server's reason beside the second.

use std::collections::HashMap;

use uuid::Uuid;

use crate::error::ClientResult;
use crate::replica::Replica;

/// What the outbox says about one thing.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Mark {
    /// An action on it waits to be sent.
    pub pending: bool,
    /// The server refused the last action on it, for this reason.
    pub failed: Option<String>,
}

/// The outbox's marks on the mentorship domain's subjects, read at once.
#[derive(Debug, Clone, Default)]
pub struct Marks(HashMap<(String, Uuid), Mark>);

/// The outbox subjects of this domain (see `outbox::mentorship`), and of safety's blocks and
/// reports and of messages and what is done to them, whose delivery is told the same way.
const SUBJECTS: &str = "'request', 'answer', 'mentorship', 'end', 'goal', 'task', 'session', \
     'session_step', 'feedback', 'notes', 'block', 'report', 'message', 'edit', 'delete', 'reaction', 'upload'";

impl Marks {
    /// What the outbox says about any of `subjects` (a request is marked by its creation and by
    /// its answer): failed if one was refused, pending if one waits.
    pub fn of(&self, subjects: &[(&str, Uuid)]) -> Mark {
        let mut mark = Mark::default();
        for (kind, id) in subjects {
            if let Some(m) = self.0.get(&((*kind).to_owned(), *id)) {
                mark.pending |= m.pending;
                if mark.failed.is_none() {
                    mark.failed.clone_from(&m.failed);
                }
            }
        }
        mark
    }
}

impl Replica {
    /// The marks of every waiting or refused action of the mentorship domain.
    pub async fn mentorship_marks(&self) -> ClientResult<Marks> {
        let rows: Vec<(String, Uuid, String, Option<String>)> = sqlx::query_as(&format!(
            "SELECT subject, subject_id, state, last_error FROM outbox \
             WHERE subject IN ({SUBJECTS}) AND subject_id IS NOT NULL ORDER BY id"
        ))
        .fetch_all(self.pool())
        .await?;
        let mut marks = HashMap::new();
        for (subject, id, state, reason) in rows {
            let mark: &mut Mark = marks.entry((subject, id)).or_default();
            match state.as_str() {
                "failed" | "blocked" => mark.failed = reason.or(Some("refused".to_owned())),
                _ => mark.pending = true,
            }
        }
        Ok(Marks(marks))
    }
}
