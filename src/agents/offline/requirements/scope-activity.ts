/**
 * What a prompt asks the app to DO. "an app where kids can draw", "something to time my laps", "a
 * whiteboard the team can sketch on": when the app's own verb is playing, drawing, timing or
 * calculating and nothing in the prompt is kept as a record, offline mode has nothing to build.
 */
import nlp from 'compromise';
import { verbOfGerund } from './phrases.js';

export type ActivityKind = 'game' | 'timer' | 'calculator' | 'drawing';

/** Verbs that are the whole job of an app with no stored records, by the kind of app they make. */
const ACTIVITY_VERBS: ReadonlyArray<[ActivityKind, readonly string[]]> = [
  ['game', ['play']],
  ['drawing', ['draw', 'sketch', 'paint', 'doodle', 'animate', 'colour', 'color', 'scribble']],
  ['timer', ['time']],
  ['calculator', ['calculate', 'compute', 'convert', 'solve']],
];

/** Verbs and collection words that mean records are kept: the prompt is a data app whatever else it does. */
const RECORD_CUES = new Set(
  `track log record manage organize organise catalog catalogue collect schedule book rate review register
  rent borrow lend sell order list inventory collection library tracker database journal diary planner
  crm roster directory save store keep history mark`
    .split(/\s+/)
    .filter(Boolean),
);

/** Words right before a bare verb that make it one: "to draw", "kids can paint", "I play". */
const VERB_CUES = new Set(
  `to can could will ll i we you they he she kids children people players users friends me us them and
  or that which who`
    .split(/\s+/)
    .filter(Boolean),
);

/** The verb a word is a form of: "draws" → draw, "sketching" → sketch, "animates" → animate. */
export function verbLemmas(word: string): string[] {
  const forms = [word];
  if (word.endsWith('ing') && word.length > 5) forms.push(verbOfGerund(word), word.slice(0, -3));
  if (word.endsWith('es') && word.length > 4) forms.push(word.slice(0, -2), word.slice(0, -1));
  else if (word.endsWith('s') && word.length > 3) forms.push(word.slice(0, -1));
  return forms;
}

/** The kind of app an activity verb (in any form) makes, or undefined for any other word. */
export function activityOfWord(word: string): ActivityKind | undefined {
  const lemmas = verbLemmas(word);
  return ACTIVITY_VERBS.find(([, verbs]) => verbs.some((v) => lemmas.includes(v)))?.[0];
}

/** True when some word of the prompt says records are kept ("log", "track", "collection"). */
export function keepsRecords(words: readonly string[]): boolean {
  return words.some((w) => verbLemmas(w).some((lemma) => RECORD_CUES.has(lemma)));
}

/**
 * The activity the words ask the app to perform, read as verbs: compromise tags the verbs, and a
 * bare verb after a subject or "to" counts too ("lets kids paint" is beyond the tagger).
 */
export function activityOf(words: readonly string[]): ActivityKind | undefined {
  if (words.length === 0 || keepsRecords(words)) return undefined;
  const terms = nlp(words.join(' ')).terms().json() as Array<{
    terms: Array<{ normal: string; tags: string[] }>;
  }>;
  const verbs = new Set(
    terms.flatMap((t) => t.terms).flatMap((t) => (t.tags.includes('Verb') ? [t.normal] : [])),
  );
  for (const [k, w] of words.entries()) {
    const kind = activityOfWord(w);
    if (!kind) continue;
    const before = words[k - 1] ?? '';
    const gerundAfterFor = w.endsWith('ing') && before === 'for';
    if (verbs.has(w) || VERB_CUES.has(before) || gerundAfterFor) return kind;
  }
  return undefined;
}
