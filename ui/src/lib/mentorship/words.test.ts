import { expect, test } from 'vitest';
import { localInput, shortWhen, slotsText, takesRequests, timeLeft } from './words';

test('time left before a request expires reads as people say it', () => {
  const now = new Date('2026-12-03T12:00:00Z');
  expect(timeLeft('2026-12-17T12:00:00Z', now)).toBe('14 days left');
  expect(timeLeft('2026-12-04T17:00:00Z', now)).toBe('29 hours left');
  expect(timeLeft('2026-12-03T13:00:00Z', now)).toBe('1 hour left');
  expect(timeLeft('2026-12-03T12:30:00Z', now)).toBe('less than an hour left');
  expect(timeLeft('2026-12-03T11:00:00Z', now)).toBe('expired');
});

test('a mentor takes requests only with an open slot and the switch on', () => {
  expect(takesRequests({ mentor_status: true, accepting_requests: true, open_slots: 1 })).toBe(true);
  expect(takesRequests({ mentor_status: true, accepting_requests: true, open_slots: 0 })).toBe(false);
  expect(takesRequests({ mentor_status: true, accepting_requests: false, open_slots: 2 })).toBe(false);
  expect(takesRequests({ mentor_status: false, accepting_requests: true, open_slots: 2 })).toBe(false);
  expect(slotsText(2, 3)).toBe('2 of 3 mentee slots open');
  expect(slotsText(0, 1)).toBe('0 of 1 mentee slot open');
});

test("a session's time reads in one's own zone and the proposer's", async () => {
  const { sessionTime } = await import('./words');
  expect(sessionTime('2026-12-03T23:00:00Z', 'America/Chicago', 'maya', 'Europe/Berlin')).toBe(
    'Fri 4 Dec, 00:00 your time · 17:00 for maya (America/Chicago)',
  );
  expect(sessionTime('2026-12-03T23:00:00Z', 'UTC', 'maya', 'UTC')).toBe('Thu 3 Dec, 23:00 your time');
});

test('the next session reads in the user\'s own zone, and fills a datetime-local input', () => {
  expect(shortWhen('2026-12-03T23:00:00Z', 'Europe/London')).toBe('Thu 3 Dec, 23:00');
  expect(shortWhen('2026-12-03T23:00:00Z', 'Asia/Tokyo')).toBe('Fri 4 Dec, 08:00');
  expect(localInput(new Date('2026-12-03T23:05:00Z'), 'America/Chicago')).toBe('2026-12-03T17:05');
});
