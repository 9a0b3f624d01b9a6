/** Issue #16: what the prompt names is what the spec holds, one test per failure class. */
import { describe, expect, it } from '@jest/globals';
import { entityNames as names, fieldOf, fieldsOf } from '../../../../tests/helpers/spec-queries.js';
import { buildSpec } from './parse-prompt.js';

describe('bounded scores', () => {
  it('"each film gets 1-10 points" → Film.points 1..10', () => {
    const spec = buildSpec('a film diary where each film gets 1-10 points');
    expect(fieldOf(spec, 'Film', 'points')).toMatchObject({ type: 'integer', min: 1, max: 10 });
  });

  it('"rate dishes 1 to 5 stars" → a rating 1..5', () => {
    const spec = buildSpec('rate dishes 1 to 5 stars');
    expect(fieldOf(spec, 'Dish', 'rating')).toMatchObject({ type: 'integer', min: 1, max: 5 });
  });

  it('users who rate give the Rating record the bounds, replacing its default score', () => {
    const spec = buildSpec('a recipe app where users rate dishes 1 to 5 stars');
    const rating = fieldsOf(spec, 'Rating');
    expect(rating.find((f) => f.name === 'rating')).toMatchObject({ type: 'integer', min: 1, max: 5 });
    expect(rating.map((f) => f.name)).not.toContain('score');
  });

  it.each([
    ['wines with a score out of 100', 'Wine', 'score', 0, 100],
    ['hikes with difficulty on a scale of 1 to 10', 'Hike', 'difficulty', 1, 10],
  ])('%s', (prompt, entity, field, min, max) => {
    expect(fieldOf(buildSpec(prompt), entity, field)).toMatchObject({ type: 'integer', min, max });
  });
});

describe('flags', () => {
  it('"an out-of-stock flag" → boolean outOfStock', () => {
    const spec = buildSpec('an inventory app for a shop with an out-of-stock flag on products');
    expect(fieldOf(spec, 'Product', 'outOfStock').type).toBe('boolean');
  });

  it('"mark tasks as urgent" → boolean urgent', () => {
    const spec = buildSpec('a todo app where I can mark tasks as urgent');
    expect(fieldOf(spec, 'Task', 'urgent').type).toBe('boolean');
  });
});

describe('derived values make no entity and no field', () => {
  it.each([
    ['a habit tracker where I can see my longest streak', ['Habit', 'CheckIn']],
    ['an expense tracker showing total spent per month', ['Expense', 'Category']],
    ['a reading log of books where I see the average rating per author', ['Book']],
  ])('%s', (prompt, entities) => {
    const spec = buildSpec(prompt);
    expect(names(spec)).toEqual(entities);
    const fields = spec.entities.flatMap((e) => e.fields.map((f) => f.name));
    expect(fields.filter((f) => /longest|streak|total|spent|month|average/i.test(f))).toEqual([]);
  });
});

describe('participle relations', () => {
  it.each([
    ['employees belonging to a department', 'Employee', 'department', 'Department'],
    ['a todo app with tasks assigned to a person', 'Task', 'person', 'Person'],
    ['books written by authors', 'Book', 'author', 'Author'],
  ])('%s', (prompt, entity, field, target) => {
    const spec = buildSpec(prompt);
    expect(fieldOf(spec, entity, field)).toMatchObject({ type: 'reference', target });
    expect(names(spec)).not.toEqual(expect.arrayContaining(['Belonging']));
    expect(names(spec).filter((n) => /Belonging|Assigned|Written/.test(n))).toEqual([]);
  });
});

