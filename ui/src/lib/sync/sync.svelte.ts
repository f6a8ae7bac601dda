import { commands, type SyncState } from '../ipc';

class Sync {
  state = $state<SyncState>({ state: 'online' });
  /** When the current offline state was reported; the countdown is relative to it. */
  offlineSince = $state(0);
  outboxPending = $state(0);
  outboxFailed = $state(0);

  offline = $derived(this.state.state === 'offline');

  set(s: SyncState) {
    this.state = s;
    if (s.state === 'offline') this.offlineSince = Date.now();
  }

  setOutbox(pending: number, failed: number) {
    this.outboxPending = pending;
    this.outboxFailed = failed;
  }

  async load() {
    try {
      this.set(await commands.syncState());
      const entries = await commands.outbox();
      this.setOutbox(
        entries.filter((e) => e.state !== 'failed').length,
        entries.filter((e) => e.state === 'failed').length,
      );
    } catch {
      // Status is advisory; the events will bring it.
    }
  }
}

export const sync = new Sync();
