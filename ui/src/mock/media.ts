// Attachments in the fake backend, with the core's shape: attach_file / attach_bytes make a
// message shown at once as `upload:<id>` (pending) whose `attachment.uploaded` moves in a few
// steps, then becomes `/v1/media/<id>` and is sent; offline it waits. The bytes stay here as
// Blobs, and the window's media addresses are swapped for blob: URLs of them (the app's
// `lodestar-media:` scheme cannot load in a plain browser). A thumbnail of a file that is not an
// image fails to load, as the core's 404 does.
import type { AttachmentView, ErrorCode, IpcError, MessageItem, OutboxEntry } from '../lib/ipc/bindings';
import { setMediaSource } from '../lib/media/source';
import { ME, userById } from './data';
import type { ConvStore } from './store';

type Args = Record<string, unknown>;
const fail = (code: ErrorCode, message: string = code, fields: Record<string, string> = {}): never => {
  throw { code, message, fields } satisfies IpcError;
};
const MAX_BYTES = 25 * 1024 * 1024;
const TYPES: Record<string, string> = {
  png: 'image/png', jpg: 'image/jpeg', jpeg: 'image/jpeg', gif: 'image/gif', webp: 'image/webp', svg: 'image/svg+xml',
  pdf: 'application/pdf', txt: 'text/plain', md: 'text/markdown', csv: 'text/csv', doc: 'application/msword',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', mp3: 'audio/mpeg', mp4: 'video/mp4',
};
/** How long each upload step takes, and the share of the file sent after each. */
const STEP_MS = 600;
const STEPS = [0.4, 0.8, 1];

export type MediaDeps = {
  convs: Map<string, ConvStore>;
  changed: (convId: string) => void;
  offline: () => boolean;
  nextSeq: () => number;
  /** Queues an outbox entry (its id is filled in) and says so. */
  queue: (entry: Omit<OutboxEntry, 'id'>) => OutboxEntry;
  /** Takes an entry off the outbox and says so. */
  unqueue: (id: number) => void;
  /** Sends a queued message: pending → sent, as `send` does. */
  deliver: (convId: string, item: MessageItem, entryId: number) => void;
  /** Someone else's message arrives (see `createMessages`); answers its id. */
  arrive: (convId: string, userId: string, m: { mediaUrl: string }) => string;
};

