// One way for the session components to run an action: a toast on success, the refusal's
// sentence on failure, and the panel read again after a success.
import { toasts } from '../ui/toasts.svelte';
import { asIpcError, refusalText } from '../ipc';

/** Runs `run`; answers whether it went through. */
export async function act(run: () => Promise<unknown>, done: string | undefined, after: () => Promise<void>): Promise<boolean> {
  try {
    await run();
    if (done) toasts.push('success', done);
    await after();
    return true;
  } catch (e) {
    toasts.push('error', refusalText(asIpcError(e)));
    return false;
  }
}
