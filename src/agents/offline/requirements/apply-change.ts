/**
 * Review-comment change requests applied to a Spec: add, remove, rename fields and entities, change
 * types, requiredness and enum values, link entities. What is not understood is returned, not guessed.
 */
import { derivedProblem, SpecSchema, type DerivedValue, type Spec } from '../../../core/domain/spec.js';
import { toEntity } from './assemble.js';
import { draftFromCatalog } from './catalog.js';
import { describeSpec } from './describe.js';
import { clausesOf, enumValues, readItems } from './change-clauses.js';
import { TAG_WORDS, TYPE_NAMES } from './lexicon.js';
import {
  entityNameFromWords,
  fieldNameFromWords,
  labelFromName,
  pluralIdentifier,
  pluralLabelFromName,
  referenceFieldName,
} from './naming.js';
import { addField, addLink, findEntity, findFields, phraseWords, repairDisplayFields } from './spec-edit.js';

export interface ChangeResult {
  spec: Spec;
  /** One human-readable line per change made. */
  applied: string[];
  /** Parts of the request that were not understood or could not be applied, with the reason. */
  unhandled: string[];
}

type Outcome = { applied: string[] } | { error: string } | undefined;

/** A derived value follows its field's new name wherever it reads it (aggregate, group, condition). */
function renameDerivedField(derived: DerivedValue, from: string, to: string): void {
  if ('field' in derived && derived.field === from) derived.field = to;
  if ('per' in derived && derived.per?.field === from) derived.per.field = to;
  if (derived.kind === 'flag' && derived.condition.field === from) derived.condition.field = to;
}

class ChangeApplier {
  constructor(private spec: Spec) {}

  get result(): Spec {
    return this.spec;
  }

  /** Applies one clause on a copy; keeps it only if the spec stays valid. */
  apply(clause: string): Outcome {
    const before = structuredClone(this.spec);
    const outcome = this.dispatch(clause);
    if (!outcome || 'error' in outcome) {
      this.spec = before;
      return outcome;
    }
    repairDisplayFields(this.spec);
    // A derived value reading what this change removed goes with it (and says so).
    const gone = this.spec.derived.filter((d) => derivedProblem(d, this.spec.entities) !== undefined);
    if (gone.length > 0 && 'applied' in outcome) {
      this.spec.derived = this.spec.derived.filter((d) => !gone.includes(d));
      outcome.applied.push(
        ...gone.map((d) => `Dropped the derived value "${d.label}": it read what was removed`),
      );
    }
    const checked = SpecSchema.safeParse(this.spec);
    if (!checked.success) {
      this.spec = before;
      return { error: `it would make the spec invalid (${checked.error.issues[0]?.message ?? 'unknown'})` };
    }
    this.spec = checked.data;
    return outcome;
  }

