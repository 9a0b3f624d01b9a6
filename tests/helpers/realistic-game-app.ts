/**
 * A non-CRUD app the realistic model (realistic-model.ts) writes: a two-player tic-tac-toe game. It
 * stores nothing, so its spec has no entities, only a page, components and rules. Unlike the bookmarks
 * app it builds on the workspace's starter (React 19 + Vite + Express, locked dependencies): it reads
 * the starter, keeps its package.json and adds no dependency, so Autonoma resolves nothing. Its first
 * draft carries a type error in the game logic (frontend) and a wrong expectation in the logic tests.
 */
import type { Spec } from '../../src/core/domain/spec.js';
import { CI_YML, type RealisticApp } from './realistic-model-app.js';

export const GAME_SPEC: Spec = {
  appName: 'Tic-Tac-Toe',
  slug: 'tic-tac-toe',
  description: 'A tic-tac-toe game for two players sharing one screen.',
  archetype: 'general',
  entities: [],
  pages: [
    {
      path: '/',
      title: 'Game',
      purpose: 'The board, whose turn it is, the result, and a button to start a new game',
    },
  ],
  components: [
    { name: 'GameBoard', purpose: 'The 3×3 grid of cells; a cell takes the current mark when clicked' },
  ],
  behaviours: [
    'X moves first and the players alternate',
    'Three marks in a row, column or diagonal win and end the game',
    'A full board without a winner is a draw',
    'A taken cell, or any cell after the game ended, cannot be played',
    'New game clears the board',
  ],
  features: { auth: false, search: false, pagination: false, sorting: false },
  nonFunctional: ['Playable with the keyboard', 'Announces the result to screen readers'],
  derived: [],
};

export const GAME_FILE = 'src/client/game.ts';
export const GAME_TEST_FILE = 'tests/game.test.ts';

const GAME_TS = (
  winLine: string,
) => `/** The rules of tic-tac-toe, free of any UI so they can be tested on their own. */
export type Player = 'X' | 'O';
export type Cell = Player | null;
export type Board = readonly Cell[];

export type Outcome =
  | { kind: 'playing'; next: Player }
  | { kind: 'won'; winner: Player; line: readonly number[] }
  | { kind: 'draw' };

const LINES: ReadonlyArray<readonly [number, number, number]> = [
  [0, 1, 2],
  [3, 4, 5],
  [6, 7, 8],
  [0, 3, 6],
  [1, 4, 7],
  [2, 5, 8],
  [0, 4, 8],
  [2, 4, 6],
];

export function emptyBoard(): Board {
  return Array<Cell>(9).fill(null);
}

/** X moves first, so X is next whenever both have played as often. */
export function nextPlayer(board: Board): Player {
  const xs = board.filter((cell) => cell === 'X').length;
  const os = board.filter((cell) => cell === 'O').length;
  return xs === os ? 'X' : 'O';
}

export function outcome(board: Board): Outcome {
  for (const line of LINES) {
    const [a, b, c] = line;
    const first = board[a];
${winLine}
  }
  if (board.every((cell) => cell !== null)) return { kind: 'draw' };
  return { kind: 'playing', next: nextPlayer(board) };
}

/** The board after the next player marks \`index\`; unchanged when that move is not allowed. */
export function play(board: Board, index: number): Board {
  const state = outcome(board);
  if (state.kind !== 'playing' || index < 0 || index > 8 || board[index] !== null) return board;
  const next = [...board];
  next[index] = state.next;
  return next;
}
`;

const BROKEN_WIN_LINE =
  "    if (first && first === board[b] && first === board[c]) return { kind: 'won', winner: first, line: a };";
const FIXED_WIN_LINE =
  "    if (first && first === board[b] && first === board[c]) return { kind: 'won', winner: first, line };";
const BROKEN_EXPECTATION = "    expect(nextPlayer(emptyBoard())).toBe('O');";
const FIXED_EXPECTATION = "    expect(nextPlayer(emptyBoard())).toBe('X');";

const GAME_BOARD_TSX = `import type { Board } from './game';

const CELLS = [0, 1, 2, 3, 4, 5, 6, 7, 8] as const;

export interface GameBoardProps {
  board: Board;
  /** The cells of the winning line, highlighted. */
  highlight: readonly number[];
  disabled: boolean;
  onPlay: (cell: number) => void;
}

export function GameBoard({ board, highlight, disabled, onPlay }: GameBoardProps) {
  return (
    <section className="board" aria-label="Board">
      {CELLS.map((cell) => {
        const mark = board[cell] ?? null;
        return (
          <button
            key={cell}
            type="button"
            className={highlight.includes(cell) ? 'cell cell-win' : 'cell'}
            aria-label={\`Cell \${cell + 1}: \${mark ?? 'empty'}\`}
            disabled={disabled || mark !== null}
            onClick={() => onPlay(cell)}
          >
            {mark}
          </button>
        );
      })}
    </section>
  );
}
`;

