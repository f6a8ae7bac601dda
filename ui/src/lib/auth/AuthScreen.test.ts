import { fireEvent, render, screen } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import { argsOf, fakeCore } from '../../test/ipc';
import AuthScreen from './AuthScreen.svelte';

const core = () =>
  fakeCore({
    server_transport: (a) =>
      String(a.server).startsWith('http://mentors.example.org') ? 'plain_remote' : 'loopback',
    login: () => ({ signed_in: true, user_id: 'u1', username: 'ann', server: 'x' }),
  });

describe('the sign-in screen', () => {
  it('warns about a plain http server elsewhere and signs in only once allowed', async () => {
    const calls = core();
    render(AuthScreen, { defaultServer: 'http://mentors.example.org', onsignedin: () => {} });
    const warning = await screen.findByRole('alert');
    expect(warning.textContent).toContain('not encrypted');
    const submit = screen.getByRole('button', { name: 'Sign in' }) as HTMLButtonElement;
    expect(submit.disabled).toBe(true);
    await fireEvent.input(screen.getByLabelText('Username or email'), { target: { value: 'ann' } });
    await fireEvent.input(screen.getByLabelText('Password'), { target: { value: 'a long enough password' } });
    await fireEvent.click(screen.getByLabelText(/connect anyway/));
    expect(submit.disabled).toBe(false);
    await fireEvent.click(submit);
    expect(argsOf(calls, 'login')).toHaveLength(1);
  });

  it('says nothing for a server on this machine', async () => {
    const calls = core();
    render(AuthScreen, { defaultServer: 'http://127.0.0.1:8787', onsignedin: () => {} });
    await new Promise((r) => setTimeout(r, 20));
    expect(argsOf(calls, 'server_transport').length).toBeGreaterThan(0);
    expect(screen.queryByRole('alert')).toBeNull();
    expect((screen.getByRole('button', { name: 'Sign in' }) as HTMLButtonElement).disabled).toBe(false);
  });
});
