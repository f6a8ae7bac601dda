// The mentorship commands of the fake backend: requests within capacity, mentorships, goals and
// action items, answering with the core's shapes and error codes and announcing the topics.
import { emit } from '@tauri-apps/api/event';
import type {
  Changed, ErrorCode, GoalEdit, GoalView, IpcError, MeetingView, MentorshipDetailView, MentorshipView, PersonRef, RequestView, TaskEdit, TaskView,
} from '../lib/ipc/bindings';
import { ME, userById } from './data';
import { createSessions, meeting } from './sessions';

type Args = Record<string, unknown>;
const fail = (code: ErrorCode, message: string = code, fields: Record<string, string> = {}): never => {
  throw { code, message, fields } satisfies IpcError;
};
const DAY = 86_400_000;
const iso = (ms: number) => new Date(Date.now() + ms).toISOString();
const ymd = (ms: number) => iso(ms).slice(0, 10);
const person = (id: string): PersonRef => ({ user_id: id, username: userById(id)?.username ?? 'someone' });
const announce = (topic: Changed['topic'], id: string | null = null) => void emit('changed', { topic, id } satisfies Changed);

type Plan = { view: MentorshipView; goals: GoalView[]; tasks: TaskView[]; sessions: MeetingView[] };

function request(id: string, mentor: string, status: RequestView['status'], message: string, reason: string | null = null): RequestView {
  return {
    request_id: id, mentee: person(ME), mentor: person(mentor), incoming: false, message, status, decline_reason: reason,
    created_at: iso(-4 * DAY), expires_at: iso(10 * DAY), mentorship_id: null, pending: false, failed: null,
  };
}

