/** Issue #16: option lists, example lists, qualifiers and value words read as people write them. */
import { describe, expect, it } from '@jest/globals';
import { entityNames as names, fieldOf, fieldsOf } from '../../../../tests/helpers/spec-queries.js';
import { buildSpec } from './parse-prompt.js';

describe('option lists in parentheses', () => {
  it('"(name coat length short/long)" → fields name and coat, an enum length', () => {
    const spec = buildSpec('cat boarding: cats (name coat length short/medium/long)');
    expect(fieldsOf(spec, 'Cat').map((f) => f.name)).toEqual(['name', 'coat', 'length']);
    expect(fieldOf(spec, 'Cat', 'length').enumValues).toEqual(['short', 'medium', 'long']);
  });

  it('"(seat class economy/business/first)" inside a field list is one enum field', () => {
    const spec = buildSpec('tickets (passenger, seat class economy/business/first, fare)');
    expect(fieldOf(spec, 'Ticket', 'seatClass').enumValues).toEqual(['economy', 'business', 'first']);
    expect(fieldsOf(spec, 'Ticket').map((f) => f.name)).not.toContain('economy');
  });

  it('"insured yes/no" and "neutered or not" are flags', () => {
    const spec = buildSpec('horses (name, insured yes/no, neutered or not)');
    expect(fieldOf(spec, 'Horse', 'insured').type).toBe('boolean');
    expect(fieldOf(spec, 'Horse', 'neutered').type).toBe('boolean');
  });
});

describe('examples in parentheses', () => {
  it('"suppliers (bakeries, dairies, mills)" → Supplier.kind with those values', () => {
    const spec = buildSpec('suppliers (bakeries, dairies, mills) with a phone');
    expect(fieldOf(spec, 'Supplier', 'kind').enumValues).toEqual(['bakery', 'dairy', 'mill']);
  });

  it('a trailing "..." marks examples: "crew (pilot, steward...)"', () => {
    const spec = buildSpec('airline roster: crew members (pilot, steward...) with a base airport');
    expect(fieldOf(spec, 'CrewMember', 'kind').enumValues).toEqual(['pilot', 'steward']);
  });

  it('a singular word before examples names the enum: "sport (tennis, squash)"', () => {
    const spec = buildSpec('court bookings with a sport (tennis, squash, padel) and a date');
    expect(fieldOf(spec, 'Booking', 'sport').enumValues).toEqual(['tennis', 'squash', 'padel']);
  });

  it('fields in parentheses stay fields', () => {
    const spec = buildSpec('albums (title, artist, year)');
    expect(fieldsOf(spec, 'Album').map((f) => f.name)).toEqual(['title', 'artist', 'year']);
  });
});

describe('qualifiers are not entities', () => {
  it('units, verbs and participles never become entities', () => {
    const spec = buildSpec(
      'boat club: boats with length in metres, members log miles sailed, admins approve or reject trips, damaged sails',
    );
    for (const bad of ['Metre', 'Meter', 'Mile', 'Approve', 'Reject', 'Damaged', 'Sailed'])
      expect(names(spec)).not.toContain(bad);
  });
});

describe('types by meaning', () => {
  it('measurements are numbers, "adopted" is a flag, "rate per night" is money', () => {
    const spec = buildSpec(
      'pond log: ponds with ph, salinity and fish yield. cabins (name, rate per night). dogs (name, adopted)',
    );
    expect(fieldOf(spec, 'Pond', 'ph').type).toBe('number');
    expect(fieldOf(spec, 'Pond', 'salinity').type).toBe('number');
    expect(fieldOf(spec, 'Pond', 'fishYield').type).toBe('number');
    expect(fieldOf(spec, 'Cabin', 'ratePerNight').type).toBe('money');
    expect(fieldOf(spec, 'Dog', 'adopted').type).toBe('boolean');
  });

  it('"seats available" counts seats rather than flagging availability', () => {
    const spec = buildSpec('shuttle app: trips with a departure time and seats available');
    expect(fieldOf(spec, 'Trip', 'seatsAvailable').type).toBe('integer');
  });
});

describe('fields named after an entity', () => {
  it('"lead author" and "second author" point at Author', () => {
    const spec = buildSpec('authors have a name. papers have a title, a lead author and a second author');
    expect(fieldOf(spec, 'Paper', 'leadAuthor')).toMatchObject({ type: 'reference', target: 'Author' });
    expect(fieldOf(spec, 'Paper', 'secondAuthor')).toMatchObject({ type: 'reference', target: 'Author' });
  });
});
