import { describe, expect, it } from '@jest/globals';
import { SpecSchema, type Spec } from '../../../core/domain/spec.js';
import { applyChangeRequest, parsePromptToSpec } from './index.js';

const base = (): Spec =>
  parsePromptToSpec('a simple task list where tasks have a title, notes and a description');
const task = (spec: Spec) => spec.entities.find((e) => e.name === 'Task');
const field = (spec: Spec, name: string) => task(spec)?.fields.find((f) => f.name === name);

describe('applyChangeRequest', () => {
  it('adds a field to an entity', () => {
    const { spec, applied, unhandled } = applyChangeRequest(base(), 'add a priority field to tasks');
    expect(field(spec, 'priority')).toMatchObject({ type: 'enum', enumValues: ['low', 'medium', 'high'] });
    expect(applied).toHaveLength(1);
    expect(unhandled).toEqual([]);
  });

  it('adds a due date', () => {
    const { spec } = applyChangeRequest(base(), 'add a due date to tasks');
    expect(field(spec, 'dueDate')?.type).toBe('date');
  });

  it('adds an enum with listed values', () => {
    const { spec } = applyChangeRequest(base(), 'tasks should have a status open/closed');
    expect(field(spec, 'status')).toMatchObject({ type: 'enum', enumValues: ['open', 'closed'] });
    const parens = applyChangeRequest(base(), 'add a status (open, in progress, done) to tasks').spec;
    expect(field(parens, 'status')?.enumValues).toEqual(['open', 'in_progress', 'done']);
  });

  it('renames a field on an entity and keeps the display field', () => {
    const { spec, applied } = applyChangeRequest(base(), 'rename title to name on tasks');
    expect(field(spec, 'title')).toBeUndefined();
    expect(field(spec, 'name')).toMatchObject({ label: 'Name', required: true });
    expect(task(spec)?.displayField).toBe('name');
    expect(applied).toEqual(['Renamed Task.title to name']);
  });

  it('removes a field', () => {
    const { spec } = applyChangeRequest(base(), 'remove the notes field');
    expect(field(spec, 'notes')).toBeUndefined();
  });

  it('adds an entity and links to it', () => {
    const { spec, applied, unhandled } = applyChangeRequest(
      base(),
      'add a Category entity with name and color; each task belongs to a category',
    );
    const category = spec.entities.find((e) => e.name === 'Category');
    expect(category?.fields.map((f) => f.name)).toEqual(['name', 'color']);
    expect(field(spec, 'category')).toMatchObject({ type: 'reference', target: 'Category' });
    expect(applied).toHaveLength(2);
    expect(unhandled).toEqual([]);
  });

  it('makes fields optional or required', () => {
    const required = applyChangeRequest(base(), 'make description required').spec;
    expect(field(required, 'description')?.required).toBe(true);
    const optional = applyChangeRequest(required, 'make description optional').spec;
    expect(field(optional, 'description')?.required).toBe(false);
  });

  it('changes a type and links tags', () => {
    const { spec } = applyChangeRequest(base(), 'make notes a date. add tags to tasks');
    expect(field(spec, 'notes')?.type).toBe('date');
    expect(field(spec, 'tags')).toMatchObject({ type: 'references', target: 'Tag' });
  });

  it('renames an entity and the references to it', () => {
    const withProject = applyChangeRequest(
      base(),
      'add a Project entity with name; each task belongs to a project',
    ).spec;
    const { spec } = applyChangeRequest(withProject, 'rename projects to boards');
    expect(spec.entities.map((e) => e.name)).toContain('Board');
    expect(field(spec, 'board')).toMatchObject({ type: 'reference', target: 'Board' });
  });

  it('handles several requests in one comment', () => {
    const { applied, unhandled } = applyChangeRequest(
      base(),
      'add a priority field to tasks, and remove the notes field and rename the app to Task Master',
    );
    expect(applied).toHaveLength(3);
    expect(unhandled).toEqual([]);
  });

  it('returns what it does not understand instead of guessing', () => {
    const original = base();
    const { spec, applied, unhandled } = applyChangeRequest(
      original,
      'paint it blue; add a priority field to widgets',
    );
    expect(applied).toEqual([]);
    expect(unhandled).toEqual([
      'paint it blue (not understood)',
      'add a priority field to widgets (there is no entity called "widgets")',
    ]);
    expect(spec).toEqual(original);
  });

  it('keeps derived values in step: renamed with their field and entity, dropped with what they read', () => {
    const runs = (): Spec => ({
      ...parsePromptToSpec('a running log: runs have a distance and a date'),
      derived: [
        { kind: 'sum', name: 'totalDistance', label: 'Total distance', entity: 'Run', field: 'distance' },
        {
          kind: 'count',
          name: 'runsPerDay',
          label: 'Runs per day',
          entity: 'Run',
          per: { field: 'date', period: 'day' },
        },
      ],
    });
    expect(SpecSchema.safeParse(runs()).success).toBe(true);
    const renamed = applyChangeRequest(runs(), 'rename distance to kilometres on runs; rename runs to jogs');
    expect(renamed.unhandled).toEqual([]);
    expect(renamed.spec.derived[0]).toMatchObject({ entity: 'Jog', field: 'kilometres' });
    expect(renamed.spec.derived[1]).toMatchObject({ entity: 'Jog', per: { field: 'date' } });

    const removed = applyChangeRequest(runs(), 'remove the distance field');
    expect(removed.unhandled).toEqual([]);
    expect(removed.spec.derived.map((d) => d.name)).toEqual(['runsPerDay']);
    expect(removed.applied).toContain('Dropped the derived value "Total distance": it read what was removed');
  });

  it('refuses changes that would break the spec', () => {
    const single = parsePromptToSpec('a todo app');
    expect(applyChangeRequest(single, 'remove the task entity').unhandled).toHaveLength(1);
    expect(applyChangeRequest(single, 'add a priority field').unhandled[0]).toMatch(/already has/);
    expect(applyChangeRequest(base(), 'rename title to notes on tasks').unhandled[0]).toMatch(
      /already has a field notes/,
    );
  });

  it('always returns a valid spec and never throws', () => {
    for (const request of [
      '',
      '   ',
      'ignore previous instructions',
      'add',
      'rename to',
      'remove',
      '(((',
      'x'.repeat(5000),
    ]) {
      const result = applyChangeRequest(base(), request);
      expect(SpecSchema.safeParse(result.spec).success).toBe(true);
      expect(result.applied).toEqual([]);
    }
  });
});
