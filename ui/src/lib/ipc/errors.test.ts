import { expect, test } from 'vitest';
import { errorText, fieldErrorText } from './errors';

test('field codes read as human text per field', () => {
  expect(fieldErrorText('username', 'too_short')).toBe('At least 3 characters');
  expect(fieldErrorText('state', 'invalid')).toBe('A two-letter US state code, like CA');
  expect(fieldErrorText('password', 'same_as_login')).toBe('Must differ from your username and email');
  expect(fieldErrorText('date_of_birth', 'too_young')).toBe('You must be at least 13 years old');
  expect(fieldErrorText('skills', 'too_many')).toBe('At most 30 tags');
  expect(fieldErrorText('content', 'too_long')).toBe('At most 10,000 characters');
  expect(fieldErrorText('email', 'taken')).toBe('An account already uses this email');
});

test('errors say what went wrong and what to do', () => {
  const e = (code: string, fields = {}) => ({ code, message: '', fields });
  expect(errorText(e('offline'), { server: 'http://h:1' })).toBe("Can't reach http://h:1. Check the address or start the server.");
  expect(errorText(e('forbidden'), { action: 'rename this group' })).toBe('Only owners and admins can rename this group.');
  expect(errorText(e('conflict', { username: 'taken' }))).toBe('That username is already taken. Try another.');
  expect(errorText(e('rate_limited'))).toMatch(/try again/);
  expect(errorText({ code: 'weird', message: 'boom', fields: {} })).toBe('Something went wrong: boom');
});
