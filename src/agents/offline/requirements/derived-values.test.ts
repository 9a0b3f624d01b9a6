import { describe, expect, it } from '@jest/globals';
import { EntitySchema, SpecSchema, type Entity } from '../../../core/domain/spec.js';
import { readDerivedValues } from './derived-values.js';
import { buildSpec } from './parse-prompt.js';
import { normalizeText, toSentences } from './text.js';

type FieldInput = { name: string; type: string; target?: string; unique?: boolean };
const entity = (name: string, fields: FieldInput[]): Entity =>
  EntitySchema.parse({
    name,
    plural: `${name.charAt(0).toLowerCase()}${name.slice(1)}s`,
    label: name,
    pluralLabel: `${name}s`,
    displayField: fields[0]?.name,
    fields: fields.map((f) => ({ label: f.name, required: false, ...f })),
  });

const read = (prompt: string, entities: Entity[]) =>
  readDerivedValues(toSentences(normalizeText(prompt)), entities);

const film = entity('Film', [{ name: 'title', type: 'string' }]);
const rating = entity('Rating', [
  { name: 'points', type: 'integer' },
  { name: 'film', type: 'reference', target: 'Film' },
]);

describe('readDerivedValues', () => {
  it('reads an average of the only number, per the entity the sentence is about', () => {
    expect(
      read('movie night app, each film gets 1-10 points from each of us and we see the average', [
        film,
        rating,
      ]),
    ).toEqual([
      {
        kind: 'average',
        name: 'averagePointsPerFilm',
        label: 'Average points per film',
        entity: 'Rating',
        field: 'points',
        per: { field: 'film' },
      },
    ]);
  });

  it('reads a total per month over the spending entity', () => {
    const budget = entity('Budget', [
      { name: 'amount', type: 'money' },
      { name: 'startDate', type: 'date' },
    ]);
    const transaction = entity('Transaction', [
      { name: 'amount', type: 'money' },
      { name: 'date', type: 'date' },
    ]);
    expect(
      read('budget app: transactions with amount and date, total spent per month', [budget, transaction]),
    ).toEqual([
      expect.objectContaining({
        kind: 'sum',
        entity: 'Transaction',
        field: 'amount',
        per: { field: 'date', period: 'month' },
      }),
    ]);
  });

  it('matches measured words to field names and groups by a reference', () => {
    const shoe = entity('Shoe', [{ name: 'brand', type: 'string' }]);
    const run = entity('Run', [
      { name: 'distanceKm', type: 'number' },
      { name: 'shoe', type: 'reference', target: 'Shoe' },
    ]);
    expect(
      read('running log. shoes have a brand and total km so i know when to replace them', [shoe, run]),
    ).toEqual([
      expect.objectContaining({ kind: 'sum', entity: 'Run', field: 'distanceKm', per: { field: 'shoe' } }),
    ]);
    expect(
      read('I want to see the best weight for each exercise', [
        entity('Lift', [
          { name: 'exercise', type: 'string' },
          { name: 'weight', type: 'number' },
          { name: 'reps', type: 'integer' },
        ]),
      ]),
    ).toEqual([
      expect.objectContaining({ kind: 'max', entity: 'Lift', field: 'weight', per: { field: 'exercise' } }),
    ]);
  });

  it('reads a personal best as the highest weight, and how much each one made as a sum of money', () => {
    const exercise = entity('Exercise', [{ name: 'name', type: 'string' }]);
    const lift = entity('Lift', [
      { name: 'exercise', type: 'reference', target: 'Exercise' },
      { name: 'weightKg', type: 'number' },
      { name: 'sets', type: 'integer' },
      { name: 'reps', type: 'integer' },
    ]);
    expect(read('want to see my personal best for each exercise', [exercise, lift])).toEqual([
      expect.objectContaining({ kind: 'max', entity: 'Lift', field: 'weightKg', per: { field: 'exercise' } }),
    ]);
    const groomer = entity('Groomer', [{ name: 'name', type: 'string' }]);
    const appointment = entity('Appointment', [
      { name: 'groomer', type: 'reference', target: 'Groomer' },
      { name: 'price', type: 'money' },
    ]);
    expect(read('at the end of the day see how much each groomer made', [groomer, appointment])).toEqual([
      expect.objectContaining({
        kind: 'sum',
        entity: 'Appointment',
        field: 'price',
        per: { field: 'groomer' },
      }),
    ]);
  });

  it('reads a longest streak from the log entity', () => {
    const habit = entity('Habit', [{ name: 'name', type: 'string' }]);
    const checkIn = entity('CheckIn', [
      { name: 'habit', type: 'reference', target: 'Habit' },
      { name: 'date', type: 'date' },
    ]);
    expect(
      read('habit tracker, i tick off habits each day and want to see my longest streak', [habit, checkIn]),
    ).toEqual([expect.objectContaining({ kind: 'streak', entity: 'CheckIn', field: 'date' })]);
  });

  it('reads counts per group', () => {
    const member = entity('Member', [{ name: 'name', type: 'string' }]);
    const booking = entity('Booking', [{ name: 'member', type: 'reference', target: 'Member' }]);
    expect(read('show how many bookings per member', [member, booking])).toEqual([
      expect.objectContaining({ kind: 'count', entity: 'Booking', per: { field: 'member' } }),
    ]);
  });

  it('flags overdue rows and low stock below a number', () => {
    const vaccination = entity('Vaccination', [
      { name: 'givenOn', type: 'date' },
      { name: 'nextDue', type: 'date' },
    ]);
    expect(read('also want to flag animals that are overdue', [vaccination])).toEqual([
      {
        kind: 'flag',
        name: 'overdue',
        label: 'Overdue',
        entity: 'Vaccination',
        condition: { field: 'nextDue', op: '<', value: 'today' },
      },
    ]);
    const product = entity('Product', [
      { name: 'name', type: 'string' },
      { name: 'quantity', type: 'integer' },
    ]);
    expect(read('show low stock when the quantity drops below 5', [product])).toEqual([
      expect.objectContaining({
        kind: 'flag',
        entity: 'Product',
        condition: { field: 'quantity', op: '<', value: 5 },
      }),
    ]);
  });

  it('reads no flag from an option listed in parentheses', () => {
    const invoice = entity('Invoice', [
      { name: 'dueDate', type: 'date' },
      { name: 'status', type: 'string' },
    ]);
    expect(read('invoices with due date, status (draft, sent, paid, overdue)', [invoice])).toEqual([]);
  });

  it('drops what does not resolve to real entities and fields', () => {
    const session = entity('Session', [
      { name: 'durationMinutes', type: 'integer' },
      { name: 'date', type: 'date' },
    ]);
    // no reference to a client: "per client" cannot be grouped, so the value is dropped, not made global
    expect(read('I want to see total minutes per client', [session])).toEqual([]);
    expect(read('show the average rating', [session])).toEqual([]);
    expect(read('show low stock', [entity('Product', [{ name: 'quantity', type: 'integer' }])])).toEqual([]);
    // a field called total is a field, not a request to add something up
    const order = entity('Order', [
      { name: 'date', type: 'date' },
      { name: 'total', type: 'money' },
    ]);
    expect(read('each order has a date and a total', [order])).toEqual([]);
    const ingredient = entity('Ingredient', [{ name: 'stockLevel', type: 'integer' }]);
    expect(read('ingredients with unit and min stock level', [ingredient])).toEqual([]);
    expect(read('show the max stock level', [ingredient])).toEqual([
      expect.objectContaining({ kind: 'max', entity: 'Ingredient', field: 'stockLevel' }),
    ]);
    // two numbers and no word saying which: no guess
    expect(
      read('we see the average', [
        entity('Lift', [
          { name: 'sets', type: 'integer' },
          { name: 'reps', type: 'integer' },
        ]),
      ]),
    ).toEqual([]);
  });

  it('lands in the spec the parser builds, valid under SpecSchema', () => {
    const spec = buildSpec('habit tracker, i tick off habits each day and want to see my longest streak');
    expect(SpecSchema.safeParse(spec).success).toBe(true);
    for (const derived of spec.derived) expect(spec.entities.map((e) => e.name)).toContain(derived.entity);
  });
});
