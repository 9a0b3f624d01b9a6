/**
 * What offline mode can build: data apps. A prompt whose subject is a game, a timer, a calculator or
 * a page without stored data gets an honest answer instead of an unrelated CRUD app.
 */
import { InvalidInputError } from '../../../core/errors.js';
import { activityOf, activityOfWord, keepsRecords } from './scope-activity.js';
import { normalizeText, toSentences, type Token } from './text.js';

export type OutOfScopeKind = 'game' | 'timer' | 'calculator' | 'drawing' | 'page';

const set = (text: string): ReadonlySet<string> => new Set(text.split(/\s+/).filter(Boolean));

/** Words before the thing asked for: politeness, build verbs, articles and adjectives. */
const LEAD_WORDS = set(`
hi hello hey there please can could would you u i we me us id want need like love to build make create write code develop
design generate give get set up put together implement a an the my our simple small basic quick little
tiny new web browser online fun classic nice cool cute minimal mobile multiplayer single two player
players one just some kind of sort working playable interactive html js javascript react typescript
`);
/** A prompt that starts with one of these asks to keep records, whatever the nouns are. */
const DATA_VERBS = set(`
track log record store save manage organize organise keep list catalog catalogue collect plan schedule
book rate review monitor journal inventory remember note count manage share sell order
`);
/** Words that name the kind of software rather than what it does ("a chess app"). */
const SOFTWARE_WORDS = set(
  'app application site website webapp web tool program software thing widget clone',
);

const GAMES = [
  'game',
  'tic tac toe',
  'tictactoe',
  'noughts and crosses',
  'chess',
  'checkers',
  'draughts',
  'sudoku',
  'tetris',
  'minesweeper',
  'wordle',
  'hangman',
  'pong',
  'solitaire',
  'blackjack',
  'connect four',
  'connect 4',
  'rock paper scissors',
  '2048',
  'breakout',
  'space invaders',
  'flappy bird',
  'pacman',
  'pac man',
  'mastermind',
  'battleship',
  'backgammon',
  'mahjong',
  'crossword',
  'word search',
  'dice roller',
];
const TIMERS = ['timer', 'stopwatch', 'countdown', 'pomodoro', 'alarm clock', 'world clock', 'metronome'];
const CALCULATORS = ['calculator', 'converter', 'unit converter', 'currency converter', 'solver'];
const PAGES = [
  'landing page',
  'landing',
  'home page',
  'homepage',
  'portfolio',
  'personal website',
  'personal site',
  'personal page',
  'coming soon page',
  'about me page',
  'resume website',
  'resume site',
  'cv website',
  'static site',
  'static page',
  'brochure',
];
const KINDS: ReadonlyArray<[OutOfScopeKind, readonly string[]]> = [
  ['game', GAMES],
  ['timer', TIMERS],
  ['calculator', CALCULATORS],
  ['page', PAGES],
];

/** "an app to play chess", "an app that converts units": the verb after the software word says what it is. */
const DOING: ReadonlyArray<[OutOfScopeKind, RegExp]> = [
  ['game', /^(?:to|for|that|where|which|so)(?: \w+){0,3} (?:play|plays|playing)\b/],
  ['calculator', /^(?:to|for|that|which)(?: \w+){0,1} (?:convert|converts|converting)\b/],
  ['timer', /^(?:to|for|that|which)(?: \w+){0,1} (?:counts? down|counting down|times)\b/],
];

/** A page is still a data app when the prompt names records to keep ("a landing page that stores leads"). */
const PAGE_DATA =
  /\b(?:stores?|saves?|collects?|keeps?|manages?|records?|tracks?|logs?|database|crud|admin|blog|posts|orders|bookings|leads|sign ?ups|submissions)\b/;

const BOUNDARIES = set(
  'for with that which where who to in on of so when and or about using from at between against by called named , : ( ) /',
);

