export type Segment = { text: string; mark: boolean };

/**
 * The backend marks the match between `[` and `]`. Split into segments rendered as text nodes
 * (escaped by Svelte) so message content can never inject markup.
 */
export function snippetSegments(snippet: string): Segment[] {
  const out: Segment[] = [];
  const re = /\[([^\]]*)\]/g;
  let last = 0;
  for (const m of snippet.matchAll(re)) {
    const at = m.index ?? 0;
    if (at > last) out.push({ text: snippet.slice(last, at), mark: false });
    if (m[1]) out.push({ text: m[1], mark: true });
    last = at + m[0].length;
  }
  if (last < snippet.length) out.push({ text: snippet.slice(last), mark: false });
  return out;
}
