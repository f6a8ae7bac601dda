// Generated from Rust by `make bindings` (src-tauri/src/bindings.rs): do not edit.
// A test fails when this file and the Rust commands, events or types disagree.

import { invoke } from "@tauri-apps/api/core";

/**
 * What other users see of a user: [`Me`] without email, phone number and date of birth.
 */
export type Profile = { 
/**
 * The user's id.
 */
user_id: string, 
/**
 * The username.
 */
username: string, 
/**
 * City.
 */
city: string | null, 
/**
 * Two-letter state code.
 */
state: string | null, 
/**
 * Age on the day it was read.
 */
age: number | null, 
/**
 * Avatar URL.
 */
profile_picture_url: string | null, 
/**
 * Free text.
 */
bio: string | null, 
/**
 * Offers mentoring.
 */
mentor_status: boolean, 
/**
 * Looks for a mentor.
 */
mentee_status: boolean, 
/**
 * Job title.
 */
job_title: string | null, 
/**
 * Years of experience.
 */
years_of_experience: number | null, 
/**
 * Industry.
 */
industry: string | null, 
/**
 * Skill tags.
 */
skills: Array<string>, 
/**
 * Interest tags.
 */
interests: Array<string>, 
/**
 * When the account was made.
 */
created_at: string, 
/**
 * How many mentees the user mentors at once, 0 to 20 (PROGRAM.md).
 */
mentee_capacity: number, 
/**
 * Whether the user welcomes new mentorship requests.
 */
accepting_requests: boolean, 
/**
 * Capacity less active mentorships as mentor, never below 0.
 */
open_slots: number, };

/**
 * The signed-in user: every column of the user but `password_hash`. On the wire it is one
 * flat object: the [`Profile`] fields and the three private ones.
 */
export type Me = { 
/**
 * Unique ignoring case.
 */
email: string, 
/**
 * E.164, unique.
 */
phone_number: string | null, 
/**
 * `YYYY-MM-DD`.
 */
date_of_birth: string, 
/**
 * Runs the program (made by `lodestar-server coordinator add`): sees its reports and
 * statistics. Absent from older servers' answers: read as `false`.
 */
is_coordinator: boolean, 
/**
 * The user's id.
 */
user_id: string, 
/**
 * The username.
 */
username: string, 
/**
 * City.
 */
city: string | null, 
/**
 * Two-letter state code.
 */
state: string | null, 
/**
 * Age on the day it was read.
 */
age: number | null, 
/**
 * Avatar URL.
 */
profile_picture_url: string | null, 
/**
 * Free text.
 */
bio: string | null, 
/**
 * Offers mentoring.
 */
mentor_status: boolean, 
/**
 * Looks for a mentor.
 */
mentee_status: boolean, 
/**
 * Job title.
 */
job_title: string | null, 
/**
 * Years of experience.
 */
years_of_experience: number | null, 
/**
 * Industry.
 */
industry: string | null, 
/**
 * Skill tags.
 */
skills: Array<string>, 
/**
 * Interest tags.
 */
interests: Array<string>, 
/**
 * When the account was made.
 */
created_at: string, 
/**
 * How many mentees the user mentors at once, 0 to 20 (PROGRAM.md).
 */
mentee_capacity: number, 
/**
 * Whether the user welcomes new mentorship requests.
 */
accepting_requests: boolean, 
/**
 * Capacity less active mentorships as mentor, never below 0.
 */
open_slots: number, };

/**
 * `DIRECT` or `GROUP`.
 */
export type ConversationType = "DIRECT" | "GROUP";

/**
 * A role in a group.
 */
export type Role = "member" | "admin" | "owner";

/**
 * A message.
 */
export type Message = { 
/**
 * Made by the sending client; the idempotency key.
 */
message_id: string, 
/**
 * Where it was sent.
 */
conversation_id: string, 
/**
 * Null once the sender's account is deleted.
 */
sender_id: string | null, 
/**
 * Text, up to 10,000 characters.
 */
content: string | null, 
/**
 * An `http`/`https` URL.
 */
media_url: string | null, 
/**
 * When the sender sent it.
 */
sent_at: string, 
/**
 * The server's order of messages.
 */
seq: number, 
/**
 * `delivered`, or (in a conversation between a minor and an adult) `held` for a
 * coordinator or `rejected` by one: seen only by its sender until released.
 */
status: DeliveryStatus, 
/**
 * Why it was held: `email`, `phone` or `link`.
 */
held_reason?: string | null, 
/**
 * The message of the same conversation it answers.
 */
reply_to: string | null, 
/**
 * When its sender last changed its text.
 */
edited_at: string | null, 
/**
 * When it was deleted: a tombstone whose `content` and `media_url` are gone.
 */
deleted_at: string | null, };

/**
 * Whether a message reached its conversation (PROGRAM.md, "Minors").
 */
export type DeliveryStatus = "delivered" | "held" | "rejected";

/**
 * A suggested mentor or mentee.
 */
export type Match = { 
/**
 * Who.
 */
user: Profile, 
/**
 * 0..1, higher is better.
 */
score: number, 
/**
 * Why, in words a person can read.
 */
reasons: Array<string>, };

/**
 * What went wrong, as a stable code. On the wire it is the `snake_case` name (`not_found`).
 *
 * A code this version does not know (a newer server's) reads as `unknown`, so an older client
 * can always read an error body.
 */
export type ErrorCode = "bad_request" | "unauthorized" | "forbidden" | "not_found" | "method_not_allowed" | "conflict" | "payload_too_large" | "validation_failed" | "rate_limited" | "unavailable" | "timeout" | "internal" | "limit_reached" | "not_pending" | "blocked" | "safeguarding" | "suspended" | "offline" | "not_signed_in" | "database" | "migrate" | "corrupt" | "insecure_server" | "unknown";

/**
 * The bounds of one field, both inclusive; a side left out is unbounded.
 */
export type FieldLimit = { 
/**
 * The least allowed.
 */
min?: number, 
/**
 * The most allowed.
 */
max?: number, 
/**
 * What is counted.
 */
unit: LimitUnit, };

/**
 * What a limit counts.
 */
export type LimitUnit = "characters" | "tags" | "years" | "mentees";

/**
 * A row of the conversation list.
 */
