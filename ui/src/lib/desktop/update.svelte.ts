// The app's update as the core reports it (`update` events, `updateState` at start): one store
// for the Shell's banner and the Settings screen. The core checks by itself after the start and
// every six hours; "Check for updates" asks now.
import { asIpcError, commands, errorText, listen, type UpdateState } from '../ipc';
import { announcer } from '../ui/announcer.svelte';

/** A refused signature: the one failure that may mean tampering, so it is never hidden by itself. */
export const isSignatureFailure = (s: UpdateState) => s.status === 'failed' && s.code === 'bad_signature';

/** Which banner a state is: a new version, status or failure shows again after "Later". */
function keyOf(s: UpdateState): string {
  switch (s.status) {
    case 'available':
    case 'downloading':
    case 'ready':
      return `${s.status}:${s.version}`;
    case 'failed':
      return `failed:${s.code}:${s.message}`;
    default:
      return s.status;
  }
}

const MB = 1024 * 1024;
const mb = (n: number) => `${(n / MB).toFixed(n < 10 * MB ? 1 : 0)} MB`;

/** The state in words, as the Settings screen says it. */
export function updateWords(s: UpdateState): string {
  switch (s.status) {
    case 'idle':
      return 'Lodestar looks for updates on your program’s server shortly after it starts, then every six hours.';
    case 'checking':
      return 'Checking for updates…';
    case 'up_to_date':
      return 'Lodestar is up to date.';
    case 'available':
      return `Lodestar ${s.version} is available.`;
    case 'downloading':
      return `Downloading Lodestar ${s.version}: ${progressWords(s.done, s.total)}.`;
    case 'ready':
      return `Lodestar ${s.version} is ready: restart to update.`;
    case 'failed':
      return s.message;
  }
}

export function progressWords(done: number, total: number | null): string {
  return total ? `${mb(done)} of ${mb(total)}` : `${mb(done)} so far`;
}

class Updates {
  state = $state<UpdateState>({ status: 'idle' });
  /** The last refused signature, shown until dismissed even while a new check runs. */
  refused = $state<UpdateState | null>(null);
  /** The banner the user put off ("Later"); it shows again when the state moves on. */
  private laterKey = $state<string | null>(null);

  /** What the banner shows, if anything. */
  banner = $derived.by((): UpdateState | null => {
    const s = this.state;
    const shows = s.status === 'available' || s.status === 'downloading' || s.status === 'ready' || s.status === 'failed';
    if (shows && keyOf(s) !== this.laterKey) return s;
    return this.refused;
  });

  set(s: UpdateState) {
    const before = this.state;
    this.state = s;
    if (isSignatureFailure(s)) this.refused = s;
    else if (s.status === 'downloading' || s.status === 'ready' || s.status === 'available') this.refused = null;
    // Said once per change of kind, not per progress tick.
    if (keyOf(before) !== keyOf(s) && (s.status === 'available' || s.status === 'ready' || s.status === 'failed')) {
      announcer.say(updateWords(s));
    }
  }

  /** Hides the banner: "Later" until the state moves on; a refused signature for good. */
  dismiss(s: UpdateState) {
    if (isSignatureFailure(s)) this.refused = null;
    this.laterKey = keyOf(s);
  }

  /** Follows the core's events and reads where things stand; resolves to the unlisten. */
  async follow(): Promise<() => void> {
    const off = await listen('update', (s) => this.set(s));
    try {
      this.set(await commands.updateState());
    } catch {
      // The next event tells.
    }
    return off;
  }

  /** Asks the server now; the answer comes as events. Resolves to an error sentence, if any. */
  async check(): Promise<string | null> {
    try {
      await commands.checkUpdate();
      return null;
    } catch (e) {
      return errorText(asIpcError(e));
    }
  }
}

export const updates = new Updates();