describe('units', () => {
  it.each([
    ['a shop with products; prices in cents', 'Product', 'priceCents', 'integer'],
    ['track water levels of my plants', 'Plant', 'waterLevel', 'number'],
    ['a garden app: harvests with crop, date and weight in kg', 'Harvest', 'weightKg', 'number'],
    ['recipes with cooking time in minutes', 'Recipe', 'cookingTimeMinutes', 'integer'],
  ])('%s', (prompt, entity, field, type) => {
    const spec = buildSpec(prompt);
    expect(fieldOf(spec, entity, field).type).toBe(type);
    expect(names(spec).filter((n) => /^(Cent|Level|Kg|Minute)$/.test(n))).toEqual([]);
  });

  it('a unit replaces the default field of the same meaning', () => {
    const product = fieldsOf(buildSpec('a shop with products; prices in cents'), 'Product');
    expect(product.map((f) => f.name)).not.toContain('price');
  });
});

describe('domain nouns the lexicon lacks', () => {
  it('keep their own name and the fields given, with nothing invented beside them', () => {
    const spec = buildSpec(
      'a beekeeping app to track hives with queen age, frame count and last inspection date',
    );
    expect(names(spec)).toEqual(['Hive']);
    expect(fieldsOf(spec, 'Hive').map((f) => [f.name, f.type])).toEqual([
      ['name', 'string'],
      ['queenAge', 'integer'],
      ['frameCount', 'integer'],
      ['lastInspectionDate', 'date'],
    ]);
  });

  it('a second unknown noun is not replaced by a generic Item', () => {
    const spec = buildSpec('track kilns and firings; firings have a peak temperature and a cone number');
    expect(names(spec)).toEqual(expect.arrayContaining(['Kiln', 'Firing']));
    expect(names(spec)).not.toContain('Item');
    expect(fieldOf(spec, 'Firing', 'peakTemperature').type).toBe('number');
  });
});

describe('entities given in parentheses or as attribute lists', () => {
  it('keeps each entity with exactly its fields', () => {
    const spec = buildSpec('a library app (books with title, author and isbn; members with name and email)');
    expect(fieldsOf(spec, 'Book').map((f) => f.name)).toEqual(['title', 'author', 'isbn']);
    expect(fieldsOf(spec, 'Member').map((f) => f.name)).toEqual(['name', 'email']);
  });

  it('reads "X with …, Y with …" as two entities', () => {
    const spec = buildSpec('an app with projects with a name and a deadline, clients with name and phone');
    expect(fieldsOf(spec, 'Client').map((f) => f.name)).toEqual(['name', 'phone']);
    expect(fieldsOf(spec, 'Project').map((f) => f.name)).toEqual(
      expect.arrayContaining(['name', 'deadline']),
    );
  });
});

describe('who makes what', () => {
  it('"authors publish articles" → Article.author → Author', () => {
    const spec = buildSpec('authors publish articles');
    expect(fieldOf(spec, 'Article', 'author')).toMatchObject({ type: 'reference', target: 'Author' });
    expect(names(spec)).not.toContain('Post');
  });

  it('"customers place orders" → Order.customer → Customer', () => {
    const spec = buildSpec('a bakery app where customers place orders');
    expect(fieldOf(spec, 'Order', 'customer')).toMatchObject({ type: 'reference', target: 'Customer' });
  });

  it("an alias keeps the person's word and its links follow", () => {
    const spec = buildSpec('fleet tracker: cars, drivers and service records');
    expect(fieldOf(spec, 'Driver', 'car')).toMatchObject({ type: 'reference', target: 'Car' });
  });
});

describe('no near-duplicate fields', () => {
  it('a named cooking time replaces the default prep time', () => {
    const recipe = fieldsOf(buildSpec('a recipe app with cooking time and ingredients'), 'Recipe');
    const times = recipe.filter((f) => /time|minutes/i.test(f.name)).map((f) => f.name);
    expect(times).toEqual(['cookingTime']);
  });

  it('two times the prompt names both stay', () => {
    const recipe = fieldsOf(buildSpec('a recipe app; recipes have a prep time and a cook time'), 'Recipe');
    expect(recipe.map((f) => f.name)).toEqual(expect.arrayContaining(['prepTime', 'cookTime']));
  });
});