export type ConversationItem = { 
/**
 * The conversation.
 */
conversation_id: string, 
/**
 * Direct or group.
 */
kind: ConversationType, 
/**
 * The other person's username, or the group's name.
 */
title: string, 
/**
 * The other person's picture, for a direct conversation.
 */
avatar_url: string | null, 
/**
 * The newest message, pending ones included.
 */
last_message: Message | null, 
/**
 * Messages from others not read by the user.
 */
unread_count: number, 
/**
 * The user's messages waiting to be sent.
 */
pending_count: number, 
/**
 * The user's messages the server refused.
 */
failed_count: number, 
/**
 * Muted: no notifications.
 */
muted: boolean, 
/**
 * For a mentor's and mentee's conversation: when their next session starts (not
 * cancelled, not over), shown beside the name.
 */
next_session: string | null, };

/**
 * Where a message stands, as its sender sees it.
 */
export type MessageStatus = { "state": "received" } | { "state": "pending" } | { "state": "sending" } | { "state": "failed", 
/**
 * The server's reason.
 */
reason: string, } | { "state": "sent" } | { "state": "held", 
/**
 * `email`, `phone` or `link`.
 */
reason: string, } | { "state": "rejected" } | { "state": "read", 
/**
 * How many have read it.
 */
read_by: number, 
/**
 * How many others could.
 */
of: number, };

/**
 * A message as the conversation view shows it.
 */
export type MessageItem = { 
/**
 * The message; `seq` is 0 while it waits in the outbox.
 */
message: Message, 
/**
 * The sender's username, when the replica knows it.
 */
sender_name: string | null, 
/**
 * Its state.
 */
status: MessageStatus, 
/**
 * The message it answers, quoted.
 */
reply: ReplyPreview | null, 
/**
 * Everyone's reactions, each emoji once.
 */
reactions: Array<ReactionCount>, 
/**
 * The file attached from this device, while and after it uploads.
 */
attachment: AttachmentView | null, };

/**
 * A search result.
 */
export type SearchHit = { 
/**
 * The message found.
 */
message_id: string, 
/**
 * Where it is.
 */
conversation_id: string, 
/**
 * The content around the match, the match in `[` `]`.
 */
snippet: string, };

/**
 * The message a reply answers, as quoted above it.
 */
export type ReplyPreview = { 
/**
 * The message answered (to jump to).
 */
message_id: string, 
/**
 * Its sender's username, when the replica knows it.
 */
sender_name: string | null, 
/**
 * The start of its text ("" when it has none, e.g. deleted or not synced yet).
 */
text: string, 
/**
 * Whether it was deleted.
 */
deleted: boolean, };

/**
 * One emoji on a message, as the conversation view shows it.
 */
export type ReactionCount = { 
/**
 * The emoji.
 */
emoji: string, 
/**
 * How many people reacted with it.
 */
count: number, 
/**
 * Whether the user is one of them.
 */
mine: boolean, 
/**
 * Who, by username (those the replica knows), for the hover text.
 */
names: Array<string>, };

/**
 * Payload of `typing`: someone is typing in a conversation (shown for 5 s, or until their
 * message arrives).
 */
export type TypingNotice = { 
/**
 * Where.
 */
conversation_id: string, 
/**
 * Who.
 */
user_id: string, 
/**
 * Their username, when known.
 */
username: string | null, };

/**
 * A file attached from this device, as its message shows it.
 */
export type AttachmentView = { 
/**
 * The file's name.
 */
file_name: string, 
/**
 * Bytes.
 */
size: number, 
/**
 * Bytes the server has taken, while it uploads.
 */
uploaded: number | null, 
/**
 * The private copy on this device.
 */
path: string, };

/**
 * A draft: the unsent text of one conversation.
 */
export type Draft = { 
/**
 * The text typed so far.
 */
content: string, 
/**
 * A media URL typed so far.
 */
media_url: string | null, };

/**
 * Where an entry stands.
 */
export type OutboxState = "pending" | "sending" | "failed" | "blocked";

/**
 * An outbox entry as the outbox view lists it.
 */
export type OutboxEntry = { 
/**
 * Its place in the queue.
 */
id: number, 
/**
 * What it does, as stored (`message`, `read`, `profile`, `open_direct`, or a newer
 * version's kind).
 */
kind: string, 
/**
 * What kind of thing, for people ("Message", "Read receipt", "Profile change").
 */
title: string, 
/**
 * Which one, for people ("see you at noon", "3 messages", "bio, city").
 */
summary: string, 
/**
 * The conversation it concerns.
 */
conversation_id: string | null, 
/**
 * The message, for messages.
 */
message_id: string | null, 
/**
 * The entry it waits for, until that one is sent.
 */
depends_on: number | null, 
/**
 * Where it stands.
 */
state: OutboxState, 
/**
 * Sending attempts so far.
 */
attempts: number, 
/**
 * The server's reason, once failed or blocked.
 */
last_error: string | null, };

/**
 * Whether the engine can reach the server.
 */
export type SyncState = { "state": "syncing", 
/**
 * Changes applied in this pull.
 */
applied: number, 
/**
 * About how many this pull brings in all.
 */
estimated_total: number, 
/**
 * Whether more pages wait.
 */
more: boolean, } | { "state": "online" } | { "state": "offline", 
/**
 * Why, for people.
 */
reason: string, 
/**
 * When the next attempt comes, in milliseconds.
 */
retry_in_ms: number, } | { "state": "signed_out", 
/**
 * Suspended by the program's coordinators (else the session merely ended).
 */
suspended: boolean, 
/**
 * Why, for people.
 */
reason: string, };

/**
 * One kind of state the UI shows and re-reads when told it changed.
 */
export type Topic = "conversations" | "messages" | "outbox" | "requests" | "mentorships";

/**
 * What a server address means for what is sent to it.
 */
export type Transport = "encrypted" | "loopback" | "plain_remote" | "invalid";

/**
 * Who is signed in, and to which server.
 */
export type SessionView = { 
/**
 * Whether anyone is.
 */
signed_in: boolean, 
/**
 * The user's id.
 */
user_id: string | null, 
/**
 * The user's name.
 */
username: string | null, 
/**
 * The server in use (or the one to offer on the sign-in screen).
 */
server: string, };

