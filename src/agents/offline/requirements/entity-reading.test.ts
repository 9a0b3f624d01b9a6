import { describe, expect, it } from '@jest/globals';
import type { Spec } from '../../../core/domain/spec.js';
import { eventNounOf } from './entity-events.js';
import { slipOf } from './misspelled-entities.js';
import { buildSpec } from './parse-prompt.js';

const names = (prompt: string): string[] => buildSpec(prompt).entities.map((e) => e.name);
const fieldsOf = (spec: Spec, entity: string) => spec.entities.find((e) => e.name === entity)?.fields ?? [];

describe('entity reading: the things a person keeps track of', () => {
  it('reads both sides of "which X has which Y"', () => {
    expect(names('the scout hut needs to track which scout has which tent over the summer')).toEqual(
      expect.arrayContaining(['Scout', 'Tent']),
    );
  });

  it('reads the owner of a possessive as a thing kept', () => {
    expect(names("pool service: pools with volume and each visit's chemical readings")).toContain('Visit');
  });

  it('reads a thing kept "in each" other thing, linked to it', () => {
    const spec = buildSpec('reef aquarium log: tanks with volume, and coral in each tank');
    expect(spec.entities.map((e) => e.name)).toEqual(expect.arrayContaining(['Tank', 'Coral']));
    expect(fieldsOf(spec, 'Coral')).toContainEqual(
      expect.objectContaining({ type: 'reference', target: 'Tank' }),
    );
  });

  it('reads the object of a keeping verb as the thing kept when the prompt names nothing else', () => {
    expect(names("track the cheese I've tasted and how much I liked it")).toEqual(['Cheese']);
    expect(names('log my sleep every night')).toEqual(['Sleep']);
  });

  it('reads a place the person rates as a thing, though places usually set the scene', () => {
    expect(names('rate each coffee shop in town')).toContain('CoffeeShop');
  });

  it('reads a plural the app-talk lists hold when it is listed beside things', () => {
    expect(names('a project board with boards, lanes, tickets')).toEqual(
      expect.arrayContaining(['Board', 'Lane', 'Ticket']),
    );
  });

  it("reads a person named doing something, and a person listed among a record's details", () => {
    expect(names('parcel log: every time a courier picks up a parcel, record the time')).toContain('Courier');
    const repairs = buildSpec('phone repair orders: customer, device, fault, price');
    expect(repairs.entities.map((e) => e.name)).toContain('Customer');
  });

  it('reads what is acted on in a passive clause', () => {
    expect(names('bike hire: bikes rented by tourists for a day, with deposit')).toContain('Bike');
  });

  it('reads event records named by a verb', () => {
    expect(names('talent show: acts sign up and each act gets judged on a date')).toContain('Judging');
    expect(names('wine tasting app, each wine gets 1-5 stars from each of us')).toContain('Rating');
    expect(names('a tracker for the songs my students learn each term')).toContain('Learning');
  });

  it('names the -ing record of a verb', () => {
    expect(eventNounOf('screened')).toBe('screening');
    expect(eventNounOf('read')).toBe('reading');
    expect(eventNounOf('practise')).toBe('practising');
  });
});

describe('entity reading: what is not a thing kept', () => {
  it('keeps units, measures and pronoun clauses out', () => {
    const spec = names('greenhouse log: readings of humidity and soil moisture for each bed');
    expect(spec).not.toContain('Moisture');
    expect(names('running log: runs with distance in km and the shoes I wore')).not.toContain('Wearing');
  });

  it('keeps screens and charts listed beside things out', () => {
    expect(names('a team dashboard with charts, graphs, and tasks')).not.toEqual(
      expect.arrayContaining(['Chart']),
    );
  });

  it('keeps values in parentheses and contractions out', () => {
    expect(names('sales pipeline: deals with a stage (lead, won, lost), and companies')).not.toContain(
      'Lead',
    );
    expect(names('a todo app. tasks with due dates, thats all')).not.toContain('That');
  });

  it('reads a lone collection word before the list as the app, not a record', () => {
    expect(names('packing checklist - trips, and items with quantity')).not.toContain('Checklist');
  });
});

describe('misspelled entities', () => {
  it('folds a slip of the keyboard into the catalog name', () => {
    expect(names('reciepe box: recipes with ingrediants and steps')).toContain('Ingredient');
  });

  it('keeps two real words one letter apart', () => {
    expect(slipOf('contact', 'contract')).toBe(false);
    expect(slipOf('ingrediant', 'ingredient')).toBe(true);
    expect(slipOf('appointmnet', 'appointment')).toBe(true);
    expect(names('freelance contracts with clients and a start date')).toContain('Contract');
  });
});
