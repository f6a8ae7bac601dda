// The one door to the Rust core. bindings.ts is generated (today a stand-in); everything the UI
// adds on top of it — typed events and error handling — lives here so the generated file can be
// overwritten at any time.
import { listen as tauriListen, type UnlistenFn } from '@tauri-apps/api/event';
import { ERROR_CODES, type ErrorCode, type EventPayloads, type IpcError } from './bindings';

export * from './bindings';
export { ATTACHMENT_MAX_BYTES, fieldErrorText, errorText, refusalText, type ErrorContext } from './errors';

/** Subscribes to a backend event; the wire name is exactly the key of EventPayloads. */
export function listen<K extends keyof EventPayloads>(
  name: K,
  cb: (payload: EventPayloads[K]) => void,
): Promise<UnlistenFn> {
  return tauriListen<EventPayloads[K]>(name, (event) => cb(event.payload));
}

/** Listens to several events and returns one function that removes them all. */
export async function listenAll(
  subscriptions: Array<Promise<UnlistenFn>>,
): Promise<() => void> {
  const unlisteners = await Promise.all(subscriptions);
  return () => unlisteners.forEach((u) => u());
}

export function isIpcError(e: unknown): e is IpcError {
  return typeof e === 'object' && e !== null && 'code' in e && typeof (e as IpcError).code === 'string';
}

const KNOWN_CODES: ReadonlySet<string> = new Set(ERROR_CODES);

/** The code as the UI's switch knows it: a string this build has no name for reads as 'unknown'. */
export function asErrorCode(code: string): ErrorCode {
  return KNOWN_CODES.has(code) ? (code as ErrorCode) : 'unknown';
}

/** Normalizes anything a command rejected with into an IpcError. */
export function asIpcError(e: unknown): IpcError {
  if (isIpcError(e)) return { code: asErrorCode(e.code), message: e.message ?? '', fields: e.fields ?? {} };
  const message = e instanceof Error ? e.message : String(e);
  return { code: 'internal', message, fields: {} };
}
