/**
 * The prompt grammar: reads sentences of tokens into facts (entities, fields, enums, links).
 * Rules run from the most specific (parenthesised lists) to the loosest (any plural noun), and
 * tokens a rule has used are not read again by looser rules.
 */
import type { Fact, FieldItem, Subject } from './facts.js';
import { looksPlural } from './inflect.js';
import { ACTIVITY_WORDS, APP_WORDS, FIELD_WORDS, inferFieldType, STOP_WORDS, TAG_WORDS } from './lexicon.js';
import { readList, toEnumValues, toFieldItem, type ListItem } from './lists.js';
import {
  clauseStart,
  isPersonalVerb,
  MODALS,
  WITH_INTRO,
  HAVE_INTRO,
  VERB_ENTITIES,
  AGENT_VERBS,
  PARTICIPLES,
  AGENT_PARTICIPLES,
  VERB_SUBJECTS,
  OBJECT_PREPOSITIONS,
  PRONOUNS,
  ENUM_CONNECTORS,
  ENUM_HEADS,
  enumValuesAt,
  quantifiedAt,
  splitRange,
} from './clauses.js';
import { PERSON_NOUNS, catalogNameFor } from './catalog.js';
import {
  entityNameFor,
  isEntityHead,
  isPluralNoun,
  phraseEndingAt,
  phraseStartingAt,
  type Phrase,
} from './phrases.js';
import {
  exampleValues,
  isExampleList,
  readOptionSegment,
  splitSegments,
  type OptionField,
} from './option-lists.js';
import { ITEM_FILLERS, type Sentence, type Token } from './text.js';
import { derivedAt, flagAt, rangeAt, unitAt, type ValueMatch } from './value-clauses.js';

/** Heads of measured values: "water levels", "glucose readings". */
const MEASURE_HEADS = new Set(['level', 'reading', 'measurement']);
/** A plain lower-case word that can name a field. */
const FIELD_HEAD = /^[a-z][a-z0-9]*$/;

export interface Reading {
  facts: Fact[];
  /** Words naming the app's subject, before the app word ("recipe" in "recipe app"). */
  topicWords: string[];
  appWord?: string;
}

const named = (name: string): Subject => ({ kind: 'entity', name });

class PromptReader {
  readonly facts: Fact[] = [];
  readonly topicWords: string[] = [];
  appWord: string | undefined;
  private readonly compounds = new Map<string, string>();
  private readonly used: boolean[][];

  private readonly mentioned: ReadonlySet<string>;

  constructor(private readonly sentences: readonly Sentence[]) {
    this.used = sentences.map((s) => s.map(() => false));
    this.mentioned = new Set(sentences.flat().map((t) => t.s));
  }

  read(): Reading {
    this.readTopic();
    this.sentences.forEach((tokens, si) => {
      this.readValues(si, tokens);
      this.readParentheses(si, tokens);
      this.readEnums(si, tokens);
      this.readRelations(si, tokens);
      this.readVerbs(si, tokens);
      this.readAgentVerbs(si, tokens);
      this.readLists(si, tokens);
      this.readNouns(si, tokens);
    });
    return {
      facts: this.facts,
      topicWords: this.topicWords,
      ...(this.appWord ? { appWord: this.appWord } : {}),
    };
  }

  private use(si: number, from: number, to: number): void {
    for (let k = from; k <= to; k++) if (this.used[si]) this.used[si][k] = true;
  }
  private isUsed = (si: number, k: number): boolean => this.used[si]?.[k] ?? false;

  /** Records an entity mention for a phrase and returns its name. */
  private entity(si: number, phrase: Phrase, topic = false): string | undefined {
    const name = entityNameFor(phrase.words, this.compounds, this.mentioned);
    if (!name) return undefined;
    this.facts.push({ kind: 'entity', name, sentence: si, pos: phrase.end, ...(topic ? { topic } : {}) });
    this.use(si, phrase.start, phrase.end);
    return name;
  }

