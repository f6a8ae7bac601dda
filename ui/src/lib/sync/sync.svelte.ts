import { commands, type SyncState } from '../ipc';

class Sync {
  state = $state<SyncState>({ state: 'online' });
  /** When the current offline state was reported; the countdown is relative to it. */
  offlineSince = $state(0);
  outboxPending = $state(0);
  outboxFailed = $state(0);

  offline = $derived(this.state.state === 'offline');

  /**
   * How many states the core has reported. An answer to `load()` is older than any event that
   * arrived while it was on its way (replies and events travel separately): applying it then
   * put back a stale "Syncing…" or "Offline" that no later event corrected, since a live engine
   * reports nothing more until something changes. The README's pictures showed exactly that.
   */
  private reported = 0;

  set(s: SyncState) {
    this.reported += 1;
    this.state = s;
    if (s.state === 'offline') this.offlineSince = Date.now();
  }

  setOutbox(pending: number, failed: number) {
    this.outboxPending = pending;
    this.outboxFailed = failed;
  }

  async load() {
    try {
      const before = this.reported;
      const current = await commands.syncState();
      if (this.reported === before) this.set(current);
    } catch {
      // Status is advisory; the events will bring it.
    }
    await this.loadOutbox();
  }

  /** Re-counts the outbox (on load, and whenever the core says it changed). */
  async loadOutbox() {
    try {
      const entries = await commands.outbox();
      this.setOutbox(
        entries.filter((e) => e.state !== 'failed').length,
        entries.filter((e) => e.state === 'failed').length,
      );
    } catch {
      // Advisory too: the next change re-counts.
    }
  }
}

export const sync = new Sync();
