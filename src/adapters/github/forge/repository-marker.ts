/**
 * A repository is Autonoma's for a request when its description ends with ` · autonoma:<requestId>`:
 * the description survives renames and transfers, is readable from the one GET we make anyway, and a
 * user who edits it away simply makes the repository theirs.
 */
const MARKER_PREFIX = ' · autonoma:';
const DESCRIPTION_MAX = 350;

export const AUTONOMA_TOPIC = 'autonoma';

export function markedDescription(description: string, requestId: string): string {
  const marker = `${MARKER_PREFIX}${requestId}`;
  const room = DESCRIPTION_MAX - marker.length;
  const text = description.replace(/\s+/g, ' ').trim();
  return (text.length > room ? `${text.slice(0, room - 1)}…` : text) + marker;
}

export function isMarkedFor(description: string | null | undefined, requestId: string): boolean {
  return (description ?? '').endsWith(`${MARKER_PREFIX}${requestId}`);
}

/** GitHub topics: lowercase letters, digits and hyphens, at most 50 characters and 20 topics. */
export function normaliseTopics(topics: readonly string[]): string[] {
  const cleaned = [AUTONOMA_TOPIC, ...topics].map((t) =>
    t
      .toLowerCase()
      .replace(/[^a-z0-9-]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 50),
  );
  return [...new Set(cleaned.filter((t) => t.length > 0))].slice(0, 20);
}