/**
 * The sign-up form.
 */
export type RegisterForm = { 
/**
 * 3 to 16 of `a-z 0-9 _ .`.
 */
username: string, 
/**
 * An address.
 */
email: string, 
/**
 * 10 to 128 characters.
 */
password: string, 
/**
 * `YYYY-MM-DD`.
 */
date_of_birth: string, 
/**
 * E.164.
 */
phone_number: string | null, 
/**
 * Up to 26.
 */
city: string | null, 
/**
 * A two-letter US state or territory code.
 */
state: string | null, 
/**
 * Up to 2,000.
 */
bio: string | null, 
/**
 * Offers mentoring.
 */
mentor_status: boolean, 
/**
 * Looks for a mentor.
 */
mentee_status: boolean, 
/**
 * Up to 100.
 */
job_title: string | null, 
/**
 * 0 to 70.
 */
years_of_experience: number | null, 
/**
 * Up to 100.
 */
industry: string | null, 
/**
 * Tags.
 */
skills: Array<string>, 
/**
 * Tags.
 */
interests: Array<string>, };

/**
 * The profile form: every field a user may edit, as plain values (blank clears).
 */
export type ProfileEdit = { 
/**
 * Username.
 */
username: string, 
/**
 * Email.
 */
email: string, 
/**
 * Phone (E.164), blank for none.
 */
phone_number: string, 
/**
 * `YYYY-MM-DD`.
 */
date_of_birth: string, 
/**
 * City, blank for none.
 */
city: string, 
/**
 * State code, blank for none.
 */
state: string, 
/**
 * Picture URL, blank for none.
 */
profile_picture_url: string, 
/**
 * Bio, blank for none.
 */
bio: string, 
/**
 * Offers mentoring.
 */
mentor_status: boolean, 
/**
 * Looks for a mentor.
 */
mentee_status: boolean, 
/**
 * Job title, blank for none.
 */
job_title: string, 
/**
 * Years of experience.
 */
years_of_experience: number | null, 
/**
 * Industry, blank for none.
 */
industry: string, 
/**
 * Tags.
 */
skills: Array<string>, 
/**
 * Tags.
 */
interests: Array<string>, 
/**
 * How many mentees the user takes at once, as a mentor (0–20).
 */
mentee_capacity: number, 
/**
 * Whether mentees may ask now.
 */
accepting_requests: boolean, };

/**
 * The directory's filters.
 */
export type DirectoryQuery = { 
/**
 * Free text: username, job title, bio, skills.
 */
q: string | null, 
/**
 * Mentors only.
 */
mentor: boolean | null, 
/**
 * Mentees only.
 */
mentee: boolean | null, 
/**
 * Has this skill.
 */
skill: string | null, 
/**
 * In this industry.
 */
industry: string | null, 
/**
 * In this state.
 */
state: string | null, 
/**
 * At least this many years of experience.
 */
min_years: number | null, 
/**
 * The page after this cursor.
 */
cursor: string | null, };

/**
 * One page of the directory.
 */
export type DirectoryPage = { 
/**
 * The people.
 */
users: Array<Profile>, 
/**
 * The next page's cursor; none on the last page.
 */
next_cursor: string | null, };

/**
 * A group member with a name.
 */
export type MemberView = { 
/**
 * The user.
 */
user_id: string, 
/**
 * Their name (or a short id when the replica does not know it).
 */
username: string, 
/**
 * Their role.
 */
role: Role, };

/**
 * A group as its members panel shows it.
 */
export type GroupView = { 
/**
 * The group.
 */
group_id: string, 
/**
 * Its conversation.
 */
conversation_id: string, 
/**
 * Its name.
 */
group_name: string, 
/**
 * Its description.
 */
description: string | null, 
/**
 * The signed-in user's role (none once they have left).
 */
my_role: Role | null, 
/**
 * Everyone in it, owners first.
 */
members: Array<MemberView>, };

/**
 * The app's own settings.
 */
export type Settings = { 
/**
 * The server in use or remembered.
 */
server: string, 
/**
 * Desktop notifications on.
 */
notifications: boolean, 
/**
 * Where the replica and settings live.
 */
data_dir: string, };

/**
 * What every failed command answers: a code to switch on, a sentence, and the bad fields.
 */
export type IpcError = { 
/**
 * Stable and machine-readable: what the UI switches on.
 */
code: ErrorCode, 
/**
 * For people.
 */
message: string, 
/**
 * Field → rule code, for `validation_failed` and `conflict`.
 */
fields: { [field: string]: string }, };

/**
 * Field → rule code ("required", "too_long", "taken", …), as the `check_*` commands answer.
 */
export type FieldErrors = { [field: string]: string };

/**
 * Payload of `changed`: re-read what is shown under `topic` (only `id`'s, when given).
 */
export type Changed = { 
/**
 * What changed.
 */
topic: Topic, 
/**
 * Which one, when only one did; `null` means all of the topic.
 */
id: string | null, };

/**
 * What a link, a notification or the tray asks the window to show.
 */
export type Target = { "kind": "conversation", 
/**
 * Its id.
 */
conversation_id: string, } | { "kind": "profile", 
/**
 * Their username.
 */
username: string, } | { "kind": "request", 
/**
 * The mentor's username.
 */
mentor: string, };

/**
 * Something to show, or why a link cannot be.
 */
export type Opening = { "status": "open", 
/**
 * What.
 */
target: Target, } | { "status": "other_server", 
/**
 * What it names there.
 */
target: Target, 
/**
 * The server the link belongs to.
 */
server: string, } | { "status": "invalid", 
/**
 * The text as it came.
 */
link: string, 
/**
 * Why (`not_a_link`, `unknown_target`, `bad_id`, `bad_server`).
 */
code: string, };

/**
 * Where the update stands, as the window shows it.
 */
export type UpdateState = { "status": "idle" } | { "status": "checking" } | { "status": "up_to_date" } | { "status": "available", 
/**
 * Its version.
 */
version: string, 
/**
 * What changed.
 */
notes: string | null, 
/**
 * Where to download it.
 */
url: string, } | { "status": "downloading", 
/**
 * Its version.
 */
version: string, 
/**
 * Bytes so far.
 */
done: number, 
/**
 * Bytes in all, when known.
 */
total: number | null, } | { "status": "ready", 
/**
 * Its version.
 */
version: string, 
/**
 * What changed.
 */
notes: string | null, } | { "status": "failed", 
/**
 * `bad_signature`, `offline` or `failed`.
 */
code: string, 
/**
 * For people.
 */
message: string, };

