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
