// Attaching files and saving attachments. The core does the work (it copies the file, shows the
// message at once as pending, uploads and sends it in the background, offline too); the window
// only hands it a file: a path the OS gave (a drop in the Tauri window) or the bytes of one the
// page holds (chosen, pasted, or dropped where the OS gives no path). Refusals come back as one
// sentence for the caller to show; saving says where the file went as a toast.
import {
  ATTACHMENT_MAX_BYTES, asIpcError, commands, errorText, fieldErrorText, type IpcError,
} from '../ipc';
import { toasts } from '../ui/toasts.svelte';

export { ATTACHMENT_MAX_BYTES };

/** The sentence for a refused attachment (`file: too_large` and the like), else the error's own. */
export function attachErrorText(err: IpcError): string {
  const code = err.fields?.file;
  if (code) return fieldErrorText('file', code);
  if (err.code === 'payload_too_large') return fieldErrorText('file', 'too_large');
  return errorText(err);
}

/** A file's bytes in base64 (what `attachBytes` takes), without holding a string per byte. */
export function readBase64(file: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => {
      const url = String(reader.result);
      resolve(url.slice(url.indexOf(',') + 1));
    };
    reader.onerror = () => reject(reader.error ?? new Error('cannot read the file'));
    reader.readAsDataURL(file);
  });
}

/** What is wrong with a file before it is read, if anything. */
export function precheck(file: Blob): string | null {
  if (file.size > ATTACHMENT_MAX_BYTES) return fieldErrorText('file', 'too_large');
  if (file.size === 0) return fieldErrorText('file', 'empty');
  return null;
}

const EXTENSIONS: Record<string, string> = { 'image/png': 'png', 'image/jpeg': 'jpg', 'image/gif': 'gif', 'image/webp': 'webp' };

/** A name for a pasted image: the clipboard's own ("image.png") says nothing. */
export function pastedName(file: Blob): string {
  return `pasted-image.${EXTENSIONS[file.type] ?? 'png'}`;
}

/**
 * Attaches files the window holds, each as its own message. Every file is checked before any is
 * read; the ones that pass are sent. Answers the sentence for the first refusal, or null.
 */
export async function attachFiles(conversationId: string, files: ReadonlyArray<{ file: File; name?: string }>): Promise<string | null> {
  let problem: string | null = null;
  const ok = files.filter(({ file, name }) => {
    const why = precheck(file);
    if (why) problem ??= files.length > 1 ? `${name ?? file.name}: ${why}` : why;
    return !why;
  });
  for (const { file, name } of ok) {
    try {
      await commands.attachBytes(conversationId, name ?? (file.name || 'attachment'), await readBase64(file));
    } catch (e) {
      problem ??= attachErrorText(asIpcError(e));
    }
  }
  return problem;
}

/** Attaches files by the paths the OS gave (a drop onto the Tauri window). */
export async function attachPaths(conversationId: string, paths: readonly string[]): Promise<string | null> {
  let problem: string | null = null;
  for (const path of paths) {
    try {
      await commands.attachFile(conversationId, path, null);
    } catch (e) {
      const why = attachErrorText(asIpcError(e));
      problem ??= paths.length > 1 ? `${path.split(/[\\/]/).pop()}: ${why}` : why;
    }
  }
  return problem;
}

/**
 * Saves an attachment into the Downloads folder and says where. `fileName` may be empty when
 * the name is unknown (someone else's file): the core names it then.
 */
export async function saveAttachment(mediaUrl: string, fileName: string): Promise<boolean> {
  try {
    const path = await commands.saveAttachment(mediaUrl, fileName);
    toasts.push('success', `Saved to ${path}`);
    return true;
  } catch (e) {
    toasts.push('error', errorText(asIpcError(e), {
      overrides: { not_found: 'That attachment is no longer on the server.' },
    }));
    return false;
  }
}
