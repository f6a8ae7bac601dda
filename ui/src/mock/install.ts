// Loaded only by `vite build --mode mock` (see main.ts): replaces the Tauri IPC with the fake
// backend so the UI runs in a plain browser for tests and demos.
import { mockIPC, mockWindows } from '@tauri-apps/api/mocks';
import { createBackend } from './backend';
import { MOCK_SENTINEL } from './data';

const params = new URLSearchParams(location.search);
const backend = createBackend({
  signedIn: params.has('signedIn'),
  offline: params.has('offline'),
  empty: params.has('empty'),
});

mockWindows('main');
mockIPC((cmd, args) => backend.handle(cmd, (args ?? {}) as Record<string, unknown>), { shouldMockEvents: true });

// Tests read the call log (e.g. ui_ready exactly once, drafts saved) and play the other side
// (`simulate.typing`, `simulate.receive`).
(window as unknown as { __lodestarMock: unknown }).__lodestarMock = { calls: backend.calls, sentinel: MOCK_SENTINEL, simulate: backend.simulate };
console.info(MOCK_SENTINEL);
