// Where the user is. Plain state, no URL: a desktop window has no address bar and the back
// button is not expected; notifications and search navigate through here.
export type View = 'chats' | 'directory' | 'mentoring' | 'profile' | 'settings' | 'outbox' | 'new-group' | 'program';

export type JumpTarget = { conversationId: string; messageId: string; nonce: number };

class Nav {
  view = $state<View>('chats');
  conversationId = $state<string | null>(null);
  /** Username whose profile is open in the directory. */
  directoryUser = $state<string | null>(null);
  /** A message to scroll to and highlight once its conversation is open. */
  jump = $state<JumpTarget | null>(null);
  paletteOpen = $state(false);

  /** The conversation actually on screen (null while another view covers it). */
  openConversation = $derived(this.view === 'chats' ? this.conversationId : null);

  go(view: View) {
    this.view = view;
  }

  open(conversationId: string, messageId?: string) {
    this.view = 'chats';
    this.conversationId = conversationId;
    this.jump = messageId ? { conversationId, messageId, nonce: Date.now() } : null;
  }

  showUser(username: string | null) {
    this.view = 'directory';
    this.directoryUser = username;
  }

  reset() {
    this.view = 'chats';
    this.conversationId = null;
    this.directoryUser = null;
    this.jump = null;
    this.paletteOpen = false;
  }
}

export const nav = new Nav();
