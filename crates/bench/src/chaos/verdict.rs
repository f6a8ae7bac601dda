//! After the run: every message the senders were told was accepted, looked for on the server
//! (PostgreSQL, read directly), in every engine's replica (as the app shows a conversation) and in
//! the plain sockets' frames. Lost, duplicated and reordered are counted apart.

use std::collections::{HashMap, HashSet};

use lodestar_client::Replica;
use uuid::Uuid;

/// The text of send number `tag`: unique, so a send stored twice under two ids shows.
pub fn text(tag: usize) -> String {
    format!("chaos {tag}")
}

/// The counts.
#[derive(Debug, Default, Clone, Copy)]
pub struct Verdict {
    /// Accepted but missing: on the server, in a replica that should hold it, or never in a
    /// plain socket's frames.
    pub lost: usize,
    /// A send stored twice (two rows of one text on the server, one id twice in a replica, or
    /// one text under two ids in a replica).
    pub duplicated: usize,
    /// Messages a replica shows in another order than the server's.
    pub reordered: usize,
}

/// The server's messages: (id, conversation, text), in the server's order.
pub async fn server_messages(url: &str) -> anyhow::Result<Vec<(Uuid, Uuid, String)>> {
    let pool = sqlx::PgPool::connect(url).await?;
    let rows: Vec<(Uuid, Uuid, Option<String>)> =
        sqlx::query_as("SELECT message_id, conversation_id, content FROM messages ORDER BY seq")
            .fetch_all(&pool)
            .await?;
    pool.close().await;
    Ok(rows.into_iter().map(|(m, c, t)| (m, c, t.unwrap_or_default())).collect())
}

/// The server against the ids of the accepted sends.
pub fn judge_server(sent: &[Uuid], server: &[(Uuid, Uuid, String)]) -> Verdict {
    let stored: HashSet<Uuid> = server.iter().map(|m| m.0).collect();
    let mut texts: HashMap<&str, usize> = HashMap::new();
    for m in server {
        *texts.entry(m.2.as_str()).or_default() += 1;
    }
    Verdict {
        lost: sent.iter().filter(|id| !stored.contains(id)).count(),
        duplicated: texts.values().map(|n| n - 1).sum(),
        reordered: 0,
    }
}

/// One replica against the server, over the conversations `me` is in.
pub async fn judge_replica(
    replica: &Replica,
    me: Uuid,
    conversations: &[Uuid],
    server: &[(Uuid, Uuid, String)],
) -> anyhow::Result<Verdict> {
    let mut v = Verdict::default();
    for conv in conversations {
        let truth: Vec<(Uuid, &str)> =
            server.iter().filter(|m| m.1 == *conv).map(|m| (m.0, m.2.as_str())).collect();
        let shown: Vec<(Uuid, String)> = replica
            .messages(me, *conv, None, i64::MAX)
            .await?
            .into_iter()
            .map(|i| (i.message.message_id, i.message.content.unwrap_or_default()))
            .collect();
        v += compare(&truth, &shown);
    }
    Ok(v)
}

/// One conversation as a replica shows it against the server's.
fn compare(truth: &[(Uuid, &str)], shown: &[(Uuid, String)]) -> Verdict {
    let ids: HashSet<Uuid> = shown.iter().map(|m| m.0).collect();
    let texts: HashSet<&str> = shown.iter().map(|m| m.1.as_str()).collect();
    // The messages both hold, in each one's order: any position that differs is reordered.
    let held: HashSet<Uuid> = truth.iter().map(|m| m.0).collect();
    let theirs = shown.iter().map(|m| m.0).filter(|id| held.contains(id));
    let ours = truth.iter().map(|m| m.0).filter(|id| ids.contains(id));
    Verdict {
        lost: truth.iter().filter(|m| !ids.contains(&m.0)).count(),
        duplicated: (shown.len() - ids.len()).max(shown.len() - texts.len()),
        reordered: theirs.zip(ours).filter(|(a, b)| a != b).count(),
    }
}

impl std::ops::AddAssign for Verdict {
    fn add_assign(&mut self, o: Verdict) {
        self.lost += o.lost;
        self.duplicated += o.duplicated;
        self.reordered += o.reordered;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_server_is_judged_by_id_and_by_text() {
        let c = Uuid::new_v4();
        let (a, b, lost) = (Uuid::new_v4(), Uuid::new_v4(), Uuid::new_v4());
        let server = vec![
            (a, c, text(1)),
            (b, c, text(2)),
            // A retry stored under a new id: the same text twice.
            (Uuid::new_v4(), c, text(2)),
        ];
        let v = judge_server(&[a, b, lost], &server);
        assert_eq!((v.lost, v.duplicated), (1, 1));
    }

    #[test]
    fn a_replica_is_judged_for_gaps_twins_and_order() {
        let ids: Vec<Uuid> = (0..4).map(|_| Uuid::new_v4()).collect();
        let truth: Vec<(Uuid, &str)> =
            vec![(ids[0], "a"), (ids[1], "b"), (ids[2], "c"), (ids[3], "d")];
        let shown = |order: &[(usize, &str)]| -> Vec<(Uuid, String)> {
            order.iter().map(|(i, t)| (ids[*i], (*t).to_owned())).collect()
        };
        let same = compare(&truth, &shown(&[(0, "a"), (1, "b"), (2, "c"), (3, "d")]));
        assert_eq!((same.lost, same.duplicated, same.reordered), (0, 0, 0));
        let gap = compare(&truth, &shown(&[(0, "a"), (2, "c"), (3, "d")]));
        assert_eq!((gap.lost, gap.duplicated, gap.reordered), (1, 0, 0));
        let swapped = compare(&truth, &shown(&[(0, "a"), (2, "c"), (1, "b"), (3, "d")]));
        assert_eq!((swapped.lost, swapped.reordered), (0, 2));
        // "b" again under an id the server never stored.
        let mut twin = shown(&[(0, "a"), (1, "b"), (2, "c"), (3, "d")]);
        twin.push((Uuid::new_v4(), "b".into()));
        assert_eq!(compare(&truth, &twin).duplicated, 1);
    }
}
