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

describe('lists without "with"', () => {
  it('fields after a colon belong to the plural before it', () => {
    const spec = buildSpec('track my hikes: trail, distance (km), elevation gain');
    expect(names(spec)).toEqual(['Hike']);
    expect(fieldsOf(spec, 'Hike').map((f) => f.name)).toEqual(
      expect.arrayContaining(['trail', 'distanceKm', 'elevationGain']),
    );
  });

  it('the first item names the thing when the rest are its fields ("tents i own, brand, weight")', () => {
    const spec = buildSpec('camping gear list: tents i own, brand, weight, pros/cons');
    expect(names(spec)).toEqual(['Tent']);
    expect(fieldsOf(spec, 'Tent').map((f) => f.name)).toEqual(
      expect.arrayContaining(['brand', 'weight', 'pro', 'con']),
    );
  });

  it('"X w/ a, b & c" reads like "with"', () => {
    const spec = buildSpec('customers w/ name, email & phone number');
    expect(fieldsOf(spec, 'Customer').map((f) => f.name)).toEqual(['name', 'email', 'phoneNumber']);
  });

  it("a verb of recording lists the main record's fields", () => {
    const spec = buildSpec('a fuel diary: every fill-up i record litres, price per litre and the station');
    const fields = spec.entities.flatMap((e) => e.fields.map((f) => f.name));
    expect(fields).toEqual(expect.arrayContaining(['litres', 'pricePerLitre', 'station']));
    expect(names(spec)).not.toContain('Litre');
  });

  it('"number of copies" is a count, not a Copy entity', () => {
    const spec = buildSpec('a library with books: title, author, number of copies');
    expect(fieldOf(spec, 'Book', 'copies').type).toBe('integer');
    expect(names(spec)).not.toContain('Copy');
  });
});

describe('owner words inside field names', () => {
  it('"van plate" on Van is its plate, "invoice number" stays an identifier', () => {
    const spec = buildSpec('vans: van plate, colour. invoices with invoice number and amount');
    expect(fieldOf(spec, 'Van', 'plate').type).toBe('string');
    expect(fieldOf(spec, 'Invoice', 'invoiceNumber').type).toBe('string');
  });
});

describe('container words', () => {
  it('the headline before a list of things is the topic, not an entity', () => {
    const spec = buildSpec('seed box: seeds with variety and sow-by date, trays with size');
    expect(names(spec)).toEqual(expect.arrayContaining(['Seed', 'Tray']));
    expect(names(spec)).not.toContain('Box');
  });

  it('"a driver fills up a van" is a verb, not a Fill entity', () => {
    expect(names(buildSpec('every time a driver fills up a van, log the date'))).not.toContain('Fill');
  });
});

describe('fields written as clauses', () => {
  it('"how often it needs water" and "when we last repotted it"', () => {
    const spec = buildSpec('each cactus has a name, how often it needs water and when we last repotted it');
    expect(fieldOf(spec, 'Cactus', 'frequency').type).toBe('integer');
    expect(fieldOf(spec, 'Cactus', 'lastRepotted').type).toBe('date');
  });

  it('"whether …" and "if it\'s …" are yes/no fields', () => {
    const spec = buildSpec('dinner guests: name, whether they confirmed, and if they are vegetarian');
    expect(fieldOf(spec, 'Guest', 'confirmed').type).toBe('boolean');
    expect(fieldOf(spec, 'Guest', 'vegetarian').type).toBe('boolean');
  });

  it('"from-to dates" are a start and an end date; "whether the key was returned" a flag', () => {
    const spec = buildSpec('pet sitting bookings with from-to dates and whether the key was returned');
    expect(fieldOf(spec, 'Booking', 'startDate').type).toBe('date');
    expect(fieldOf(spec, 'Booking', 'endDate').type).toBe('date');
    expect(fieldOf(spec, 'Booking', 'keyReturned').type).toBe('boolean');
  });

  it('"the date given" and "when the next one is due" are dates', () => {
    const spec = buildSpec(
      'dogs get worming tablets (brand, dose) with the date given and when the next one is due',
    );
    const tablet = spec.entities.find((e) => e.fields.some((f) => f.name === 'nextDue'));
    expect(tablet?.fields.find((f) => f.name === 'dateGiven')?.type).toBe('date');
    expect(tablet?.fields.find((f) => f.name === 'nextDue')?.type).toBe('date');
  });
});

