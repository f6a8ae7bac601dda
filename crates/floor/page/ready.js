// Said once the page had a frame to paint, as Lodestar's UI says it (ui/src/lib/app/ready.ts).
requestAnimationFrame(() => {
  window.__TAURI__.core.invoke('ready', { pageMs: performance.now() });
});
