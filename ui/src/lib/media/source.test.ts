import { afterEach, expect, test } from 'vitest';
import { formatSize, isImageName, mediaOrigin, mediaSrc, parseMedia, schemeSource, setMediaSource } from './source';

const ID = '0b6c7d2e-1f3a-4b5c-8d9e-0a1b2c3d4e5f';

afterEach(() => setMediaSource(null));

test('a media_url is an attachment on the server, one not uploaded yet, or a typed link', () => {
  expect(parseMedia(`/v1/media/${ID}`)).toEqual({ kind: 'server', id: ID });
  expect(parseMedia(`upload:${ID}`)).toEqual({ kind: 'upload', id: ID });
  expect(parseMedia('https://example.org/a.png')).toEqual({ kind: 'link', url: 'https://example.org/a.png' });
  expect(parseMedia('http://example.org/v1/media/x')).toEqual({ kind: 'link', url: 'http://example.org/v1/media/x' });
  expect(parseMedia('/v1/media/../../etc/passwd')).toEqual({ kind: 'other', url: '/v1/media/../../etc/passwd' });
  expect(parseMedia('javascript:alert(1)')).toEqual({ kind: 'other', url: 'javascript:alert(1)' });
});

test('the core’s scheme: lodestar-media://localhost/…, and http://lodestar-media.localhost/… on Windows', () => {
  expect(mediaOrigin('Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/605.1.15')).toBe('lodestar-media://localhost/');
  expect(mediaOrigin('Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15')).toBe('lodestar-media://localhost/');
  expect(mediaOrigin('Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Edg/120.0')).toBe('http://lodestar-media.localhost/');
  const unix = schemeSource('lodestar-media://localhost/');
  expect(unix(ID, 'full')).toBe(`lodestar-media://localhost/${ID}`);
  expect(unix(ID, 'thumbnail')).toBe(`lodestar-media://localhost/${ID}/thumbnail`);
  expect(unix(ID, 'upload')).toBe(`lodestar-media://localhost/upload/${ID}`);
  expect(schemeSource('http://lodestar-media.localhost/')(ID, 'thumbnail')).toBe(`http://lodestar-media.localhost/${ID}/thumbnail`);
});

test('the mock build can swap the addresses (a custom scheme cannot load in a plain browser)', () => {
  expect(mediaSrc(ID, 'full')).toBe(`lodestar-media://localhost/${ID}`);
  setMediaSource((id, part) => `blob:test/${id}/${part}`);
  expect(mediaSrc(ID, 'thumbnail')).toBe(`blob:test/${ID}/thumbnail`);
  setMediaSource(null);
  expect(mediaSrc(ID, 'upload')).toBe(`lodestar-media://localhost/upload/${ID}`);
});

test('image names and sizes as people read them', () => {
  expect(['a.png', 'B.JPG', 'c.jpeg', 'd.gif', 'e.webp'].every(isImageName)).toBe(true);
  expect(['a.pdf', 'png', 'a.png.txt', '', null, undefined].some(isImageName)).toBe(false);
  expect(formatSize(20)).toBe('20 B');
  expect(formatSize(1536)).toBe('1.5 KB');
  expect(formatSize(1024 * 1024)).toBe('1 MB');
  expect(formatSize(25 * 1024 * 1024)).toBe('25 MB');
});

test('a linked picture comes through the core, never from its host', () => {
  const s = schemeSource('lodestar-media://localhost/');
  expect(s('https://pics.example.org/me.png?s=1', 'linked')).toBe(
    'lodestar-media://localhost/linked?url=https%3A%2F%2Fpics.example.org%2Fme.png%3Fs%3D1',
  );
});
