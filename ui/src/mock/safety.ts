// The safety and program commands of the fake backend: blocks and reports (queued like the
// core's), the export, and a coordinator's Program section with one open report, one held
// message and a few weeks of sessions, answering with the core's shapes.
import type {
  AuditList, Blocked, ErrorCode, HeldList, IpcError, Message, ProgramStats, Report, ReportForm, ReportList, SuspensionList,
} from '../lib/ipc/bindings';
import { userById, users } from './data';

type Args = Record<string, unknown>;
const fail = (code: ErrorCode, message: string = code): never => {
  throw { code, message, fields: {} } satisfies IpcError;
};
const iso = (ms: number) => new Date(Date.now() + ms).toISOString();
const HOUR = 3_600_000;

function message(id: string, sender: string, content: string, agoMs: number, extra: Partial<Message> = {}): Message {
  return {
    message_id: id, conversation_id: 'c-report', sender_id: sender, content, media_url: null, sent_at: iso(-agoMs), seq: 1, status: 'delivered',
    reply_to: null, edited_at: null, deleted_at: null, ...extra,
  };
}

export function createSafety(coordinator: () => boolean, needServer: () => void) {
  const blocked = new Map<string, Blocked>();
  const filed: ReportForm[] = [];
  const reports: Report[] = [{
    report_id: 'rep-1', reporter_id: 'u-hedy', user_id: 'u-dennis', message_id: 'cm-3', reason: 'harassment',
    details: 'Keeps asking where I live.', status: 'open', created_at: iso(-2 * HOUR), resolution: null,
    context: [
      message('cm-1', 'u-hedy', 'Thanks for the review!', 5 * HOUR),
      message('cm-2', 'u-dennis', 'Any time.', 4 * HOUR),
      message('cm-3', 'u-dennis', 'Which street do you live on?', 3 * HOUR),
    ],
  }];
  const held: Message[] = [message('hm-1', 'u-radia', 'Text me on 415.555.0100', HOUR, { status: 'held', held_reason: 'phone' })];
  const suspended: SuspensionList = { suspended: [] };
  const trail: AuditList = { entries: [], users: [], has_more: false };
  const coordinatorOnly = () => {
    if (!coordinator()) fail('forbidden', "only the program's coordinators may do that");
    needServer();
  };
  const record = (action: AuditList['entries'][number]['action'], user: string | null, note: string | null = null) =>
    trail.entries.unshift({ audit_id: trail.entries.length + 1, at: iso(0), actor_id: 'u-ada', action, user_id: user, report_id: null, message_id: null, note });

  function stats(): ProgramStats {
    return {
      users: { mentors: 412, mentees: 1180, minors: 214, suspended: suspended.suspended.length },
      requests: { pending: 37, accepted: 286, declined: 41, expired: 12, withdrawn: 9, median_response_hours: 18.5,
        response_times: ([[1, 41], [6, 88], [24, 102], [72, 71], [null, 25]] as Array<[number | null, number]>).map(([up_to_hours, count]) => ({ up_to_hours, count })) },
      mentorships: { active: 231, ended: 55 },
      sessions: {
        held_30d: 318, cancelled_30d: 22,
        held_by_week: [52, 61, 58, 66, 70, 64, 72, 75, 69, 81, 78, 84].map((count, i) => ({ week_start: iso((i - 12) * 7 * 24 * HOUR).slice(0, 10), count })),
      },
      feedback: { count: 640, average_rating: 4.4, poor_fit: 17 },
      messages_30d: 9412,
      reports_open: reports.filter((r) => r.status === 'open').length,
      held_open: held.length,
    };
  }

  function handle(cmd: string, a: Args): unknown {
    switch (cmd) {
      case 'block_user': {
        const u = userById(String(a.userId)) ?? fail('not_found');
        blocked.set(u.user_id, { user_id: u.user_id, username: u.username });
        return null;
      }
      case 'unblock_user': blocked.delete(String(a.userId)); return null;
      case 'blocked_users': return [...blocked.values()];
      case 'report_user': {
        const form = a.form as ReportForm;
        if (!['harassment', 'spam', 'inappropriate', 'safety', 'other'].includes(form.reason)) fail('validation_failed');
        filed.push(form);
        return null;
      }
      case 'save_export': needServer(); return '/home/ada/Downloads/lodestar-ada.json';
      case 'delete_account': return a.password === 'correct horse battery' ? null : fail('unauthorized', 'the password is wrong');
      case 'program_stats': coordinatorOnly(); return stats();
      case 'program_reports': {
        coordinatorOnly();
        const list: ReportList = { reports: reports.filter((r) => (r.status === 'resolved') === Boolean(a.resolved)), users };
        return list;
      }
      case 'resolve_report': {
        coordinatorOnly();
        const r = reports.find((x) => x.report_id === a.reportId) ?? fail('not_found');
        const action = String(a.action) as 'dismiss' | 'warn' | 'suspend';
        r.status = 'resolved';
        r.resolution = { action, note: (a.note as string | null) ?? null, resolved_by: 'u-ada', resolved_at: iso(0) };
        if (action === 'suspend' && r.user_id) {
          suspended.suspended.unshift({ user: userById(r.user_id)!, reason: String(a.note), suspended_at: iso(0), suspended_by: 'u-ada' });
        }
        record(action === 'dismiss' ? 'report_dismissed' : action === 'warn' ? 'warned' : 'suspended', r.user_id, r.resolution.note);
        return null;
      }
      case 'unsuspend_user': {
        coordinatorOnly();
        suspended.suspended = suspended.suspended.filter((s) => s.user.user_id !== a.userId);
        record('unsuspended', String(a.userId));
        return null;
      }
      case 'suspended_users': coordinatorOnly(); return suspended;
      case 'audit_trail': {
        coordinatorOnly();
        // Pages of two, so the browser test sees "Show older" work.
        const before = a.before as number | null;
        const older = trail.entries.filter((e) => before === null || e.audit_id < before);
        return { entries: older.slice(0, 2), users, has_more: older.length > 2 };
      }
      case 'held_messages': {
        coordinatorOnly();
        const list: HeldList = { messages: held, recipients: { 'hm-1': 'u-hedy' }, users };
        return list;
      }
      case 'review_held': {
        coordinatorOnly();
        const i = held.findIndex((m) => m.message_id === a.messageId);
        if (i < 0) fail('not_found');
        const [m] = held.splice(i, 1);
        record(a.release ? 'message_released' : 'message_rejected', m.sender_id);
        return null;
      }
      default: return undefined;
    }
  }

  return { handle, filed, blocked };
}