  /**
   * "a recipe app", "vet clinic software", "school grades: …": the words before the first app word
   * (or before the first colon) name the app's subject.
   */
  private readTopic(): void {
    for (const [si, tokens] of this.sentences.entries()) {
      const k = tokens.findIndex((t) => APP_WORDS.has(t.s));
      if (k >= 0) {
        this.appWord = tokens[k]?.s;
        if (!this.readTopicBefore(si, tokens, k)) this.readTopicAfterFor(si, tokens, k);
        return;
      }
      // a headline such as "school grades: …" names the topic; a colon later in a sentence does not
      const colon = tokens.findIndex((t) => t.w === ':');
      if (si === 0 && colon > 0 && colon <= 4 && !ENUM_HEADS.has(tokens[colon - 1]?.s ?? '')) {
        if (this.readTopicBefore(si, tokens, colon)) return;
      }
    }
  }

  /** "an app for a dog walking business: …", "CRM for a freelance designer". */
  private readTopicAfterFor(si: number, tokens: Sentence, k: number): void {
    if (tokens[k + 1]?.w !== 'for') return;
    let j = k + 2;
    while (ITEM_FILLERS.has(tokens[j]?.w ?? '') || STOP_WORDS.has(tokens[j]?.w ?? '')) j++;
    let end = j;
    while (
      end < tokens.length &&
      end - j < 3 &&
      /^[a-z]/.test(tokens[end]?.w ?? '') &&
      !STOP_WORDS.has(tokens[end]?.w ?? '')
    )
      end++;
    if (end > j && (tokens[end] === undefined || !/^[a-z]/.test(tokens[end]?.w ?? '')))
      this.readTopicBefore(si, tokens, end);
  }

  /** Reads up to three topic words before index k; false when there are none. */
  private readTopicBefore(si: number, tokens: Sentence, k: number): boolean {
    let start = k;
    const isTopicWord = (t: Token | undefined): boolean =>
      /^[a-z]/.test(t?.w ?? '') && !STOP_WORDS.has(t?.w ?? '');
    while (start > 0 && k - start < 3 && isTopicWord(tokens[start - 1])) start--;
    if (start === k) return false;
    this.topicWords.push(...tokens.slice(start, k).map((t) => t.w));
    if (tokens[k]?.w === ':' || APP_WORDS.has(tokens[k]?.s ?? '')) this.use(si, k, k);
    // gerunds and activities ("habit tracking", "plant watering") are not the thing stored
    const isActivity = (t: Token | undefined): boolean =>
      ACTIVITY_WORDS.has(t?.w ?? '') || ((t?.w ?? '').endsWith('ing') && !catalogNameFor([t?.w ?? '']));
    // "vet clinic", "dog walking business": places and activities are scenery
    let h = k - 1;
    while (h >= start && (isActivity(tokens[h]) || !isEntityHead(tokens[h]))) h--;
    const phrase = h >= start ? this.phraseEnding(si, tokens, h) : undefined;
    if (!phrase || phrase.start < start) return true;
    this.entity(si, phrase, true);
    const before = tokens[phrase.start - 1];
    if (phrase.start - 1 >= start && isEntityHead(before) && catalogNameFor([before.s])) {
      this.entity(si, { start: phrase.start - 1, end: phrase.start - 1, words: [before.s] }, true);
    }
    return true;
  }

  /** A phrase ending at i, without a modifier another rule already used ("book" in "book classes"). */
  private phraseEnding(si: number, tokens: Sentence, i: number): Phrase | undefined {
    const phrase = phraseEndingAt(tokens, i);
    if (phrase && phrase.start < phrase.end && this.isUsed(si, phrase.start)) {
      const head = phrase.words[phrase.words.length - 1] ?? '';
      return { start: phrase.end, end: phrase.end, words: [head] };
    }
    return phrase;
  }