  private dispatch(c: string): Outcome {
    let m: RegExpExecArray | null;
    if ((m = /^(?:rename|call) the (?:app|application) (?:to |as )?(.+)$/.exec(c)))
      return this.renameApp(m[1] ?? '');
    if ((m = /^rename (.+?) (?:on|in|of|for) (.+?) (?:to|as|into) (.+)$/.exec(c)))
      return this.rename(m[1] ?? '', m[3] ?? '', m[2]);
    if ((m = /^rename (.+?) (?:to|as|into) (.+?)(?: (?:on|in|of|for) (.+))?$/.exec(c)))
      return this.rename(m[1] ?? '', m[2] ?? '', m[3]);
    if (
      (m =
        /^(?:remove|delete|drop|get rid of) (.+?)(?: (field|column|property|attribute|entity|model|table))?(?: (?:from|on|in) (.+))?$/.exec(
          c,
        ))
    )
      return this.remove(m[1] ?? '', m[2], m[3]);
    if (
      (m =
        /^(?:make|mark|set) (.+?)(?: (?:on|in|of) (.+?))? (optional|required|mandatory|not required|unique|not unique)$/.exec(
          c,
        ))
    )
      return this.setFlag(m[1] ?? '', m[3] ?? '', m[2]);
    if (
      (m = /^(.+?)(?: (?:on|in|of) (.+?))? (?:should|must) be (optional|required|mandatory|unique)$/.exec(c))
    )
      return this.setFlag(m[1] ?? '', m[3] ?? '', m[2]);
    if (
      (m =
        /^(?:make|change|set|turn) (.+?)(?: (?:on|in|of) (.+?))? (?:to |into )?(?:be )?(?:an? )?([a-z ]+?)(?: field| type)?$/.exec(
          c,
        )) &&
      TYPE_NAMES[m[3] ?? '']
    )
      return this.setType(m[1] ?? '', m[3] ?? '', m[2]);
    if (
      (m =
        /^(?:add|create) (?:an? |the )?(?:new )?(.+?) (?:entity|model|table|resource|object)(?: (?:with|having|that has) (.+))?$/.exec(
          c,
        ))
    )
      return this.addEntity(m[1] ?? '', m[2]);
    if (
      (m =
        /^(?:each|every|an?|the)? ?(.+?) (?:belongs? to|(?:is|are) (?:assigned|linked|attached|tied) to|(?:is|are) part of|(?:is|are) in) (?:an? |the |one )?(.+)$/.exec(
          c,
        ))
    )
      return this.link(m[1] ?? '', m[2] ?? '', false);
    if (
      (m =
        /^(?:each |every |an? |the )?(.+?) (?:has|have|can have|contains?) (?:many|multiple|several|one or more) (.+)$/.exec(
          c,
        ))
    )
      return this.link(m[2] ?? '', m[1] ?? '', false, true);
    if ((m = /^link (.+?) (?:to|with) (.+)$/.exec(c))) return this.link(m[1] ?? '', m[2] ?? '', false);
    if ((m = /^(?:add|include|give) (.+?) (?:to|on|for|in) (.+)$/.exec(c)))
      return this.addItems(m[2] ?? '', m[1] ?? '');
    if ((m = /^(.+?) (?:should|must|need to|needs to) (?:have|get|include) (.+)$/.exec(c)))
      return this.addItems(m[1] ?? '', m[2] ?? '');
    if ((m = /^(.+?) (?:should|must) be (.+)$/.exec(c))) return this.setEnumOrType(m[1] ?? '', m[2] ?? '');
    if (
      (m = /^(.+?) (?:need|needs|has|have) (?:an? |the )?(.+)$/.exec(c)) &&
      findEntity(this.spec, m[1] ?? '')
    )
      return this.addItems(m[1] ?? '', m[2] ?? '');
    if ((m = /^add (.+)$/.exec(c))) return this.addLoose(m[1] ?? '');
    return undefined;
  }

  private entityOr(text: string | undefined): ReturnType<typeof findEntity> | { error: string } | undefined {
    if (text === undefined) return undefined;
    return findEntity(this.spec, text) ?? { error: `there is no entity called "${text}"` };
  }

  private renameApp(text: string): Outcome {
    const words = phraseWords(text);
    if (words.length === 0) return { error: 'the new name is empty' };
    this.spec.appName = words
      .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
      .join(' ')
      .slice(0, 60);
    return {
      applied: [
        `Renamed the app to ${this.spec.appName} (slug ${this.spec.slug} kept so the branch stays the same)`,
      ],
    };
  }

  private rename(oldText: string, newText: string, onText: string | undefined): Outcome {
    const scope = this.entityOr(onText);
    if (scope && 'error' in scope) return scope;
    const entity = !scope && !/\bfield\b/.test(oldText) ? findEntity(this.spec, oldText) : undefined;
    if (entity) return this.renameEntity(entity.name, newText);
    const matches = findFields(this.spec, oldText, scope);
    if (matches.length === 0) return { error: `no field "${oldText}"${scope ? ` on ${scope.name}` : ''}` };
    const newName = fieldNameFromWords(phraseWords(newText));
    if (!newName) return { error: `"${newText}" cannot be a field name` };
    const applied: string[] = [];
    for (const { entity: e, field } of matches) {
      if (e.fields.some((f) => f.name === newName))
        return { error: `${e.name} already has a field ${newName}` };
      if (e.displayField === field.name) e.displayField = newName;
      for (const d of this.spec.derived) if (d.entity === e.name) renameDerivedField(d, field.name, newName);
      applied.push(`Renamed ${e.name}.${field.name} to ${newName}`);
      field.name = newName;
      field.label = labelFromName(newName);
    }
    return { applied };
  }

