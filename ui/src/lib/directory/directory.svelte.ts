import { asIpcError, commands, errorText, type DirectoryQuery, type Match, type Profile } from '../ipc';

export type Filters = {
  role: 'any' | 'mentor' | 'mentee'; q: string; skill: string; industry: string; state: string; minYears: string;
};

export const OFFLINE_TEXT = 'The directory needs a connection to the server. It will work again once Lodestar is back online.';

export function toQuery(f: Filters, cursor: string | null): DirectoryQuery {
  const s = (v: string) => (v.trim() === '' ? null : v.trim());
  const years = Number(f.minYears);
  return {
    q: s(f.q),
    mentor: f.role === 'mentor' ? true : null,
    mentee: f.role === 'mentee' ? true : null,
    skill: s(f.skill),
    industry: s(f.industry),
    state: s(f.state.toUpperCase()),
    min_years: f.minYears.trim() !== '' && Number.isFinite(years) ? years : null,
    cursor,
  };
}

class Directory {
  filters = $state<Filters>({ role: 'mentor', q: '', skill: '', industry: '', state: '', minYears: '' });
  users = $state<Profile[]>([]);
  nextCursor = $state<string | null>(null);
  loading = $state(false);
  error = $state<string | null>(null);
  matches = $state<Match[]>([]);
  matchesError = $state<string | null>(null);
  private generation = 0;

  private explain(e: unknown): string {
    const err = asIpcError(e);
    return err.code === 'offline' ? OFFLINE_TEXT : errorText(err);
  }

  /** New search from the first page; a slower earlier answer never overwrites a newer one. */
  async search() {
    const gen = ++this.generation;
    this.loading = true;
    try {
      const page = await commands.directory(toQuery(this.filters, null));
      if (gen !== this.generation) return;
      this.users = page.users;
      this.nextCursor = page.next_cursor;
      this.error = null;
    } catch (e) {
      if (gen === this.generation) this.error = this.explain(e);
    } finally {
      if (gen === this.generation) this.loading = false;
    }
  }

  async more() {
    if (!this.nextCursor || this.loading) return;
    const gen = this.generation;
    this.loading = true;
    try {
      const page = await commands.directory(toQuery(this.filters, this.nextCursor));
      if (gen !== this.generation) return;
      const seen = new Set(this.users.map((u) => u.user_id));
      this.users = [...this.users, ...page.users.filter((u) => !seen.has(u.user_id))];
      this.nextCursor = page.next_cursor;
    } catch (e) {
      this.error = this.explain(e);
    } finally {
      if (gen === this.generation) this.loading = false;
    }
  }

  async loadMatches() {
    try {
      this.matches = await commands.matches();
      this.matchesError = null;
    } catch (e) {
      this.matchesError = this.explain(e);
    }
  }
}

export const directory = new Directory();
