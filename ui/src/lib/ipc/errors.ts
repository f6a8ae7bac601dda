// Error codes come from Rust (see bindings.ts: IpcError); the UI switches on codes, never on
// message strings, and turns them into sentences here and nowhere else.
import type { IpcError } from './bindings';

const LIMITS: Record<string, { min?: number; max?: number; what?: string }> = {
  username: { min: 3, max: 16 },
  email: { max: 100 },
  phone_number: { max: 15 },
  password: { min: 10, max: 128 },
  city: { max: 26 },
  profile_picture_url: { max: 255 },
  media_url: { max: 255 },
  bio: { max: 2000 },
  job_title: { max: 100 },
  industry: { max: 100 },
  content: { max: 10000 },
  name: { min: 1, max: 50 },
  group_name: { min: 1, max: 50 },
  skills: { max: 30, what: 'tags' },
  interests: { max: 30, what: 'tags' },
};

const INVALID: Record<string, string> = {
  username: 'Use only a–z, 0–9, _ and .',
  email: 'An email address, like ada@example.org',
  phone_number: 'An international number, like +14155550123',
  date_of_birth: 'A real date, like 1990-04-21',
  state: 'A two-letter US state code, like CA',
  profile_picture_url: 'An http:// or https:// address',
  media_url: 'An http:// or https:// address',
  years_of_experience: 'A whole number of years',
  skills: 'Each tag is 1 to 40 characters',
  interests: 'Each tag is 1 to 40 characters',
  role: 'Owner, admin or member',
  content: 'Write a message or attach a media link',
  server: 'An address like http://localhost:8080',
};

const fmt = (n: number) => n.toLocaleString('en-US');

/** Human text for one field's error code, shown beside that field. */
export function fieldErrorText(field: string, code: string): string {
  const limit = LIMITS[field] ?? {};
  const unit = limit.what ?? 'characters';
  switch (code) {
    case 'required':
      return field === 'content' ? 'Write a message or attach a media link' : 'Required';
    case 'too_short':
      return limit.min !== undefined ? `At least ${fmt(limit.min)} ${unit}` : 'Too short';
    case 'too_long':
      return limit.max !== undefined ? `At most ${fmt(limit.max)} ${unit}` : 'Too long';
    case 'too_many':
      return `At most ${fmt(limit.max ?? 30)} ${unit}`;
    case 'out_of_range':
      return field === 'years_of_experience' ? 'Between 0 and 70 years' : 'Out of range';
    case 'too_young':
      return 'You must be at least 13 years old';
    case 'same_as_login':
      return 'Must differ from your username and email';
    case 'taken':
      if (field === 'username') return 'That username is taken';
      if (field === 'email') return 'An account already uses this email';
      if (field === 'phone_number') return 'An account already uses this number';
      return 'Already taken';
    case 'invalid':
      return INVALID[field] ?? 'Not valid';
    default:
      return 'Not valid';
  }
}

export type ErrorContext = {
  /** Server address, named in the "offline" sentence. */
  server?: string;
  /** What the user tried, for "forbidden": e.g. "rename this group". */
  action?: string;
  /** Overrides for specific codes. */
  overrides?: Partial<Record<string, string>>;
};

/** One sentence: what went wrong and what to do about it. */
export function errorText(err: IpcError, ctx: ErrorContext = {}): string {
  const override = ctx.overrides?.[err.code];
  if (override) return override;
  switch (err.code) {
    case 'offline':
      return ctx.server
        ? `Can't reach ${ctx.server}. Check the address or start the server.`
        : "Can't reach the server. Check your connection; Lodestar keeps retrying.";
    case 'validation_failed': {
      const names = Object.keys(err.fields ?? {}).map((f) => f.replaceAll('_', ' '));
      return names.length
        ? `Please fix: ${names.join(', ')}.`
        : 'Some values are not valid. Please check the form.';
    }
    case 'unauthorized':
      return 'Your session has expired or the password is wrong. Please sign in again.';
    case 'forbidden':
      return ctx.action
        ? `Only owners and admins can ${ctx.action}.`
        : "You don't have permission to do that.";
    case 'not_found':
      return 'That no longer exists. It may have been removed.';
    case 'conflict': {
      const taken = Object.keys(err.fields ?? {}).map((f) => f.replaceAll('_', ' '));
      return taken.length
        ? `That ${taken.join(' and ')} is already taken. Try another.`
        : 'That conflicts with something that already exists.';
    }
    case 'rate_limited':
      return 'Too many attempts. Wait a moment and try again.';
    case 'insecure_server':
      return 'That server is plain http on another machine: your password would cross the network unencrypted. Use its https:// address.';
    case 'unavailable':
      return 'The server is busy. Wait a few seconds and try again.';
    case 'not_signed_in':
      return 'You are signed out. Please sign in again.';
    case 'database':
      return 'Lodestar could not read or write its local data. Restart the app; if it persists, check disk space.';
    default:
      return err.message ? `Something went wrong: ${err.message}` : 'Something went wrong. Please try again.';
  }
}
