// Files dropped on the window. In the Tauri window the OS's drag and drop goes to the core,
// which tells the page as webview events with the files' paths (no bytes cross into the page);
// in a plain browser (the mock build's tests) or with `dragDropEnabled: false` the page gets
// HTML5 `drop` events with File objects instead. A view uses both through `Drops`.
import { isTauri } from '@tauri-apps/api/core';
import { getCurrentWebview } from '@tauri-apps/api/webview';

export type DropHandlers = {
  /** A drag with files is over the window (true) or has left it (false). */
  over: (on: boolean) => void;
  /** Files the OS gave by path. */
  paths: (paths: string[]) => void;
  /** Files the page got as objects. */
  files: (files: File[]) => void;
};

const hasFiles = (e: DragEvent) => !!e.dataTransfer && [...e.dataTransfer.types].includes('Files');

/**
 * Follows drops for one view: `native()` starts the Tauri listener (a no-op outside Tauri) and
 * resolves to its stop; the HTML5 handlers go on the element that takes drops.
 */
export class Drops {
  /** Nested dragenter/dragleave pairs over children. */
  private depth = 0;
  /** The OS drag under way is the core's: an HTML5 drop of it would attach it twice. */
  private nativeDrag = false;

  constructor(private readonly on: DropHandlers) {}

  async native(): Promise<() => void> {
    if (!isTauri()) return () => {};
    return getCurrentWebview().onDragDropEvent(({ payload }) => {
      if (payload.type === 'enter') {
        this.nativeDrag = payload.paths.length > 0;
        if (this.nativeDrag) this.on.over(true);
      } else if (payload.type === 'leave') {
        this.nativeDrag = false;
        this.on.over(false);
      } else if (payload.type === 'drop') {
        this.on.over(false);
        if (payload.paths.length) this.on.paths(payload.paths);
        setTimeout(() => (this.nativeDrag = false), 500);
      }
    });
  }

  dragenter = (e: DragEvent) => {
    if (!hasFiles(e)) return;
    e.preventDefault();
    if (this.depth++ === 0) this.on.over(true);
  };

  dragover = (e: DragEvent) => {
    if (!hasFiles(e)) return;
    // Without this the browser opens the file instead of dropping it here.
    e.preventDefault();
    if (e.dataTransfer) e.dataTransfer.dropEffect = 'copy';
  };

  dragleave = (e: DragEvent) => {
    if (!hasFiles(e)) return;
    this.depth = Math.max(0, this.depth - 1);
    if (this.depth === 0) this.on.over(false);
  };

  drop = (e: DragEvent) => {
    if (!hasFiles(e)) return;
    e.preventDefault();
    this.depth = 0;
    if (this.nativeDrag) return;
    this.on.over(false);
    const files = [...(e.dataTransfer?.files ?? [])];
    if (files.length) this.on.files(files);
  };
}