  /**
   * Fields told by their values ("1-10 points", "an out-of-stock flag", "prices in cents") and values
   * computed from records ("see my longest streak"), read first so no looser rule makes entities of them.
   */
  private readValues(si: number, tokens: Sentence): void {
    tokens.forEach((_, k) => {
      if (this.isUsed(si, k)) return;
      const derived = derivedAt(tokens, k);
      if (derived) {
        this.use(si, derived.start, derived.end);
        return;
      }
      const match = rangeAt(tokens, k) ?? flagAt(tokens, k) ?? unitAt(tokens, k);
      if (match) this.addValueField(si, tokens, match);
      else this.readMeasure(si, tokens, k);
    });
  }

  private addValueField(si: number, tokens: Sentence, match: ValueMatch): void {
    this.use(si, match.start, match.end);
    const owner = match.ownerAt === undefined ? undefined : phraseStartingAt(tokens, match.ownerAt);
    const ownerName = owner ? this.entity(si, owner) : undefined;
    const subject: Subject = ownerName
      ? named(ownerName)
      : match.ownerEntity
        ? named(match.ownerEntity)
        : this.listOwnerBefore(si, tokens, match.start);
    this.addField(subject, match.item, false);
  }

  /** Inside "recipes with …, a difficulty rating 1-3" the list's owner, else the nearest entity before. */
  private listOwnerBefore(si: number, tokens: Sentence, start: number): Subject {
    for (let k = start - 1; k > 0; k--) {
      const w = tokens[k]?.w ?? '';
      if (w === 'where' || w === 'that' || w === 'which') break;
      if (!WITH_INTRO.has(w) && !HAVE_INTRO.has(w)) continue;
      let b = k - 1;
      while (b >= 0 && MODALS.has(tokens[b]?.w ?? '')) b--;
      const phrase = this.phraseEnding(si, tokens, b);
      const name = phrase ? this.entity(si, phrase) : undefined;
      if (name) return named(name);
      break;
    }
    return { kind: 'context', sentence: si, pos: start };
  }

  /** "books (title, author, isbn)" lists fields; "status (open, in progress, done)" lists values. */
  private readParentheses(si: number, tokens: Sentence): void {
    tokens.forEach((t, k) => {
      if (t.w !== '(' || this.isUsed(si, k)) return;
      let m = k + 1;
      while (m < tokens.length && tokens[m]?.w !== ')') m++;
      const head = tokens[k - 1];
      if (head && ENUM_HEADS.has(head.s)) {
        const values = toEnumValues(splitRange(tokens, k + 1, m));
        if (values) {
          this.facts.push({
            kind: 'enum',
            subject: { kind: 'context', sentence: si, pos: k - 1 },
            words: [head.s],
            values,
          });
          this.use(si, k - 1, m);
        }
        return;
      }
      if (head && this.readExamples(si, tokens, k, m)) return;
      const phrase = phraseEndingAt(tokens, k - 1);
      const segments = splitSegments(tokens, k + 1, m).map(
        (segment) =>
          readOptionSegment(segment) ?? {
            fields: splitRange(segment, 0, segment.length)
              .map((item) => toFieldItem(item.tokens))
              .filter((f): f is FieldItem => f !== undefined),
          },
      );
      const count = segments.reduce((n, s) => n + s.fields.length + (s.option ? 1 : 0), 0);
      if (!phrase || count === 0) return;
      const name = this.entity(si, phrase);
      if (!name) return;
      for (const segment of segments) {
        for (const item of segment.fields) this.addField(named(name), item, count >= 2);
        if (segment.option) this.addOption(named(name), segment.option, count >= 2);
      }
      this.use(si, k, m);
    });
  }