/**
 * Where the user was in the window.
 */
export type LastView = { 
/**
 * The open conversation.
 */
conversation_id: string | null, 
/**
 * The message at the top of its view, when the user had scrolled up from the newest.
 */
anchor: string | null, };

/**
 * Where a mentorship request stands.
 */
export type RequestStatus = "pending" | "accepted" | "declined" | "withdrawn" | "expired";

/**
 * Whether a mentorship runs.
 */
export type MentorshipStatus = "active" | "ended";

/**
 * Where a goal stands.
 */
export type GoalStatus = "open" | "achieved" | "dropped";

/**
 * Which of one's requests `GET /v1/mentorship-requests` lists.
 */
export type RequestBox = "incoming" | "outgoing";

/**
 * Someone, named.
 */
export type PersonRef = { 
/**
 * Their id.
 */
user_id: string, 
/**
 * Their name ("someone" when the replica does not know it).
 */
username: string, };

/**
 * A request in the Requests inbox.
 */
export type RequestView = { 
/**
 * The request.
 */
request_id: string, 
/**
 * Who asks.
 */
mentee: PersonRef, 
/**
 * Who is asked.
 */
mentor: PersonRef, 
/**
 * The user is the mentor.
 */
incoming: boolean, 
/**
 * What the mentee wrote.
 */
message: string, 
/**
 * Where it stands.
 */
status: RequestStatus, 
/**
 * Why the mentor declined, if they said.
 */
decline_reason: string | null, 
/**
 * RFC 3339.
 */
created_at: string, 
/**
 * RFC 3339: when a pending request expires.
 */
expires_at: string, 
/**
 * The mentorship it opened.
 */
mentorship_id: string | null, 
/**
 * An action on it waits in the outbox.
 */
pending: boolean, 
/**
 * The server refused the last action on it, for this reason.
 */
failed: string | null, };

/**
 * A mentorship in the list and at the head of its panel.
 */
export type MentorshipView = { 
/**
 * The mentorship.
 */
mentorship_id: string, 
/**
 * The other person.
 */
other: PersonRef, 
/**
 * The user is the mentor.
 */
i_mentor: boolean, 
/**
 * The pair's conversation.
 */
conversation_id: string, 
/**
 * Running or over.
 */
status: MentorshipStatus, 
/**
 * RFC 3339.
 */
started_at: string, 
/**
 * Tasks not done.
 */
open_tasks: number, 
/**
 * Tasks not done and due before today.
 */
overdue_tasks: number, 
/**
 * Its accept or end waits in the outbox.
 */
pending: boolean, };

/**
 * A goal in the Mentorship panel.
 */
export type GoalView = { 
/**
 * The goal.
 */
goal_id: string, 
/**
 * Its title.
 */
title: string, 
/**
 * Its details.
 */
details: string | null, 
/**
 * Where it stands.
 */
status: GoalStatus, 
/**
 * `YYYY-MM-DD`.
 */
due_date: string | null, 
/**
 * A change waits in the outbox.
 */
pending: boolean, 
/**
 * The server refused the last change, for this reason.
 */
failed: string | null, };

/**
 * Where a session stands.
 */
export type SessionStatus = "proposed" | "confirmed" | "cancelled";

/**
 * How a mentee or mentor feels the pairing fits, after a session.
 */
export type Fit = "good" | "unsure" | "poor";

/**
 * How a session went, for one of its two people.
 */
export type Feedback = { 
/**
 * The session.
 */
session_id: string, 
/**
 * Who wrote it.
 */
author_id: string, 
/**
 * 1 to 5.
 */
rating: number, 
/**
 * How the pairing fits.
 */
fit: Fit, 
/**
 * Up to 2,000 characters.
 */
comment: string | null, 
/**
 * When it was given (or last replaced).
 */
created_at: string, };

/**
 * A session of the mentorship, as the panel's timeline shows it.
 */
export type MeetingView = { 
/**
 * The session.
 */
session_id: string, 
/**
 * RFC 3339 (UTC).
 */
starts_at: string, 
/**
 * Minutes.
 */
duration_minutes: number, 
/**
 * The proposer's IANA zone.
 */
time_zone: string, 
/**
 * A video link or a place.
 */
location: string | null, 
/**
 * What to talk about.
 */
agenda: string | null, 
/**
 * Proposed, confirmed or cancelled.
 */
status: SessionStatus, 
/**
 * Who proposed it (or last moved it).
 */
proposed_by: PersonRef, 
/**
 * Why it was cancelled, if it was and they said.
 */
cancel_reason: string | null, 
/**
 * Confirmed and over.
 */
held: boolean, 
/**
 * The user may confirm it (proposed by the other person, still ahead).
 */
can_confirm: boolean, 
/**
 * The shared notes as this device has them.
 */
notes: string, 
/**
 * The user's own feedback, once given.
 */
my_feedback: Feedback | null, 
/**
 * A change to it waits in the outbox.
 */
pending: boolean, 
/**
 * The server refused the last change, for this reason.
 */
failed: string | null, };

/**
 * The session form: `session_id` null proposes one; on an edit, null fields stay as they are
 * (a new time or length makes it proposed again).
 */
export type SessionEdit = { 
/**
 * The session edited; none for a new one.
 */
session_id: string | null, 
/**
 * The wall-clock start, `YYYY-MM-DDTHH:MM` (a `datetime-local` input) in `time_zone`.
 */
starts_local: string | null, 
/**
 * The IANA zone of `starts_local` (the user's own).
 */
time_zone: string | null, 
/**
 * Minutes, 15 to 240.
 */
duration_minutes: number | null, 
/**
 * A video link or a place (blank clears).
 */
location: string | null, 
/**
 * What to talk about (blank clears).
 */
agenda: string | null, };

/**
 * The feedback form.
 */
export type FeedbackEdit = { 
/**
 * 1 to 5.
 */
rating: number, 
/**
 * `good`, `unsure` or `poor`.
 */
fit: string, 
/**
 * Anything else (optional).
 */
comment: string | null, };

