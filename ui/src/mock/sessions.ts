// The session commands of the fake backend: propose, move, confirm, cancel, notes, feedback and
// "Add to calendar", with the core's rules as far as the window sees them.
import type { FeedbackEdit, IpcError, MeetingView, PersonRef, SessionEdit } from '../lib/ipc/bindings';
import { ME } from './data';

type Args = Record<string, unknown>;
const fail = (code: IpcError['code'], message: string = code, fields: Record<string, string> = {}): never => {
  throw { code, message, fields } satisfies IpcError;
};

/** A session as the core shows it, with what the mock does not track filled in. */
export function meeting(m: Partial<MeetingView> & Pick<MeetingView, 'session_id' | 'starts_at' | 'proposed_by'>): MeetingView {
  return {
    duration_minutes: 60, time_zone: 'UTC', location: null, agenda: null, status: 'proposed', cancel_reason: null,
    held: false, can_confirm: false, notes: '', my_feedback: null, pending: false, failed: null, ...m,
  };
}

export function createSessions(me: PersonRef, mark: (x: MeetingView, mentorshipId: string) => MeetingView) {
  let next = 500;
  const find = (all: Map<string, MeetingView[]>, id: unknown): [MeetingView, string] => {
    for (const [mid, list] of all) {
      const x = list.find((s) => s.session_id === id);
      if (x) return [x, mid];
    }
    return fail('not_found', 'no such session');
  };
  /** A `datetime-local` value in a zone, to an instant (the mock takes UTC and the browser's zone alike). */
  const instant = (local: string | null) => {
    const at = local ? new Date(local) : null;
    if (!at || Number.isNaN(at.getTime())) return fail('validation_failed', 'starts_at', { starts_at: 'invalid' });
    if (at.getTime() <= Date.now()) fail('validation_failed', 'starts_at', { starts_at: 'in_the_past' });
    return at.toISOString();
  };

  function handle(cmd: string, a: Args, all: Map<string, MeetingView[]>): unknown {
    switch (cmd) {
      case 'save_session': {
        const e = a.edit as SessionEdit;
        const list = all.get(String(a.mentorshipId)) ?? fail('not_found', 'no such mentorship');
        if (e.duration_minutes !== null && (e.duration_minutes < 15 || e.duration_minutes > 240)) fail('validation_failed', 'duration_minutes', { duration_minutes: 'out_of_range' });
        if (e.session_id === null) {
          const x = meeting({
            session_id: `s-${next++}`, starts_at: instant(e.starts_local), duration_minutes: e.duration_minutes ?? 60,
            time_zone: e.time_zone ?? 'UTC', location: e.location, agenda: e.agenda, proposed_by: me,
          });
          list.push(x);
          return mark(x, String(a.mentorshipId));
        }
        const [x, mid] = find(all, e.session_id);
        if (x.status === 'cancelled') fail('conflict', 'this session was cancelled');
        if (e.starts_local) Object.assign(x, { starts_at: instant(e.starts_local), status: 'proposed', proposed_by: me, can_confirm: false });
        return mark(x, mid);
      }
      case 'confirm_session': {
        const [x, mid] = find(all, a.sessionId);
        if (x.proposed_by.user_id === ME) fail('forbidden', 'you proposed this session: the other person confirms it');
        Object.assign(x, { status: 'confirmed', can_confirm: false });
        mark(x, mid);
        return null;
      }
      case 'cancel_session': {
        const [x, mid] = find(all, a.sessionId);
        Object.assign(x, { status: 'cancelled', cancel_reason: (a.reason as string | null) ?? null, can_confirm: false });
        mark(x, mid);
        return null;
      }
      case 'write_notes': {
        const [x, mid] = find(all, a.sessionId);
        x.notes = String(a.text);
        mark(x, mid);
        return x.notes;
      }
      case 'give_feedback': {
        const [x, mid] = find(all, a.sessionId);
        if (!x.held) fail('validation_failed', 'session_id', { session_id: 'not_held' });
        const f = a.edit as FeedbackEdit;
        x.my_feedback = { session_id: x.session_id, author_id: ME, rating: f.rating, fit: f.fit as 'good', comment: f.comment, created_at: new Date().toISOString() };
        mark(x, mid);
        return null;
      }
      case 'dismiss_feedback': find(all, a.sessionId); return null;
      case 'save_calendar': {
        const [x] = find(all, a.sessionId);
        return `/home/you/Downloads/lodestar-session-${x.session_id}.ics`;
      }
      default: return undefined;
    }
  }
  return { handle };
}
