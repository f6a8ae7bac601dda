import { emit } from '@tauri-apps/api/event';
import type { Changed, ErrorCode, GroupView, IpcError, Role } from '../lib/ipc/bindings';
import { ME, userById, userByName } from './data';
import { ConvStore } from './store';

type Args = Record<string, unknown>;
const fail = (code: ErrorCode, message: string = code, fields: Record<string, string> = {}): never => {
  throw { code, message, fields } satisfies IpcError;
};

/** Group commands of the fake backend; undefined means "not a group command". */
export function groupCommand(cmd: string, a: Args, convs: Map<string, ConvStore>, needServer: () => void): unknown {
  const byGroup = (gid: unknown) =>
    [...convs.values()].find((c) => c.seed.groupId === gid) ?? fail('not_found', 'no such group');
  const roles = (c: ConvStore) => (c.seed.roles ??= {});
  const requireAdmin = (c: ConvStore) => {
    const r = roles(c)[ME];
    if (r !== 'owner' && r !== 'admin') fail('forbidden', 'owners and admins only');
  };
  const touched = () => void emit('changed', { topic: 'conversations', id: null } satisfies Changed);

  switch (cmd) {
    case 'group': {
      const c = convs.get(String(a.conversationId));
      if (!c || c.seed.kind !== 'GROUP') return null;
      const view: GroupView = {
        group_id: c.seed.groupId!, conversation_id: c.seed.id, group_name: c.seed.title, description: null,
        my_role: roles(c)[ME] ?? null,
        members: c.seed.members.map((id) => ({ user_id: id, username: userById(id)?.username ?? id, role: roles(c)[id] ?? 'member' })),
      };
      return view;
    }
    case 'create_group': {
      needServer();
      const name = String(a.name).trim();
      if (!name) fail('validation_failed', 'name', { name: 'required' });
      if (name.length > 50) fail('validation_failed', 'name', { name: 'too_long' });
      const members = (a.usernames as string[]).map((u) => userByName(u) ?? fail('not_found', `no user ${u}`));
      const n = convs.size + 1;
      const seed = { id: `c-group-${n}`, kind: 'GROUP' as const, title: name, members: [ME, ...members.map((m) => m.user_id)], muted: false, unread: 0, messages: [], groupId: `g-${n}`, roles: { [ME]: 'owner' as Role } };
      convs.set(seed.id, new ConvStore(seed));
      touched();
      return seed.id;
    }
    case 'rename_group': { needServer(); const c = byGroup(a.groupId); requireAdmin(c); c.seed.title = String(a.name); touched(); return null; }
    case 'add_member': {
      needServer();
      const c = byGroup(a.groupId);
      requireAdmin(c);
      const u = userByName(String(a.username)) ?? fail('not_found', 'no such user');
      if (!c.seed.members.includes(u.user_id)) c.seed.members.push(u.user_id);
      roles(c)[u.user_id] = (a.role as Role | null) ?? 'member';
      touched();
      return null;
    }
    case 'remove_member': {
      needServer();
      const c = byGroup(a.groupId);
      requireAdmin(c);
      c.seed.members = c.seed.members.filter((m) => m !== a.userId);
      touched();
      return null;
    }
    case 'set_role': {
      needServer();
      const c = byGroup(a.groupId);
      if (roles(c)[ME] !== 'owner') fail('forbidden', 'owner only');
      roles(c)[String(a.userId)] = a.role as Role;
      return null;
    }
    case 'leave_group': { needServer(); const c = byGroup(a.groupId); convs.delete(c.seed.id); touched(); return null; }
    default:
      return undefined;
  }
}
