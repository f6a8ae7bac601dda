// Error codes come from Rust (see bindings.ts: ErrorCode, IpcError); the UI switches on codes,
// never on message strings, and turns them into sentences here and nowhere else. The limits
// come from Rust too (FIELD_LIMITS, built from the validators' own consts).
import { FIELD_LIMITS, type ErrorCode, type FieldLimit, type IpcError } from './bindings';

/** FIELD_LIMITS looked up by any field name a form or an error body may carry. */
const LIMITS: Readonly<Record<string, FieldLimit | undefined>> = FIELD_LIMITS;

const INVALID: Record<string, string> = {
  username: 'Use only a–z, 0–9, _ and .',
  email: 'An email address, like ada@example.org',
  phone_number: 'An international number, like +14155550123',
  date_of_birth: 'A real date, like 1990-04-21',
  state: 'A two-letter US state code, like CA',
  profile_picture_url: 'An http:// or https:// address',
  media_url: 'An http:// or https:// address',
  years_of_experience: 'A whole number of years',
  skills: `Each tag is ${FIELD_LIMITS.tag.min} to ${FIELD_LIMITS.tag.max} characters`,
  interests: `Each tag is ${FIELD_LIMITS.tag.min} to ${FIELD_LIMITS.tag.max} characters`,
  role: 'Owner, admin or member',
  content: 'Write a message or attach a media link',
  server: 'An address like http://localhost:8080',
  starts_at: 'A date and time, like 2026-12-10 17:00',
  time_zone: 'A time zone like Europe/London',
  fit: 'Good, unsure or poor',
  file: 'That file could not be read. Try saving it again and attaching the copy',
};

/** The core's limit on one attachment (lodestar-protocol); the window refuses bigger files before reading them. */
export const ATTACHMENT_MAX_BYTES = 25 * 1024 * 1024;

const fmt = (n: number) => n.toLocaleString('en-US');

