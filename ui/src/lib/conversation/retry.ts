import { asIpcError, commands, errorText } from '../ipc';

/** Retries the outbox entry that carries this message. Returns an error sentence or null. */
export async function retryMessage(messageId: string): Promise<string | null> {
  try {
    const entry = (await commands.outbox()).find((e) => e.message_id === messageId);
    if (!entry) return 'This message is no longer in the outbox.';
    await commands.retry(entry.id);
    return null;
  } catch (e) {
    return errorText(asIpcError(e));
  }
}