/**
 * An action item in the Mentorship panel.
 */
export type TaskView = { 
/**
 * The task.
 */
task_id: string, 
/**
 * The goal it serves.
 */
goal_id: string | null, 
/**
 * Its title.
 */
title: string, 
/**
 * Who owes it.
 */
assignee: PersonRef, 
/**
 * `YYYY-MM-DD`.
 */
due_date: string | null, 
/**
 * Ticked.
 */
done: boolean, 
/**
 * Not done and due before today.
 */
overdue: boolean, 
/**
 * The message it was made from.
 */
source_message_id: string | null, 
/**
 * A change waits in the outbox.
 */
pending: boolean, 
/**
 * The server refused the last change, for this reason.
 */
failed: string | null, };

/**
 * A mentorship with its goals and tasks.
 */
export type MentorshipDetailView = { 
/**
 * The mentorship.
 */
mentorship: MentorshipView, 
/**
 * Oldest first.
 */
goals: Array<GoalView>, 
/**
 * Oldest first.
 */
tasks: Array<TaskView>, 
/**
 * By start.
 */
sessions: Array<MeetingView>, 
/**
 * The held session the app asks feedback on now, if any (asked once: after the first held
 * session, then every fourth).
 */
ask_feedback: string | null, };

/**
 * The goal form: `goal_id` null adds one; on an edit, null fields stay as they are.
 */
export type GoalEdit = { 
/**
 * The goal edited; none for a new one.
 */
goal_id: string | null, 
/**
 * Title.
 */
title: string | null, 
/**
 * Details (blank clears).
 */
details: string | null, 
/**
 * Status.
 */
status: GoalStatus | null, 
/**
 * `YYYY-MM-DD` (blank clears).
 */
due_date: string | null, };

/**
 * The task form: `task_id` null adds one (`assignee_id` null: the user); on an edit, null
 * fields stay as they are; `done` ticks or reopens.
 */
export type TaskEdit = { 
/**
 * The task edited; none for a new one.
 */
task_id: string | null, 
/**
 * Title.
 */
title: string | null, 
/**
 * Who owes it.
 */
assignee_id: string | null, 
/**
 * The goal it serves (new tasks).
 */
goal_id: string | null, 
/**
 * `YYYY-MM-DD` (blank clears).
 */
due_date: string | null, 
/**
 * Ticked or reopened.
 */
done: boolean | null, 
/**
 * The message it comes from (new tasks).
 */
source_message_id: string | null, };

/**
 * Someone the user blocked.
 */
export type Blocked = { 
/**
 * Who.
 */
user_id: string, 
/**
 * Their username ("someone" when this device never knew it).
 */
username: string, };

/**
 * What the Report dialog sends.
 */
export type ReportForm = { 
/**
 * The person reported.
 */
user_id: string, 
/**
 * `harassment`, `spam`, `inappropriate`, `safety` or `other`.
 */
reason: string, 
/**
 * The message reported, when the report came from one.
 */
message_id: string | null, 
/**
 * What happened.
 */
details: string | null, };

/**
 * Why someone is reported.
 */
export type ReportReason = "harassment" | "spam" | "inappropriate" | "safety" | "other";

/**
 * Where a report stands.
 */
export type ReportStatus = "open" | "resolved";

/**
 * What a coordinator did about a report.
 */
export type ReportAction = "dismiss" | "warn" | "suspend";

/**
 * What a coordinator decided about a report.
 */
export type Resolution = { 
/**
 * Dismiss, warn or suspend.
 */
action: ReportAction, 
/**
 * The coordinator's note.
 */
note: string | null, 
/**
 * The coordinator (null once their account is deleted).
 */
resolved_by: string | null, 
/**
 * When.
 */
resolved_at: string, };

/**
 * A report as coordinators see it.
 */
export type Report = { 
/**
 * The reporter's id for it.
 */
report_id: string, 
/**
 * Who reported (null once their account is deleted).
 */
reporter_id: string | null, 
/**
 * Who was reported (null once their account is deleted).
 */
user_id: string | null, 
/**
 * The message reported, if one was.
 */
message_id: string | null, 
/**
 * Why.
 */
reason: ReportReason, 
/**
 * The reporter's words.
 */
details: string | null, 
/**
 * Open or resolved.
 */
status: ReportStatus, 
/**
 * When it was filed.
 */
created_at: string, 
/**
 * Once resolved.
 */
resolution: Resolution | null, 
/**
 * The reported message and the five before it in its conversation, oldest first.
 */
context: Array<Message>, };

/**
 * `GET /v1/admin/reports`.
 */
export type ReportList = { 
/**
 * Newest first.
 */
reports: Array<Report>, 
/**
 * Everyone the reports and their context name, to show names beside ids.
 */
users: Array<Profile>, };

/**
 * A suspended member.
 */
export type Suspension = { 
/**
 * Who.
 */
user: Profile, 
/**
 * Why.
 */
reason: string, 
/**
 * Since when.
 */
suspended_at: string, 
/**
 * The coordinator who suspended them (null once their account is deleted).
 */
suspended_by: string | null, };

/**
 * `GET /v1/admin/suspended`.
 */
export type SuspensionList = { 
/**
 * Most recent first.
 */
suspended: Array<Suspension>, };

/**
 * A line of the coordinators' trail.
 */
export type AuditAction = "report_dismissed" | "warned" | "suspended" | "unsuspended" | "message_released" | "message_rejected";

/**
 * A line of the coordinators' trail: written once, never changed.
 */
export type AuditEntry = { 
/**
 * Its place in the trail.
 */
audit_id: number, 
/**
 * When.
 */
at: string, 
/**
 * The coordinator (null once their account is deleted).
 */
actor_id: string | null, 
/**
 * What was done.
 */
action: AuditAction, 
/**
 * To whom.
 */
user_id: string | null, 
/**
 * The report it resolved.
 */
report_id: string | null, 
/**
 * The held message it released or rejected.
 */
message_id: string | null, 
/**
 * The coordinator's note or reason.
 */
note: string | null, };

/**
 * `GET /v1/admin/audit`.
 */
