// What the mentorship screens say about time and slots, as people say it.

/** "13 days left", "5 hours left", "less than an hour left", or "expired". */
export function timeLeft(expiresAt: string, now = new Date()): string {
  const ms = new Date(expiresAt).getTime() - now.getTime();
  if (ms <= 0) return 'expired';
  const hours = Math.floor(ms / 3_600_000);
  if (hours >= 48) return `${Math.floor(hours / 24)} days left`;
  if (hours >= 1) return `${hours} hour${hours === 1 ? '' : 's'} left`;
  return 'less than an hour left';
}

/** "2 of 3 mentee slots open", as matches say it. */
export function slotsText(open: number, capacity: number): string {
  return `${open} of ${capacity} mentee slot${capacity === 1 ? '' : 's'} open`;
}

/** Whether a mentor takes requests now, and if not, why not. */
export function takesRequests(p: { mentor_status: boolean; accepting_requests: boolean; open_slots: number }): boolean {
  return p.mentor_status && p.accepting_requests && p.open_slots > 0;
}

/**
 * When a session is, in the user's own zone and, when the proposer's differs, in theirs:
 * "Thu 3 Dec, 17:00 your time · 16:00 for maya (America/Chicago)". `mine` is the user's zone.
 */
export function sessionTime(startsAt: string, zone: string, proposer: string, mine: string, locale = 'en-GB'): string {
  const at = new Date(startsAt);
  const day = new Intl.DateTimeFormat(locale, { weekday: 'short', day: 'numeric', month: 'short', timeZone: mine }).format(at);
  const clock = (tz: string) => new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: tz }).format(at);
  const own = `${day.replace(/,/g, '')}, ${clock(mine)} your time`;
  return zone === mine ? own : `${own} · ${clock(zone)} for ${proposer} (${zone})`;
}

/** "Thu 3 Dec, 17:00" in the user's zone: when the next session is, beside a name. */
export function shortWhen(startsAt: string, mine: string, locale = 'en-GB'): string {
  const at = new Date(startsAt);
  const day = new Intl.DateTimeFormat(locale, { weekday: 'short', day: 'numeric', month: 'short', timeZone: mine }).format(at);
  const clock = new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: mine }).format(at);
  return `${day.replace(/,/g, '')}, ${clock}`;
}

/** A `datetime-local` value ("2026-12-10T17:00") for an instant, in the user's zone. */
export function localInput(at: Date, mine: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: mine,
  }).formatToParts(at);
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '00';
  return `${get('year')}-${get('month')}-${get('day')}T${get('hour')}:${get('minute')}`;
}
