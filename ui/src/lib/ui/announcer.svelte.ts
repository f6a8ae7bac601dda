// The window's one polite live region (Announcer.svelte, mounted once in App.svelte): what a
// screen reader should hear without moving the user's focus, like a message arriving in the open
// conversation. Regions that change as the user reads (the message list, timestamps, countdowns)
// stay silent; anything worth hearing is said here, once.

/** How long words stay in the region before it is emptied for the next ones. */
const HOLD_MS = 7_000;

class Announcer {
  text = $state('');
  private queued: string[] = [];
  private timer: ReturnType<typeof setTimeout> | null = null;
  private clear: ReturnType<typeof setTimeout> | null = null;

  /**
   * Says `words` politely. Calls in the same moment are said together; the region is emptied
   * first, so the same words twice are heard twice.
   */
  say(words: string) {
    if (!words.trim()) return;
    this.queued.push(words.trim());
    if (this.timer !== null) return;
    this.text = '';
    // A screen reader notices a change, not a state: the text goes in after the emptying has
    // been seen.
    this.timer = setTimeout(() => {
      this.timer = null;
      this.text = this.queued.join(' ');
      this.queued = [];
      if (this.clear !== null) clearTimeout(this.clear);
      this.clear = setTimeout(() => (this.text = ''), HOLD_MS);
    }, 100);
  }
}

export const announcer = new Announcer();
