import { describe, expect, it } from 'vitest';
import { updates, updateWords } from './update.svelte';

const refused = { status: 'failed', code: 'bad_signature', message: 'its signature does not match' } as const;

describe('the update banner', () => {
  it('shows what needs the user, and "Later" lasts until the state moves on', () => {
    updates.set({ status: 'checking' });
    expect(updates.banner).toBeNull();
    const available = { status: 'available', version: '0.3.0', notes: null, url: 'https://x.example.org/l.deb' } as const;
    updates.set(available);
    expect(updates.banner).toEqual(available);
    updates.dismiss(available);
    expect(updates.banner).toBeNull();
    updates.set({ status: 'downloading', version: '0.3.1', done: 1, total: 10 });
    expect(updates.banner?.status).toBe('downloading');
  });

  it('keeps a refused signature while the next check runs, until dismissed or replaced', () => {
    updates.set(refused);
    updates.set({ status: 'checking' });
    expect(updates.banner).toEqual(refused);
    updates.set({ status: 'ready', version: '0.2.0', notes: null });
    expect(updates.banner?.status).toBe('ready');
    updates.set(refused);
    updates.dismiss(refused);
    updates.set({ status: 'up_to_date' });
    expect(updates.banner).toBeNull();
  });

  it('says each state in words', () => {
    expect(updateWords({ status: 'downloading', version: '1.0.0', done: 5 * 1024 * 1024, total: 20 * 1024 * 1024 })).toBe('Downloading Lodestar 1.0.0: 5.0 MB of 20 MB.');
    expect(updateWords({ status: 'up_to_date' })).toBe('Lodestar is up to date.');
    expect(updateWords(refused)).toBe('its signature does not match');
  });
});