  private renameEntity(oldName: string, newText: string): Outcome {
    const newName = entityNameFromWords(phraseWords(newText));
    if (!newName) return { error: `"${newText}" cannot be an entity name` };
    if (this.spec.entities.some((e) => e.name === newName))
      return { error: `there is already an entity ${newName}` };
    for (const e of this.spec.entities) {
      for (const f of e.fields) {
        if (f.target !== oldName) continue;
        f.target = newName;
        const renamed = f.type === 'references' ? pluralIdentifier(newName) : referenceFieldName(newName);
        const wasDefault = f.name === referenceFieldName(oldName) || f.name === pluralIdentifier(oldName);
        if (wasDefault && !e.fields.some((x) => x.name === renamed)) {
          if (e.displayField === f.name) e.displayField = renamed;
          f.name = renamed;
          f.label = labelFromName(renamed);
        }
      }
    }
    const entity = this.spec.entities.find((e) => e.name === oldName);
    if (!entity) return { error: `there is no entity ${oldName}` };
    for (const d of this.spec.derived) if (d.entity === oldName) d.entity = newName;
    Object.assign(entity, {
      name: newName,
      plural: pluralIdentifier(newName),
      label: labelFromName(newName),
      pluralLabel: pluralLabelFromName(newName),
    });
    return { applied: [`Renamed entity ${oldName} to ${newName}`] };
  }

  private remove(text: string, kind: string | undefined, fromText: string | undefined): Outcome {
    const scope = this.entityOr(fromText);
    if (scope && 'error' in scope) return scope;
    const wantsEntity = kind === 'entity' || kind === 'model' || kind === 'table';
    const entity =
      !scope && kind === undefined
        ? findEntity(this.spec, text)
        : wantsEntity
          ? findEntity(this.spec, text)
          : undefined;
    if (wantsEntity && !entity) return { error: `there is no entity called "${text}"` };
    if (entity) {
      if (this.spec.entities.length === 1) return { error: 'an app needs at least one entity' };
      this.spec.entities = this.spec.entities.filter((e) => e !== entity);
      const applied = [`Removed entity ${entity.name}`];
      for (const e of this.spec.entities) {
        const kept = e.fields.filter((f) => f.target !== entity.name);
        if (kept.length === 0) return { error: `${e.name} would be left without fields` };
        if (kept.length < e.fields.length) applied.push(`Removed ${e.name}'s link to ${entity.name}`);
        e.fields = kept;
      }
      return { applied };
    }
    const matches = findFields(this.spec, text, scope);
    if (matches.length === 0) return { error: `no field "${text}"${scope ? ` on ${scope.name}` : ''}` };
    const applied: string[] = [];
    for (const { entity: e, field } of matches) {
      if (e.fields.length === 1) return { error: `${e.name}.${field.name} is its only field` };
      e.fields = e.fields.filter((f) => f !== field);
      applied.push(`Removed ${e.name}.${field.name}`);
    }
    return { applied };
  }

  private setFlag(text: string, flag: string, onText: string | undefined): Outcome {
    const scope = this.entityOr(onText);
    if (scope && 'error' in scope) return scope;
    const matches = findFields(this.spec, text, scope);
    if (matches.length === 0) return { error: `no field "${text}"${scope ? ` on ${scope.name}` : ''}` };
    return {
      applied: matches.map(({ entity, field }) => {
        if (flag === 'unique' || flag === 'not unique') field.unique = flag === 'unique';
        else field.required = flag === 'required' || flag === 'mandatory';
        return `Made ${entity.name}.${field.name} ${flag === 'mandatory' ? 'required' : flag}`;
      }),
    };
  }

  private setType(text: string, typeText: string, onText: string | undefined): Outcome {
    const type = TYPE_NAMES[typeText.trim()];
    const scope = this.entityOr(onText);
    if (scope && 'error' in scope) return scope;
    if (!type) return { error: `"${typeText}" is not a field type` };
    const matches = findFields(this.spec, text, scope);
    if (matches.length === 0) return { error: `no field "${text}"${scope ? ` on ${scope.name}` : ''}` };
    return {
      applied: matches.map(({ entity, field }) => {
        Object.assign(field, { type, enumValues: undefined, target: undefined });
        delete field.enumValues;
        delete field.target;
        return `Changed ${entity.name}.${field.name} to ${type}`;
      }),
    };
  }

  /** "status should be open/closed" sets enum values; "price should be a number" sets a type. */
  private setEnumOrType(fieldText: string, valueText: string): Outcome {
    const typeName = valueText.replace(/^an? /, '').replace(/ field$/, '');
    if (TYPE_NAMES[typeName]) return this.setType(fieldText, typeName, undefined);
    const values = enumValues(valueText.replace(/^(?:one of|either)\s+/, ''));
    if (values.length < 2 || !/[,/]|\bor\b/.test(valueText)) return undefined;
    const matches = findFields(this.spec, fieldText);
    if (matches.length === 0) return { error: `no field "${fieldText}"` };
    return {
      applied: matches.map(({ entity, field }) => {
        Object.assign(field, { type: 'enum', enumValues: values.slice(0, 20) });
        delete field.target;
        return `Set ${entity.name}.${field.name} to one of: ${values.join(', ')}`;
      }),
    };
  }