  /**
   * "vendors (florist, caterer, dj …)" → Vendor.kind with those values; "instrument (piano, guitar)"
   * and "side (bride/groom)" → an enum named by the singular word before the parentheses.
   */
  private readExamples(si: number, tokens: Sentence, k: number, m: number): boolean {
    const head = tokens[k - 1];
    if (!head) return false;
    const singular = head.w === head.s && FIELD_HEAD.test(head.w) && !catalogNameFor([head.s]);
    let segments = splitSegments(tokens, k + 1, m);
    const only = segments[0];
    if (segments.length === 1 && only?.some((x) => x.w === '/'))
      segments = splitRange(only, 0, only.length).map((item) => item.tokens);
    if (!isExampleList(segments, singular)) return false;
    const values = exampleValues(segments);
    if (values.length < 2) return false;
    if (singular) {
      const subject: Subject = { kind: 'context', sentence: si, pos: k - 1 };
      this.facts.push({ kind: 'enum', subject, words: [head.s], values });
      this.use(si, k - 1, m);
      return true;
    }
    const phrase = phraseEndingAt(tokens, k - 1);
    const name = phrase ? this.entity(si, phrase) : undefined;
    if (!name) return false;
    this.facts.push({ kind: 'enum', subject: named(name), words: ['type'], values });
    this.use(si, k, m);
    return true;
  }

  private addOption(subject: Subject, option: OptionField, explicit: boolean): void {
    if (option.type === 'boolean') this.addField(subject, { words: option.words, type: 'boolean' }, explicit);
    else this.facts.push({ kind: 'enum', subject, words: option.words, values: option.values ?? [] });
  }

  /** "status open/closed", "priority: low, medium or high", "state open or closed". */
  private readEnums(si: number, tokens: Sentence): void {
    tokens.forEach((t, i) => {
      if (!ENUM_HEADS.has(t.s) || this.isUsed(si, i)) return;
      let j = i + 1;
      while (tokens[j] && ENUM_CONNECTORS.has(tokens[j]?.w ?? '')) j++;
      const connected = j > i + 1;
      const read = enumValuesAt(tokens, j, connected);
      if (!read) return;
      this.facts.push({
        kind: 'enum',
        subject: { kind: 'context', sentence: si, pos: i },
        words: [t.s],
        values: read.values,
      });
      this.use(si, i, read.end);
    });
  }

  /** The entity a clause is about, just before index i ("each task belongs …"), else the context. */
  private subjectBefore(si: number, tokens: Sentence, i: number): Subject {
    let b = i - 1;
    while (b >= 0 && MODALS.has(tokens[b]?.w ?? '')) b--;
    const phrase = this.phraseEnding(si, tokens, b);
    const name = phrase ? this.entity(si, phrase) : undefined;
    return name ? { kind: 'entity', name } : { kind: 'context', sentence: si, pos: i };
  }