export type AuditList = { 
/**
 * Newest first.
 */
entries: Array<AuditEntry>, 
/**
 * Everyone the entries name.
 */
users: Array<Profile>, 
/**
 * Whether older entries exist (`?before=` the last `audit_id`).
 */
has_more: boolean, };

/**
 * `GET /v1/admin/held`: messages waiting for a coordinator, oldest first.
 */
export type HeldList = { 
/**
 * Each with `status: held` and its `held_reason`.
 */
messages: Array<Message>, 
/**
 * Each held message's id to the person it was sent to.
 */
recipients: { [key in string]: string }, 
/**
 * Everyone the messages name: their senders and recipients.
 */
users: Array<Profile>, };

/**
 * Members by role.
 */
export type UserStats = { 
/**
 * Members who mentor.
 */
mentors: number, 
/**
 * Members who are mentored.
 */
mentees: number, 
/**
 * Members under 18.
 */
minors: number, 
/**
 * Members suspended.
 */
suspended: number, };

/**
 * Requests by state (a pending one past its expiry counts as expired).
 */
export type RequestStats = { 
/**
 * Waiting.
 */
pending: number, 
/**
 * Accepted.
 */
accepted: number, 
/**
 * Declined.
 */
declined: number, 
/**
 * Expired unanswered.
 */
expired: number, 
/**
 * Withdrawn by the mentee.
 */
withdrawn: number, 
/**
 * The median time from a request to its answer (accepted or declined), in hours; null
 * before any answer.
 */
median_response_hours: number | null, 
/**
 * How long answers took: counts within 1, 6, 24 and 72 hours, and later (`up_to_hours`
 * null), in that order.
 */
response_times: Array<ResponseBucket>, };

/**
 * Mentorships by state.
 */
export type MentorshipStats = { 
/**
 * Running.
 */
active: number, 
/**
 * Ended.
 */
ended: number, };

/**
 * A week's count.
 */
export type WeekCount = { 
/**
 * The week's first day.
 */
week_start: string, 
/**
 * How many.
 */
count: number, };

/**
 * Sessions.
 */
export type SessionStats = { 
/**
 * Confirmed sessions that started in the last 30 days.
 */
held_30d: number, 
/**
 * Sessions cancelled in the last 30 days.
 */
cancelled_30d: number, 
/**
 * Sessions held in each of the last 12 weeks, oldest first (the last ends now).
 */
held_by_week: Array<WeekCount>, };

/**
 * Feedback.
 */
export type FeedbackStats = { 
/**
 * Given.
 */
count: number, 
/**
 * The mean rating (1 to 5); null before any.
 */
average_rating: number | null, 
/**
 * How many said the pairing is not working.
 */
poor_fit: number, };

/**
 * Answers that took at most `up_to_hours` (and more than the bucket before).
 */
export type ResponseBucket = { 
/**
 * The bucket's upper bound; null for the last, open one.
 */
up_to_hours: number | null, 
/**
 * How many answers.
 */
count: number, };

/**
 * `GET /v1/admin/stats`: the program at a glance (PROGRAM.md).
 */
export type ProgramStats = { 
/**
 * Members.
 */
users: UserStats, 
/**
 * Mentorship requests by state, and how fast mentors answer.
 */
requests: RequestStats, 
/**
 * Mentorships by state.
 */
mentorships: MentorshipStats, 
/**
 * Sessions of the last 30 days, and held per week.
 */
sessions: SessionStats, 
/**
 * Feedback given after sessions.
 */
feedback: FeedbackStats, 
/**
 * Messages sent in the last 30 days.
 */
messages_30d: number, 
/**
 * Reports waiting for a coordinator.
 */
reports_open: number, 
/**
 * Messages held for review.
 */
held_open: number, };

/** Every `ErrorCode`, in the order Rust declares them. */
export const ERROR_CODES = ["bad_request", "unauthorized", "forbidden", "not_found", "method_not_allowed", "conflict", "payload_too_large", "validation_failed", "rate_limited", "unavailable", "timeout", "internal", "limit_reached", "not_pending", "blocked", "safeguarding", "suspended", "offline", "not_signed_in", "database", "migrate", "corrupt", "insecure_server", "unknown"] as const satisfies readonly ErrorCode[];

/** Each field's limits, as the validators apply them (`tag` is one skill or interest tag; `date_of_birth` counts years of age). */
export const FIELD_LIMITS = {
  username: {"min":3,"max":16,"unit":"characters"},
  email: {"max":100,"unit":"characters"},
  phone_number: {"max":15,"unit":"characters"},
  password: {"min":10,"max":128,"unit":"characters"},
  date_of_birth: {"min":13,"unit":"years"},
  city: {"max":26,"unit":"characters"},
  profile_picture_url: {"max":255,"unit":"characters"},
  media_url: {"max":255,"unit":"characters"},
  bio: {"max":2000,"unit":"characters"},
  job_title: {"max":100,"unit":"characters"},
  industry: {"max":100,"unit":"characters"},
  years_of_experience: {"min":0,"max":70,"unit":"years"},
  skills: {"max":30,"unit":"tags"},
  interests: {"max":30,"unit":"tags"},
  tag: {"min":1,"max":40,"unit":"characters"},
  group_name: {"min":1,"max":50,"unit":"characters"},
  description: {"max":2000,"unit":"characters"},
  content: {"max":10000,"unit":"characters"},
  mentee_capacity: {"min":0,"max":20,"unit":"mentees"},
  message: {"min":1,"max":1000,"unit":"characters"},
  reason: {"max":500,"unit":"characters"},
  title: {"min":1,"max":200,"unit":"characters"},
  details: {"max":2000,"unit":"characters"},
} as const satisfies Record<string, FieldLimit>;

/** Every event the app emits, by name, with its payload. */
export type EventPayloads = {
  "sync": SyncState;
  "changed": Changed;
  "open": null;
  "update": UpdateState;
  "typing": TypingNotice;
};

