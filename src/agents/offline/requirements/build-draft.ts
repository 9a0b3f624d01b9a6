/**
 * Facts + domain → entity drafts: which entities exist, in what order, and the fields and links the
 * prompt asked for on top of each entity's template.
 */
import { canonicalName, draftFromCatalog } from './catalog.js';
import { templateKeyFor, type Domain } from './domains.js';
import { field, upsertField, type EntityDraft, type FieldDraft } from './draft.js';
import type { Fact, FieldItem, RoleLink, Subject } from './facts.js';
import { eventOwner } from './event-links.js';
import { fieldFromWords } from './field-from-words.js';
import { personTarget } from './person-fields.js';
import { fieldNameFromWords, pluralIdentifier, referenceFieldName, splitWords } from './naming.js';

const NUMERIC_TYPES = new Set(['integer', 'number', 'money']);
const SCORE_WORDS = new Set(['rating', 'score', 'stars', 'star', 'points', 'point', 'marks', 'grade']);
const DURATION_WORDS = new Set(['time', 'minutes', 'mins', 'duration', 'hours']);

/** What a numeric field measures, when its words say so: two scores or two durations are one field. */
function numericConcept(f: FieldDraft): string | undefined {
  if (!NUMERIC_TYPES.has(f.type)) return undefined;
  const words = splitWords(f.name);
  if (f.type === 'integer' && words.some((w) => SCORE_WORDS.has(w))) return 'score';
  if (f.type === 'integer' && words.some((w) => DURATION_WORDS.has(w))) return 'duration';
  return undefined;
}

/**
 * Two fields mean the same thing: same name, same measure (cookingTime / prepTimeMinutes), or
 * same first word and a compatible type (dueDate / dueOn, price / priceCents).
 */
function sameMeaning(a: FieldDraft, b: FieldDraft): boolean {
  if (a.name === b.name) return true;
  const link = (f: FieldDraft): boolean => f.type === 'reference' || f.type === 'references';
  if (link(a) || link(b)) return false;
  const concept = numericConcept(a);
  if (concept && concept === numericConcept(b)) return true;
  const first = (f: FieldDraft): string => splitWords(f.name)[0] ?? '';
  const compatible = a.type === b.type || (NUMERIC_TYPES.has(a.type) && NUMERIC_TYPES.has(b.type));
  return compatible && first(a) === first(b);
}

/** Only the bounds a numeric field was given, to carry over when another mention retypes it. */
function boundsOf(f: FieldDraft | undefined): Partial<FieldDraft> {
  if (!f || !NUMERIC_TYPES.has(f.type)) return {};
  return { ...(f.min !== undefined ? { min: f.min } : {}), ...(f.max !== undefined ? { max: f.max } : {}) };
}

/** The prompt's own type and bounds for a field ("in cents", "1-10 points"), over a guess. */
function withItem(draft: FieldDraft, item: FieldItem): FieldDraft {
  const type = item.type ?? draft.type;
  const numeric = NUMERIC_TYPES.has(type);
  // a told type names the field by the words as written ("priceCents", "outOfStock")
  const name = item.type ? (fieldNameFromWords(item.words) ?? draft.name) : draft.name;
  const next: FieldDraft = { ...draft, name, type };
  if (type !== 'enum') delete next.enumValues;
  if (numeric && item.min !== undefined) next.min = item.min;
  if (numeric && item.max !== undefined) next.max = item.max;
  return next;
}

export interface DraftModel {
  entities: EntityDraft[];
  primary: string;
}

const isRoleLink = (fact: Fact): fact is RoleLink => fact.kind === 'link' && 'role' in fact;

/** With fewer entities than this named in the prompt, the domain's defaults fill in. */
const NAMED_ENOUGH = 2;

function orderedNames(
  facts: readonly Fact[],
  domain: Domain | undefined,
): { names: string[]; primary: string } {
  const mentions = facts
    .flatMap((f) => (f.kind === 'entity' ? [f] : []))
    .sort((a, b) => a.sentence - b.sentence || a.pos - b.pos);
  const named: string[] = [];
  for (const f of mentions) if (!named.includes(f.name)) named.push(f.name);
  // "articles" named in a blog stand for the domain's Post: no second entity for the same thing
  const domainNames = (domain?.entities ?? [])
    .map((key) => key.split('#')[0] ?? key)
    .map((n) => named.find((x) => x !== n && canonicalName(x) === n) ?? n);
  const topic = facts.find((f) => f.kind === 'entity' && f.topic);
  // a placeholder domain ("track …" → Entry) fills in only when the prompt names nothing
  const injected = named.length < (domain?.weak ? 1 : NAMED_ENOUGH);
  const names = injected ? [...named, ...domainNames.filter((n) => !named.includes(n))] : named;
  const primary =
    (topic?.kind === 'entity' ? topic.name : undefined) ??
    (injected ? domainNames[0] : domainNames.find((n) => named.includes(n))) ??
    named[0] ??
    names[0] ??
    'Item';
  return { names: [primary, ...names.filter((n) => n !== primary)], primary };
}