  /** "each task belongs to a project", "projects have many tasks", "assign tasks to members", "by category". */
  private readRelations(si: number, tokens: Sentence): void {
    tokens.forEach((t, i) => {
      const w = t.w;
      const at = (k: number): string => tokens[k]?.w ?? '';
      let parentAt = -1;
      if ((w === 'belongs' || w === 'belong') && at(i + 1) === 'to') parentAt = i + 2;
      else if (
        (w === 'is' || w === 'are') &&
        /^(assigned|linked|attached|tied|connected|related)$/.test(at(i + 1)) &&
        at(i + 2) === 'to'
      )
        parentAt = i + 3;
      else if ((w === 'is' || w === 'are') && at(i + 1) === 'part' && at(i + 2) === 'of') parentAt = i + 3;
      // "employees belonging to a department", "books written by authors"
      else if (
        i > 0 &&
        !/^(is|are|was|were|be|been|get|gets|got)$/.test(at(i - 1)) &&
        ((PARTICIPLES.has(w) && at(i + 1) === 'to') || (AGENT_PARTICIPLES.has(w) && at(i + 1) === 'by')) &&
        !FIELD_WORDS.has(at(i + 2))
      )
        parentAt = i + 2;
      else if (
        (w === 'is' || w === 'are') &&
        /^(grouped|organized|organised|sorted|filed|categorized|categorised|kept)$/.test(at(i + 1)) &&
        /^(into|in|by|under)$/.test(at(i + 2))
      )
        parentAt = i + 3;
      if (parentAt > 0) {
        this.use(si, i, parentAt - 1);
        const parent = phraseStartingAt(tokens, parentAt);
        const to = parent ? this.entity(si, parent) : undefined;
        if (to)
          this.facts.push({
            kind: 'link',
            from: this.subjectBefore(si, tokens, i),
            to: named(to),
            how: 'single',
          });
        return;
      }
      if (/^(has|have|contain|contains|include|includes|hold|holds)$/.test(w)) {
        const q = quantifiedAt(tokens, i + 1);
        const child = q > 0 ? phraseStartingAt(tokens, q) : undefined;
        const childName = child ? this.entity(si, child) : undefined;
        if (!childName || !child) return;
        const owner = this.subjectBefore(si, tokens, i);
        if (PERSON_NOUNS.has(child.words[child.words.length - 1] ?? '')) {
          this.facts.push({ kind: 'link', from: owner, to: named(childName), how: 'people' });
        } else if (owner.kind === 'entity') {
          this.facts.push({ kind: 'link', from: named(childName), to: owner, how: 'parent' });
        }
        return;
      }
      if (w === 'assign' || w === 'assigns') {
        const object = phraseStartingAt(tokens, i + 1);
        const toIndex = object ? tokens.findIndex((x, k) => k > object.end && x.w === 'to') : -1;
        const target = toIndex > 0 ? phraseStartingAt(tokens, toIndex + 1) : undefined;
        const from = object ? this.entity(si, object) : undefined;
        const to = target ? this.entity(si, target) : undefined;
        if (from && to) this.facts.push({ kind: 'link', from: named(from), to: named(to), how: 'single' });
        return;
      }
      if (w === 'by' || w === 'per' || w === 'each' || w === 'every') {
        const phrase = phraseStartingAt(tokens, i + 1);
        const head = phrase?.words[phrase.words.length - 1] ?? '';
        if (!phrase || FIELD_WORDS.has(head) || this.isUsed(si, phrase.end)) return;
        if ((w === 'each' || w === 'every') && looksPlural(tokens[phrase.end]?.w ?? '')) return;
        const to = this.entity(si, phrase);
        if (to && (w === 'by' || w === 'per')) {
          this.facts.push({
            kind: 'link',
            from: { kind: 'context', sentence: si, pos: i },
            to: named(to),
            how: 'single',
          });
        }
      }
    });
  }

  /** "users rate dishes", "members borrow books", "customers … vote on them". */
  private readVerbs(si: number, tokens: Sentence): void {
    tokens.forEach((t, i) => {
      const entityName = VERB_ENTITIES[t.w];
      const prev = tokens[i - 1];
      if (!entityName || this.isUsed(si, i)) return;
      const personal = isPersonalVerb(tokens, i);
      if (!prev && !personal) return;
      const subjectIsNoun =
        prev !== undefined && (isPluralNoun(tokens, i - 1) || prev.w === 'users' || prev.w === 'people');
      if (prev && !VERB_SUBJECTS.has(prev.w) && !subjectIsNoun) return;
      let o = i + 1;
      while (OBJECT_PREPOSITIONS.has(tokens[o]?.w ?? '')) o++;
      const objectPhrase = PRONOUNS.has(tokens[o]?.w ?? '') ? undefined : phraseStartingAt(tokens, o);
      const object =
        objectPhrase && !FIELD_WORDS.has(tokens[objectPhrase.end]?.w ?? '')
          ? this.entity(si, objectPhrase)
          : undefined;
      if (personal && t.w === 'rate') {
        // "I rate films", "rate dishes 1 to 5": one rating on the thing, no Rating records
        this.use(si, i, i);
        const on: Subject = object ? named(object) : { kind: 'context', sentence: si, pos: i };
        this.addField(on, { words: ['rating'] }, false);
        return;
      }
      if (!prev) return;
      this.facts.push({ kind: 'entity', name: entityName, sentence: si, pos: i });
      this.use(si, i, i);
      const parent: Subject | undefined = object
        ? { kind: 'entity', name: object }
        : PRONOUNS.has(tokens[o]?.w ?? '')
          ? { kind: 'context', sentence: si, pos: i }
          : undefined;
      if (parent) this.facts.push({ kind: 'link', from: named(entityName), to: parent, how: 'parent' });
      if (subjectIsNoun && isEntityHead(prev) && PERSON_NOUNS.has(prev.s)) {
        const subject = this.entity(si, { start: i - 1, end: i - 1, words: [prev.s] });
        if (subject)
          this.facts.push({ kind: 'link', from: named(entityName), to: named(subject), how: 'single' });
      }
    });
  }

