/**
 * A prompt that names the same records twice, once misspelled ("appointments … appointmnets"), means
 * one entity. Names one typo apart (a swapped pair of letters, or one letter added, dropped or
 * changed) fold into the spelling the prompt uses more, or the one the catalog knows; two different
 * words that happen to look alike ("course" and "courier") differ by more than that and stay apart.
 * A name the catalog does not know, one typo from one it does ("ingrediants"), is that name.
 */
import { distance } from 'fastest-levenshtein';
import { catalogNames, findTemplate } from './catalog.js';
import type { Fact, Subject } from './facts.js';

const MIN_LENGTH = 6;

/** One typo apart: edit distance 1, or the same letters with two of them swapped. */
function oneTypoApart(a: string, b: string): boolean {
  if (a === b || a[0] !== b[0] || Math.min(a.length, b.length) < MIN_LENGTH) return false;
  const d = distance(a.toLowerCase(), b.toLowerCase());
  if (d === 1) return true;
  const letters = (s: string) => [...s.toLowerCase()].sort().join('');
  return d === 2 && a.length === b.length && letters(a) === letters(b);
}

const VOWEL = /[aeiouy]/;

/**
 * A slip of the keyboard, not another word: one vowel for another ("ingrediant"), two letters
 * swapped ("appointmnet") or a letter doubled or not ("adress"). "contact" and "contract" differ by
 * a whole consonant and are two words, so a name is folded into the catalog's only this way.
 */
export function slipOf(written: string, meant: string): boolean {
  if (!oneTypoApart(written, meant)) return false;
  const [a, b] = [written.toLowerCase(), meant.toLowerCase()];
  if (a.length === b.length) {
    const diff = [...a].flatMap((ch, i) => (ch === b[i] ? [] : [i]));
    if (diff.length === 2) return true;
    const at = diff[0] ?? 0;
    return VOWEL.test(a[at] ?? '') && VOWEL.test(b[at] ?? '');
  }
  const [short, long] = a.length < b.length ? [a, b] : [b, a];
  const at = [...long].findIndex((ch, i) => ch !== short[i]);
  const extra = at < 0 ? long.length - 1 : at;
  return long[extra] === long[extra - 1] || long[extra] === long[extra + 1];
}

/** Misspelled name → the name it stands for; empty when no two entity names are one typo apart. */
export function misspellings(facts: readonly Fact[]): Map<string, string> {
  const mentions = new Map<string, number>();
  for (const fact of facts)
    if (fact.kind === 'entity') mentions.set(fact.name, (mentions.get(fact.name) ?? 0) + 1);
  const known = (name: string) => findTemplate(name) !== undefined;
  const names = [...mentions.keys()];
  const folded = new Map<string, string>();
  for (const [i, a] of names.entries()) {
    for (const b of names.slice(i + 1)) {
      if (!oneTypoApart(a, b)) continue;
      const [countA, countB] = [mentions.get(a) ?? 0, mentions.get(b) ?? 0];
      const keep =
        countA !== countB
          ? countA > countB
            ? a
            : b
          : known(a) !== known(b)
            ? known(a)
              ? a
              : b
            : undefined;
      if (keep) folded.set(keep === a ? b : a, keep);
    }
  }
  for (const name of names) {
    if (folded.has(name) || known(name)) continue;
    const near = catalogNames().filter((c) => slipOf(name, c));
    if (near.length === 1 && near[0]) folded.set(name, near[0]);
  }
  return folded;
}

/** The facts with every misspelled entity name replaced by the name it stands for. */
export function foldMisspelledEntities(facts: readonly Fact[]): Fact[] {
  const folded = misspellings(facts);
  if (folded.size === 0) return [...facts];
  const subject = (s: Subject): Subject =>
    s.kind === 'entity' && folded.has(s.name) ? { ...s, name: folded.get(s.name) as string } : s;
  return facts.map((fact): Fact => {
    switch (fact.kind) {
      case 'entity':
        return folded.has(fact.name) ? { ...fact, name: folded.get(fact.name) as string } : fact;
      case 'field':
      case 'enum':
        return { ...fact, subject: subject(fact.subject) };
      case 'link':
        return { ...fact, from: subject(fact.from), to: subject(fact.to) };
    }
  });
}