const APP_TSX = `import { useState } from 'react';
import { type Board, emptyBoard, type Outcome, outcome, play } from './game';
import { GameBoard } from './game-board';

export const APP_NAME = 'Tic-Tac-Toe';

function describe(state: Outcome): string {
  if (state.kind === 'won') return \`\${state.winner} wins!\`;
  if (state.kind === 'draw') return "It's a draw.";
  return \`\${state.next} to play\`;
}

export function App() {
  const [board, setBoard] = useState<Board>(emptyBoard);
  const state = outcome(board);
  return (
    <>
      <header className="app-header">
        <h1>{APP_NAME}</h1>
      </header>
      <main className="game">
        <p className="status" aria-live="polite">
          {describe(state)}
        </p>
        <GameBoard
          board={board}
          highlight={state.kind === 'won' ? state.line : []}
          disabled={state.kind !== 'playing'}
          onPlay={(cell) => setBoard((current) => play(current, cell))}
        />
        <button type="button" className="new-game" onClick={() => setBoard(emptyBoard())}>
          New game
        </button>
      </main>
    </>
  );
}
`;

const STYLES_CSS = `:root {
  font-family: system-ui, sans-serif;
  color: #1f2933;
}

body {
  margin: 0;
}

.app-header {
  padding: 1rem;
  text-align: center;
}

.game {
  display: grid;
  justify-items: center;
  gap: 1rem;
}

.board {
  display: grid;
  grid-template-columns: repeat(3, 5rem);
  gap: 0.25rem;
}

.cell {
  width: 5rem;
  height: 5rem;
  font-size: 2.5rem;
  font-weight: 700;
  border: 2px solid #52606d;
  background: #fff;
  cursor: pointer;
}

.cell:disabled {
  cursor: default;
}

.cell-win {
  background: #c6f7e2;
}

.cell:focus-visible,
.new-game:focus-visible {
  outline: 3px solid #2186eb;
  outline-offset: 2px;
}
`;

const GAME_TEST_TS = (expectation: string) => `import { describe, expect, it } from 'vitest';
import { type Board, emptyBoard, nextPlayer, outcome, play } from '../src/client/game';

/** Plays the cells in order, alternating from X. */
function moves(...cells: number[]): Board {
  return cells.reduce((board, cell) => play(board, cell), emptyBoard());
}

describe('tic-tac-toe rules', () => {
  it('starts with X on an empty board', () => {
${expectation}
    expect(outcome(emptyBoard())).toEqual({ kind: 'playing', next: 'X' });
  });

  it('alternates players', () => {
    expect(nextPlayer(moves(4))).toBe('O');
    expect(nextPlayer(moves(4, 0))).toBe('X');
  });

  it('finds a win in a row, a column and a diagonal', () => {
    expect(outcome(moves(0, 3, 1, 4, 2))).toEqual({ kind: 'won', winner: 'X', line: [0, 1, 2] });
    expect(outcome(moves(0, 1, 3, 2, 6))).toEqual({ kind: 'won', winner: 'X', line: [0, 3, 6] });
    expect(outcome(moves(1, 0, 2, 4, 5, 8))).toEqual({ kind: 'won', winner: 'O', line: [0, 4, 8] });
  });

  it('calls a full board without a line a draw', () => {
    expect(outcome(moves(0, 1, 2, 4, 3, 5, 7, 6, 8))).toEqual({ kind: 'draw' });
  });

  it('ignores taken cells, cells off the board and moves after the end', () => {
    const board = moves(4);
    expect(play(board, 4)).toBe(board);
    expect(play(board, 9)).toBe(board);
    const won = moves(0, 3, 1, 4, 2);
    expect(play(won, 8)).toBe(won);
  });
});
`;

const GAME_UI_TEST_TSX = `// @vitest-environment happy-dom
import { fireEvent, render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { App } from '../../src/client/app';

const cell = (n: number) => screen.getByRole('button', { name: new RegExp(\`^Cell \${n}:\`) });

describe('the game page', () => {
  it('plays a game to a win and starts again', () => {
    render(<App />);
    expect(screen.getByText('X to play')).toBeTruthy();
    for (const n of [1, 4, 2, 5, 3]) fireEvent.click(cell(n));
    expect(screen.getByText('X wins!')).toBeTruthy();
    expect((cell(9) as HTMLButtonElement).disabled).toBe(true);
    fireEvent.click(screen.getByRole('button', { name: 'New game' }));
    expect(screen.getByText('X to play')).toBeTruthy();
    expect(cell(1).textContent).toBe('');
  });

  it('does not let a taken cell be played again', () => {
    render(<App />);
    fireEvent.click(cell(5));
    expect(cell(5).textContent).toBe('X');
    expect((cell(5) as HTMLButtonElement).disabled).toBe(true);
    expect(screen.getByText('O to play')).toBeTruthy();
  });
});
`;

