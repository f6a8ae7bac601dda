// "Refresh on these topics, bursts collapsed": the one way a view follows the core's changes.
// The core names what changed by topic (declared once in Rust, `Topic` in bindings.ts) and
// sends it as one `changed` event; a view subscribes to the topics it shows and re-reads them.
import type { UnlistenFn } from '@tauri-apps/api/event';
import { listen, type Changed, type Topic } from './index';

/**
 * Wraps a refresh so that a burst of calls costs at most one extra run: while a run is in
 * flight, further calls mark one more run after it and get the promise of the run in flight
 * (which settles after that extra run). `run` should handle its own errors; a throw ends the
 * burst and rejects that promise.
 */
export function collapsing(run: () => Promise<unknown>): () => Promise<void> {
  let inflight: Promise<void> | null = null;
  let again = false;
  return () => {
    if (inflight) {
      again = true;
      return inflight;
    }
    inflight = (async () => {
      try {
        do {
          again = false;
          await run();
        } while (again);
      } finally {
        inflight = null;
      }
    })();
    return inflight;
  };
}

/** Whether a change concerns a subscriber of `topics` (and of `id`, when it names one). */
export function concerns(change: Changed, topics: readonly Topic[], id?: string): boolean {
  // A change without an id is the whole topic's (every conversation's messages, say).
  return topics.includes(change.topic) && (id === undefined || change.id === null || change.id === id);
}

/**
 * Runs `refresh` whenever something under `topics` changes — with `id`, only that one's changes
 * and the whole topic's — bursts collapsed (see `collapsing`). Resolves, once listening, to the
 * function that stops it.
 */
export function onChange(
  topics: Topic | readonly Topic[],
  refresh: () => unknown,
  id?: string,
): Promise<UnlistenFn> {
  const wanted: readonly Topic[] = typeof topics === 'string' ? [topics] : topics;
  const run = collapsing(async () => {
    await refresh();
  });
  return listen('changed', (change) => {
    if (concerns(change, wanted, id)) void run();
  });
}
