import type { ReportReason } from '../ipc';

/** The report reasons as the form offers them, in the contract's order. */
export const REASONS: Array<{ value: ReportReason; label: string; hint: string }> = [
  { value: 'harassment', label: 'Harassment', hint: 'Unwanted, hostile or repeated contact' },
  { value: 'spam', label: 'Spam', hint: 'Advertising, scams, bulk messages' },
  { value: 'inappropriate', label: 'Inappropriate', hint: 'Content that has no place in the program' },
  { value: 'safety', label: 'Safety concern', hint: 'Someone may be in danger' },
  { value: 'other', label: 'Something else', hint: 'Say what happened below' },
];

/** A reason's label. */
export function reasonLabel(reason: string): string {
  return REASONS.find((r) => r.value === reason)?.label ?? reason;
}
