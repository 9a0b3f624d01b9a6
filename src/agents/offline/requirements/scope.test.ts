import { describe, expect, it } from '@jest/globals';
import { InvalidInputError, isRetryable } from '../../../core/errors.js';
import { decideOfflineAction } from '../../providers/offline-policies.js';
import { assertBuildableOffline, outOfScopeKind, outOfScopeMessage } from './scope.js';

describe('outOfScopeKind: what offline mode cannot build', () => {
  it.each([
    ['a tic-tac-toe game for two players', 'game'],
    ['Build me a chess game', 'game'],
    ['a snake game', 'game'],
    ['a quiz game about capitals', 'game'],
    ['Hi! Can you make a sudoku app?', 'game'],
    ['an app to play chess with friends', 'game'],
    ['a pomodoro timer', 'timer'],
    ['a stopwatch with lap times', 'timer'],
    ['a countdown to my wedding', 'timer'],
    ['a tip calculator', 'calculator'],
    ['a unit converter for cooking', 'calculator'],
    ['a calculator app', 'calculator'],
    ['a landing page for my bakery', 'page'],
    ['my portfolio website', 'page'],
    // what the app is asked to do, whatever the thing is called
    ['a drawing app with layers and brushes', 'drawing'],
    ['an app where my kids can paint and doodle after school', 'drawing'],
    ['a sketching tool for my tablet', 'drawing'],
    ['something to time my laps at the pool', 'timer'],
    ['an app where the four of us play trivia on friday nights', 'game'],
    ['a tool that calculates how much paint a wall needs', 'calculator'],
    ['an app that animates our logo for the intro video', 'drawing'],
  ])('%s → %s', (prompt, kind) => {
    expect(outOfScopeKind(prompt)).toBe(kind);
  });

  it.each([
    'a game night planner where friends vote on board games',
    'track my pomodoro sessions',
    'a landing page builder that stores leads',
    'log the chess games I play with opponent, result and date',
    'a chess club app to track members and tournaments',
    'a quiz app where teachers create quizzes with questions and answers',
    'a time clock app where employees clock in and out',
    'a recipe app where users rate dishes',
    'a personal website with a blog',
    'make me an app',
    'a board game collection with players and plays',
    // an activity that is recorded is data: the record verb or collection word wins
    'an app to log the paintings I finish, with date, canvas size and price',
    'a painting catalog for our gallery with artists and prices',
    'track the drawings my kids make each week',
    'a recipe app that converts units',
    'a screen time tracker for the family',
    'a sketchbook library where students upload drawings and teachers rate them',
    'a tool to time my runs and save them with the distance',
    'an app where our band members play gigs and we track the fees',
  ])('%s is a data app', (prompt) => {
    expect(outOfScopeKind(prompt)).toBeUndefined();
  });
});

describe('assertBuildableOffline', () => {
  it('answers with what offline mode makes and how to get the rest', () => {
    const message = outOfScopeMessage('a tic-tac-toe game for two players');
    expect(message).toBe(
      'Offline mode builds data apps — things to store, list and edit (a recipe box, a habit tracker, a CRM). ' +
        '"a tic-tac-toe game for two players" is a game, which needs a model provider: ' +
        'set OPENAI_API_KEY or ANTHROPIC_API_KEY and ask again.',
    );
  });

  it('names a drawing tool and still says what offline mode builds', () => {
    const message = outOfScopeMessage('an app where kids can draw with their fingers') ?? '';
    expect(message).toContain('is a drawing or animation tool, which needs a model provider');
    expect(message).toContain('Offline mode builds data apps');
  });

  it('throws a non-retryable InvalidInputError', () => {
    let thrown: unknown;
    try {
      assertBuildableOffline('a pomodoro timer');
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(InvalidInputError);
    expect(isRetryable(thrown)).toBe(false);
  });

  it('quotes the prompt without markup or mentions', () => {
    expect(outOfScopeMessage('a <b>chess</b> game for @channel')).toContain('"a bchess/b game for channel"');
  });

  it('stops the offline requirements agent before anything is built', () => {
    expect(() => decideOfflineAction('requirements', { prompt: 'a tic-tac-toe game' }, undefined)).toThrow(
      InvalidInputError,
    );
    const data = decideOfflineAction('requirements', { prompt: 'track my pomodoro sessions' }, undefined);
    expect(data.kind).toBe('answer');
  });
});