export function createMedia(d: MediaDeps) {
  const blobs = new Map<string, Blob>();
  const urls = new Map<string, string>();

  // Every part of a file is its blob: a thumbnail of a file that is not an image then fails to
  // load, as the core's 404 does; no such file, an address that fails too.
  setMediaSource((id, part) => {
    // A linked picture would come from its host through the server: the mock has no server.
    if (part === 'linked') return 'data:,';
    const blob = blobs.get(id);
    if (!blob) return 'data:,';
    let url = urls.get(id);
    if (!url) urls.set(id, (url = URL.createObjectURL(blob)));
    return url;
  });

  const conv = (id: unknown) => d.convs.get(String(id)) ?? fail('not_found', 'no such conversation');

  function check(name: string, size: number): string {
    if (size > MAX_BYTES) fail('validation_failed', 'too large', { file: 'too_large' });
    if (size === 0) fail('validation_failed', 'empty', { file: 'empty' });
    const ext = /\.([a-z0-9]+)$/i.exec(name)?.[1]?.toLowerCase() ?? '';
    return TYPES[ext] ?? fail('validation_failed', 'not allowed', { file: 'type_not_allowed' });
  }

  /** Adds the pending message and starts its upload. */
  function attach(convId: string, fileName: string, blob: Blob, content: string | null) {
    const store = conv(convId);
    const id = crypto.randomUUID();
    blobs.set(id, blob);
    const messageId = `local-${crypto.randomUUID()}`;
    const attachment: AttachmentView = { file_name: fileName, size: blob.size, uploaded: null, path: `/home/ada/.local/share/lodestar/attachments/${id}` };
    store.seed.messages.push({
      message: {
        message_id: messageId, conversation_id: store.seed.id, sender_id: ME, content, media_url: `upload:${id}`,
        sent_at: new Date().toISOString(), seq: 0, status: 'delivered', reply_to: null, edited_at: null, deleted_at: null,
      },
      sender_name: userById(ME)?.username ?? 'ada',
      status: { state: 'pending' },
      reply: null,
      reactions: [],
      attachment,
    });
    const upload = d.queue({
      kind: 'upload', title: 'Attachment', depends_on: null, conversation_id: store.seed.id, message_id: messageId,
      summary: fileName, state: 'pending', attempts: 0, last_error: null,
    });
    setTimeout(() => d.changed(store.seed.id), 0);
    if (d.offline()) return;

    /** The message as it is now, with its attachment moved on. */
    const step = (i: number) => {
      const now = store.find(messageId);
      // Deleted while it waited: never sent.
      if (!now || now.message.deleted_at || !now.attachment) return d.unqueue(upload.id);
      const uploaded = Math.round(blob.size * STEPS[i]);
      if (i < STEPS.length - 1) {
        store.replace({ ...now, attachment: { ...now.attachment, uploaded } });
        d.changed(store.seed.id);
        setTimeout(() => step(i + 1), STEP_MS);
        return;
      }
      const done: MessageItem = { ...now, message: { ...now.message, media_url: `/v1/media/${id}` }, attachment: { ...now.attachment, uploaded } };
      store.replace(done);
      d.unqueue(upload.id);
      const send = d.queue({
        kind: 'message', title: 'Message', depends_on: null, conversation_id: store.seed.id, message_id: messageId,
        summary: content ?? fileName, state: 'pending', attempts: 0, last_error: null,
      });
      d.changed(store.seed.id);
      d.deliver(store.seed.id, done, send.id);
    };
    setTimeout(() => step(0), STEP_MS);
  }

  function decode(base64: string): Uint8Array<ArrayBuffer> {
    const raw = atob(base64);
    const bytes = new Uint8Array(raw.length);
    for (let i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
    return bytes;
  }

  function handle(cmd: string, a: Args): unknown {
    switch (cmd) {
      case 'attach_bytes': {
        const name = String(a.fileName ?? '');
        const bytes = decode(String(a.base64 ?? ''));
        const type = check(name, bytes.length);
        attach(String(a.conversationId), name, new Blob([bytes], { type }), null);
        return null;
      }
      case 'attach_file': {
        // The OS gave a path; the page cannot read it, so the mock makes up its bytes.
        const path = String(a.path ?? '');
        const name = path.split(/[\\/]/).pop() ?? '';
        const body = `The file that was at ${path}\n`;
        const type = check(name, body.length);
        attach(String(a.conversationId), name, new Blob([body], { type: type.startsWith('image/') ? 'text/plain' : type }), (a.content as string | null) ?? null);
        return null;
      }
      case 'save_attachment': {
        const id = /^\/v1\/media\/([0-9a-f-]+)$/i.exec(String(a.mediaUrl ?? ''))?.[1];
        if (!id || !blobs.has(id)) fail('not_found', 'attachment');
        const name = String(a.fileName ?? '').split(/[\\/]/).pop() || id!.replaceAll('-', '');
        return `/home/ada/Downloads/${name}`;
      }
      default:
        return undefined;
    }
  }

  /** Someone else's file arrives (`window.__lodestarMock.simulate.receiveFile`). */
  function receiveFile(conversationId: string, userId: string, fileName: string, text = 'a file') {
    conv(conversationId);
    const id = crypto.randomUUID();
    blobs.set(id, new Blob([text], { type: TYPES[fileName.split('.').pop() ?? ''] ?? 'application/octet-stream' }));
    return d.arrive(conversationId, userId, { mediaUrl: `/v1/media/${id}` });
  }

  return { handle, receiveFile };
}