class DraftBuilder {
  private readonly byName = new Map<string, EntityDraft>();
  /** Fields the prompt itself asked for, per entity: they survive when a list replaces the template. */
  private readonly promptFields = new Map<string, Set<string>>();

  constructor(
    private readonly facts: readonly Fact[],
    private readonly names: readonly string[],
    private readonly primary: string,
    domain: Domain | undefined,
  ) {
    for (const name of names) this.byName.set(name, draftFromCatalog(name, templateKeyFor(domain, name)));
    this.retargetAliases();
  }

  /** Template links to Vehicle point at Car when the prompt says "cars". */
  private retargetAliases(): void {
    for (const name of this.names) {
      const canonical = canonicalName(name);
      if (canonical === name || this.byName.has(canonical)) continue;
      for (const entity of this.byName.values()) {
        for (const f of entity.fields) {
          if (f.target !== canonical) continue;
          f.target = name;
          const renamed = referenceFieldName(name);
          if (f.name === referenceFieldName(canonical) && !entity.fields.some((x) => x.name === renamed))
            f.name = renamed;
        }
      }
    }
  }

  /** The entity a subject refers to: a name, the nearest mention before a position, or the primary. */
  private resolve(subject: Subject): EntityDraft | undefined {
    if (subject.kind === 'entity') return this.byName.get(subject.name);
    if (subject.kind === 'context') {
      const before = this.facts
        .flatMap((f) =>
          f.kind === 'entity' && f.sentence === subject.sentence && f.pos < subject.pos ? [f] : [],
        )
        .filter((f) => subject.from === undefined || f.pos >= subject.from)
        .sort((a, b) => a.pos - b.pos);
      // the clause's subject comes first in it; otherwise the nearest mention before the position
      const best = (subject.from === undefined ? before[before.length - 1] : before[0])?.name;
      if (best) return this.byName.get(best);
    }
    return this.byName.get(this.primary);
  }

  private isPromptField(entity: EntityDraft, name: string): boolean {
    return this.promptFields.get(entity.name)?.has(name) ?? false;
  }

  private markPromptField(entity: EntityDraft, name: string): void {
    const fields = this.promptFields.get(entity.name) ?? new Set<string>();
    fields.add(name);
    this.promptFields.set(entity.name, fields);
  }

  private addReference(from: EntityDraft, to: EntityDraft, many: boolean, required = false): void {
    if (from === to) return;
    const type = many ? 'references' : 'reference';
    if (from.fields.some((f) => f.target === to.name && (f.type === type || !many))) return;
    const name = many ? pluralIdentifier(to.name) : referenceFieldName(to.name);
    const existing = from.fields.find((f) => f.name === name);
    if (existing && existing.type !== 'string') return;
    upsertField(from, field(name, type, { target: to.name, required }));
    this.markPromptField(from, name);
  }

  /** "members suggest movies" → Movie.suggestedBy: a reference named for what the target did. */
  private addRoleReference(from: EntityDraft, to: EntityDraft, role: string): void {
    const existing = from.fields.find((f) => f.name === role);
    if (existing && existing.type !== 'string') return;
    upsertField(from, field(role, 'reference', { target: to.name }));
    this.markPromptField(from, role);
  }

