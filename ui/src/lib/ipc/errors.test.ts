import { expect, test } from 'vitest';
import { ERROR_CODES, FIELD_LIMITS, type ErrorCode, type IpcError } from './bindings';
import { errorText, fieldErrorText, refusalText } from './errors';
import { asIpcError } from './index';

const e = (code: ErrorCode, fields: Record<string, string> = {}, message = ''): IpcError => ({ code, message, fields });

test('field codes read as human text per field', () => {
  expect(fieldErrorText('username', 'too_short')).toBe('At least 3 characters');
  expect(fieldErrorText('state', 'invalid')).toBe('A two-letter US state code, like CA');
  expect(fieldErrorText('password', 'same_as_login')).toBe('Must differ from your username and email');
  expect(fieldErrorText('date_of_birth', 'too_young')).toBe('You must be at least 13 years old');
  expect(fieldErrorText('skills', 'too_many')).toBe('At most 30 tags');
  expect(fieldErrorText('skills', 'invalid')).toBe('Each tag is 1 to 40 characters');
  expect(fieldErrorText('content', 'too_long')).toBe('At most 10,000 characters');
  expect(fieldErrorText('years_of_experience', 'out_of_range')).toBe('Between 0 and 70 years');
  expect(fieldErrorText('group_name', 'too_long')).toBe('At most 50 characters');
  expect(fieldErrorText('email', 'taken')).toBe('An account already uses this email');
  expect(fieldErrorText('nickname', 'too_long')).toBe('Too long');
});

test('the limits in the sentences are the ones Rust exports', () => {
  // FIELD_LIMITS is generated from the validators' consts; every field with a max says it.
  for (const [field, limit] of Object.entries(FIELD_LIMITS)) {
    if (!('max' in limit) || limit.unit === 'years') continue;
    const code = limit.unit === 'tags' ? 'too_many' : 'too_long';
    expect(fieldErrorText(field, code)).toBe(`At most ${limit.max.toLocaleString('en-US')} ${limit.unit}`);
  }
  expect(FIELD_LIMITS.password).toEqual({ min: 10, max: 128, unit: 'characters' });
  expect(fieldErrorText('password', 'too_short')).toBe(`At least ${FIELD_LIMITS.password.min} characters`);
});

test('errors say what went wrong and what to do', () => {
  expect(errorText(e('offline'), { server: 'http://h:1' })).toBe("Can't reach http://h:1. Check the address or start the server.");
  expect(errorText(e('forbidden'), { action: 'rename this group' })).toBe('Only owners and admins can rename this group.');
  expect(errorText(e('conflict', { username: 'taken' }))).toBe('That username is already taken. Try another.');
  expect(errorText(e('validation_failed', { job_title: 'too_long' }))).toBe('Please fix: job title.');
  expect(errorText(e('rate_limited'))).toMatch(/try again/);
  expect(errorText(e('timeout'))).toMatch(/too long to answer.*try again/);
  expect(errorText(e('payload_too_large'))).toMatch(/too large.*Shorten/);
  expect(errorText(e('migrate'))).toMatch(/upgrade its local data.*Update/);
  expect(errorText(e('internal', {}, 'boom'))).toBe('Something went wrong: boom. Try again; if it persists, restart Lodestar.');
  expect(errorText(e('unknown', {}, 'back soon (code gone_fishing)'))).toBe(
    'The server refused this: back soon (code gone_fishing). Updating Lodestar may help.',
  );
  expect(errorText(e('not_found'), { overrides: { not_found: 'No such group.' } })).toBe('No such group.');
});

test('every code Rust declares has its own sentence', () => {
  const sentences = new Map<string, ErrorCode>();
  for (const code of ERROR_CODES) {
    const text = errorText(e(code));
    expect(text, code).toMatch(/\.$/);
    expect(text, code).not.toMatch(/^Something went wrong \(/);
    // Two codes may share a sentence only when they mean the same to the user.
    const twin = sentences.get(text);
    if (twin) expect([twin, code].sort(), text).toEqual(['bad_request', 'method_not_allowed']);
    sentences.set(text, code);
  }
});

test('a code this build does not know reads as unknown, never as a crash', () => {
  expect(asIpcError({ code: 'gone_fishing', message: 'back soon', fields: {} })).toEqual(e('unknown', {}, 'back soon'));
  expect(asIpcError({ code: 'not_found', message: 'no such user' }).code).toBe('not_found');
  expect(asIpcError(new Error('boom'))).toEqual(e('internal', {}, 'boom'));
});

test('a refused session names the field and says what to do', () => {
  expect(refusalText({ code: 'validation_failed', message: 'starts_at', fields: { starts_at: 'in_the_past' } })).toBe('starts at: Pick a time in the future');
  expect(refusalText({ code: 'validation_failed', message: 'x', fields: { session_id: 'not_held' } })).toBe('session id: Feedback opens once the session has been held');
});

test('a refused attachment says why', () => {
  expect(fieldErrorText('file', 'too_large')).toBe('Attachments are limited to 25 MiB');
  expect(fieldErrorText('file', 'empty')).toBe('That file is empty');
  expect(fieldErrorText('file', 'type_not_allowed')).toBe(
    'This kind of file cannot be attached: images, PDFs, documents, text, audio and video can',
  );
  expect(fieldErrorText('file', 'invalid')).toMatch(/^That file could not be read/);
});
