// The reaction picker's emoji: the most used first, then those the user reacted with lately
// (remembered for this run of the app).

/** Most used first; each with its name for the hover text. */
export const QUICK_EMOJI: ReadonlyArray<{ emoji: string; name: string }> = [
  { emoji: '👍', name: 'Thumbs up' },
  { emoji: '❤️', name: 'Heart' },
  { emoji: '😂', name: 'Tears of joy' },
  { emoji: '🎉', name: 'Party' },
  { emoji: '😮', name: 'Surprised' },
  { emoji: '😢', name: 'Sad' },
  { emoji: '🙏', name: 'Thank you' },
  { emoji: '👀', name: 'Eyes' },
];

const RECENT_MAX = 8;

class RecentEmoji {
  /** Most recent first. */
  items = $state<string[]>([]);

  used(emoji: string) {
    this.items = [emoji, ...this.items.filter((e) => e !== emoji)].slice(0, RECENT_MAX);
  }

  /** The picker's list: the quick ones, then recent ones not among them. */
  picker(): Array<{ emoji: string; name: string }> {
    const quick = new Set(QUICK_EMOJI.map((q) => q.emoji));
    return [...QUICK_EMOJI, ...this.items.filter((e) => !quick.has(e)).map((emoji) => ({ emoji, name: 'Used recently' }))];
  }
}

export const recentEmoji = new RecentEmoji();
