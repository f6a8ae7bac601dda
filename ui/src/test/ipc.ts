// Component tests talk to a scripted fake core through Tauri's own IPC mock.
import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import { afterEach, vi } from 'vitest';

export type Handler = (args: Record<string, unknown>) => unknown;

/** Installs handlers by command name; returns a spy recording every call. */
export function fakeCore(handlers: Record<string, Handler>) {
  const calls = vi.fn<(cmd: string, args: Record<string, unknown>) => void>();
  mockIPC(
    (cmd, args) => {
      const a = (args ?? {}) as Record<string, unknown>;
      calls(cmd, a);
      const h = handlers[cmd];
      return h ? h(a) : null;
    },
    { shouldMockEvents: true },
  );
  return calls;
}

export const argsOf = (calls: ReturnType<typeof fakeCore>, cmd: string) =>
  calls.mock.calls.filter(([c]) => c === cmd).map(([, a]) => a);

afterEach(() => clearMocks());
