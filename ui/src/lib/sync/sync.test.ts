import { describe, expect, it } from 'vitest';
import { fakeCore } from '../../test/ipc';
import { sync } from './sync.svelte';

describe('sync status', () => {
  it('keeps a state the core reported while the first answer was on its way', async () => {
    let answer: (v: unknown) => void = () => {};
    fakeCore({
      sync_state: () => new Promise((resolve) => (answer = resolve)),
      outbox: () => [],
    });
    sync.set({ state: 'syncing', applied: 0, estimated_total: 0, more: true });
    const loading = sync.load();
    // The engine goes live; its event overtakes the (older) answer to sync_state.
    sync.set({ state: 'online' });
    answer({ state: 'syncing', applied: 0, estimated_total: 0, more: true });
    await loading;
    expect(sync.state.state).toBe('online');
  });

  it('takes the answer when nothing newer came', async () => {
    fakeCore({
      sync_state: () => ({ state: 'offline', reason: 'connection refused', retry_in_ms: 2000 }),
      outbox: () => [{ state: 'failed' }, { state: 'pending' }],
    });
    await sync.load();
    expect(sync.state.state).toBe('offline');
    expect([sync.outboxPending, sync.outboxFailed]).toEqual([1, 1]);
  });
});
