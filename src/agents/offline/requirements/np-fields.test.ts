/**
 * The noun-phrase pass: attribute lists read item by item with part-of-speech tags. Each prompt is
 * written the way people write, and each test names the kind of item it covers.
 */
import { describe, expect, it } from '@jest/globals';
import { fieldOf, fieldsOf } from '../../../../tests/helpers/spec-queries.js';
import { buildSpec } from './parse-prompt.js';
import { tagSentence } from './pos-tags.js';
import { normalizeText, toSentences } from './text.js';

const names = (spec: ReturnType<typeof buildSpec>, entity: string): string[] =>
  fieldsOf(spec, entity).map((f) => f.name);

describe('part-of-speech tags', () => {
  it('tags each word token and leaves punctuation untagged', () => {
    const [tokens = []] = toSentences(
      normalizeText('each kiln has a name, a max temperature and the room it sits in'),
    );
    const tags = tagSentence(tokens);
    const at = (w: string): string[] => [...(tags[tokens.findIndex((t) => t.w === w)] ?? [])];
    expect(at('kiln')).toContain('Noun');
    expect(at('has')).toContain('Verb');
    expect(at('it')).toContain('Pronoun');
    expect(at(',')).toEqual([]);
    expect(tags).toHaveLength(tokens.length);
  });
});

describe('noun-phrase fields', () => {
  it('a relative clause after an item keeps the item and the rest of the list', () => {
    const spec = buildSpec(
      'bouldering gym app. every problem has a grade, the wall it is on, the date it went up and a hold colour. walls have a name and an angle',
    );
    expect(names(spec, 'Problem')).toEqual(expect.arrayContaining(['grade', 'holdColour']));
    expect(fieldOf(spec, 'Problem', 'wall')).toMatchObject({ type: 'reference', target: 'Wall' });
    expect(fieldOf(spec, 'Problem', 'date')?.type).toBe('date');
  });

  it('a contraction after an item ("the crate they\'re stored in") ends the phrase, not the list', () => {
    const spec = buildSpec(
      "seed bank: packets with variety, harvest year and the crate they're stored in. crates have a label code and a shelf",
    );
    expect(fieldOf(spec, 'Packet', 'crate')).toMatchObject({ type: 'reference', target: 'Crate' });
    expect(names(spec, 'Packet')).not.toContain('crateTheyre');
  });

  it('question-word items become typed fields: how long, how many, what I paid', () => {
    const spec = buildSpec(
      'board game shelf: each game has a title, how long it takes, how many players and what i paid for it',
    );
    expect(fieldOf(spec, 'Game', 'duration')?.type).toBe('integer');
    expect(fieldOf(spec, 'Game', 'players')?.type).toBe('integer');
    expect(fieldOf(spec, 'Game', 'price')?.type).toBe('money');
  });

  it("a verb of keeping lists the record's attributes, a whether-clause included", () => {
    const spec = buildSpec(
      'we sell handmade candles. for every candle we store the scent, the burn time, the price and whether it is in stock',
    );
    expect(names(spec, 'Candle')).toEqual(expect.arrayContaining(['scent', 'burnTime', 'price', 'inStock']));
    expect(fieldOf(spec, 'Candle', 'inStock')?.type).toBe('boolean');
  });

  it('a list of things to keep stays a list of entities, not fields', () => {
    const spec = buildSpec('band app to track gigs, venues and setlists');
    expect(spec.entities.map((e) => e.name)).toEqual(expect.arrayContaining(['Gig', 'Venue', 'Setlist']));
    expect(names(spec, 'Gig')).not.toContain('venues');
  });

  it('"I need …" and "whether they have paid" are not attribute lists', () => {
    const spec = buildSpec(
      'I need a place for my running club. runners with a name, a shirt size and whether they have paid the fee',
    );
    expect(names(spec, 'Runner')).not.toContain('paidFee');
    expect(fieldsOf(spec, 'Runner').filter((f) => /paid/i.test(f.name) && f.type !== 'boolean')).toEqual([]);
    expect(fieldOf(spec, 'Runner', 'shirtSize')).toBeDefined();
  });

  it('a list after "with" belongs to the noun before a place preposition ("players on teams with …")', () => {
    const spec = buildSpec(
      'five a side league: players on teams with shirt number and position, teams have a name',
    );
    expect(names(spec, 'Player')).toEqual(expect.arrayContaining(['shirtNumber', 'position']));
    expect(names(spec, 'Team')).not.toContain('position');
  });
});

describe('links told by the words between two things', () => {
  const linksTo = (spec: ReturnType<typeof buildSpec>, entity: string, target: string): string[] =>
    fieldsOf(spec, entity)
      .filter((f) => (f.type === 'reference' || f.type === 'references') && f.target === target)
      .map((f) => f.name);

  it('a passive verb and a preposition ("get hung in galleries") point the subject at the place', () => {
    const spec = buildSpec(
      'art collective app: paintings get hung in galleries, each painting has a title and a price',
    );
    expect(linksTo(spec, 'Painting', 'Gallery')).toEqual(['gallery']);
  });

  it('an active verb makes the thing done name who did it ("photographers upload pictures")', () => {
    const spec = buildSpec(
      'photo contest site. photographers upload pictures, pictures have a caption and a category',
    );
    expect(linksTo(spec, 'Photo', 'Photographer')).toEqual(['photographer']);
  });

  it('"is about one X" gives the subject a reference', () => {
    const spec = buildSpec('quiz app: topics and questions. each question is about one topic');
    expect(linksTo(spec, 'Question', 'Topic')).toEqual(['topic']);
  });

  it('a place after "by a speaker" belongs to the clause subject, not to the speaker', () => {
    const spec = buildSpec(
      'festival app: workshops, hosts and tents. each workshop is run by a host in a tent',
    );
    expect(linksTo(spec, 'Workshop', 'Tent')).toEqual(['tent']);
    expect(linksTo(spec, 'Host', 'Tent')).toEqual([]);
  });

  it('a verb that already made a record of its own adds no direct link', () => {
    const spec = buildSpec('diy library: members borrow drills, drills have a brand and a condition');
    expect(linksTo(spec, 'Drill', 'Member')).toEqual([]);
    expect(linksTo(spec, 'Loan', 'Member')).toEqual(['member']);
  });
});