function endsWithAny(words: readonly string[], names: readonly string[]): boolean {
  const text = ` ${words.join(' ')}`;
  return names.some((name) => text.endsWith(` ${name}`));
}

function kindOfPhrase(words: readonly string[]): OutOfScopeKind | undefined {
  const core = [...words];
  while (core.length > 0 && SOFTWARE_WORDS.has(core[core.length - 1] ?? '')) core.pop();
  if (core.length === 0) return undefined;
  // "personal website" and "landing page" name the page kind with the page word itself
  for (const [kind, names] of KINDS) if (endsWithAny(words, names) || endsWithAny(core, names)) return kind;
  // "a drawing app", "a sketching tool": the thing asked for is an activity, not records of one
  const head = core[core.length - 1] ?? '';
  if (head.endsWith('ing') && !keepsRecords(core)) return activityOfWord(head);
  return undefined;
}

/** Words that ask for software without naming a thing: "an app", "something", "a way". */
const UNNAMED = set('something somewhere way place');

/** The kind of non-data software the prompt asks for, or undefined for a data app. */
export function outOfScopeKind(prompt: string): OutOfScopeKind | undefined {
  const text = normalizeText(prompt);
  // the first sentence that says something beyond greetings and politeness
  const sentence: readonly Token[] =
    toSentences(text).find((tokens) => tokens.some((t) => !LEAD_WORDS.has(t.w))) ?? [];
  const words = sentence.map((t) => t.w);
  let i = 0;
  while (i < words.length && LEAD_WORDS.has(words[i] ?? '')) i++;
  if (DATA_VERBS.has(words[i] ?? '')) return undefined;
  let end = i;
  while (end < words.length && !BOUNDARIES.has(words[end] ?? '') && end - i < 6) end++;
  const phrase = words.slice(i, end);
  let kind = kindOfPhrase(phrase);
  const unnamed = phrase.length > 0 && phrase.every((w) => SOFTWARE_WORDS.has(w) || UNNAMED.has(w));
  // "an app where kids can draw", "something to time my laps": what the app does, when nothing is kept
  if (!kind && unnamed && !keepsRecords(toSentences(text).flatMap((s) => s.map((t) => t.w)))) {
    const rest = words.slice(end).join(' ');
    kind = DOING.find(([, pattern]) => pattern.test(rest))?.[0] ?? activityOf(words.slice(end));
  }
  if (kind === 'page' && PAGE_DATA.test(text)) return undefined;
  return kind;
}

const KIND_LABELS: Readonly<Record<OutOfScopeKind, string>> = {
  game: 'a game',
  timer: 'a timer',
  calculator: 'a calculator',
  drawing: 'a drawing or animation tool',
  page: 'a page with nothing to store',
};

/** The prompt's first sentence, quoted safely: no markup, mentions or line breaks, at most 100 characters. */
function quoted(prompt: string): string {
  const first = prompt.split(/[\n.!?]/)[0] ?? prompt;
  const clean = first
    .replace(/[`<>@*_~|]/g, '')
    .replace(/\s+/g, ' ')
    .trim();
  return clean.length > 100 ? `${clean.slice(0, 99)}…` : clean;
}

/** The answer for a prompt offline mode cannot build faithfully, or undefined when it can. */
export function outOfScopeMessage(prompt: string): string | undefined {
  const kind = outOfScopeKind(prompt);
  if (!kind) return undefined;
  return (
    'Offline mode builds data apps — things to store, list and edit (a recipe box, a habit tracker, a CRM). ' +
    `"${quoted(prompt)}" is ${KIND_LABELS[kind]}, which needs a model provider: ` +
    'set OPENAI_API_KEY or ANTHROPIC_API_KEY and ask again.'
  );
}

/** Throws a non-retryable InvalidInputError when offline mode cannot build what the prompt asks for. */
export function assertBuildableOffline(prompt: string): void {
  const message = outOfScopeMessage(prompt);
  if (message) throw new InvalidInputError(message, { details: { kind: outOfScopeKind(prompt) } });
}
