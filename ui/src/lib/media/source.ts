// What a message's `media_url` is, and where the window may load it from.
//
// Attachments are never fetched by the page from a host: the core serves them through its own
// `lodestar-media:` scheme (src-tauri/src/media.rs: it adds the session token and caches), the
// only image source the CSP allows besides the app itself. A URL someone typed (older messages)
// stays a link: loading it would make the reader's machine ask a host the sender chose.

/** A message's media, by where it lives. */
export type MediaRef =
  | { kind: 'server'; id: string }
  | { kind: 'upload'; id: string }
  | { kind: 'link'; url: string }
  | { kind: 'other'; url: string };

const SERVER = /^\/v1\/media\/([0-9a-f-]{1,64})$/i;
const UPLOAD = /^upload:([0-9a-f-]{1,64})$/i;

export function parseMedia(mediaUrl: string): MediaRef {
  const server = SERVER.exec(mediaUrl);
  if (server) return { kind: 'server', id: server[1] };
  const upload = UPLOAD.exec(mediaUrl);
  if (upload) return { kind: 'upload', id: upload[1] };
  return isHttpUrl(mediaUrl) ? { kind: 'link', url: mediaUrl } : { kind: 'other', url: mediaUrl };
}

export function isHttpUrl(url: string): boolean {
  try {
    const u = new URL(url);
    return u.protocol === 'http:' || u.protocol === 'https:';
  } catch {
    return false;
  }
}

/** A link whose path names a picture (what the window asks the server to fetch and show). */
export function isImageUrl(url: string): boolean {
  try {
    return isHttpUrl(url) && /\.(png|jpe?g|gif|webp)$/i.test(new URL(url).pathname);
  } catch {
    return false;
  }
}

/** Names a file type the core makes a thumbnail of (and a webview shows). */
export function isImageName(fileName: string | null | undefined): boolean {
  return !!fileName && /\.(png|jpe?g|gif|webp)$/i.test(fileName);
}

/**
 * Which bytes: an attachment's whole file, its 320×320 thumbnail, the copy made here, or (with
 * the link as `id`) an image a profile or message links to, fetched by the program's server.
 */
export type MediaPart = 'full' | 'thumbnail' | 'upload' | 'linked';

/** Builds the address of one part; the mock build swaps it for blob: URLs (see `setMediaSource`). */
export type MediaSource = (id: string, part: MediaPart) => string;

/** The scheme's origin: Windows' webview serves custom schemes as http://<scheme>.localhost. */
export function mediaOrigin(userAgent = globalThis.navigator?.userAgent ?? ''): string {
  return userAgent.includes('Windows') ? 'http://lodestar-media.localhost/' : 'lodestar-media://localhost/';
}

export function schemeSource(origin = mediaOrigin()): MediaSource {
  return (id, part) => {
    const e = encodeURIComponent(id);
    if (part === 'linked') return `${origin}linked?url=${e}`;
    return part === 'upload' ? `${origin}upload/${e}` : part === 'thumbnail' ? `${origin}${e}/thumbnail` : `${origin}${e}`;
  };
}

let source: MediaSource | null = null;

/** Replaces how media addresses are built (the mock build: a custom scheme cannot load in a plain browser). */
export function setMediaSource(s: MediaSource | null) {
  source = s;
}

/** The address the window loads one part of an attachment from. */
export function mediaSrc(id: string, part: MediaPart): string {
  return (source ??= schemeSource())(id, part);
}

/** Where the window loads a linked picture (an avatar) from: never its host, always the core. */
export function linkedSrc(url: string): string | null {
  return isHttpUrl(url) ? mediaSrc(url, 'linked') : null;
}

/** An image opened from its thumbnail (MediaViewer). */
export type Viewing = {
  /** The whole image's address. */
  src: string;
  alt: string;
  /** The message's `media_url`, for Save. */
  mediaUrl: string;
  /** Empty when unknown (someone else's file). */
  fileName: string;
};

/** 1536 → "1.5 KB": sizes as people read them. */
export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB'];
  let v = bytes / 1024;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${v < 10 ? v.toFixed(1).replace(/\.0$/, '') : Math.round(v)} ${units[u]}`;
}
