import { afterEach, expect, test, vi } from 'vitest';

// The Tauri side, played here: whether we run in Tauri, and the webview's drag-drop events.
const tauri = vi.hoisted(() => ({ inside: false, handler: null as null | ((e: { payload: unknown }) => void) }));
vi.mock('@tauri-apps/api/core', () => ({ isTauri: () => tauri.inside }));
vi.mock('@tauri-apps/api/webview', () => ({
  getCurrentWebview: () => ({
    onDragDropEvent: async (h: (e: { payload: unknown }) => void) => {
      tauri.handler = h;
      return () => (tauri.handler = null);
    },
  }),
}));

const { Drops } = await import('./drop');

afterEach(() => {
  tauri.inside = false;
  tauri.handler = null;
});

function drag(type: string, files: File[] = [new File(['x'], 'a.txt')]): DragEvent {
  const e = new Event(type, { cancelable: true }) as DragEvent;
  const dataTransfer = { types: files.length ? ['Files'] : ['text/plain'], files, dropEffect: 'none' };
  Object.defineProperty(e, 'dataTransfer', { value: dataTransfer });
  return e;
}

function drops() {
  const seen = { over: [] as boolean[], paths: [] as string[][], files: [] as string[][] };
  const d = new Drops({
    over: (on) => seen.over.push(on),
    paths: (p) => seen.paths.push(p),
    files: (f) => seen.files.push(f.map((x) => x.name)),
  });
  return { d, seen };
}

test('outside Tauri there is no native listener; HTML5 drops of files are taken, nested enter/leave counted', async () => {
  const { d, seen } = drops();
  const stop = await d.native();
  stop();
  expect(tauri.handler).toBeNull();
  d.dragenter(drag('dragenter'));
  d.dragenter(drag('dragenter'));
  d.dragleave(drag('dragleave'));
  expect(seen.over).toEqual([true]);
  const over = drag('dragover');
  d.dragover(over);
  expect(over.defaultPrevented).toBe(true);
  const drop = drag('drop', [new File(['x'], 'a.txt'), new File(['y'], 'b.png')]);
  d.drop(drop);
  expect(drop.defaultPrevented).toBe(true);
  expect(seen).toEqual({ over: [true, false], paths: [], files: [['a.txt', 'b.png']] });
  // A drag of text is not ours.
  const text = drag('dragover', []);
  d.dragover(text);
  expect(text.defaultPrevented).toBe(false);
});

test('in Tauri the OS gives paths; an HTML5 drop of the same drag is not attached twice', async () => {
  tauri.inside = true;
  const { d, seen } = drops();
  const stop = await d.native();
  tauri.handler!({ payload: { type: 'enter', paths: ['/home/ada/a.pdf'], position: { x: 1, y: 1 } } });
  tauri.handler!({ payload: { type: 'over', position: { x: 2, y: 2 } } });
  tauri.handler!({ payload: { type: 'drop', paths: ['/home/ada/a.pdf'], position: { x: 2, y: 2 } } });
  d.drop(drag('drop'));
  expect(seen).toEqual({ over: [true, false], paths: [['/home/ada/a.pdf']], files: [] });
  tauri.handler!({ payload: { type: 'enter', paths: ['/x'], position: { x: 1, y: 1 } } });
  tauri.handler!({ payload: { type: 'leave' } });
  expect(seen.over).toEqual([true, false, true, false]);
  expect(seen.paths).toHaveLength(1);
  stop();
  expect(tauri.handler).toBeNull();
});
