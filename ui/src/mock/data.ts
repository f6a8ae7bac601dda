// Seed data for the fake backend. The 100k-message conversation is generated on demand from its
// index so the mock build starts instantly and holds almost nothing in memory.
import type { MessageItem, Profile, Role } from '../lib/ipc/bindings';

export const ME = 'u-ada';
export const PASSWORD = 'correct-horse-1';
export const ARCHIVE_SIZE = 100_000;
/** Index in the archive of the message the search test looks for (needs older pages). */
export const NEEDLE_INDEX = ARCHIVE_SIZE - 420;

const now = Date.now();
const iso = (msAgo: number) => new Date(now - msAgo).toISOString();
const MIN = 60_000;
const DAY = 86_400_000;

function profile(p: Partial<Profile> & { user_id: string; username: string }): Profile {
  return {
    city: null, state: null, age: 30, profile_picture_url: null, bio: null, mentor_status: false,
    mentee_status: false, job_title: null, years_of_experience: null, industry: null, skills: [],
    interests: [], created_at: iso(400 * DAY), mentee_capacity: 3, accepting_requests: true,
    open_slots: 3, ...p,
  };
}

export const users: Profile[] = [
  profile({ user_id: ME, username: 'ada', city: 'Oakland', state: 'CA', mentee_status: true, job_title: 'Junior engineer', years_of_experience: 1, industry: 'Software', skills: ['python', 'sql'], interests: ['compilers'] }),
  profile({ user_id: 'u-grace', username: 'grace', city: 'Arlington', state: 'VA', mentor_status: true, job_title: 'Principal engineer', years_of_experience: 22, industry: 'Software', skills: ['rust', 'compilers', 'cobol'], bio: 'I like to help people ship their first compiler.' }),
  profile({ user_id: 'u-linus', username: 'linus', city: 'Portland', state: 'OR', mentor_status: true, job_title: 'Kernel maintainer', years_of_experience: 30, industry: 'Software', skills: ['c', 'git', 'rust'] }),
  profile({ user_id: 'u-margaret', username: 'margaret', city: 'Boston', state: 'MA', mentor_status: true, job_title: 'Flight software lead', years_of_experience: 25, industry: 'Aerospace', skills: ['embedded', 'testing'] }),
  profile({ user_id: 'u-alan', username: 'alan', city: 'Austin', state: 'TX', mentor_status: true, job_title: 'Research scientist', years_of_experience: 15, industry: 'AI', skills: ['python', 'math'] }),
  profile({ user_id: 'u-barbara', username: 'barbara', city: 'Seattle', state: 'WA', mentor_status: true, job_title: 'Distributed systems architect', years_of_experience: 18, industry: 'Cloud', skills: ['rust', 'databases'] }),
  profile({ user_id: 'u-ken', username: 'ken', city: 'Denver', state: 'CO', mentor_status: true, job_title: 'Staff engineer', years_of_experience: 12, industry: 'Fintech', skills: ['go', 'unix'] }),
  profile({ user_id: 'u-radia', username: 'radia', city: 'Raleigh', state: 'NC', mentor_status: true, job_title: 'Network engineer', years_of_experience: 20, industry: 'Networking', skills: ['networking', 'rust'] }),
  profile({ user_id: 'u-katherine', username: 'katherine', city: 'Hampton', state: 'VA', mentor_status: true, job_title: 'Data scientist', years_of_experience: 9, industry: 'Aerospace', skills: ['math', 'python'] }),
  profile({ user_id: 'u-dennis', username: 'dennis', city: 'Chicago', state: 'IL', mentor_status: true, job_title: 'Systems programmer', years_of_experience: 28, industry: 'Software', skills: ['c', 'unix'] }),
  profile({ user_id: 'u-hedy', username: 'hedy', city: 'Los Angeles', state: 'CA', mentor_status: true, mentee_status: true, job_title: 'Wireless engineer', years_of_experience: 7, industry: 'Telecom', skills: ['radio', 'rust'] }),
  profile({ user_id: 'u-tim', username: 'tim', city: 'Miami', state: 'FL', mentee_status: true, job_title: 'Student', years_of_experience: 0, industry: 'Education', skills: ['html'] }),
  profile({ user_id: 'u-frances', username: 'frances', city: 'Albany', state: 'NY', mentor_status: true, job_title: 'Compiler engineer', years_of_experience: 35, industry: 'Software', skills: ['compilers', 'fortran', 'rust'] }),
];

export const userById = (id: string | null) => users.find((u) => u.user_id === id);
export const userByName = (name: string) => users.find((u) => u.username === name.toLowerCase());

export type ConvSeed = {
  id: string; kind: 'DIRECT' | 'GROUP'; title: string; members: string[]; muted: boolean; nextSession?: string;
  unread: number; messages: MessageItem[]; generated?: number; groupId?: string;
  roles?: Record<string, Role>;
};

