/**
 * Records of something that happens to a thing — check-ins, inspections, treatments, deposits —
 * belong to that thing even when the prompt only lists them ("tanks, water tests …", "cows …, and vet
 * treatments"). This picks the thing an unlinked event record most likely happens to.
 */
import { PERSON_NOUNS } from './catalog.js';
import type { EntityDraft } from './draft.js';
import { TAG_WORDS } from './lexicon.js';
import { splitWords } from './naming.js';

/** Last words (or whole names) of entities that record an event happening to something. */
const EVENT_HEADS = new Set(
  `checkin checkout visit session appointment booking reservation inspection treatment test reading
  measurement log entry note purchase deposit withdrawal payment transaction movement transfer lesson
  workout interview review rating vote rsvp incident repair vaccination feeding application request loan
  rental delivery donation checkup result attendance signup workorder adoption enrollment registration
  flight`.split(/\s+/),
);

/** Events that judge or answer something: what they are about is a thing, not who made them. */
const JUDGEMENTS = new Set('vote rating review rsvp'.split(' '));

const lastWord = (name: string): string => splitWords(name).at(-1) ?? '';

export function isEventName(name: string): boolean {
  return EVENT_HEADS.has(lastWord(name)) || EVENT_HEADS.has(splitWords(name).join(''));
}

const isPersonName = (name: string): boolean => PERSON_NOUNS.has(lastWord(name));
const isTagName = (name: string): boolean => TAG_WORDS.has(lastWord(name));

export interface EventContext {
  /** Entity names in the order the prompt first mentions them. */
  order: readonly string[];
  /** Entities that only name the app's topic ("aquarium log", "wine cellar"). */
  topics: ReadonlySet<string>;
}

/**
 * The entity an event record should point at, or undefined when it already points at a thing (or
 * nothing fits). An event with no link at all may belong to a person ("check-ins" of members); one
 * that already names its person needs the thing ("members RSVP" → which meetup).
 */
export function eventOwner(
  event: EntityDraft,
  byName: ReadonlyMap<string, EntityDraft>,
  context: EventContext,
): string | undefined {
  if (!isEventName(event.name) || event.parent) return undefined;
  // links to entities this app does not have (a template's Habit) are dropped later: they do not count
  const targets = event.fields.flatMap((f) =>
    (f.type === 'reference' || f.type === 'references') && f.target && byName.has(f.target) ? [f.target] : [],
  );
  if (targets.some((t) => !isPersonName(t))) return undefined;
  // a judgement ("we vote", "ratings") is always about a thing, never about a person
  const peopleOnly = targets.length > 0 || JUDGEMENTS.has(lastWord(event.name));
  const fits = (name: string, topicToo = false): boolean =>
    name !== event.name &&
    byName.has(name) &&
    (topicToo || !context.topics.has(name)) &&
    !isEventName(name) &&
    !isTagName(name) &&
    !(peopleOnly && isPersonName(name));
  const at = context.order.indexOf(event.name);
  const before = at < 0 ? [] : context.order.slice(0, at);
  const after = at < 0 ? [] : context.order.slice(at + 1);
  // the first thing the prompt is about, before the event; else the next one named after it; else
  // the app's topic itself ("job application tracker: …, notes from each interview")
  const inTopic = (name: string): boolean => context.topics.has(name) && fits(name, true);
  return before.find((n) => fits(n)) ?? after.find((n) => fits(n)) ?? before.find(inTopic);
}
