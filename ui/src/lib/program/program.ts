import { asIpcError, commands, errorText, type Profile } from '../ipc';
import { toasts } from '../ui/toasts.svelte';

/** Names for the ids a coordinator's lists carry (each list brings the profiles it names). */
export function namer(users: Profile[]): (id: string | null) => string {
  const byId = new Map(users.map((u) => [u.user_id, u.username]));
  return (id) => (id ? (byId.get(id) ?? 'a deleted account') : 'a deleted account');
}

/** Runs a coordinator's action, answering the error text when it failed. */
export async function attempt(action: () => Promise<unknown>): Promise<string | null> {
  try {
    await action();
    return null;
  } catch (e) {
    return errorText(asIpcError(e));
  }
}

/**
 * A coordinator's action from a list: on failure the error as a toast; on success the toast
 * `done`, then `after` (reload the list and the counts).
 */
export async function act(action: () => Promise<unknown>, done: string, after: () => Promise<unknown> | void): Promise<boolean> {
  const failed = await attempt(action);
  if (failed) {
    toasts.push('error', failed);
    return false;
  }
  toasts.push('success', done);
  await after();
  return true;
}

export { commands };
