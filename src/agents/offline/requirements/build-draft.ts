/**
 * Facts + domain → entity drafts: which entities exist, in what order, and the fields and links the
 * prompt asked for on top of each entity's template.
 */
import { draftFromCatalog } from './catalog.js';
import { templateKeyFor, type Domain } from './domains.js';
import { field, upsertField, type EntityDraft, type FieldDraft } from './draft.js';
import type { Fact, Subject } from './facts.js';
import { fieldFromWords } from './field-from-words.js';
import { pluralIdentifier, referenceFieldName, splitWords } from './naming.js';

/** Two fields mean the same thing: same name, or same type and same first word (dueDate / dueOn). */
function sameMeaning(a: FieldDraft, b: FieldDraft): boolean {
  if (a.name === b.name) return true;
  const first = (f: FieldDraft): string => splitWords(f.name)[0] ?? '';
  return a.type === b.type && a.type !== 'reference' && a.type !== 'references' && first(a) === first(b);
}

export interface DraftModel {
  entities: EntityDraft[];
  primary: string;
}

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
  const domainNames = (domain?.entities ?? []).map((key) => key.split('#')[0] ?? key);
  const topic = facts.find((f) => f.kind === 'entity' && f.topic);
  const names =
    named.length < NAMED_ENOUGH ? [...named, ...domainNames.filter((n) => !named.includes(n))] : named;
  const injected = named.length < NAMED_ENOUGH;
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

  build(): DraftModel {
    for (const fact of this.facts) {
      if (fact.kind === 'field') {
        const entity = this.resolve(fact.subject);
        const draft = entity ? fieldFromWords(fact.item.words, fact.item.required ?? false) : undefined;
        if (!entity || !draft) continue;
        const existing = entity.fields.find((f) => sameMeaning(f, draft));
        if (existing && existing.name !== draft.name) {
          // "published date" when the template has "publishedOn": one field, named as the person said
          if (!entity.fields.some((f) => f.name === draft.name)) existing.name = draft.name;
          existing.required ||= draft.required;
          this.markPromptField(entity, existing.name);
          continue;
        }
        // what is already known (a template's enum, values read from the prompt) beats a guess from a bare word
        const keep = existing && existing.type !== 'string';
        const required = draft.required || (existing?.required ?? false);
        upsertField(entity, keep ? { ...existing, required } : { ...draft, required });
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
        if (fact.how === 'parent') {
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
    const primary = this.byName.get(this.primary);
    for (const entity of this.byName.values()) {
      if (entity.wantsParent && !entity.parent && primary && primary !== entity) {
        entity.parent = primary.name;
        this.addReference(entity, primary, false, entity.parentRequired);
      }
      this.linkNamedStrings(entity);
      if (entity.explicitFields) this.dropTemplateFields(entity);
    }
    return { entities: this.names.flatMap((n) => this.byName.get(n) ?? []), primary: this.primary };
  }

  /** A plain field named after another entity ("category", "author") becomes a reference to it. */
  private linkNamedStrings(entity: EntityDraft): void {
    entity.fields = entity.fields.map((f) => {
      if (f.type !== 'string') return f;
      const target = [...this.byName.keys()].find(
        (n) => n !== entity.name && referenceFieldName(n) === f.name,
      );
      return target ? field(f.name, 'reference', { target, required: f.required }) : f;
    });
  }

  /** The prompt listed this entity's fields: keep those, plus the template's links. */
  private dropTemplateFields(entity: EntityDraft): void {
    const keep = this.promptFields.get(entity.name) ?? new Set<string>();
    const kept = entity.fields.filter(
      (f) =>
        keep.has(f.name) ||
        ((f.type === 'reference' || f.type === 'references') && this.byName.has(f.target ?? '')),
    );
    if (kept.some((f) => f.type !== 'reference' && f.type !== 'references')) entity.fields = kept;
  }
}

export function buildDraft(facts: readonly Fact[], domain: Domain | undefined): DraftModel {
  const { names, primary } = orderedNames(facts, domain);
  return new DraftBuilder(facts, names, primary, domain).build();
}
