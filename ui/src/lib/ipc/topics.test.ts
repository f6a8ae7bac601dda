import { emit } from '@tauri-apps/api/event';
import { describe, expect, it } from 'vitest';
import { fakeCore } from '../../test/ipc';
import type { Changed } from './bindings';
import { collapsing, onChange } from './topics';

/** A refresh that stays in flight until released, counting its runs. */
function gated() {
  let runs = 0;
  let release: () => void = () => {};
  const run = () => {
    runs += 1;
    return new Promise<void>((resolve) => (release = resolve));
  };
  return { run, runs: () => runs, release: () => release() };
}

/** Lets every queued promise callback and mocked event delivery run. */
const settle = () => new Promise((r) => setTimeout(r, 0));

const change = (topic: Changed['topic'], id: string | null = null) => emit('changed', { topic, id } satisfies Changed);

describe('collapsing', () => {
  it('turns a burst during a run into one more run, and every caller waits for it', async () => {
    const g = gated();
    const refresh = collapsing(g.run);
    const first = refresh();
    const burst = [refresh(), refresh(), refresh()];
    expect(g.runs()).toBe(1);
    let done = false;
    void Promise.all([first, ...burst]).then(() => (done = true));
    g.release();
    await settle();
    expect(g.runs()).toBe(2);
    expect(done).toBe(false);
    g.release();
    await settle();
    expect([g.runs(), done]).toEqual([2, true]);
    // Quiet again: the next call runs at once.
    void refresh();
    expect(g.runs()).toBe(3);
    g.release();
    await settle();
  });

  it('starts afresh after a run that threw', async () => {
    let runs = 0;
    const refresh = collapsing(async () => {
      runs += 1;
      if (runs === 1) throw new Error('offline');
    });
    await expect(refresh()).rejects.toThrow('offline');
    await refresh();
    expect(runs).toBe(2);
  });
});

describe('onChange', () => {
  it('refreshes on its topics only, collapsing a burst of changes', async () => {
    fakeCore({});
    const g = gated();
    const off = await onChange(['conversations', 'messages'], g.run);
    await change('outbox');
    await settle();
    expect(g.runs()).toBe(0);
    await change('conversations');
    await settle();
    expect(g.runs()).toBe(1);
    for (let i = 0; i < 5; i++) await change('messages', `c${i}`);
    await settle();
    g.release();
    await settle();
    g.release();
    await settle();
    expect(g.runs()).toBe(2);
    off();
  });

  it("with an id, follows that one's changes and the whole topic's", async () => {
    fakeCore({});
    let runs = 0;
    const off = await onChange('messages', () => (runs += 1), 'c1');
    await change('messages', 'c2');
    await settle();
    expect(runs).toBe(0);
    await change('messages', 'c1');
    await settle();
    expect(runs).toBe(1);
    // No id: every conversation's messages changed (the core missed some events).
    await change('messages');
    await settle();
    expect(runs).toBe(2);
    off();
  });

  it('stops when unsubscribed', async () => {
    fakeCore({});
    let runs = 0;
    const off = await onChange('outbox', () => (runs += 1));
    await change('outbox');
    await settle();
    off();
    await change('outbox');
    await settle();
    expect(runs).toBe(1);
  });
});
