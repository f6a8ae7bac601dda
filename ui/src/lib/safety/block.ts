import { conversations } from '../conversations/conversations.svelte';
import { asIpcError, commands, errorText } from '../ipc';
import { toasts } from '../ui/toasts.svelte';

/** Blocks someone: their direct conversation leaves the list at once (queued when offline). */
export async function blockUser(userId: string, username: string): Promise<boolean> {
  try {
    await commands.blockUser(userId);
    await conversations.refresh();
    toasts.push('success', `Blocked ${username}. Neither of you can message the other; unblock in Settings.`);
    return true;
  } catch (e) {
    toasts.push('error', errorText(asIpcError(e)));
    return false;
  }
}
