import { defineConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';

// `--mode mock` builds the UI with an in-memory fake backend (src/mock) into dist-mock/ for
// browser tests; the normal build never includes it (main.ts gates the import on the mode).
export default defineConfig(({ mode }) => ({
  plugins: [svelte()],
  base: './',
  clearScreen: false,
  server: { port: 5173, strictPort: true },
  build: {
    outDir: mode === 'mock' ? 'dist-mock' : 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // The polyfill would be inlined into index.html, which the CSP (script-src 'self') forbids.
    modulePreload: { polyfill: false },
  },
}));
