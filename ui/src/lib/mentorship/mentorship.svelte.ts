// The mentorship domain as the window shows it: the Requests inbox and the user's mentorships,
// re-read from the core whenever the `requests` or `mentorships` topics say they changed.
import { asIpcError, commands, errorText, type MentorshipView, type Me, type RequestView } from '../ipc';

class Mentoring {
  requests = $state<RequestView[]>([]);
  mentorships = $state<MentorshipView[]>([]);
  me = $state<Me | null>(null);
  loaded = $state(false);
  error = $state<string | null>(null);

  /** Requests to the user, as mentor, that wait for an answer (the Rail's badge). */
  waiting = $derived(this.requests.filter((r) => r.incoming && r.status === 'pending').length);

  async refresh() {
    try {
      const [requests, mentorships] = await Promise.all([commands.requests(null), commands.mentorships()]);
      this.requests = requests;
      this.mentorships = mentorships;
      this.error = null;
    } catch (e) {
      this.error = errorText(asIpcError(e));
    } finally {
      this.loaded = true;
    }
  }

  /** Who the user is (mentee, mentor), read once; the profile editor's saves re-read it. */
  async loadMe() {
    try {
      this.me = await commands.myProfile();
    } catch {
      // Without it the request button still shows; the core refuses what is not allowed.
    }
  }

  /** The running mentorship whose pair's conversation this is. */
  forConversation(conversationId: string): MentorshipView | null {
    return this.mentorships.find((m) => m.conversation_id === conversationId && m.status === 'active') ?? null;
  }

  /** What ties the user, as mentee, to a mentor already: a running mentorship or a pending request. */
  tieWith(mentorId: string): 'mentorship' | 'pending' | null {
    if (this.mentorships.some((m) => m.status === 'active' && !m.i_mentor && m.other.user_id === mentorId)) return 'mentorship';
    if (this.requests.some((r) => !r.incoming && r.status === 'pending' && r.mentor.user_id === mentorId)) return 'pending';
    return null;
  }

  clear() {
    this.requests = [];
    this.mentorships = [];
    this.me = null;
    this.loaded = false;
  }
}

export const mentoring = new Mentoring();
