/**
 * A prompt that names the same records twice, once misspelled ("appointments … appointmnets"), means
 * one entity. Names one typo apart (a swapped pair of letters, or one letter added, dropped or
 * changed) fold into the spelling the prompt uses more, or the one the catalog knows; two different
 * words that happen to look alike ("course" and "courier") differ by more than that and stay apart.
 */
import { distance } from 'fastest-levenshtein';
import { findTemplate } from './catalog.js';
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
