// Where the user is. Plain state, no URL: a desktop window has no address bar and the back
// button is not expected; notifications and search navigate through here.
export type View = 'chats' | 'directory' | 'mentoring' | 'profile' | 'settings' | 'outbox' | 'new-group' | 'program';

/**
 * A message to bring into view. `restore` puts it back where the user left it (at the top of the
 * view, as `rememberView` saw it) without the highlight and focus a search hit or quote gets.
 */
export type JumpTarget = { conversationId: string; messageId: string; nonce: number; restore?: boolean };

class Nav {
  view = $state<View>('chats');
  conversationId = $state<string | null>(null);
  /** Username whose profile is open in the directory. */
  directoryUser = $state<string | null>(null);
  /** A message to scroll to and highlight once its conversation is open. */
  jump = $state<JumpTarget | null>(null);
  /** A link asked for this mentor's request form: their profile opens it (see UserProfile). */
  ask = $state<{ mentor: string; nonce: number } | null>(null);
  paletteOpen = $state(false);

  /** The conversation actually on screen (null while another view covers it). */
  openConversation = $derived(this.view === 'chats' ? this.conversationId : null);

  go(view: View) {
    this.view = view;
  }

  open(conversationId: string, messageId?: string, restore = false) {
    this.view = 'chats';
    this.conversationId = conversationId;
    this.jump = messageId ? { conversationId, messageId, nonce: Date.now(), restore } : null;
  }

  showUser(username: string | null) {
    this.view = 'directory';
    this.directoryUser = username;
  }

  /** A mentor's profile with the request form open (a `lodestar://request/…` link). */
  askMentor(username: string) {
    this.showUser(username);
    this.ask = { mentor: username, nonce: Date.now() };
  }

  reset() {
    this.view = 'chats';
    this.conversationId = null;
    this.directoryUser = null;
    this.jump = null;
    this.ask = null;
    this.paletteOpen = false;
  }
}

export const nav = new Nav();
