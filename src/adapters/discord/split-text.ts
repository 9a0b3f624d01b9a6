/**
 * Splits text into parts of at most `limit` characters without losing any: at paragraph breaks when
 * possible, then line breaks, then spaces, and only as a last resort inside a word. Joining the parts
 * gives back the original text (whitespace at the cut points excepted).
 */
export function splitText(text: string, limit: number): string[] {
  if (limit < 1) throw new RangeError('limit must be at least 1');
  const parts: string[] = [];
  let rest = text.trim();
  while (rest.length > limit) {
    const window = rest.slice(0, limit + 1);
    const cut = bestCut(window, limit);
    parts.push(rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut).trimStart();
  }
  if (rest.length > 0 || parts.length === 0) parts.push(rest);
  return parts;
}

function bestCut(window: string, limit: number): number {
  // Prefer a boundary in the second half of the window, so parts stay reasonably full.
  const floor = Math.floor(limit / 2);
  for (const separator of ['\n\n', '\n', ' ']) {
    const at = window.lastIndexOf(separator, limit);
    if (at >= floor) return at + (separator === ' ' ? 1 : separator.length);
  }
  return limit;
}

/** Shortens a one-line preview with an explicit marker saying how much was left out. */
export function preview(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat.length <= max) return flat;
  const kept = flat.slice(0, max).trimEnd();
  return `${kept}… (+${flat.length - kept.length} more characters)`;
}
