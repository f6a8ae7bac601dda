import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { expect, test } from 'vitest';
import { fakeCore } from '../../test/ipc';
import SignIn from './SignIn.svelte';
import SignUp from './SignUp.svelte';

test('validation errors appear beside the field as you type', async () => {
  fakeCore({
    check_register: (a) => {
      const f = a.form as { username: string; state: string | null };
      return { ...(f.username.length < 3 ? { username: 'too_short' } : {}), date_of_birth: 'required' };
    },
  });
  render(SignUp, { server: 'http://s', onsignedin: () => {} });
  const username = screen.getByLabelText('Username');
  await fireEvent.input(username, { target: { value: 'ab' } });
  await waitFor(() => expect(screen.getByText('At least 3 characters')).toBeInTheDocument());
  expect(username).toHaveAttribute('aria-invalid', 'true');
  expect(username.getAttribute('aria-describedby')).toContain('su-username-error');
  // Untouched fields stay quiet until submit.
  expect(screen.queryByText('Required')).toBeNull();
});

test('a taken username from the server is shown on the field', async () => {
  fakeCore({
    check_register: () => ({}),
    register: () => { throw { code: 'conflict', message: 'taken', fields: { username: 'taken' } }; },
  });
  render(SignUp, { server: 'http://s', onsignedin: () => {} });
  await fireEvent.submit(screen.getByRole('form', { name: 'Create account' }));
  await waitFor(() => expect(screen.getByText('That username is taken')).toBeInTheDocument());
});

test('sign in: offline names the server', async () => {
  fakeCore({ login: () => { throw { code: 'offline', message: 'refused', fields: {} }; } });
  render(SignIn, { server: 'http://lodestar.example:8080', onsignedin: () => {} });
  await fireEvent.input(screen.getByLabelText('Username or email'), { target: { value: 'ada' } });
  await fireEvent.input(screen.getByLabelText('Password'), { target: { value: 'whatever-123' } });
  await fireEvent.submit(screen.getByRole('form', { name: 'Sign in' }));
  await waitFor(() => expect(screen.getByRole('alert')).toHaveTextContent("Can't reach http://lodestar.example:8080. Check the address or start the server."));
});
