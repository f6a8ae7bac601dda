//! Gives the heap a bulk pull freed back to the operating system.
//!
//! glibc keeps what a thread freed in that thread's arena; after a first sync of 100k messages
//! (pages of JSON parsed on tokio workers, written on SQLite's worker) the app stayed ~30 MiB
//! above its steady size for as long as it ran. `malloc_trim` walks the arenas and returns their
//! free pages. Once per bulk pull, when it has ended, is enough: trimming after every small pull
//! would only cost CPU.

use lodestar_client::engine::SyncState;

/// A pull of at least this many changes counts as bulk.
const BULK_CHANGES: u64 = 1_000;

/// Watches the sync state and trims once after each bulk pull.
#[derive(Debug, Default)]
pub struct Trimmer {
    bulk_pull_running: bool,
}

impl Trimmer {
    /// Feeds one sync state; returns whether it trimmed (a bulk pull just ended).
    pub fn observe(&mut self, state: &SyncState) -> bool {
        match state {
            SyncState::Syncing { applied, estimated_total, .. } => {
                self.bulk_pull_running |= (*applied).max(*estimated_total) >= BULK_CHANGES;
                false
            }
            _ if self.bulk_pull_running => {
                self.bulk_pull_running = false;
                // The walk locks each arena in turn: off the async workers.
                tauri::async_runtime::spawn_blocking(release_free_heap);
                true
            }
            _ => false,
        }
    }
}

#[cfg(all(target_os = "linux", target_env = "gnu"))]
#[allow(unsafe_code)]
pub fn release_free_heap() {
    // SAFETY: malloc_trim only reorganises glibc's own free lists; it takes no pointers and has
    // no precondition on the caller. Any thread may call it at any time.
    let released = unsafe { libc::malloc_trim(0) } != 0;
    tracing::debug!(released, "returned free heap to the OS");
}

/// Other allocators (macOS, Windows, musl) return free pages by themselves.
#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
pub fn release_free_heap() {}

#[cfg(test)]
mod tests {
    use super::*;

    fn syncing(applied: u64, estimated_total: u64) -> SyncState {
        SyncState::Syncing { applied, estimated_total, more: true }
    }

    #[test]
    fn trims_once_when_a_bulk_pull_ends_and_not_after_small_ones() {
        let mut t = Trimmer::default();
        assert!(!t.observe(&syncing(10, 20)));
        assert!(!t.observe(&SyncState::Online), "a small pull is not worth a trim");
        assert!(!t.observe(&syncing(0, 100_000)));
        assert!(!t.observe(&syncing(50_000, 100_000)));
        assert!(t.observe(&SyncState::Online), "the end of a bulk pull trims");
        assert!(!t.observe(&SyncState::Online), "once");
        assert!(!t.observe(&syncing(1_500, 0)));
        assert!(t.observe(&SyncState::Offline { reason: "gone".into(), retry_in_ms: 1000 }));
    }
}