  private addEntity(nameText: string, fieldsText: string | undefined): Outcome {
    const name = entityNameFromWords(phraseWords(nameText));
    if (!name) return { error: `"${nameText}" cannot be an entity name` };
    if (this.spec.entities.some((e) => e.name === name))
      return { error: `there is already an entity ${name}` };
    if (this.spec.entities.length >= 12) return { error: 'the spec already has 12 entities' };
    const draft = draftFromCatalog(name);
    const listed = fieldsText ? readItems(fieldsText).flatMap((i) => (i.draft ? [i.draft] : [])) : [];
    if (listed.length > 0) {
      draft.fields = listed.map((f) => (['name', 'title'].includes(f.name) ? { ...f, required: true } : f));
    }
    const known = new Set([...this.spec.entities.map((e) => e.name), name]);
    const entity = toEntity(draft, known);
    this.spec.entities.push(entity);
    return { applied: [`Added entity ${name} with ${entity.fields.map((f) => f.name).join(', ')}`] };
  }

  private link(childText: string, parentText: string, many: boolean, parentFirst = false): Outcome {
    const child = findEntity(this.spec, childText);
    const parent = findEntity(this.spec, parentText);
    if (!child || !parent) {
      const missing = !child ? childText : parentText;
      return {
        error: `there is no entity called "${missing}"; add it first (e.g. "add a ${missing} entity with name")`,
      };
    }
    if (parentFirst && TAG_WORDS.has(phraseWords(childText).pop() ?? ''))
      return { applied: [addLink(parent, child, true)] };
    return { applied: [addLink(child, parent, many)] };
  }

  private addItems(entityText: string, itemsText: string): Outcome {
    const entity = findEntity(this.spec, entityText);
    if (!entity) return { error: `there is no entity called "${entityText}"` };
    const items = readItems(itemsText);
    if (items.length === 0) return undefined;
    const applied: string[] = [];
    for (const item of items) {
      if (item.draft) {
        const result = addField(this.spec, entity, item.draft, item.values ?? false);
        if ('error' in result) return result;
        applied.push(result.ok);
        continue;
      }
      const words = item.entityWords ?? [];
      let target = findEntity(this.spec, words.join(' '));
      if (!target) {
        const added = this.addEntity(words.join(' '), undefined);
        if (!added || 'error' in added) return added;
        applied.push(...added.applied);
        target = findEntity(this.spec, words.join(' '));
      }
      if (!target) return { error: `could not add ${words.join(' ')}` };
      const isTag = TAG_WORDS.has(words[words.length - 1] ?? '');
      applied.push(isTag ? addLink(entity, target, true) : addLink(target, entity, false));
    }
    return { applied };
  }

  /** "add tags" / "add a Category entity": fine without a target; a bare field needs one unless there is one entity. */
  private addLoose(itemsText: string): Outcome {
    const items = readItems(itemsText);
    const only = this.spec.entities.length === 1 ? this.spec.entities[0] : undefined;
    if (items.some((i) => i.draft) && !only) {
      return { error: 'say which entity it belongs to, e.g. "add a priority field to tasks"' };
    }
    if (only) return this.addItems(only.name, itemsText);
    const applied: string[] = [];
    for (const item of items) {
      const added = this.addEntity((item.entityWords ?? []).join(' '), undefined);
      if (!added || 'error' in added) return added;
      applied.push(...added.applied);
    }
    return applied.length > 0 ? { applied } : undefined;
  }
}

export function applyChangeRequest(spec: Spec, request: string): ChangeResult {
  const applier = new ChangeApplier(structuredClone(spec));
  const applied: string[] = [];
  const unhandled: string[] = [];
  for (const clause of clausesOf(typeof request === 'string' ? request : '')) {
    let outcome: Outcome;
    try {
      outcome = applier.apply(clause);
    } catch (error) {
      outcome = { error: error instanceof Error ? error.message : 'unexpected error' };
    }
    if (!outcome) unhandled.push(`${clause} (not understood)`);
    else if ('error' in outcome) unhandled.push(`${clause} (${outcome.error})`);
    else applied.push(...outcome.applied);
  }
  const result = applier.result;
  // refresh the description only when it is the one this analyst wrote, never a person's own words
  if (spec.description === describeSpec(spec.appName, spec.entities, spec.features)) {
    result.description = describeSpec(result.appName, result.entities, result.features);
  }
  return { spec: SpecSchema.parse(result), applied, unhandled };
}