  build(): DraftModel {
    for (const fact of this.facts) {
      if (fact.kind === 'field') {
        const entity = this.resolve(fact.subject);
        const guess = entity ? fieldFromWords(fact.item.words, fact.item.required ?? false) : undefined;
        if (!entity || !guess) continue;
        const draft = withItem(guess, fact.item);
        const told =
          fact.item.type !== undefined || fact.item.min !== undefined || fact.item.max !== undefined;
        // a field the prompt named replaces a default of the same meaning, never another named field
        const existing =
          entity.fields.find((f) => f.name === draft.name) ??
          entity.fields.find((f) => !this.isPromptField(entity, f.name) && sameMeaning(f, draft));
        if (existing && existing.name !== draft.name) {
          // "published date" when the template has "publishedOn": one field, named as the person said
          if (!entity.fields.some((f) => f.name === draft.name)) existing.name = draft.name;
          existing.required ||= draft.required;
          if (told) Object.assign(existing, boundsOf(withItem(existing, fact.item)), { type: draft.type });
          if (existing.type !== 'enum') delete existing.enumValues;
          this.markPromptField(entity, existing.name);
          if (fact.explicit) entity.explicitFields = true;
          continue;
        }
        // what is already known (a template's enum, values read from the prompt) beats a guess from a bare word
        const keep = existing && existing.type !== 'string' && !told;
        const required = draft.required || (existing?.required ?? false);
        upsertField(entity, keep ? { ...existing, required } : { ...boundsOf(existing), ...draft, required });
        if (fact.explicit) entity.explicitFields = true;
        this.markPromptField(entity, draft.name);
      } else if (fact.kind === 'enum') {
        const entity = this.resolve(fact.subject);
        const draft = fieldFromWords(fact.words);
        if (!entity || !draft) continue;
        const existing = entity.fields.find((f) => f.name === draft.name);
        upsertField(
          entity,
          field(draft.name, 'enum', { enumValues: fact.values, required: existing?.required ?? false }),
        );
        this.markPromptField(entity, draft.name);
      } else if (fact.kind === 'link') {
        const from = this.resolve(fact.from);
        const to = this.resolve(fact.to);
        if (!from || !to || from === to) continue;
        if (isRoleLink(fact)) this.addRoleReference(from, to, fact.role);
        else if (fact.how === 'parent') {
          if (to.fields.some((f) => f.target === from.name)) continue; // "classes with instructors": the parent already points here
          from.parent ??= to.name;
          this.addReference(from, to, false, from.parent === to.name && from.parentRequired);
        } else if (fact.how === 'people') {
          if (!from.fields.some((f) => f.target === to.name)) this.addReference(from, to, true);
        } else {
          this.addReference(from, to, fact.how === 'tags');
          if (from.wantsParent) from.parent ??= to.name;
        }
      }
    }
    this.linkEvents();
    const primary = this.byName.get(this.primary);
    for (const entity of this.byName.values()) {
      if (entity.wantsParent && !entity.parent && primary && primary !== entity) {
        entity.parent = primary.name;
        this.addReference(entity, primary, false, entity.parentRequired);
      }
      this.linkNamedStrings(entity);
      if (entity.explicitFields) this.dropTemplateFields(entity);
      else if (entity.generic) this.dropPlaceholders(entity);
    }
    return { entities: this.names.flatMap((n) => this.byName.get(n) ?? []), primary: this.primary };
  }

  /** "tanks, water tests …": an event record with no link points at the thing it happens to. */
  private linkEvents(): void {
    const mentions = this.facts
      .flatMap((f) => (f.kind === 'entity' ? [f] : []))
      .sort((a, b) => a.sentence - b.sentence || a.pos - b.pos);
    const order = [...new Set(mentions.map((f) => f.name))];
    // an entity named only as the app's topic ("wine cellar: …") is the setting, not a thing recorded
    const topics = new Set(order.filter((n) => mentions.every((f) => f.name !== n || f.topic)));
    for (const entity of this.byName.values()) {
      const owner = eventOwner(entity, this.byName, { order, topics });
      const target = owner ? this.byName.get(owner) : undefined;
      if (!target) continue;
      entity.parent ??= target.name;
      this.addReference(entity, target, false);
    }
  }

  /** A plain field named after another entity ("category", "home team") becomes a reference to it. */
  private linkNamedStrings(entity: EntityDraft): void {
    entity.fields = entity.fields.map((f) => {
      if (f.type !== 'string') return f;
      // "category", and "home team" / "away team" when there is a Team: the last word names the entity
      const names = [...this.byName.keys()].filter((n) => n !== entity.name);
      const target =
        names.find((n) => referenceFieldName(n) === f.name) ??
        names.find(
          (n) =>
            f.name.endsWith(n) &&
            /[a-z]$/.test(f.name.slice(0, -n.length)) &&
            this.byName.get(n)?.generic !== true,
        );
      const person =
        target ?? (this.isPromptField(entity, f.name) ? personTarget(entity.name, f.name, names) : undefined);
      return person ? field(f.name, 'reference', { target: person, required: f.required }) : f;
    });
  }

  /** "hives with queen age and frame count": no invented description beside the fields asked for. */
  private dropPlaceholders(entity: EntityDraft): void {
    const asked = this.promptFields.get(entity.name);
    if (!asked || ![...asked].some((n) => n !== 'name')) return;
    entity.fields = entity.fields.filter((f) => f.name !== 'description' || asked.has(f.name));
  }

  /** The prompt listed this entity's fields: keep those, plus the template's links. */
  private dropTemplateFields(entity: EntityDraft): void {
    const keep = this.promptFields.get(entity.name) ?? new Set<string>();
    const kept = entity.fields.filter(
      (f) =>
        keep.has(f.name) ||
        ((f.type === 'reference' || f.type === 'references') && this.byName.has(f.target ?? '')),
    );
    if (!kept.some((f) => f.type !== 'reference' && f.type !== 'references')) return;
    // "tasks with due dates and priorities" adds to a task's title rather than replacing it
    const title = entity.fields.find((f) => f.required && f.type === 'string');
    const named = kept.some((f) => f.type === 'string' || f.type === 'email');
    entity.fields = title && !named && !kept.includes(title) ? [title, ...kept] : kept;
  }
}

export function buildDraft(facts: readonly Fact[], domain: Domain | undefined): DraftModel {
  const { names, primary } = orderedNames(facts, domain);
  return new DraftBuilder(facts, names, primary, domain).build();
}
