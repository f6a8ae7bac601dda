// Reacting to and deleting a message: both are queued by the core (they work offline); a refusal
// here is a rule (deleted already, not the sender) and is told as a toast.
import { asIpcError, commands, errorText } from '../ipc';
import { toasts } from '../ui/toasts.svelte';
import { recentEmoji } from './emoji.svelte';

/** Puts the user's emoji on (`on`) or takes it off a message; true once taken. */
export async function react(messageId: string, emoji: string, on: boolean): Promise<boolean> {
  try {
    await commands.react(messageId, emoji, on);
    if (on) recentEmoji.used(emoji);
    return true;
  } catch (e) {
    toasts.push('error', errorText(asIpcError(e), {
      overrides: {
        validation_failed: 'That is not an emoji Lodestar can react with.',
        conflict: 'This message was deleted.',
      },
    }));
    return false;
  }
}

/** Deletes a message for everyone; true once taken. */
export async function deleteMessage(messageId: string): Promise<boolean> {
  try {
    await commands.deleteMessage(messageId);
    toasts.push('success', 'Message deleted.');
    return true;
  } catch (e) {
    toasts.push('error', errorText(asIpcError(e), {
      overrides: { forbidden: "Only its sender, or a group's owners and admins, can delete this message." },
    }));
    return false;
  }
}
