//! "maya is typing…": a client says so on its event socket, and the instance relays it to the
//! other members' sockets, at most once per [`EVERY`] per person. Nothing is stored: a typing
//! notice is worth nothing a few seconds later, so a lost one is never recovered.

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
}

impl Default for Typing {
    fn default() -> Self {
        Typing { relay: broadcast::channel(BACKLOG).0, last: Arc::default() }
    }
}

impl Typing {
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
