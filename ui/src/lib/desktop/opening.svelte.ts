// What a clicked notification or a `lodestar://` link asks the window to show. The core keeps it
// in one slot and the `open` event only says "something waits" (the page may not have been
// listening yet when a link started the app), so the window takes it: on that event and once at
// start (see Shell). Links that cannot be opened here are said in a notice that stays until
// dismissed: the user clicked something elsewhere and deserves to know why nothing opened.
import { nav } from '../app/nav.svelte';
import { session } from '../auth/session.svelte';
import { conversations } from '../conversations/conversations.svelte';
import { commands, type Opening, type Target } from '../ipc';

/** Why a link is not one this version opens, by the core's code (lodestar-protocol links.rs). */
const WHY: Record<string, string> = {
  not_a_link: 'It is not a lodestar:// link.',
  unknown_target: 'It points to something this version of Lodestar does not know.',
  bad_id: 'It names no valid user or conversation.',
  bad_server: "Its server is not an http:// or https:// address.",
};

/** The notice for an opening that shows nothing, or null when it shows something. */
export function noticeFor(opening: Opening, ownServer: string | null): string | null {
  switch (opening.status) {
    case 'open':
      return null;
    case 'other_server':
      return `This link is for another program's server (${opening.server}); you are signed in to ${ownServer ?? 'another one'}.`;
    case 'invalid': {
      const why = WHY[opening.code];
      return `Lodestar can't open this link (${opening.link}).${why ? ` ${why}` : ''}`;
    }
  }
}

class Links {
  /** What the last link could not open, until dismissed. */
  notice = $state<string | null>(null);
}

export const links = new Links();

/** Shows a target from anywhere in the window. */
export async function show(target: Target): Promise<void> {
  switch (target.kind) {
    case 'conversation':
      // At start the list may not be read yet; a conversation not in it is a request's, which
      // exists once accepted: until then the Requests inbox is where it lives.
      if (!conversations.loaded) await conversations.refresh();
      if (conversations.byId(target.conversation_id)) nav.open(target.conversation_id);
      else nav.go('mentoring');
      return;
    case 'profile':
      nav.showUser(target.username);
      return;
    case 'request':
      nav.askMentor(target.mentor);
      return;
  }
}

/** Takes what waits to be opened, if anything, and shows it; answers whether something waited. */
export async function takeOpening(): Promise<boolean> {
  let opening: Opening | null;
  try {
    opening = await commands.takeOpening();
  } catch {
    // Nothing to show for a failed take; the next `open` event asks again.
    return false;
  }
  if (!opening) return false;
  links.notice = noticeFor(opening, session.view?.server ?? null);
  if (opening.status === 'open') await show(opening.target);
  return true;
}