export function createMentorship(offlineNow: () => boolean) {
  const requests: RequestView[] = [
    request('r-margaret', 'u-margaret', 'pending', 'I want to learn how flight software is tested. Could you mentor me?'),
    request('r-ken', 'u-ken', 'declined', 'Go and Unix, please!', 'My slots are full this quarter — try me in spring.'),
  ];
  const task = (id: string, title: string, done: boolean, dueIn: number | null, source: string | null = null): TaskView => ({
    task_id: id, goal_id: null, title, assignee: person(ME), due_date: dueIn === null ? null : ymd(dueIn), done,
    overdue: !done && dueIn !== null && dueIn < 0, source_message_id: source, pending: false, failed: null,
  });
  const plans = new Map<string, Plan>([[
    'm-linus',
    {
      view: { mentorship_id: 'm-linus', other: person('u-linus'), i_mentor: false, conversation_id: 'c-linus', status: 'active', started_at: iso(-30 * DAY), open_tasks: 1, overdue_tasks: 1, pending: false },
      goals: [{ goal_id: 'g-1', title: 'Land a first kernel patch', details: null, status: 'open', due_date: ymd(60 * DAY), pending: false, failed: null }],
      tasks: [task('t-1', 'Read the coding style guide', true, -10 * DAY), task('t-2', 'Send v3 of the patch', false, -1 * DAY)],
      sessions: [
        meeting({ session_id: 's-1', starts_at: iso(-3 * DAY), duration_minutes: 45, time_zone: 'America/Los_Angeles', location: 'https://meet.example/linus', agenda: 'Your first patch', status: 'confirmed', proposed_by: person('u-linus'), held: true, notes: 'Split the patch in two.\nRun checkpatch before sending.' }),
        meeting({ session_id: 's-2', starts_at: iso(2 * DAY), duration_minutes: 30, time_zone: 'America/Los_Angeles', location: 'https://meet.example/linus', agenda: 'Review v3', status: 'confirmed', proposed_by: person('u-linus') }),
        meeting({ session_id: 's-3', starts_at: iso(9 * DAY), duration_minutes: 60, time_zone: 'America/Los_Angeles', agenda: 'Mailing-list etiquette', proposed_by: person('u-linus'), can_confirm: true }),
      ],
    },
  ]]);
  let next = 100;
  const sessions = createSessions(person(ME), (x, mid) => queued(x, 'mentorships', mid));
  const plan = (id: unknown) => plans.get(String(id)) ?? fail('not_found', 'no such mentorship');
  const count = (p: Plan) => {
    p.view.open_tasks = p.tasks.filter((t) => !t.done).length;
    p.view.overdue_tasks = p.tasks.filter((t) => t.overdue).length;
  };
  /** The first held session without feedback, asked once (as the core does for the first held one). */
  const asked = new Set<string>();
  const askFeedback = (p: Plan) => {
    const first = p.sessions.filter((x) => x.held)[0];
    return first && !first.my_feedback && !asked.has(first.session_id) ? first.session_id : null;
  };
  /** Queued offline, sent at once online: the pending mark follows. */
  const queued = <T extends { pending: boolean }>(x: T, topic: Changed['topic'], id: string | null) => {
    x.pending = offlineNow();
    announce(topic, id);
    announce('outbox');
    return { ...x };
  };

  function handle(cmd: string, a: Args): unknown {
    switch (cmd) {
      case 'requests': {
        const box = a.mailbox as 'incoming' | 'outgoing' | null;
        return requests.filter((r) => box === null || r.incoming === (box === 'incoming')).map((r) => ({ ...r }));
      }
      case 'request_mentorship': {
        const mentor = userById(String(a.mentorId)) ?? fail('not_found', 'no such user');
        const text = String(a.message).trim();
        if (!text) fail('validation_failed', 'message', { message: 'required' });
        if (text.length > 1000) fail('validation_failed', 'message', { message: 'too_long' });
        const open = requests.filter((r) => !r.incoming && r.status === 'pending');
        if (open.some((r) => r.mentor.user_id === mentor.user_id)) fail('conflict', 'you already have a pending request to, or a mentorship with, this mentor');
        if (open.length >= 5) fail('limit_reached', 'you have 5 pending requests; wait for an answer or withdraw one');
        if (!mentor.accepting_requests || mentor.open_slots <= 0) fail('unavailable', 'this mentor has no open slot or is not accepting requests');
        const r = request(`r-${next++}`, mentor.user_id, 'pending', text);
        r.created_at = iso(0);
        r.expires_at = iso(14 * DAY);
        requests.unshift(r);
        return queued(r, 'requests', null);
      }
      case 'accept_request': case 'decline_request': case 'withdraw_request': {
        const r = requests.find((x) => x.request_id === a.requestId) ?? fail('not_found', 'no such request');
        if (r.status !== 'pending') fail('not_pending', 'this request is no longer pending');
        if ((cmd === 'withdraw_request') === r.incoming) fail('forbidden', 'not yours to answer');
        r.status = cmd === 'accept_request' ? 'accepted' : cmd === 'decline_request' ? 'declined' : 'withdrawn';
        r.decline_reason = cmd === 'decline_request' ? ((a.reason as string | null) ?? null) : null;
        queued(r, 'requests', null);
        return null;
      }
      case 'dismiss_feedback': asked.add(String(a.sessionId)); return null;
      case 'mentorships': return [...plans.values()].map((p) => ({ ...p.view }));
      case 'mentorship': {
        const p = plan(a.mentorshipId);
        return { mentorship: { ...p.view }, goals: p.goals.map((g) => ({ ...g })), tasks: p.tasks.map((t) => ({ ...t })), sessions: p.sessions.map((x) => ({ ...x })), ask_feedback: askFeedback(p) } satisfies MentorshipDetailView;
      }
      case 'end_mentorship': {
        const p = plan(a.mentorshipId);
        if (p.view.status !== 'active') fail('conflict', 'this mentorship has ended');
        p.view.status = 'ended';
        queued(p.view, 'mentorships', p.view.mentorship_id);
        return null;
      }
      case 'save_goal': {
        const p = plan(a.mentorshipId);
        const e = a.edit as GoalEdit;
        let g = p.goals.find((x) => x.goal_id === e.goal_id);
        if (!g) {
          if (!e.title?.trim()) fail('validation_failed', 'title', { title: 'required' });
          g = { goal_id: `g-${next++}`, title: e.title!.trim(), details: e.details, status: 'open', due_date: e.due_date || null, pending: false, failed: null };
          p.goals.push(g);
        } else {
          Object.assign(g, Object.fromEntries(Object.entries(e).filter(([k, v]) => v !== null && k !== 'goal_id')));
        }
        return queued(g, 'mentorships', p.view.mentorship_id);
      }
      case 'save_task': {
        const p = plan(a.mentorshipId);
        const e = a.edit as TaskEdit;
        let t = p.tasks.find((x) => x.task_id === e.task_id);
        if (!t) {
          if (!e.title?.trim()) fail('validation_failed', 'title', { title: 'required' });
          t = { task_id: `t-${next++}`, goal_id: e.goal_id, title: e.title!.trim(), assignee: person(e.assignee_id ?? ME), due_date: e.due_date || null, done: false, overdue: false, source_message_id: e.source_message_id, pending: false, failed: null };
          p.tasks.push(t);
        } else {
          if (e.title) t.title = e.title;
          if (e.done !== null) t.done = e.done;
          if (e.due_date !== null) t.due_date = e.due_date || null;
          if (e.assignee_id) t.assignee = person(e.assignee_id);
        }
        t.overdue = !t.done && t.due_date !== null && t.due_date < ymd(0);
        count(p);
        return queued(t, 'mentorships', p.view.mentorship_id);
      }
      default: return sessions.handle(cmd, a, new Map([...plans].map(([id, p]) => [id, p.sessions])));
    }
  }
  return { handle };
}
