import { tick } from 'svelte';
import { commands } from '../ipc';

let reported = false;

/**
 * Tells the shell the first useful screen is on glass; it measures cold start with this, so it
 * fires once, after Svelte flushed the DOM and the browser had a frame to paint it.
 */
export async function reportFirstPaint(): Promise<void> {
  if (reported) return;
  reported = true;
  await tick();
  requestAnimationFrame(() => {
    commands.uiReady(performance.now()).catch(() => {
      // Cold-start measurement is best effort; never bother the user with it.
    });
  });
}