const README = `# Tic-Tac-Toe

Two players, one screen: X moves first, three in a row wins, a full board is a draw.

\`\`\`sh
npm ci
npm run dev      # http://localhost:5173
\`\`\`

The rules live in \`src/client/game.ts\` (no UI, tested in \`tests/game.test.ts\`); the board is
\`src/client/game-board.tsx\` and the page \`src/client/app.tsx\`. The Express server only serves the built
UI and \`/api/health\`.

Checks: \`npm run lint\`, \`npm run typecheck\`, \`npm test\`, \`npm run build\`; \`npm start\` serves \`dist/\`.
`;

const SECURITY_MD = `# Security

- The game keeps no data and takes no input beyond clicks: there is nothing to store or validate.
- The server sends helmet's security headers (Content-Security-Policy included) and serves only the built UI.
- No secrets: the only settings are \`PORT\` and \`HOST\` (see \`.env.example\`).
`;

const PERFORMANCE_MD = `# Performance

- The whole game is one small React bundle; the build enforces the starter's bundle-size budget.
- Every move recomputes the outcome over eight lines: constant time.
`;

const DOCKERFILE = `FROM node:20-alpine AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
COPY . .
RUN npm run build

FROM node:20-alpine
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
RUN npm ci --omit=dev
COPY --from=build /app/dist ./dist
USER node
EXPOSE 3000
CMD ["node", "dist/server/main.js"]
`;

export const TIC_TAC_TOE: RealisticApp = {
  name: 'tic-tac-toe game',
  spec: GAME_SPEC,
  // Builds on the starter: reads what is there and changes no dependency.
  scaffold: { kind: 'starter', reads: ['package.json', 'src/client/app.tsx'] },
  firstDraft: {
    architecture: [['README.md', README]],
    frontend: [
      [GAME_FILE, GAME_TS(BROKEN_WIN_LINE)],
      ['src/client/game-board.tsx', GAME_BOARD_TSX],
      ['src/client/app.tsx', APP_TSX],
      ['src/client/styles.css', STYLES_CSS],
    ],
    backend: [],
    security: [['SECURITY.md', SECURITY_MD]],
    performance: [['PERFORMANCE.md', PERFORMANCE_MD]],
    deployment: [
      ['Dockerfile', DOCKERFILE],
      ['.github/workflows/ci.yml', CI_YML],
    ],
    testing: [
      [GAME_TEST_FILE, GAME_TEST_TS(BROKEN_EXPECTATION)],
      ['tests/ui/game.test.tsx', GAME_UI_TEST_TSX],
    ],
  },
  mistakes: [
    {
      owner: 'frontend',
      file: GAME_FILE,
      step: 'typecheck',
      symptom: /TS2322: Type 'number' is not assignable to type 'readonly number\[\]'/,
      broken: BROKEN_WIN_LINE,
      fixed: FIXED_WIN_LINE,
    },
    {
      owner: 'testing',
      file: GAME_TEST_FILE,
      step: 'test',
      symptom: /expected 'X' to be 'O'/,
      broken: BROKEN_EXPECTATION,
      fixed: FIXED_EXPECTATION,
    },
  ],
  architecture: {
    stack: {
      frontend: 'React 19 + Vite (the starter), game rules in a plain module',
      backend: "Express 5 from the starter: serves the built UI and /api/health, no API of the game's own",
      database: 'None: a game keeps no data',
      testing: 'vitest 4: rules as unit tests, the page with Testing Library in happy-dom',
      tooling: 'TypeScript strict, Biome lint, Vite build with the bundle budget, GitHub Actions CI, Docker',
    },
    api: [{ method: 'GET', path: '/api/health', summary: 'Liveness check (from the starter)' }],
    pages: ['/ — the board, whose turn it is, the result and New game'],
  },
  review: (files, rounds) => ({
    summary:
      `A two-player tic-tac-toe game on one screen.\n\n` +
      `- Rules: X moves first, players alternate, three in a row wins, a full board is a draw; taken cells and moves after the end are refused.\n` +
      `- Page: the board (keyboard-playable buttons, the winning line highlighted), a live status line and New game.\n` +
      `- ${files} files, built on the starter with no new dependency; install, lint, typecheck, tests and build passed` +
      (rounds > 0 ? ` after ${rounds} repair round(s).` : '.'),
    checklist: [
      'Play a game to a win and to a draw',
      'Check the board is usable with the keyboard and a screen reader',
    ],
  }),
};