/** Every command; each rejects with an `IpcError`. */
export const commands = {
  /** Who is signed in, and the server to offer. */
  session: () => invoke<SessionView>("session"),
  /** Creates an account on `server` and signs in. */
  register: (server: string, form: RegisterForm) => invoke<SessionView>("register", { server, form }),
  /** Signs in with a username or email. */
  login: (server: string, login: string, password: string) => invoke<SessionView>("login", { server, login, password }),
  /** Whether a server address is encrypted, on this machine, or plain http elsewhere. */
  serverTransport: (server: string) => invoke<Transport>("server_transport", { server }),
  /** Signs out (the replica stays). */
  logout: () => invoke<null>("logout"),
  /** The sign-up form's errors by the server's own rules (empty when fine). */
  checkRegister: (form: RegisterForm) => invoke<FieldErrors>("check_register", { form }),
  /** Online, offline or syncing. */
  syncState: () => invoke<SyncState>("sync_state"),
  /** What waits to be sent or was refused. */
  outbox: () => invoke<Array<OutboxEntry>>("outbox"),
  /** Sends a refused entry again. */
  retry: (entryId: number) => invoke<null>("retry", { entryId }),
  /** Drops a refused entry. */
  discard: (entryId: number) => invoke<null>("discard", { entryId }),
  /** The conversation list, most recent first. */
  conversations: () => invoke<Array<ConversationItem>>("conversations"),
  /** The newest `limit` messages, oldest first. */
  messages: (conversationId: string, limit: number) => invoke<Array<MessageItem>>("messages", { conversationId, limit }),
  /** Messages before `before_seq`, oldest first (replica, then server). */
  olderMessages: (conversationId: string, beforeSeq: number, limit: number) => invoke<Array<MessageItem>>("older_messages", { conversationId, beforeSeq, limit }),
  /** Queues a message (a reply when `reply_to` names the message it answers); it shows at */
  /** once as pending, and works offline. */
  send: (conversationId: string, content: string | null, mediaUrl: string | null, replyTo: string | null) => invoke<MessageItem>("send", { conversationId, content, mediaUrl, replyTo }),
  /** New text for one of the user's messages (within 24 hours; works offline). */
  editMessage: (messageId: string, content: string) => invoke<null>("edit_message", { messageId, content }),
  /** Deletes a message, leaving "This message was deleted" (works offline). */
  deleteMessage: (messageId: string) => invoke<null>("delete_message", { messageId }),
  /** Adds (`on`) or takes back the user's emoji on a message (works offline). */
  react: (messageId: string, emoji: string, on: boolean) => invoke<null>("react", { messageId, emoji, on }),
  /** Attaches a file by its path (a drop) to a new message with optional text: copied, shown */
  /** at once, uploaded and sent by the engine (works offline). */
  attachFile: (conversationId: string, path: string, content: string | null) => invoke<null>("attach_file", { conversationId, path, content }),
  /** Attaches a file the window read (chosen or pasted), its bytes in base64. */
  attachBytes: (conversationId: string, fileName: string, base64: string) => invoke<null>("attach_bytes", { conversationId, fileName, base64 }),
  /** Saves an attachment into the downloads folder; answers where. */
  saveAttachment: (mediaUrl: string, fileName: string) => invoke<string>("save_attachment", { mediaUrl, fileName }),
  /** The user is typing in a conversation (the others are told, throttled). */
  typing: (conversationId: string) => invoke<null>("typing", { conversationId }),
  /** Marks a conversation read. */
  markRead: (conversationId: string) => invoke<number>("mark_read", { conversationId }),
  /** A conversation's saved draft. */
  draft: (conversationId: string) => invoke<Draft | null>("draft", { conversationId }),
  /** Saves a draft as it is typed. */
  saveDraft: (conversationId: string, draft: Draft) => invoke<null>("save_draft", { conversationId, draft }),
  /** Mutes or unmutes a conversation. */
  setMuted: (conversationId: string, muted: boolean) => invoke<null>("set_muted", { conversationId, muted }),
  /** The conversation open in a focused window (none when the window loses focus). */
  focusConversation: (conversationId: string | null) => invoke<null>("focus_conversation", { conversationId }),
  /** Opens the direct conversation with a user; answers its id. */
  openDirect: (username: string) => invoke<string>("open_direct", { username }),
  /** Full-text search of the local replica. */
  search: (text: string) => invoke<Array<SearchHit>>("search", { text }),
  /** A page of the program's directory. */
  directory: (query: DirectoryQuery) => invoke<DirectoryPage>("directory", { query }),
  /** Suggested mentors or mentees, best first, with reasons. */
  matches: () => invoke<Array<Match>>("matches"),
  /** Someone's profile. */
  user: (username: string) => invoke<Profile>("user", { username }),
  /** The signed-in user's profile. */
  myProfile: () => invoke<Me>("my_profile"),
  /** Saves the profile (sent now, or queued offline). */
  updateProfile: (edit: ProfileEdit) => invoke<Me>("update_profile", { edit }),
  /** The profile form's errors by the server's own rules (empty when fine). */
  checkProfile: (edit: ProfileEdit) => invoke<FieldErrors>("check_profile", { edit }),
  /** The group behind a conversation, with members (none for a direct one). */
  group: (conversationId: string) => invoke<GroupView | null>("group", { conversationId }),
  /** Creates a group; answers its conversation. */
  createGroup: (name: string, usernames: Array<string>) => invoke<string>("create_group", { name, usernames }),
  /** Renames a group. */
  renameGroup: (groupId: string, name: string) => invoke<null>("rename_group", { groupId, name }),
  /** Adds a member by username. */
  addMember: (groupId: string, username: string, role: Role | null) => invoke<null>("add_member", { groupId, username, role }),
  /** Removes a member. */
  removeMember: (groupId: string, userId: string) => invoke<null>("remove_member", { groupId, userId }),
  /** Changes a member's role. */
  setRole: (groupId: string, userId: string, role: Role) => invoke<null>("set_role", { groupId, userId, role }),
  /** Leaves a group. */
  leaveGroup: (groupId: string) => invoke<null>("leave_group", { groupId }),
  /** The Requests inbox (incoming, outgoing, or both), newest first; works offline. */
  requests: (mailbox: RequestBox | null) => invoke<Array<RequestView>>("requests", { mailbox }),
  /** Asks a mentor for mentorship (queued; works offline). */
  requestMentorship: (mentorId: string, message: string) => invoke<RequestView>("request_mentorship", { mentorId, message }),
  /** Accepts a request: the mentorship starts (queued; works offline). */
  acceptRequest: (requestId: string) => invoke<null>("accept_request", { requestId }),
  /** Declines a request, perhaps with a reason (queued; works offline). */
  declineRequest: (requestId: string, reason: string | null) => invoke<null>("decline_request", { requestId, reason }),
  /** Takes back one's request (queued; works offline). */
  withdrawRequest: (requestId: string) => invoke<null>("withdraw_request", { requestId }),
  /** The user's mentorships, active first. */
  mentorships: () => invoke<Array<MentorshipView>>("mentorships"),
  /** A mentorship with its goals and action items. */
  mentorship: (mentorshipId: string) => invoke<MentorshipDetailView>("mentorship", { mentorshipId }),
  /** Ends a mentorship, perhaps with a reason (queued; works offline). */
  endMentorship: (mentorshipId: string, reason: string | null) => invoke<null>("end_mentorship", { mentorshipId, reason }),
  /** Adds or edits a goal (queued; works offline). */
  saveGoal: (mentorshipId: string, edit: GoalEdit) => invoke<GoalView>("save_goal", { mentorshipId, edit }),
  /** Adds, edits or ticks an action item (queued; works offline). */
  saveTask: (mentorshipId: string, edit: TaskEdit) => invoke<TaskView>("save_task", { mentorshipId, edit }),
  /** Proposes, moves or edits a session (queued; works offline). */
  saveSession: (mentorshipId: string, edit: SessionEdit) => invoke<MeetingView>("save_session", { mentorshipId, edit }),
  /** Confirms a session the other person proposed (queued; works offline). */
  confirmSession: (sessionId: string) => invoke<null>("confirm_session", { sessionId }),
  /** Cancels a session, perhaps with a reason (queued; works offline). */
  cancelSession: (sessionId: string, reason: string | null) => invoke<null>("cancel_session", { sessionId, reason }),
  /** Makes a session's notes read `text`; answers the merged text (queued; works offline). */
  writeNotes: (sessionId: string, text: string) => invoke<string>("write_notes", { sessionId, text }),
  /** Gives or replaces one's feedback on a held session (queued; works offline). */
  giveFeedback: (sessionId: string, edit: FeedbackEdit) => invoke<null>("give_feedback", { sessionId, edit }),
  /** The feedback prompt was dismissed: not asked again for this session. */
  dismissFeedback: (sessionId: string) => invoke<null>("dismiss_feedback", { sessionId }),
  /** "Add to calendar": saves the session's calendar file; answers where. */
  saveCalendar: (sessionId: string) => invoke<string>("save_calendar", { sessionId }),
  /** Blocks someone (queued; works offline): their direct conversation leaves the list. */
  blockUser: (userId: string) => invoke<null>("block_user", { userId }),
  /** Lifts a block (queued; works offline). */
  unblockUser: (userId: string) => invoke<null>("unblock_user", { userId }),
  /** Whom the user has blocked. */
  blockedUsers: () => invoke<Array<Blocked>>("blocked_users"),
  /** Reports someone, perhaps one of their messages (queued; works offline). */
  reportUser: (form: ReportForm) => invoke<null>("report_user", { form }),
  /** "Download my data": saves the export to Downloads; answers where. */
  saveExport: () => invoke<string>("save_export"),
  /** "Delete my account", with the password: then signed out, this device's copy gone. */
  deleteAccount: (password: string) => invoke<null>("delete_account", { password }),
  /** The program at a glance. */
  programStats: () => invoke<ProgramStats>("program_stats"),
  /** The open (or resolved) reports, each with its context. */
  programReports: (resolved: boolean) => invoke<ReportList>("program_reports", { resolved }),
  /** Dismisses, warns about or suspends over a report. */
  resolveReport: (reportId: string, action: string, note: string | null) => invoke<null>("resolve_report", { reportId, action, note }),
  /** Suspends a member, with the reason they are told. */
  suspendUser: (userId: string, reason: string) => invoke<null>("suspend_user", { userId, reason }),
  /** Lifts a suspension. */
  unsuspendUser: (userId: string) => invoke<null>("unsuspend_user", { userId }),
  /** The suspended members. */
  suspendedUsers: () => invoke<SuspensionList>("suspended_users"),
  /** The trail of what coordinators did, newest first; `before` (an `audit_id`) pages back. */
  auditTrail: (before: number | null) => invoke<AuditList>("audit_trail", { before }),
  /** The messages held for review. */
  heldMessages: () => invoke<HeldList>("held_messages"),
  /** Releases (`true`) or rejects a held message. */
  reviewHeld: (messageId: string, release: boolean) => invoke<null>("review_held", { messageId, release }),
  /** The app's settings. */
  settings: () => invoke<Settings>("settings"),
  /** Turns desktop notifications on or off. */
  setNotifications: (on: boolean) => invoke<null>("set_notifications", { on }),
  /** The window painted its first screen (the cold-start mark); `page_ms` is the page's own */
  /** clock then (milliseconds since its navigation started). */
  uiReady: (pageMs: number) => invoke<null>("ui_ready", { pageMs }),
  /** Where the user was when the window last closed (open the same conversation and place). */
  lastView: () => invoke<LastView>("last_view"),
  /** Remembers the open conversation and the message at the top of its view. */
  rememberView: (view: LastView) => invoke<null>("remember_view", { view }),
  /** What a clicked notification or link asks the window to show, taken (once). */
  takeOpening: () => invoke<Opening | null>("take_opening"),
  /** Puts the `lodestar://` link to a profile, conversation or request form on the clipboard, */
  /** and answers it. */
  copyLink: (target: Target) => invoke<string>("copy_link", { target }),
  /** Whether the app starts with the session (hidden in the tray). */
  startsAtLogin: () => invoke<boolean>("starts_at_login"),
  /** Starts the app with the session, or not. */
  setStartsAtLogin: (on: boolean) => invoke<null>("set_starts_at_login", { on }),
  /** Where the app's update stands. */
  updateState: () => invoke<UpdateState>("update_state"),
  /** Asks the program's server for a newer version now. */
  checkUpdate: () => invoke<null>("check_update"),
  /** Installs the downloaded update and restarts (refused while an upload is in flight). */
  restartToUpdate: () => invoke<null>("restart_to_update"),
};
