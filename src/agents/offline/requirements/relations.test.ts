/**
 * Links between entities read from plain English: verbs, possessives, prepositions, qualifiers and
 * event records. Each prompt is written the way people write, and each test names the class it covers.
 */
import { describe, expect, it } from '@jest/globals';
import type { Spec } from '../../../core/domain/spec.js';
import { fieldOf, fieldsOf } from '../../../../tests/helpers/spec-queries.js';
import { buildSpec } from './parse-prompt.js';

/** The names of `entity`'s fields that point at `target` (reference or references). */
const linksTo = (spec: Spec, entity: string, target: string): string[] =>
  fieldsOf(spec, entity)
    .filter((f) => (f.type === 'reference' || f.type === 'references') && f.target === target)
    .map((f) => f.name);

describe('relations', () => {
  it('"X have Y" without a quantifier makes Y belong to X, even when Y has its own list', () => {
    const spec = buildSpec('a league app: teams have players, players have injuries with date and severity');
    expect(linksTo(spec, 'Injury', 'Player')).toEqual(['player']);
  });

  it('"every X gets Y" reads like "has"', () => {
    const spec = buildSpec('grooming log: every dog gets baths with a date and a groomer name');
    expect(linksTo(spec, 'Bath', 'Dog')).toEqual(['dog']);
  });

  it("possessives link: a plural possession belongs to its owner, a singular one is the owner's", () => {
    const spec = buildSpec(
      "tutoring app where each student's sessions are logged, and every tutor's subjects",
    );
    expect(linksTo(spec, 'Session', 'Student')).toEqual(['student']);
    expect(linksTo(spec, 'Subject', 'Tutor')).toEqual(['tutor']);
    expect(spec.entities.map((e) => e.name)).not.toContain('StudentSession');
  });

  it('"Y per X per Z" links Y to both qualifiers, not the first qualifier to the second', () => {
    const spec = buildSpec('exam app: pupils, exams, and results per pupil per exam');
    expect(linksTo(spec, 'Result', 'Pupil')).toEqual(['pupil']);
    expect(linksTo(spec, 'Result', 'Exam')).toEqual(['exam']);
    expect(linksTo(spec, 'Pupil', 'Exam')).toEqual([]);
  });

  it('"per" after a value ("scores per player") makes no link between the qualifiers', () => {
    const spec = buildSpec('scores per player per round for our golf group');
    expect(linksTo(spec, 'Player', 'Round')).toEqual([]);
  });

  it('"Y in each X" after a record links Y to X', () => {
    const spec = buildSpec('pond tracker: ponds with depth, and the frogs in each pond');
    expect(linksTo(spec, 'Frog', 'Pond')).toEqual(['pond']);
  });

  it('placing participles and place prepositions link the thing to its place', () => {
    expect(
      linksTo(buildSpec('inventory: parts stored in drawers, drawers have a label'), 'Part', 'Drawer'),
    ).toEqual(['drawer']);
    expect(linksTo(buildSpec('a library catalog with books kept on shelves'), 'Book', 'Shelf')).toEqual([
      'shelf',
    ]);
    expect(
      linksTo(buildSpec('sales pipeline: contacts at companies and deals'), 'Contact', 'Company'),
    ).toEqual(['company']);
  });

  it('"X belongs to A and is in one B" links X to both A and B', () => {
    const spec = buildSpec(
      'a zoo catalogue. each animal belongs to a keeper and is in one enclosure; keepers have a name',
    );
    expect(linksTo(spec, 'Animal', 'Keeper')).toEqual(['keeper']);
    expect(linksTo(spec, 'Animal', 'Enclosure')).toEqual(['enclosure']);
    expect(linksTo(spec, 'Keeper', 'Enclosure')).toEqual([]);
  });

  it('"Y from X" links the thing to its source', () => {
    const spec = buildSpec('support app: tickets from customers, with a priority');
    expect(linksTo(spec, 'Ticket', 'Customer')).toEqual(['customer']);
  });

  it('"X, their Y" makes Y belong to X', () => {
    const spec = buildSpec('greenhouse: plants, their waterings with amount and date');
    expect(linksTo(spec, 'Watering', 'Plant')).toEqual(['plant']);
  });

  it('agent verbs point the thing made at its maker; proposing verbs name the field by the role', () => {
    expect(
      linksTo(buildSpec('team members submit expenses (amount, date, receipt)'), 'Expense', 'Member'),
    ).toEqual(['member']);
    const book = buildSpec('readers suggest books for the club, we pick one each month');
    expect(fieldOf(book, 'Book', 'suggestedBy')).toMatchObject({ type: 'reference', target: 'Reader' });
  });

  it('"users … other users upvote them": the vote points at the thing, not at the users', () => {
    const spec = buildSpec('recipe board - users post recipes, other users upvote them');
    expect(linksTo(spec, 'Vote', 'Recipe')).toHaveLength(1);
    expect(linksTo(spec, 'Vote', 'User')).toHaveLength(1);
  });

  it('"a list of Y" in an owner\'s list is many-to-many', () => {
    const spec = buildSpec('channels with a name and a playlist of videos; videos have a title and length');
    expect(fieldOf(spec, 'Channel', 'videos')).toMatchObject({ type: 'references', target: 'Video' });
  });

  it('a part described by its own fields belongs to the list owner ("with line items (…)")', () => {
    const spec = buildSpec('quotes with a date, a status and line items (description, hours, rate)');
    expect(linksTo(spec, 'LineItem', 'Quote')).toEqual(['quote']);
  });

  it('a peer role ("staff with a mentor") is a reference to the owner\'s own kind', () => {
    const spec = buildSpec('staff directory: staff with a mentor, phone and desk');
    expect(fieldOf(spec, 'Staff', 'mentor')).toMatchObject({ type: 'reference', target: 'Staff' });
  });

  it('person-valued fields point at the people the app keeps, else stay text', () => {
    const crm = buildSpec('crm: companies, people, and companies with a contact person');
    expect(fieldOf(crm, 'Company', 'contactPerson')).toMatchObject({ type: 'reference', target: 'Person' });
    const desk = buildSpec('helpdesk: technicians, tickets with a title and an assignee');
    expect(fieldOf(desk, 'Ticket', 'assignee')).toMatchObject({ type: 'reference', target: 'Technician' });
    const library = buildSpec('book log: books with a title and an author, and my reading notes');
    expect(fieldOf(library, 'Book', 'author').type).not.toBe('reference');
  });

  it('a list item with a relative clause ("deposits i make") still belongs to the owner', () => {
    const spec = buildSpec('vacation fund: each trip has a budget, a date and payments we make over time');
    expect(linksTo(spec, 'Payment', 'Trip')).toEqual(['trip']);
  });

  it('"each X\'s Y" never makes an "X Y" compound entity', () => {
    const spec = buildSpec("school app: students, classes, and each student's class and grades");
    expect(spec.entities.map((e) => e.name)).not.toContain('StudentClass');
  });

  it('"which X" in a list picks one X record: the list owner points at X', () => {
    const nursery = buildSpec(
      'plant nursery: plants with a species, a price and which greenhouse they grow in',
    );
    expect(linksTo(nursery, 'Plant', 'Greenhouse')).toEqual(['greenhouse']);
    const repairs = buildSpec('repair requests from residents: what broke, a photo, which flat, and when');
    expect(linksTo(repairs, 'RepairRequest', 'Flat')).toEqual(['flat']);
    expect(linksTo(repairs, 'RepairRequest', 'Resident')).toEqual(['resident']);
  });

  it('people had by a thing, described with a record, make the record link both', () => {
    const spec = buildSpec('marinas have boats, boats have owners with a mooring contract (start, end, fee)');
    expect(linksTo(spec, 'Contract', 'Owner')).toEqual(['owner']);
    expect(linksTo(spec, 'Contract', 'Boat')).toEqual(['boat']);
  });

  it('a judgement (ratings, votes) is about a thing, not about the people who make it', () => {
    const spec = buildSpec('book club: members propose books, then ratings out of 5');
    expect(fieldOf(spec, 'Book', 'proposedBy')).toMatchObject({ type: 'reference', target: 'Member' });
    expect(linksTo(spec, 'Rating', 'Book')).toEqual(['book']);
    expect(linksTo(spec, 'Rating', 'Member')).toEqual([]);
  });

  it('"X join Y" makes Y hold its many X; "sign up for" makes a record of both', () => {
    const clubs = buildSpec('charity app: volunteers join projects, projects have a name and a deadline');
    expect(fieldOf(clubs, 'Project', 'volunteers')).toMatchObject({
      type: 'references',
      target: 'Volunteer',
    });
    const hikes = buildSpec('hiking club: members sign up for hikes, hikes have a date and a distance');
    expect(linksTo(hikes, 'Signup', 'Hike')).toEqual(['hike']);
    expect(linksTo(hikes, 'Signup', 'Member')).toEqual(['member']);
    const todo = buildSpec('a todo app where users sign up and log in, with tasks and due dates');
    expect(todo.entities.map((e) => e.name)).not.toContain('Signup');
  });

  it('an event record with no link points at the thing the prompt is about', () => {
    const spec = buildSpec('vet clinic: pets, owners, and vaccinations with date');
    expect(linksTo(spec, 'Vaccination', 'Pet')).toEqual(['pet']);
  });

  it('an event that names only its person also gets the thing ("members rsvp")', () => {
    const spec = buildSpec('running club: races with distance and date, members rsvp yes or no');
    expect(linksTo(spec, 'Rsvp', 'Race')).toHaveLength(1);
  });

  it("a possessive in the app's own name is not read as a link", () => {
    const spec = buildSpec("an app called Sarah's Bakery to track cakes and each customer's orders");
    expect(spec.appName).toMatch(/^Sarah Bakery/);
    expect(linksTo(spec, 'Order', 'Customer')).toEqual(['customer']);
  });

  it('a possessive keeps the words the grammar reads unchanged', () => {
    const spec = buildSpec("a pet sitter app: each client's pets with name and breed");
    expect(linksTo(spec, 'Pet', 'Client')).toEqual(['client']);
    expect(fieldsOf(spec, 'Pet').map((f) => f.name)).toEqual(expect.arrayContaining(['name', 'breed']));
  });
});