  /** "authors publish articles", "customers place orders": the thing made points at its maker. */
  private readAgentVerbs(si: number, tokens: Sentence): void {
    tokens.forEach((t, i) => {
      if (!AGENT_VERBS.has(t.w) || this.isUsed(si, i)) return;
      const prev = tokens[i - 1];
      if (!isEntityHead(prev) || FIELD_WORDS.has(prev.w)) return;
      const agentLike = PERSON_NOUNS.has(prev.s) || catalogNameFor([prev.s]) !== undefined;
      if (!agentLike || (!isPluralNoun(tokens, i - 1) && !ITEM_FILLERS.has(tokens[i - 2]?.w ?? ''))) return;
      const objectPhrase = phraseStartingAt(tokens, i + 1);
      const head = objectPhrase ? tokens[objectPhrase.end] : undefined;
      if (!objectPhrase || !head || FIELD_WORDS.has(head.w) || PRONOUNS.has(head.w)) return;
      const object = this.entity(si, objectPhrase);
      const agent = this.entity(si, { start: i - 1, end: i - 1, words: [prev.s] });
      if (object && agent)
        this.facts.push({ kind: 'link', from: named(object), to: named(agent), how: 'single' });
    });
  }

  private addField(subject: Subject, item: FieldItem, explicit: boolean): void {
    this.facts.push({ kind: 'field', subject, item, explicit });
  }

  /** "X with a, b and c", "X have a title and an author", "tracker: vehicles, drivers and …". */
  private readLists(si: number, tokens: Sentence): void {
    tokens.forEach((t, i) => {
      const isColon = t.w === ':';
      const isWith = WITH_INTRO.has(t.w) || isColon;
      const isHave = HAVE_INTRO.has(t.w) && quantifiedAt(tokens, i + 1) < 0;
      if (!isWith && !isHave) return;
      let b = i - 1;
      while (b >= 0 && (isHave ? MODALS.has(tokens[b]?.w ?? '') : tokens[b]?.w === ',')) b--;
      // after a colon the list is the app's own contents ("tracker: vehicles, drivers …")
      const ownerPhrase = isColon ? undefined : this.phraseEnding(si, tokens, b);
      const ownerName = ownerPhrase ? this.entity(si, ownerPhrase) : undefined;
      const owner: Subject | undefined = ownerName
        ? { kind: 'entity', name: ownerName }
        : isHave
          ? { kind: 'context', sentence: si, pos: i, from: clauseStart(tokens, i) }
          : undefined;
      const { items } = readList(tokens, i + 1);
      const fresh = items.filter((item) => !this.isUsed(si, item.end));
      const fieldCount = fresh.filter((item) => this.isFieldItem(item, owner)).length;
      // "books with title, author and isbn" lists a named entity's fields as fully as "books have …"
      const lists = isHave || (isWith && ownerName !== undefined);
      for (const item of fresh) this.readListItem(si, tokens, item, owner, lists && fieldCount >= 2);
    });
  }

