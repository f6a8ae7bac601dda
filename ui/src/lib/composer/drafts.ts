// Saving every open composer's draft now, awaited: before something ends the window on purpose
// (restarting to update), since a draft is otherwise saved a few hundred ms after the last key.

const savers = new Set<() => Promise<void>>();

/** A composer's way to save now; returns the function that removes it. */
export function registerDraft(save: () => Promise<void>): () => void {
  savers.add(save);
  return () => savers.delete(save);
}

/** Saves every open draft; a failed save does not stop the others. */
export async function flushDrafts(): Promise<void> {
  await Promise.allSettled([...savers].map((save) => save()));
}
