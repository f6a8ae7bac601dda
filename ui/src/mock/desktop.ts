// The desktop around the window, faked: what a link or notification asks to open, the clipboard
// link, starting at login, the app's update and where the user was. Tests play the desktop's
// side through `simulate` (an `open`, an `update`) and may start the page with one waiting:
// `?opening=<Opening as JSON>` (a link that started the app), `?update=<UpdateState as JSON>`.
// The place (`rememberView`) is kept in sessionStorage, so a reload is a restart.
import { emit } from '@tauri-apps/api/event';
import type { ErrorCode, IpcError, LastView, Opening, Target, UpdateState } from '../lib/ipc/bindings';

type Args = Record<string, unknown>;
const fail = (code: ErrorCode, message: string = code): never => {
  throw { code, message, fields: {} } satisfies IpcError;
};

const PLACE_KEY = 'lodestar-mock-last-view';

function fromQuery<T>(name: string): T | null {
  const raw = new URLSearchParams(globalThis.location?.search ?? '').get(name);
  if (!raw) return null;
  try {
    return JSON.parse(raw) as T;
  } catch {
    return null;
  }
}

/** The link lodestar-protocol writes for a target on a server. */
export function linkFor(target: Target, server: string): string {
  const path =
    target.kind === 'profile' ? `user/${target.username}`
      : target.kind === 'request' ? `request/${target.mentor}`
        : `conversation/${target.conversation_id}`;
  return `lodestar://${path}?server=${encodeURIComponent(server)}`;
}

export function createDesktop(server: string) {
  let pending: Opening | null = fromQuery<Opening>('opening');
  let update: UpdateState = fromQuery<UpdateState>('update') ?? { status: 'idle' };
  // What the next "Check for updates" finds.
  let afterCheck: UpdateState = { status: 'up_to_date' };
  let autostart = false;
  let autostartRefusal: string | null = null;
  let uploads = 0;

  const setUpdate = (s: UpdateState) => {
    update = s;
    void emit('update', s);
  };

  function handle(cmd: string, a: Args): unknown {
    switch (cmd) {
      case 'take_opening': {
        const o = pending;
        pending = null;
        return o;
      }
      case 'copy_link': return linkFor(a.target as Target, server);
      case 'starts_at_login': return autostart;
      case 'set_starts_at_login':
        if (autostartRefusal) fail('unavailable', autostartRefusal);
        autostart = Boolean(a.on);
        return null;
      case 'update_state': return update;
      case 'check_update':
        setUpdate({ status: 'checking' });
        setTimeout(() => setUpdate(afterCheck), 300);
        return null;
      case 'restart_to_update':
        if (uploads > 0) fail('unavailable', `${uploads} upload${uploads === 1 ? ' is' : 's are'} still in flight: Lodestar restarts when ${uploads === 1 ? 'it is' : 'they are'} done`);
        if (update.status !== 'ready') fail('unavailable', 'no update is ready to install');
        // The real app is gone here; the page stays so a test can read what came before.
        return null;
      case 'last_view': {
        const raw = sessionStorage.getItem(PLACE_KEY);
        return (raw ? JSON.parse(raw) : { conversation_id: null, anchor: null }) satisfies LastView;
      }
      case 'remember_view':
        sessionStorage.setItem(PLACE_KEY, JSON.stringify(a.view as LastView));
        return null;
      default:
        return undefined;
    }
  }

  /** The desktop's side, for tests (`window.__lodestarMock.simulate`). */
  const simulate = {
    /** A link or notification was clicked: it waits, and the window is told. */
    open(opening: Opening) {
      pending = opening;
      void emit('open', null);
    },
    /** The update moved on. */
    update(state: UpdateState) {
      setUpdate(state);
    },
    /** What the next check finds. */
    afterCheck(state: UpdateState) {
      afterCheck = state;
    },
    /** Uploads in flight (a restart waits for them). */
    uploads(n: number) {
      uploads = n;
    },
    /** The system refuses to change the login items (null: it accepts again). */
    refuseAutostart(message: string | null) {
      autostartRefusal = message;
    },
  };

  return { handle, simulate };
}
