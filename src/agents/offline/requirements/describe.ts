/**
 * The spec's words about itself: app name, slug, a description written from the spec (never the
 * prompt's own text, which is untrusted), features and non-functional requirements.
 */
import type { Entity, Features } from '../../../core/domain/spec.js';
import type { Domain } from './domains.js';
import { singularize } from './inflect.js';
import { ACTIVITY_WORDS, NAMEABLE_APP_WORDS } from './lexicon.js';
import { pluralLabelFromName, slugify, splitWords, titleCase } from './naming.js';

/** Entities that come from what users do (rate, review…): they name the app well ("Recipe Ratings"). */
const ACTIVITY_ENTITIES = new Set([
  'Rating',
  'Review',
  'Vote',
  'Booking',
  'Loan',
  'Rsvp',
  'Application',
  'Enrollment',
  'Bid',
]);

const NAMED = /\b(?:called|named|name it|titled)\s+([a-z0-9]+(?: [a-z0-9]+){0,3})/;

export function appNameFor(input: {
  text: string;
  topicWords: readonly string[];
  appWord: string | undefined;
  domain: Domain | undefined;
  entities: readonly Entity[];
}): string {
  const named = NAMED.exec(input.text)?.[1]
    ?.split(' ')
    .filter((w) => !['app', 'application'].includes(w));
  if (named && named.length > 0) return titleCase(named).slice(0, 60);
  const topic = input.topicWords.slice(-3);
  while (topic.length > 1 && (ACTIVITY_WORDS.has(topic[0] ?? '') || topic[0]?.endsWith('ing'))) topic.shift();
  if (topic.length > 0) {
    const activity = input.entities.find((e) => ACTIVITY_ENTITIES.has(e.name));
    const word = topic[0] ?? '';
    const suffix =
      input.appWord && NAMEABLE_APP_WORDS.has(input.appWord) && !topic.includes(input.appWord)
        ? [input.appWord]
        : topic.length > 1
          ? []
          : activity && splitWords(activity.name)[0] !== word
            ? splitWords(pluralLabelFromName(activity.name))
            : singularize(word) === word
              ? ['app']
              : [];
    return titleCase([...topic, ...suffix]).slice(0, 60);
  }
  if (input.domain) return input.domain.appName;
  const first = input.entities[0];
  return first && first.name !== 'Item'
    ? `${pluralLabelFromName(first.name)} Manager`.slice(0, 60)
    : 'My App';
}

export const slugFor = (appName: string): string => slugify(appName);

function listWords(words: readonly string[]): string {
  if (words.length <= 1) return words.join('');
  return `${words.slice(0, -1).join(', ')} and ${words[words.length - 1] ?? ''}`;
}

export function describeSpec(appName: string, entities: readonly Entity[], features: Features): string {
  const things = entities.slice(0, 5).map((e) => e.pluralLabel.toLowerCase());
  const more = entities.length > 5 ? ' and more' : '';
  const auth = features.auth ? ' Users sign in and see their own data.' : '';
  return `${appName}: a web app to manage ${listWords(things)}${more}.${auth}`.slice(0, 300);
}

const AUTH =
  /\b(?:log ?ins?|sign ?(?:in|up)s?|register|registration|accounts?|passwords?|per user|private|my own|their own|multi ?user|multiple users|each user|user profiles?|authenticat\w*|members only|logged in)\b/;
const SEARCH = /\b(?:search\w*|find|filter\w*|look up|lookup|browse)\b/;

/** Auth only when asked for; search when asked for or when any entity has text to search in. */
export function featuresFor(text: string, entities: readonly Entity[]): Features {
  const hasText = entities.some((e) => e.fields.some((f) => f.type === 'string' || f.type === 'text'));
  return { auth: AUTH.test(text), search: SEARCH.test(text) || hasText, pagination: true, sorting: true };
}

const NON_FUNCTIONAL: ReadonlyArray<[RegExp, string]> = [
  [
    /\b(?:fast|quick(?:ly)?|snappy|performant|speedy|performance)\b/,
    'Pages load quickly: lists answer in under 500 ms.',
  ],
  [/\b(?:mobile|phones?|responsive|tablets?)\b/, 'Works well on mobile screens (responsive layout).'],
  [
    /\b(?:accessible|accessibility|a11y|screen readers?|wcag)\b/,
    'Accessible: keyboard navigation, labelled controls, sufficient contrast (WCAG 2.1 AA).',
  ],
  [
    /\b(?:offline|no internet|without internet)\b/,
    'Keeps working on a poor connection and saves changes when back online.',
  ],
  [
    /\b(?:secure|security|safe|privacy|gdpr)\b/,
    'Secure by default: validated input, no secrets in the browser, least-privilege access.',
  ],
  [
    /\b(?:simple|easy|minimal|clean|intuitive|uncluttered)\b/,
    'Simple, uncluttered interface that needs no training.',
  ],
  [/\bdark mode\b/, 'Supports a dark colour scheme.'],
  [
    /\b(?:multi ?lingual|multi ?language|translat\w*|i18n|languages)\b/,
    'Interface text is ready for translation.',
  ],
  [/\b(?:export|csv|excel)\b/, 'Data can be exported as CSV.'],
  [/\b(?:real ?time|live updates?|instantly)\b/, 'Changes appear without reloading the page.'],
  [/\b(?:scal\w+|thousands|millions|lots of users)\b/, 'Stays responsive with thousands of records.'],
  [/\b(?:reliable|backups?|never lose)\b/, 'Data is stored durably and can be backed up.'],
];

export function nonFunctionalFor(text: string): string[] {
  return NON_FUNCTIONAL.filter(([pattern]) => pattern.test(text)).map(([, statement]) => statement);
}