let seq = 1;
function msg(conv: string, sender: string, content: string, msAgo: number, status: MessageItem['status'] = { state: 'received' }, media: string | null = null): MessageItem {
  const s = seq++;
  return {
    message: {
      message_id: `${conv}-m${s}`, conversation_id: conv, sender_id: sender, content, media_url: media, sent_at: iso(msAgo), seq: s, status: "delivered",
      reply_to: null, edited_at: null, deleted_at: null,
    },
    sender_name: userById(sender)?.username ?? null,
    status: sender === ME ? status : { state: 'received' },
    // Filled in when read (ConvStore.present), from the message it answers.
    reply: null,
    reactions: [],
    attachment: null,
  };
}

/** Makes `item` a reply to `to` (same conversation). */
function answering(item: MessageItem, to: MessageItem): MessageItem {
  item.message.reply_to = to.message.message_id;
  return item;
}

export function seedConversations(): ConvSeed[] {
  const grace: MessageItem[] = [
    msg('c-grace', 'u-grace', 'Welcome to the program! What would you like to work on?', 3 * DAY),
    msg('c-grace', ME, 'I want to understand how compilers work, end to end.', 3 * DAY - 10 * MIN, { state: 'read', read_by: 1, of: 1 }),
    msg('c-grace', 'u-grace', 'Great choice. Start with a tiny expression evaluator.', 2 * DAY),
    msg('c-grace', 'u-grace', 'Here is the whiteboard from our call.', 1 * DAY + 60 * MIN, undefined, 'https://example.org/whiteboard.png'),
    msg('c-grace', ME, 'Thanks! I finished the tokenizer.', 1 * DAY, { state: 'read', read_by: 1, of: 1 }),
    msg('c-grace', 'u-grace', 'Nice. Next: a Pratt parser.', 40 * MIN),
    msg('c-grace', 'u-grace', 'Ping me when you have questions.', 35 * MIN),
  ];
  answering(grace[5], grace[4]);
  grace[4].reactions = [{ emoji: '🎉', count: 1, mine: false, names: ['grace'] }];
  // The newest of alan's conversation answers one a few hundred messages back (older pages).
  const alanLast = msg('c-alan', 'u-alan', 'Coming back to this one: shall we pick it up on Thursday?', 80 * MIN);
  alanLast.message.seq = ARCHIVE_SEQ_BASE + ARCHIVE_SIZE;
  answering(alanLast, archiveMessage(ARCHIVE_SIZE - 300));
  const circle: MessageItem[] = [
    msg('c-circle', 'u-linus', 'Reading group this Thursday: chapter 4.', 2 * DAY),
    msg('c-circle', 'u-margaret', 'I will bring the test harness examples.', 2 * DAY - 5 * MIN),
    msg('c-circle', ME, 'Count me in!', 5 * 60 * MIN, { state: 'read', read_by: 2, of: 4 }),
    msg('c-circle', 'u-grace', 'See you all there.', 4 * 60 * MIN),
  ];
  const linus: MessageItem[] = [
    msg('c-linus', 'u-linus', 'Send me the patch when ready.', 9 * DAY),
    msg('c-linus', ME, 'Here it is — v2 of the patch.', 8 * DAY, { state: 'failed', reason: 'The server refused the message: attachment host not allowed' }),
  ];
  return [
    { id: 'c-grace', kind: 'DIRECT', title: 'grace', members: [ME, 'u-grace'], muted: false, unread: 2, messages: grace },
    { id: 'c-circle', kind: 'GROUP', title: 'Rust study circle', members: [ME, 'u-grace', 'u-linus', 'u-margaret'], muted: false, unread: 1, messages: circle, groupId: 'g-circle', roles: { [ME]: 'owner', 'u-grace': 'admin', 'u-linus': 'member', 'u-margaret': 'member' } },
    { id: 'c-linus', kind: 'DIRECT', title: 'linus', members: [ME, 'u-linus'], muted: true, nextSession: new Date(Date.now() + 2 * 86_400_000).toISOString(), unread: 0, messages: linus },
    { id: 'c-alan', kind: 'DIRECT', title: 'alan', members: [ME, 'u-alan'], muted: false, unread: 0, messages: [alanLast], generated: ARCHIVE_SIZE },
  ];
}

/** Archive messages: seq 10_000 + i, one every five minutes, ending an hour and a half ago. */
export const ARCHIVE_SEQ_BASE = 10_000;
export function archiveMessage(i: number): MessageItem {
  const mine = i % 3 === 0;
  const sender = mine ? ME : 'u-alan';
  const content = i === NEEDLE_INDEX
    ? `Archive note ${i}: the lodestar needle is hidden here.`
    : `Archive note ${i}: ${i % 7 === 0 ? 'a longer thought about machines that think, written to make this row wrap onto more than one line in the timeline' : 'short reply'}.`;
  return {
    message: {
      message_id: `c-alan-a${i}`, conversation_id: 'c-alan', sender_id: sender, content, media_url: null,
      sent_at: iso(90 * MIN + (ARCHIVE_SIZE - 1 - i) * 5 * MIN), seq: ARCHIVE_SEQ_BASE + i, status: 'delivered',
      reply_to: null, edited_at: null, deleted_at: null,
    },
    sender_name: mine ? 'ada' : 'alan',
    status: mine ? { state: 'read', read_by: 1, of: 1 } : { state: 'received' },
    reply: null,
    reactions: [],
    attachment: null,
  };
}

export const MOCK_SENTINEL = 'LODESTAR_MOCK_BACKEND';
