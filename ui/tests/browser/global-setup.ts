// Serves dist-mock/ (built by `npm run test:browser` just before) on a free port.
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { extname, join, normalize } from 'node:path';
import type { TestProject } from 'vitest/node';

const ROOT = join(import.meta.dirname, '../../dist-mock');
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml', '.png': 'image/png',
};

declare module 'vitest' {
  export interface ProvidedContext {
    baseUrl: string;
  }
}

let server: Server;

export default async function setup(project: TestProject) {
  if (!existsSync(join(ROOT, 'index.html'))) throw new Error('dist-mock/ is missing: run `vite build --mode mock` first');
  server = createServer((req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)).replace(/^(\.\.[/\\])+/, '');
    let file = join(ROOT, path);
    if (!file.startsWith(ROOT) || !existsSync(file) || statSync(file).isDirectory()) file = join(ROOT, 'index.html');
    res.writeHead(200, {
      'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
      // The app's real CSP, so a violation fails here before it fails in the shell.
      // Images and media only from the app and the core's `lodestar-media:` scheme (blob: for the
      // mock's stand-ins): an address a message names is never fetched by the page.
      'content-security-policy': [
        "default-src 'self'", "script-src 'self'", "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob: lodestar-media: http://lodestar-media.localhost",
        "media-src 'self' lodestar-media: http://lodestar-media.localhost",
      ].join('; '),
    });
    createReadStream(file).pipe(res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const addr = server.address();
  if (!addr || typeof addr === 'string') throw new Error('no port');
  project.provide('baseUrl', `http://127.0.0.1:${addr.port}/`);
  return () => new Promise<void>((resolve) => server.close(() => resolve()));
}