describe('holders of records', () => {
  it('"a <activity> log" stores the activity ("hiking log" → Hike)', () => {
    const spec = buildSpec('hiking log with distance (km), climb and weather');
    expect(names(spec)).toContain('Hike');
    expect(names(spec)).not.toContain('HikingLog');
    expect(fieldOf(spec, 'Hike', 'distanceKm').type).toBe('number');
  });

  it('"a <thing> collection (…)" lists the thing\'s fields; "min/max" bounds are counts', () => {
    const spec = buildSpec('my board game collection (title, min/max players, play time)');
    expect(names(spec)).toEqual(['Game']);
    expect(fieldOf(spec, 'Game', 'minPlayers').type).toBe('integer');
    expect(fieldOf(spec, 'Game', 'maxPlayers').type).toBe('integer');
    expect(fieldOf(spec, 'Game', 'playTime').type).toBe('integer');
  });

  it('"measurements of a, b and c for each X" → numeric fields and a link to X', () => {
    const spec = buildSpec(
      'bee hive checks: measurements of weight, temperature (°C) and humidity (%) for each hive',
    );
    const measurement = fieldsOf(spec, 'Measurement');
    expect(measurement.map((f) => f.name)).toEqual(
      expect.arrayContaining(['weight', 'temperature', 'humidity']),
    );
    expect(measurement.find((f) => f.target === 'Hive')).toBeDefined();
    expect(names(spec)).not.toContain('Temperature');
  });
});

describe('qualifiers that are not entities', () => {
  it('a format after a field word ("door code (four digits)") is not an entity', () => {
    const spec = buildSpec('each locker has a door code (four digits), lockers have size + floor');
    expect(names(spec)).toEqual(['Locker']);
    expect(fieldsOf(spec, 'Locker').map((f) => f.name)).toEqual(['doorCode', 'size', 'floor']);
  });

  it('a list goes on past a field read with its unit, and "x yes/no" is a flag', () => {
    const spec = buildSpec('parcels have weight in grams, sent date, insured yes/no');
    expect(fieldOf(spec, 'Parcel', 'sentDate').type).toBe('date');
    expect(fieldOf(spec, 'Parcel', 'insured').type).toBe('boolean');
  });

  it('"answer yes/no/maybe" is a choice', () => {
    const spec = buildSpec('parties with date, and guests with name and reply yes/no/maybe');
    expect(fieldOf(spec, 'Guest', 'reply')).toMatchObject({
      type: 'enum',
      enumValues: ['yes', 'no', 'maybe'],
    });
  });
});

describe('headlines with a prepositional tail', () => {
  it('"repair requests from residents: …" lists the requests\' fields; "which flat" points at Flat', () => {
    const spec = buildSpec("repair requests from residents: what's leaking, photo, which flat, and urgency");
    expect(fieldOf(spec, 'RepairRequest', 'description').type).toBe('text');
    expect(fieldOf(spec, 'RepairRequest', 'photo').type).toBe('url');
    expect(fieldOf(spec, 'RepairRequest', 'urgency').type).toBe('enum');
    expect(names(spec)).toContain('Flat');
  });
});

describe('words that change role with their form', () => {
  it('a scene word in the plural is a thing ("clubs, players and matches")', () => {
    const spec = buildSpec('chess league: clubs, players at clubs, matches with date and result');
    expect(names(spec)).toEqual(expect.arrayContaining(['Club', 'Player', 'Match']));
  });

  it('a bare plural in a list of things is an entity even if it can be a count ("guests")', () => {
    const spec = buildSpec('bed and breakfast: guests, rooms with name and price, stays with arrival date');
    expect(names(spec)).toContain('Guest');
  });

  it('"quantity on hand" is a number; "a max number of paddlers" is maxPaddlers', () => {
    const spec = buildSpec('kayaks have a name, a max number of paddlers and quantity on hand');
    expect(fieldOf(spec, 'Kayak', 'quantity').type).toBe('integer');
    expect(fieldOf(spec, 'Kayak', 'maxPaddlers').type).toBe('integer');
  });
});

describe('misspelled entities', () => {
  it('folds a misspelling into the entity it stands for, with its fields', () => {
    const spec = buildSpec(
      'clinic app: patients book appointments with a doctor. each appointmnet has a date, a reason and a status',
    );
    expect(names(spec)).not.toContain('Appointmnet');
    expect(fieldsOf(spec, 'Appointment').map((f) => f.name)).toEqual(
      expect.arrayContaining(['reason', 'status', 'patient']),
    );
  });

  it('keeps look-alike words that are different things apart', () => {
    const spec = buildSpec(
      'a training tracker with couriers and courses: couriers have a name and a phone, courses have a title',
    );
    expect(names(spec)).toEqual(expect.arrayContaining(['Courier', 'Course']));
  });
});

describe('booking what is itself a booking', () => {
  it('"patients book appointments" makes the appointment theirs, with no Booking beside it', () => {
    const spec = buildSpec(
      'a dentist app where patients book appointments; appointments have a date and a reason',
    );
    expect(names(spec)).not.toContain('Booking');
    expect(fieldOf(spec, 'Appointment', 'patient')).toMatchObject({ type: 'reference', target: 'Patient' });
  });

  it('"guests book rooms" still makes bookings of rooms', () => {
    const spec = buildSpec('a small hotel: guests book rooms for a check-in and check-out date');
    expect(names(spec)).toEqual(expect.arrayContaining(['Booking', 'Room']));
  });
});
