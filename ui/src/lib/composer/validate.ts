import { FIELD_LIMITS, fieldErrorText } from '../ipc';

export const MAX_CONTENT = FIELD_LIMITS.content.max;
export const MAX_URL = FIELD_LIMITS.media_url.max;

/** Same rules the core applies before queueing; checked here to explain them while typing. */
export function composerErrors(content: string, mediaUrl: string): Record<string, string> {
  const errors: Record<string, string> = {};
  if (content.length > MAX_CONTENT) errors.content = fieldErrorText('content', 'too_long');
  const url = mediaUrl.trim();
  if (url) {
    if (url.length > MAX_URL) errors.media_url = fieldErrorText('media_url', 'too_long');
    else if (!/^https?:\/\/[^\s]+$/i.test(url)) errors.media_url = fieldErrorText('media_url', 'invalid');
  }
  return errors;
}