  /** Singular words and plural field words ("due dates", "bedrooms") are fields of the owner. */
  private isFieldItem(item: ListItem, owner: Subject | undefined): boolean {
    const last = item.tokens[item.tokens.length - 1];
    if (!last || TAG_WORDS.has(last.w)) return false;
    const words = item.tokens.map((x) => x.w);
    if (!looksPlural(last.w))
      return owner !== undefined || FIELD_WORDS.has(last.w) || inferFieldType(words).type !== 'string';
    // plurals are child entities ("comments", "photos") unless they are counts or known field words
    const type = inferFieldType(words).type;
    return FIELD_WORDS.has(last.w) || type === 'integer' || type === 'number';
  }

  private readListItem(
    si: number,
    tokens: Sentence,
    item: ListItem,
    owner: Subject | undefined,
    explicit: boolean,
  ): void {
    const last = item.tokens[item.tokens.length - 1];
    if (!last) return;
    const phrase = this.phraseEnding(si, tokens, item.end);
    this.use(si, item.start, item.end);
    if (this.isFieldItem(item, owner)) {
      const field = toFieldItem(item.tokens);
      if (field) this.addField(owner ?? { kind: 'primary' }, field, explicit && owner?.kind === 'entity');
      return;
    }
    const name = phrase && phrase.start >= item.start ? this.entity(si, phrase) : undefined;
    if (!name) return;
    const from: Subject = owner ?? { kind: 'primary' };
    if (TAG_WORDS.has(last.w)) this.facts.push({ kind: 'link', from, to: named(name), how: 'tags' });
    else if (last.s === 'category') this.facts.push({ kind: 'link', from, to: named(name), how: 'single' });
    else if (owner && PERSON_NOUNS.has(last.s))
      this.facts.push({ kind: 'link', from: owner, to: named(name), how: 'people' });
    else if (owner) this.facts.push({ kind: 'link', from: named(name), to: owner, how: 'parent' });
  }

  /**
   * "water levels (of my plants)", "blood sugar readings": a measured value, a number on the entity
   * named after it or the nearest one before, never an entity Level.
   */
  private readMeasure(si: number, tokens: Sentence, i: number): boolean {
    const t = tokens[i];
    const modifier = tokens[i - 1];
    if (!t || !MEASURE_HEADS.has(t.s) || !isEntityHead(modifier) || this.isUsed(si, i - 1)) return false;
    if (FIELD_WORDS.has(modifier.w) || PERSON_NOUNS.has(modifier.s)) return false;
    // "skill level: beginner, advanced" lists values: an enum, read later
    const next = tokens[i + 1]?.w ?? '';
    if (next === '(' || (ENUM_CONNECTORS.has(next) && next !== 'of') || tokens[i + 2]?.w === '/')
      return false;
    const owner = /^(of|for|in|on)$/.test(tokens[i + 1]?.w ?? '')
      ? phraseStartingAt(tokens, i + 2)
      : undefined;
    const ownerName = owner ? this.entity(si, owner) : undefined;
    this.use(si, i - 1, i);
    const subject: Subject = ownerName ? named(ownerName) : { kind: 'context', sentence: si, pos: i };
    this.addField(subject, { words: [modifier.w, t.s], type: 'number' }, false);
    return true;
  }

  /** Any plural noun left over names an entity ("track contacts, companies and deals"). */
  private readNouns(si: number, tokens: Sentence): void {
    tokens.forEach((t, i) => {
      if (this.isUsed(si, i) || !isPluralNoun(tokens, i)) return;
      const phrase = this.phraseEnding(si, tokens, i);
      if (!phrase) return;
      const name = this.entity(si, phrase);
      if (name && TAG_WORDS.has(t.w))
        this.facts.push({ kind: 'link', from: { kind: 'primary' }, to: named(name), how: 'tags' });
    });
  }
}

export function readPrompt(sentences: readonly Sentence[]): Reading {
  return new PromptReader(sentences).read();
}
