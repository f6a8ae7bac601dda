import { commands, type SessionView } from '../ipc';

class Session {
  view = $state<SessionView | null>(null);
  loadError = $state<string | null>(null);
  /** Why the server signed this device out (a suspension, a session ended elsewhere). */
  notice = $state<string | null>(null);

  signedIn = $derived(this.view?.signed_in ?? false);
  server = $derived(this.view?.server ?? '');

  async load() {
    try {
      this.view = await commands.session();
      this.loadError = null;
    } catch (e) {
      this.loadError = (e as { message?: string })?.message ?? String(e);
      this.view = { signed_in: false, user_id: null, username: null, server: '' };
    }
  }

  set(view: SessionView) {
    this.view = view;
  }
}

export const session = new Session();
