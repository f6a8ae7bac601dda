//! "maya is typing…": a client says so on its event socket, and the instance relays it to the
//! other members' sockets, at most once per [`EVERY`] per person. Nothing is stored: a typing
//! notice is worth nothing a few seconds later, so a lost one is never recovered. Instances on
//! one PostgreSQL pass notices to each other with `NOTIFY` (no table: nothing written), so
//! people on different instances see each other type.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use tokio::sync::broadcast;
use uuid::Uuid;

/// At most one relayed notice per person per this long.
pub const EVERY: Duration = Duration::from_secs(3);
/// Notices waiting for slow sockets; a socket that lags behind this misses some (harmless).
const BACKLOG: usize = 1024;
/// Past this many remembered people, the ones quiet for [`EVERY`] are forgotten.
const PRUNE_AT: usize = 10_000;
/// The PostgreSQL channel instances share notices on.
const CHANNEL: &str = "lodestar_typing";

/// A notice between instances; `i` is the instance that relayed it (it ignores its own).
#[derive(serde::Serialize, serde::Deserialize)]
struct Wire {
    c: Uuid,
    u: Uuid,
    i: Uuid,
}

/// One person typing in one conversation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Notice {
    /// Where.
    pub conversation_id: Uuid,
    /// Who.
    pub user_id: Uuid,
}

/// The instance's relay; cheap to clone.
#[derive(Clone)]
pub struct Typing {
    relay: broadcast::Sender<Notice>,
    last: Arc<Mutex<HashMap<Uuid, Instant>>>,
    /// This instance, to know its own notices when they come back from PostgreSQL.
    instance: Uuid,
    /// Where to `NOTIFY` the other instances, on PostgreSQL.
    others: Option<sqlx::PgPool>,
}

impl Default for Typing {
    fn default() -> Self {
        Typing {
            relay: broadcast::channel(BACKLOG).0,
            last: Arc::default(),
            instance: Uuid::new_v4(),
            others: None,
        }
    }
}

impl Typing {
    /// The relay of an instance on `database_url`: on PostgreSQL it also hears the other
    /// instances (`LISTEN`) until `shutdown`; on SQLite (one instance) it is this process's.
    pub async fn connect(
        database_url: &str,
        mut shutdown: tokio::sync::watch::Receiver<bool>,
    ) -> Result<Typing, String> {
        let mut typing = Typing::default();
        if !database_url.starts_with("postgres") {
            return Ok(typing);
        }
        let mut listener =
            sqlx::postgres::PgListener::connect(database_url).await.map_err(|e| e.to_string())?;
        listener.listen(CHANNEL).await.map_err(|e| e.to_string())?;
        let pool = sqlx::postgres::PgPoolOptions::new()
            .max_connections(1)
            .idle_timeout(Duration::from_secs(30))
            .connect_lazy(database_url)
            .map_err(|e| e.to_string())?;
        let (relay, me) = (typing.relay.clone(), typing.instance);
        tokio::spawn(async move {
            loop {
                tokio::select! {
                    heard = listener.recv() => match heard {
                        Ok(n) => {
                            if let Ok(w) = serde_json::from_str::<Wire>(n.payload()) {
                                if w.i != me {
                                    let _ = relay.send(Notice { conversation_id: w.c, user_id: w.u });
                                }
                            }
                        }
                        Err(e) => {
                            // The listener reconnects on the next call; notices meanwhile are lost,
                            // which costs a few seconds of "is typing" at most.
                            tracing::debug!(error = %e, "typing notices from other instances paused");
                            tokio::time::sleep(Duration::from_secs(1)).await;
                        }
                    },
                    _ = shutdown.changed() => return,
                }
            }
        });
        typing.others = Some(pool);
        Ok(typing)
    }

    /// Every notice relayed from now on.
    pub fn subscribe(&self) -> broadcast::Receiver<Notice> {
        self.relay.subscribe()
    }

    /// Relays `notice` unless its person was relayed less than [`EVERY`] ago; answers whether
    /// it was. The caller has checked that the person takes part in the conversation.
    pub fn relay(&self, notice: Notice, now: Instant) -> bool {
        {
            let mut last = self.last.lock().unwrap_or_else(PoisonError::into_inner);
            if last.get(&notice.user_id).is_some_and(|t| now.duration_since(*t) < EVERY) {
                return false;
            }
            if last.len() >= PRUNE_AT {
                last.retain(|_, t| now.duration_since(*t) < EVERY);
            }
            last.insert(notice.user_id, now);
        }
        // No socket listening is not an error: nobody is there to tell.
        let _ = self.relay.send(notice);
        if let Some(pool) = self.others.clone() {
            let wire = Wire { c: notice.conversation_id, u: notice.user_id, i: self.instance };
            if let Ok(payload) = serde_json::to_string(&wire) {
                tokio::spawn(async move {
                    if let Err(e) = sqlx::query("SELECT pg_notify($1, $2)")
                        .bind(CHANNEL)
                        .bind(payload)
                        .execute(&pool)
                        .await
                    {
                        tracing::debug!(error = %e, "a typing notice did not reach the other instances");
                    }
                });
            }
        }
        true
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn one_notice_per_person_per_three_seconds() {
        let typing = Typing::default();
        let mut rx = typing.subscribe();
        let (maya, ben) = (Uuid::new_v4(), Uuid::new_v4());
        let conversation_id = Uuid::new_v4();
        let t0 = Instant::now();
        assert!(typing.relay(Notice { conversation_id, user_id: maya }, t0));
        assert!(
            !typing.relay(Notice { conversation_id, user_id: maya }, t0 + Duration::from_secs(2))
        );
        assert!(typing.relay(Notice { conversation_id, user_id: ben }, t0 + Duration::from_secs(2)));
        assert!(
            typing.relay(Notice { conversation_id, user_id: maya }, t0 + Duration::from_secs(3))
        );
        let got: Vec<Uuid> = std::iter::from_fn(|| rx.try_recv().ok()).map(|n| n.user_id).collect();
        assert_eq!(got, [maya, ben, maya]);
    }
}
