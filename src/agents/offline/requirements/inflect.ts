/**
 * English singular/plural for the nouns people use when describing apps. Rule-based with small
 * exception lists: enough for entity names, not a general-purpose inflector.
 */

const IRREGULAR_PLURALS: Readonly<Record<string, string>> = {
  person: 'people',
  man: 'men',
  woman: 'women',
  child: 'children',
  mouse: 'mice',
  goose: 'geese',
  foot: 'feet',
  tooth: 'teeth',
  criterion: 'criteria',
  analysis: 'analyses',
  thesis: 'theses',
  index: 'indexes',
  leaf: 'leaves',
  knife: 'knives',
  wife: 'wives',
  life: 'lives',
  half: 'halves',
  shelf: 'shelves',
  wolf: 'wolves',
  calf: 'calves',
  loaf: 'loaves',
  thief: 'thieves',
  scarf: 'scarves',
  hoof: 'hooves',
  hero: 'heroes',
  potato: 'potatoes',
  tomato: 'tomatoes',
  echo: 'echoes',
  veto: 'vetoes',
  volcano: 'volcanoes',
  quiz: 'quizzes',
};
const IRREGULAR_SINGULARS: Readonly<Record<string, string>> = Object.fromEntries(
  Object.entries(IRREGULAR_PLURALS)
    .filter(([singular]) => singular !== 'leaf') // "leaves" in apps means time off, not foliage
    .map(([singular, plural]) => [plural, singular]),
);

/** Same word in both numbers; pluralising them would read wrong in a UI. */
const UNCOUNTABLE = new Set([
  'equipment',
  'information',
  'feedback',
  'staff',
  'software',
  'hardware',
  'news',
  'series',
  'species',
  'sheep',
  'fish',
  'deer',
  'data',
  'media',
  'furniture',
  'luggage',
  'baggage',
  'music',
  'money',
  'advice',
  'research',
  'homework',
  'evidence',
  'knowledge',
  'traffic',
  'weather',
  'clothing',
  'seafood',
  'attendance',
  'mileage',
  'inventory',
  'merchandise',
  'jewelry',
  'gear',
]);

/** Singular words ending in -us / -is / -ss that must not lose their final s. */
const SINGULAR_ENDING_IN_S = new Set([
  'status',
  'bus',
  'campus',
  'virus',
  'bonus',
  'census',
  'chorus',
  'syllabus',
  'focus',
  'cactus',
  'apparatus',
  'walrus',
  'octopus',
  'circus',
  'genus',
  'consensus',
  'surplus',
  'corpus',
  'stimulus',
  'prospectus',
  'canvas',
  'atlas',
  'alias',
  'gas',
  'lens',
  'analysis',
  'basis',
  'thesis',
  'axis',
  'tennis',
  'iris',
  'diagnosis',
  'hypothesis',
  'this',
  'yes',
  'plus',
]);
/** Plurals of words ending in -u that would otherwise look singular. */
const U_PLURALS = new Set(['menus', 'gurus', 'emus', 'haikus', 'tutus', 'tofus']);
/** -ies words whose singular ends in -ie, not -y. */
const IE_SINGULARS = new Set([
  'movie',
  'cookie',
  'pie',
  'tie',
  'lie',
  'calorie',
  'zombie',
  'selfie',
  'smoothie',
  'brownie',
  'rookie',
  'hoodie',
  'genie',
  'prairie',
  'auntie',
  'birdie',
  'veggie',
  'foodie',
  'newbie',
  'goalie',
  'hippie',
  'freebie',
  'collie',
  'budgie',
  'sweetie',
  'indie',
  'die',
]);
/** -ches / -oes / -ses plurals that only drop the final s. */
const DROP_S_ONLY = new Set([
  'caches',
  'niches',
  'headaches',
  'toothaches',
  'aches',
  'moustaches',
  'mustaches',
  'cliches',
  'quiches',
  'creches',
  'shoes',
  'toes',
  'canoes',
  'hoes',
  'oboes',
  'tiptoes',
  'horseshoes',
  'floes',
]);

/** Best-effort singular of one lower-case word; words that already look singular come back as they are. */
export function singularize(word: string): string {
  const w = word.toLowerCase();
  if (w.length < 3 || UNCOUNTABLE.has(w) || SINGULAR_ENDING_IN_S.has(w)) return w;
  const irregular = IRREGULAR_SINGULARS[w];
  if (irregular) return irregular;
  if (U_PLURALS.has(w) || DROP_S_ONLY.has(w)) return w.slice(0, -1);
  if (w.endsWith('ies')) {
    const ie = w.slice(0, -1);
    return IE_SINGULARS.has(ie) || w.length <= 4 ? ie : `${w.slice(0, -3)}y`;
  }
  if (w.endsWith('sses') || w.endsWith('xes') || w.endsWith('shes') || w.endsWith('ches'))
    return w.slice(0, -2);
  if (w.endsWith('zzes')) return w.slice(0, -3);
  if (w.endsWith('ses') && SINGULAR_ENDING_IN_S.has(w.slice(0, -2))) return w.slice(0, -2);
  if (w.endsWith('oes') && w.length > 4) return w.slice(0, -2);
  if (w.endsWith('ss') || w.endsWith('us') || w.endsWith('is')) return w;
  if (w.endsWith('s') && !w.endsWith("'s")) return w.slice(0, -1);
  return w;
}

/** Plural of one lower-case singular word. */
export function pluralize(word: string): string {
  const w = word.toLowerCase();
  if (UNCOUNTABLE.has(w)) return w;
  const irregular = IRREGULAR_PLURALS[w];
  if (irregular) return irregular;
  if (/[^aeiou]y$/.test(w)) return `${w.slice(0, -1)}ies`;
  if (/(?:s|x|z|ch|sh)$/.test(w)) return `${w}es`;
  return `${w}s`;
}

/** True when the word reads as a plural noun form (its singular differs), e.g. "dishes", "people". */
export function looksPlural(word: string): boolean {
  const w = word.toLowerCase();
  if (IRREGULAR_SINGULARS[w]) return true;
  return singularize(w) !== w;
}

/** Whether a word has no distinct plural (so a plural identifier needs a suffix). */
export function isUncountable(word: string): boolean {
  return UNCOUNTABLE.has(word.toLowerCase());
}
