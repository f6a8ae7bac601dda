// An in-memory Lodestar core for the mock build: same commands, same events, same error shapes.
import { emit } from '@tauri-apps/api/event';
import type {
  Changed, DirectoryQuery, ErrorCode, IpcError, MessageItem, OutboxEntry, ProfileEdit, RegisterForm, SessionView, SyncState,
} from '../lib/ipc/bindings';
import { ME, PASSWORD, seedConversations, userById, userByName, users } from './data';
import { createDesktop } from './desktop';
import { groupCommand } from './groups';
import { createMedia } from './media';
import { createMessages } from './messages';
import { createMentorship } from './mentorship';
import { createSafety } from './safety';
import { ConvStore } from './store';
import { checkProfile, checkRegister } from './validate';

export type MockOptions = { signedIn: boolean; offline: boolean; empty: boolean };
type Args = Record<string, unknown>;

const fail = (code: ErrorCode, message: string = code, fields: Record<string, string> = {}): never => {
  throw { code, message, fields } satisfies IpcError;
};

export function createBackend(opts: MockOptions) {
  const server = 'http://localhost:8080';
  let session: SessionView = opts.signedIn
    ? { signed_in: true, user_id: ME, username: 'ada', server }
    : { signed_in: false, user_id: null, username: null, server };
  let sync: SyncState = opts.offline
    ? { state: 'offline', reason: 'connection refused (localhost:8080)', retry_in_ms: 8000 }
    : { state: 'online' };
  const convs = new Map((opts.empty ? [] : seedConversations()).map((c) => [c.id, new ConvStore(c)]));
  const drafts = new Map<string, { content: string; media_url: string | null }>();
  let outbox: OutboxEntry[] = [
    { id: 1, kind: 'message', title: 'Message', depends_on: null, conversation_id: 'c-linus', message_id: [...(convs.get('c-linus')?.seed.messages ?? [])].pop()?.message.message_id ?? null, summary: 'Here it is — v2 of the patch.', state: 'failed', attempts: 3, last_error: 'attachment host not allowed' },
  ];
  let nextSeq = 500_000;
  let nextOutbox = 2;
  let settings = { server, notifications: true, data_dir: '/home/ada/.local/share/lodestar' };
  const calls: Array<{ cmd: string; args: Args }> = [];
  const mentorship = createMentorship(() => sync.state === 'offline');
  // The demo user coordinates the program when the page asks for it (`?coordinator`).
  const coordinator = () => new URLSearchParams(globalThis.location?.search ?? '').has('coordinator');
  const safety = createSafety(coordinator, () => needServer());
  const desktop = createDesktop(server);

  /** The core's one change event: what changed, and which one when only one did. */
  const announce = (topic: Changed['topic'], id: string | null = null) =>
    void emit('changed', { topic, id } satisfies Changed);
  const changed = (convId: string) => {
    announce('messages', convId);
    announce('conversations');
  };
  const outboxChanged = () => announce('outbox');
  const conv = (id: unknown) => convs.get(String(id)) ?? fail('not_found', 'no such conversation');
  const offlineNow = () => sync.state === 'offline';
  const needServer = () => offlineNow() && fail('offline', "can't reach the server");
  const messages = createMessages(convs, changed, () => nextSeq++);

  /** Delivers a queued message the way the core would: pending → sent, with events. */
  function deliver(convId: string, item: MessageItem, entryId: number) {
    setTimeout(() => {
      if (offlineNow()) return;
      const store = convs.get(convId);
      // As it is now: it may have been edited (or deleted: then never sent) while queued.
      const now = store?.find(item.message.message_id);
      if (!store || !now) return;
      if (!now.message.deleted_at) store.replace({ ...now, message: { ...now.message, seq: nextSeq++ }, status: { state: 'sent' } });
      outbox = outbox.filter((e) => e.id !== entryId);
      changed(convId);
      outboxChanged();
    }, 900);
  }

  const media = createMedia({
    convs,
    arrive: messages.arrive,
    changed,
    offline: offlineNow,
    nextSeq: () => nextSeq++,
    queue: (entry) => {
      const e = { ...entry, id: nextOutbox++ };
      outbox.push(e);
      outboxChanged();
      return e;
    },
    unqueue: (id) => {
      outbox = outbox.filter((e) => e.id !== id);
      outboxChanged();
    },
    deliver,
  });

  function signIn(username: string) {
    session = { signed_in: true, user_id: ME, username, server };
    if (!offlineNow()) {
      // A short first-sync so the progress bar is exercised.
      let applied = 0;
      const step = () => {
        applied += 2500;
        sync = applied >= 10_000 ? { state: 'online' } : { state: 'syncing', applied, estimated_total: 10_000, more: true };
        void emit('sync', sync);
        if (sync.state === 'syncing') setTimeout(step, 150);
      };
      setTimeout(step, 50);
    }
    return session;
  }

  function handle(cmd: string, a: Args): unknown {
    calls.push({ cmd, args: a });
    switch (cmd) {
      case 'session': return session;
      case 'login': {
        needServer();
        const login = String(a.login).toLowerCase();
        const u = users.find((x) => x.username === login || `${x.username}@example.org` === login);
        if (!u || u.user_id !== ME || a.password !== PASSWORD) fail('unauthorized', 'wrong username or password');
        return signIn('ada');
      }
      case 'register': {
        needServer();
        const form = a.form as RegisterForm;
        const fields = checkRegister(form);
        if (Object.keys(fields).length) fail('validation_failed', 'invalid', fields);
        if (userByName(form.username)) fail('conflict', 'taken', { username: 'taken' });
        return signIn(form.username);
      }
      case 'logout': session = { signed_in: false, user_id: null, username: null, server }; return null;
      case 'check_register': return checkRegister(a.form as RegisterForm);
      // The mock's servers are all on this machine; the real rule is lodestar-client's.
      case 'server_transport': return String(a.server).startsWith('https://') ? 'encrypted' : 'loopback';
      case 'sync_state': return sync;
      case 'outbox': return outbox;
      case 'retry': {
        const e = outbox.find((x) => x.id === a.entryId) ?? fail('not_found');
        e.state = 'pending';
        e.attempts += 1;
        const store = e.conversation_id ? convs.get(e.conversation_id) : undefined;
        const item = e.message_id ? store?.find(e.message_id) : undefined;
        if (store && item) {
          store.replace({ ...item, status: { state: 'pending' } });
          changed(store.seed.id);
          deliver(store.seed.id, item, e.id);
        }
        outboxChanged();
        return null;
      }
      case 'discard': outbox = outbox.filter((x) => x.id !== a.entryId); outboxChanged(); return null;
      case 'conversations': return [...convs.values()].map((c) => c.view());
      case 'messages': return conv(a.conversationId).newest(Number(a.limit));
      case 'older_messages': return conv(a.conversationId).older(Number(a.beforeSeq), Number(a.limit));
      case 'send': {
        const store = conv(a.conversationId);
        const content = (a.content as string | null) ?? null;
        const media = (a.mediaUrl as string | null) ?? null;
        if (!content && !media) fail('validation_failed', 'empty', { content: 'required' });
        if (content && content.length > 10_000) fail('validation_failed', 'too long', { content: 'too_long' });
        const replyTo = (a.replyTo as string | null | undefined) ?? null;
        if (replyTo && !store.find(replyTo)) fail('not_found', 'the message answered is not in this conversation');
        const id = `local-${crypto.randomUUID()}`;
        store.seed.messages.push({
          message: {
            message_id: id, conversation_id: store.seed.id, sender_id: ME, content, media_url: media, sent_at: new Date().toISOString(), seq: 0, status: "delivered",
            reply_to: replyTo, edited_at: null, deleted_at: null,
          },
          sender_name: 'ada',
          status: { state: 'pending' },
          reply: null,
          reactions: [],
          attachment: null,
        });
        const item: MessageItem = store.at(store.count - 1);
        const entry: OutboxEntry = { id: nextOutbox++, kind: 'message', title: 'Message', depends_on: null, conversation_id: store.seed.id, message_id: id, summary: (content ?? media ?? '').slice(0, 80), state: 'pending', attempts: 0, last_error: null };
        outbox.push(entry);
        drafts.delete(store.seed.id);
        setTimeout(() => { changed(store.seed.id); outboxChanged(); }, 0);
        deliver(store.seed.id, item, entry.id);
        return item;
      }
      case 'mark_read': { const c = conv(a.conversationId); const n = c.seed.unread; c.seed.unread = 0; announce('conversations'); return n; }
      case 'draft': return drafts.get(String(a.conversationId)) ?? null;
      case 'save_draft': {
        const d = a.draft as { content: string; media_url: string | null };
        if (d.content || d.media_url) drafts.set(String(a.conversationId), d);
        else drafts.delete(String(a.conversationId));
        return null;
      }
      case 'set_muted': conv(a.conversationId).seed.muted = Boolean(a.muted); announce('conversations'); return null;
      case 'focus_conversation': return null;
      case 'open_direct': {
        needServer();
        const u = userByName(String(a.username)) ?? fail('not_found', 'no such user');
        const existing = [...convs.values()].find((c) => c.seed.kind === 'DIRECT' && c.seed.members.includes(u.user_id));
        if (existing) return existing.seed.id;
        const id = `c-${u.username}`;
        convs.set(id, new ConvStore({ id, kind: 'DIRECT', title: u.username, members: [ME, u.user_id], muted: false, unread: 0, messages: [] }));
        announce('conversations');
        return id;
      }
      case 'search': {
        const q = String(a.text).toLowerCase();
        const hits = [];
        for (const c of convs.values()) {
          for (let i = c.count - 1; i >= 0 && hits.length < 20; i--) {
            const m = c.at(i).message;
            const at = m.content?.toLowerCase().indexOf(q) ?? -1;
            if (!q || at < 0 || !m.content) continue;
            const from = Math.max(0, at - 30);
            const snippet = `${from > 0 ? '…' : ''}${m.content.slice(from, at)}[${m.content.slice(at, at + q.length)}]${m.content.slice(at + q.length, at + q.length + 40)}`;
            hits.push({ message_id: m.message_id, conversation_id: m.conversation_id, snippet });
          }
        }
        return hits;
      }
      case 'directory': {
        needServer();
        const q = a.query as DirectoryQuery;
        const has = (v: string | null, s: string | null) => !s || (v ?? '').toLowerCase().includes(s.toLowerCase());
        const found = users.filter((u) => u.user_id !== ME
          && (q.mentor === null || u.mentor_status === q.mentor) && (q.mentee === null || u.mentee_status === q.mentee)
          && (!q.skill || u.skills.some((s) => s.toLowerCase() === q.skill!.toLowerCase()))
          && has(u.industry, q.industry) && (!q.state || u.state === q.state)
          && (q.min_years === null || (u.years_of_experience ?? 0) >= q.min_years)
          && (!q.q || [u.username, u.bio, u.job_title, u.city].some((v) => has(v, q.q))));
        const start = Number(q.cursor ?? 0);
        const page = found.slice(start, start + 6);
        return { users: page, next_cursor: start + 6 < found.length ? String(start + 6) : null };
      }
      case 'matches':
        needServer();
        return ['u-grace', 'u-frances', 'u-alan'].map((id, i) => ({ user: userById(id)!, score: 0.92 - i * 0.11, reasons: i === 0 ? ['Shares your interest in compilers', 'Mentor with 22 years in Software'] : ['Works in ' + userById(id)!.industry] }));
      case 'user': needServer(); return userByName(String(a.username)) ?? fail('not_found');
      case 'my_profile': {
        const me = userById(ME)!;
        return { ...me, username: session.username ?? me.username, email: 'ada@example.org', phone_number: null, date_of_birth: '1995-12-10', is_coordinator: coordinator() };
      }
      case 'check_profile': return checkProfile(a.edit as ProfileEdit);
      case 'update_profile': {
        const e = a.edit as ProfileEdit;
        const fields = checkProfile(e);
        if (Object.keys(fields).length) fail('validation_failed', 'invalid', fields);
        const me = userById(ME)!;
        Object.assign(me, { ...e, city: e.city || null, state: e.state || null, bio: e.bio || null, job_title: e.job_title || null, industry: e.industry || null, profile_picture_url: e.profile_picture_url || null });
        if (offlineNow()) {
          outbox.push({ id: nextOutbox++, kind: 'profile', title: 'Profile change', depends_on: null, conversation_id: null, message_id: null, summary: 'bio', state: 'pending', attempts: 0, last_error: null });
          outboxChanged();
        }
        session = { ...session, username: e.username };
        return { ...me, email: e.email, phone_number: e.phone_number || null, date_of_birth: e.date_of_birth, is_coordinator: false };
      }
      case 'settings': return settings;
      case 'set_notifications': settings = { ...settings, notifications: Boolean(a.on) }; return null;
      case 'ui_ready': return null;
      default: {
        const r = groupCommand(cmd, a, convs, needServer);
        if (r !== undefined) return r;
        const m = mentorship.handle(cmd, a);
        if (m !== undefined) return m;
        const sf = safety.handle(cmd, a);
        if (sf !== undefined) return sf;
        const ms = messages.handle(cmd, a);
        if (ms !== undefined) return ms;
        const md = media.handle(cmd, a);
        if (md !== undefined) return md;
        const dk = desktop.handle(cmd, a);
        if (dk !== undefined) return dk;
        return fail('not_found', `mock has no command ${cmd}`);
      }
    }
  }

  return { handle, calls, simulate: { ...messages.simulate, receiveFile: media.receiveFile, ...desktop.simulate } };
}