/** Human text for one field's error code, shown beside that field. */
export function fieldErrorText(field: string, code: string): string {
  const limit = LIMITS[field];
  const unit = limit?.unit ?? 'characters';
  switch (code) {
    case 'required':
      return field === 'content' ? 'Write a message or attach a media link' : 'Required';
    case 'too_short':
      return limit?.min !== undefined ? `At least ${fmt(limit.min)} ${unit}` : 'Too short';
    case 'too_long':
      return limit?.max !== undefined ? `At most ${fmt(limit.max)} ${unit}` : 'Too long';
    case 'too_many':
      return limit?.max !== undefined ? `At most ${fmt(limit.max)} ${unit}` : 'Too many';
    case 'out_of_range':
      return limit?.min !== undefined && limit.max !== undefined
        ? `Between ${fmt(limit.min)} and ${fmt(limit.max)} ${unit}`
        : 'Out of range';
    case 'too_young':
      return `You must be at least ${FIELD_LIMITS.date_of_birth.min} years old`;
    case 'same_as_login':
      return 'Must differ from your username and email';
    case 'taken':
      if (field === 'username') return 'That username is taken';
      if (field === 'email') return 'An account already uses this email';
      if (field === 'phone_number') return 'An account already uses this number';
      return 'Already taken';
    case 'invalid':
      return INVALID[field] ?? 'Not valid';
    case 'in_the_past':
      return 'Pick a time in the future';
    case 'skipped_by_clock_change':
      return 'That time does not exist there: the clocks change then';
    case 'not_held':
      return 'Feedback opens once the session has been held';
    case 'not_an_emoji':
      return 'One emoji';
    case 'too_large':
      return field === 'file' ? `Attachments are limited to ${ATTACHMENT_MAX_BYTES / (1024 * 1024)} MiB` : 'Too large';
    case 'empty':
      return field === 'file' ? 'That file is empty' : 'Required';
    case 'type_not_allowed':
      return 'This kind of file cannot be attached: images, PDFs, documents, text, audio and video can';
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
  overrides?: Partial<Record<ErrorCode, string>>;
};

/** A refusal as one toast: the first field named with its sentence, else the error's own. */
export function refusalText(err: IpcError): string {
  const field = Object.keys(err.fields ?? {})[0];
  return field ? `${field.replaceAll('_', ' ')}: ${fieldErrorText(field, err.fields[field])}` : errorText(err);
}

const fieldNames = (err: IpcError) => Object.keys(err.fields ?? {}).map((f) => f.replaceAll('_', ' '));

/**
 * One sentence: what went wrong and what to do about it. Exhaustive over ErrorCode: a code
 * added in Rust fails `npm run check` here until it has its sentence.
 */
export function errorText(err: IpcError, ctx: ErrorContext = {}): string {
  const override = ctx.overrides?.[err.code];
  if (override) return override;
  const code = err.code;
  switch (code) {
    case 'offline':
      return ctx.server
        ? `Can't reach ${ctx.server}. Check the address or start the server.`
        : "Can't reach the server. Check your connection; Lodestar keeps retrying.";
    case 'validation_failed': {
      const names = fieldNames(err);
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
      const taken = fieldNames(err);
      return taken.length
        ? `That ${taken.join(' and ')} is already taken. Try another.`
        : 'That conflicts with something that already exists.';
    }
    case 'rate_limited':
      return 'Too many attempts. Wait a moment and try again.';
    case 'insecure_server':
      return 'That server is plain http on another machine: your password would cross the network unencrypted. Use its https:// address.';
    case 'unavailable':
      // 409 from the mentorship rules (PROGRAM.md) or 503 from a saturated server.
      return /open slot|accepting/i.test(err.message ?? '')
        ? 'This mentor has no open slot or is not accepting requests right now.'
        : 'The server is busy. Wait a few seconds and try again.';
    case 'limit_reached':
      return 'You have 5 pending requests. Wait for an answer or withdraw one first.';
    case 'not_pending':
      return 'That request was already answered, withdrawn, or has expired.';
    case 'blocked':
      return "You can't contact this person.";
    case 'safeguarding':
      return "The program's safeguarding rules don't allow this. A coordinator can help.";
    case 'suspended':
      // At sign-in the server says why ("…suspended this account: <reason>").
      return err.message
        ? `${err.message.charAt(0).toUpperCase()}${err.message.slice(1)}. Contact your program's coordinators if you think this is a mistake.`
        : "This account is suspended. Contact the program's coordinators.";
    case 'timeout':
      return 'The server took too long to answer. Check your connection and try again.';
    case 'payload_too_large':
      return 'That is too large to send. Shorten it and try again.';
    case 'bad_request':
    case 'method_not_allowed':
      return 'The server did not understand this request. Update Lodestar (or ask for the server to be updated) and try again.';
    case 'not_signed_in':
      return 'You are signed out. Please sign in again.';
    case 'database':
      return 'Lodestar could not read or write its local data. Restart the app; if it persists, check disk space.';
    case 'migrate':
      return 'Lodestar could not upgrade its local data. Update to the latest version and restart the app.';
    case 'corrupt':
      return 'Lodestar received or found data it cannot read. Try again; if it persists, sign out and sign in again.';
    case 'unknown':
      return err.message
        ? `The server refused this: ${err.message}. Updating Lodestar may help.`
        : 'The server refused this for a reason this version does not know. Updating Lodestar may help.';
    case 'internal':
      return err.message
        ? `Something went wrong: ${err.message}. Try again; if it persists, restart Lodestar.`
        : 'Something went wrong. Try again; if it persists, restart Lodestar.';
    default: {
      // Rust added a code the UI has no sentence for: `never` makes `npm run check` fail.
      const unhandled: never = code;
      return `Something went wrong (${String(unhandled)}). Please try again.`;
    }
  }
}
