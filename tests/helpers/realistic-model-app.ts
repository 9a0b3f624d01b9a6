/**
 * The app the realistic model (realistic-model.ts) writes: a small bookmarks service of its own
 * design — Express 5 + zod API kept in memory, a static page, vitest + supertest, Biome, plain `tsc`
 * build — with `^` ranges in package.json and no lockfile. Nothing here comes from the offline
 * generator. Two files carry a mistake a capable model makes on a first draft: a type error in the
 * backend and a wrong expectation in the API tests.
 */
import type { ArchitectureOutput, WriterRole } from '../../src/agents/pipeline/agent-outputs.js';
import type { Spec } from '../../src/core/domain/spec.js';

/** An app the realistic model can build: what it understands, writes, gets wrong, and says. */
export interface RealisticApp {
  name: string;
  spec: Spec;
  /**
   * `own`: the model writes its own scaffold and deletes the starter files it does not use;
   * `starter`: it reads the starter (these files) and builds on it.
   */
  scaffold: { kind: 'own' } | { kind: 'starter'; reads: readonly string[] };
  /** What each writer writes on its first turn, in the order it writes them. */
  firstDraft: Record<WriterRole, ReadonlyArray<readonly [path: string, content: string]>>;
  mistakes: readonly Mistake[];
  architecture: Omit<ArchitectureOutput, 'filePlan'>;
  review: (files: number, repairRounds: number) => { summary: string; checklist: string[] };
}

export const BOOKMARKS_SPEC: Spec = {
  appName: 'Bookmarks',
  slug: 'bookmarks',
  description: 'Save links with a title, notes and tags; search them and filter by tag.',
  archetype: 'general',
  entities: [
    {
      name: 'Bookmark',
      plural: 'bookmarks',
      label: 'Bookmark',
      pluralLabel: 'Bookmarks',
      displayField: 'title',
      fields: [
        { name: 'title', label: 'Title', type: 'string', required: true, unique: false },
        { name: 'url', label: 'URL', type: 'url', required: true, unique: true },
        { name: 'notes', label: 'Notes', type: 'text', required: false, unique: false },
        { name: 'tags', label: 'Tags', type: 'string', required: false, unique: false },
        { name: 'favorite', label: 'Favorite', type: 'boolean', required: false, unique: false },
      ],
    },
  ],
  pages: [
    { path: '/', title: 'Bookmarks', purpose: 'List, search and filter bookmarks; add and delete them' },
  ],
  components: [],
  behaviours: ['A URL can be saved only once', 'Search matches title, notes and tags'],
  features: { auth: false, search: true, pagination: true, sorting: true },
  nonFunctional: ['Responds in under 100 ms for a few thousand bookmarks', 'Accessible form labels'],
  derived: [],
};

export const ROUTES_FILE = 'src/bookmarks/routes.ts';
export const API_TEST_FILE = 'tests/bookmarks-api.test.ts';

/** A mistake in a first draft, and the one-line correction the model makes once it is shown the error. */
export interface Mistake {
  owner: WriterRole;
  file: string;
  step: 'typecheck' | 'test';
  /** What in the failure output tells the model this is its mistake. */
  symptom: RegExp;
  broken: string;
  fixed: string;
}

export const MISTAKES: readonly Mistake[] = [
  {
    owner: 'backend',
    file: ROUTES_FILE,
    step: 'typecheck',
    symptom: /TS2322: Type 'string' is not assignable to type 'number'/,
    broken: '  return size > MAX_LIMIT ? MAX_LIMIT : limit;',
    fixed: '  return Math.min(size, MAX_LIMIT);',
  },
  {
    owner: 'testing',
    file: API_TEST_FILE,
    step: 'test',
    symptom: /expected 409 to be 400/,
    broken: '    expect(duplicate.status).toBe(400);',
    fixed: '    expect(duplicate.status).toBe(409);',
  },
];

const PACKAGE_JSON = `{
  "name": "bookmarks",
  "version": "0.1.0",
  "private": true,
  "description": "Save links with a title, notes and tags; search them and filter by tag.",
  "type": "module",
  "engines": {
    "node": ">=20.19"
  },
  "scripts": {
    "build": "tsc -p tsconfig.build.json",
    "start": "node dist/server.js",
    "lint": "biome lint .",
    "typecheck": "tsc --noEmit",
    "test": "vitest run"
  },
  "dependencies": {
    "express": "^5.1.0",
    "zod": "^4.0.0"
  },
  "devDependencies": {
    "@biomejs/biome": "^2.0.0",
    "@types/express": "^5.0.0",
    "@types/node": "^20.19.0",
    "@types/supertest": "^6.0.2",
    "supertest": "^7.1.0",
    "typescript": "^5.8.0",
    "vitest": "^4.0.0"
  }
}
`;

const TSCONFIG_JSON = `{
  "compilerOptions": {
    "target": "ES2022",
    "lib": ["ES2023"],
    "module": "NodeNext",
    "moduleResolution": "NodeNext",
    "strict": true,
    "noUncheckedIndexedAccess": true,
    "isolatedModules": true,
    "verbatimModuleSyntax": true,
    "esModuleInterop": true,
    "skipLibCheck": true,
    "types": ["node"],
    "noEmit": true
  },
  "include": ["src", "tests", "vitest.config.ts"]
}
`;

const TSCONFIG_BUILD_JSON = `{
  "extends": "./tsconfig.json",
  "compilerOptions": {
    "noEmit": false,
    "rootDir": "src",
    "outDir": "dist",
    "sourceMap": true
  },
  "include": ["src"]
}
`;

const BIOME_JSON = `{
  "$schema": "./node_modules/@biomejs/biome/configuration_schema.json",
  "files": {
    "includes": ["src/**", "tests/**", "public/**", "vitest.config.ts"]
  },
  "formatter": { "enabled": false },
  "linter": {
    "enabled": true,
    "rules": { "preset": "recommended" }
  }
}
`;

const VITEST_CONFIG_TS = `import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    environment: 'node',
  },
});
`;

const ENV_EXAMPLE = `# Port the HTTP server listens on.
PORT=3000
`;

const GITIGNORE = `node_modules/
dist/
coverage/
.env
`;

const README = `# Bookmarks

Save links with a title, notes and tags; search them and filter by tag.

## Run it

\`\`\`sh
npm ci
npm run build
npm start   # http://localhost:3000
\`\`\`

Copy \`.env.example\` to \`.env\` to change the port.

## API

| Method | Path | What it does |
| --- | --- | --- |
| GET | /api/bookmarks?q=&tag=&limit=&offset= | List bookmarks, newest first |
| GET | /api/bookmarks/:id | One bookmark |
| POST | /api/bookmarks | Create (409 when the URL is already saved) |
| PUT | /api/bookmarks/:id | Replace |
| DELETE | /api/bookmarks/:id | Delete |

## Checks

\`npm run lint\`, \`npm run typecheck\`, \`npm test\`, \`npm run build\`.

Bookmarks are kept in memory: restart the server and they are gone. Swap \`BookmarkStore\` for a
database-backed store with the same methods to keep them.
`;

const SCHEMA_TS = `import { z } from 'zod';

const tag = z.string().trim().toLowerCase().min(1).max(40);

export const bookmarkInput = z.object({
  title: z.string().trim().min(1).max(200),
  url: z.url({ protocol: /^https?$/ }),
  notes: z.string().max(2000).optional(),
  tags: z.array(tag).max(20).default([]),
  favorite: z.boolean().default(false),
});

export type BookmarkInput = z.infer<typeof bookmarkInput>;

export const listQuery = z.object({
  q: z.string().trim().max(200).optional(),
  tag: tag.optional(),
  limit: z.string().optional(),
  offset: z.coerce.number().int().min(0).default(0),
});
`;

const STORE_TS = `import { randomUUID } from 'node:crypto';
import type { BookmarkInput } from './schema.js';

export interface Bookmark extends BookmarkInput {
  id: string;
  createdAt: string;
  updatedAt: string;
}

export interface Page {
  items: Bookmark[];
  total: number;
}

export class DuplicateUrlError extends Error {
  constructor(readonly url: string) {
    super(\`A bookmark for \${url} already exists\`);
    this.name = 'DuplicateUrlError';
  }
}

/** Bookmarks in memory, newest first. */
export class BookmarkStore {
  readonly #items = new Map<string, Bookmark>();

  list(options: { q?: string; tag?: string; limit: number; offset: number }): Page {
    const q = options.q?.toLowerCase();
    const matches = [...this.#items.values()].reverse().filter((bookmark) => {
      if (options.tag && !bookmark.tags.includes(options.tag)) return false;
      if (!q) return true;
      return [bookmark.title, bookmark.url, bookmark.notes ?? ''].some((text) =>
        text.toLowerCase().includes(q),
      );
    });
    return {
      items: matches.slice(options.offset, options.offset + options.limit),
      total: matches.length,
    };
  }

  get(id: string): Bookmark | undefined {
    return this.#items.get(id);
  }

  create(input: BookmarkInput): Bookmark {
    this.#assertUniqueUrl(input.url);
    const now = new Date().toISOString();
    const bookmark: Bookmark = { ...input, id: randomUUID(), createdAt: now, updatedAt: now };
    this.#items.set(bookmark.id, bookmark);
    return bookmark;
  }

  update(id: string, input: BookmarkInput): Bookmark | undefined {
    const existing = this.#items.get(id);
    if (!existing) return undefined;
    this.#assertUniqueUrl(input.url, id);
    const bookmark: Bookmark = { ...existing, ...input, updatedAt: new Date().toISOString() };
    this.#items.set(id, bookmark);
    return bookmark;
  }

  delete(id: string): boolean {
    return this.#items.delete(id);
  }

  #assertUniqueUrl(url: string, exceptId?: string): void {
    for (const bookmark of this.#items.values()) {
      if (bookmark.url === url && bookmark.id !== exceptId) throw new DuplicateUrlError(url);
    }
  }
}
`;

const ROUTES_TS = `import { type Response, Router } from 'express';
import type { ZodError } from 'zod';
import { bookmarkInput, listQuery } from './schema.js';
import { type BookmarkStore, DuplicateUrlError } from './store.js';

const DEFAULT_LIMIT = 20;
const MAX_LIMIT = 100;

/** \`?limit=\` as a page size between 1 and MAX_LIMIT. */
function pageSize(limit: string | undefined): number {
  if (limit === undefined) return DEFAULT_LIMIT;
  const size = Number.parseInt(limit, 10);
  if (Number.isNaN(size) || size < 1) return DEFAULT_LIMIT;
${MISTAKES[0]!.broken}
}

function invalid(res: Response, error: ZodError): void {
  res.status(400).json({
    error: 'Invalid bookmark',
    issues: error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message })),
  });
}

function notFound(res: Response): void {
  res.status(404).json({ error: 'Bookmark not found' });
}

export function bookmarksRouter(store: BookmarkStore): Router {
  const router = Router();

  router.get('/', (req, res) => {
    const query = listQuery.safeParse(req.query);
    if (!query.success) return invalid(res, query.error);
    const { q, tag, limit, offset } = query.data;
    res.json(store.list({ q, tag, offset, limit: pageSize(limit) }));
  });

  router.get('/:id', (req, res) => {
    const bookmark = store.get(req.params.id);
    if (!bookmark) return notFound(res);
    res.json(bookmark);
  });

  router.post('/', (req, res) => {
    const input = bookmarkInput.safeParse(req.body);
    if (!input.success) return invalid(res, input.error);
    try {
      res.status(201).json(store.create(input.data));
    } catch (error) {
      if (!(error instanceof DuplicateUrlError)) throw error;
      res.status(409).json({ error: error.message });
    }
  });

  router.put('/:id', (req, res) => {
    const input = bookmarkInput.safeParse(req.body);
    if (!input.success) return invalid(res, input.error);
    try {
      const bookmark = store.update(req.params.id, input.data);
      if (!bookmark) return notFound(res);
      res.json(bookmark);
    } catch (error) {
      if (!(error instanceof DuplicateUrlError)) throw error;
      res.status(409).json({ error: error.message });
    }
  });

  router.delete('/:id', (req, res) => {
    if (!store.delete(req.params.id)) return notFound(res);
    res.status(204).end();
  });

  return router;
}
`;

const APP_TS = `import { fileURLToPath } from 'node:url';
import express, { type ErrorRequestHandler } from 'express';
import { bookmarksRouter } from './bookmarks/routes.js';
import { BookmarkStore } from './bookmarks/store.js';
import { securityHeaders } from './middleware/security-headers.js';

const publicDir = fileURLToPath(new URL('../public', import.meta.url));

const onError: ErrorRequestHandler = (error: unknown, _req, res, _next) => {
  const status =
    typeof error === 'object' && error !== null && 'status' in error && typeof error.status === 'number'
      ? error.status
      : 500;
  res.status(status).json({ error: status < 500 ? 'Bad request' : 'Internal server error' });
};

export function createApp(store = new BookmarkStore()) {
  const app = express();
  app.disable('x-powered-by');
  app.use(securityHeaders);
  app.use(express.json({ limit: '100kb' }));
  app.get('/api/health', (_req, res) => {
    res.json({ ok: true });
  });
  app.use('/api/bookmarks', bookmarksRouter(store));
  app.use('/api', (_req, res) => {
    res.status(404).json({ error: 'Not found' });
  });
  app.use(express.static(publicDir, { maxAge: '1h' }));
  app.use(onError);
  return app;
}
`;

const SERVER_TS = `import { createApp } from './app.js';

const port = Number(process.env.PORT ?? 3000);

createApp().listen(port, () => {
  console.log(\`Bookmarks listening on http://localhost:\${port}\`);
});
`;

const SECURITY_HEADERS_TS = `import type { RequestHandler } from 'express';

/** The headers helmet would set for this app, without the dependency. */
export const securityHeaders: RequestHandler = (_req, res, next) => {
  res.setHeader(
    'Content-Security-Policy',
    "default-src 'self'; img-src 'self' data:; object-src 'none'; frame-ancestors 'none'",
  );
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('X-Frame-Options', 'DENY');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
  next();
};
`;

const SECURITY_MD = `# Security

- Every request body is validated with zod before it reaches the store; bodies over 100 kB are refused.
- Only \`http\` and \`https\` URLs can be saved, so a bookmark cannot carry \`javascript:\` links.
- The page renders bookmark text with \`textContent\`, never as HTML.
- Security headers: a strict Content-Security-Policy, \`nosniff\`, \`DENY\` framing, no referrer.
- No secrets: the only setting is \`PORT\` (see \`.env.example\`).
- Dependencies are few and kept current; run \`npm audit\` before a release.
`;

const PERFORMANCE_MD = `# Performance

- Lists are paginated: \`limit\` defaults to 20 and is capped at 100.
- Static files are served with a one-hour \`Cache-Control\` max-age.
- The page is plain HTML, CSS and one small script: no framework, no bundle to budget.
- The in-memory store filters a few thousand bookmarks in well under a millisecond; move to a
  database with an index on \`url\` and \`tags\` before it grows past that.
`;

const INDEX_HTML = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>Bookmarks</title>
    <link rel="stylesheet" href="/styles.css" />
  </head>
  <body>
    <main>
      <h1>Bookmarks</h1>
      <form id="add">
        <label>Title <input name="title" required maxlength="200" /></label>
        <label>URL <input name="url" type="url" required /></label>
        <label>Tags <input name="tags" placeholder="comma, separated" /></label>
        <button type="submit">Save</button>
        <p id="error" role="alert"></p>
      </form>
      <label>Search <input id="search" type="search" /></label>
      <ul id="list"></ul>
    </main>
    <script type="module" src="/app.js"></script>
  </body>
</html>
`;

const APP_JS = `const list = document.querySelector('#list');
const form = document.querySelector('#add');
const search = document.querySelector('#search');
const errorText = document.querySelector('#error');

async function load() {
  const query = new URLSearchParams({ q: search.value });
  const response = await fetch(\`/api/bookmarks?\${query}\`);
  const page = await response.json();
  list.replaceChildren(
    ...page.items.map((bookmark) => {
      const item = document.createElement('li');
      const link = document.createElement('a');
      link.href = bookmark.url;
      link.textContent = bookmark.title;
      const tags = document.createElement('span');
      tags.textContent = bookmark.tags.join(', ');
      const remove = document.createElement('button');
      remove.type = 'button';
      remove.textContent = 'Delete';
      remove.addEventListener('click', async () => {
        await fetch(\`/api/bookmarks/\${bookmark.id}\`, { method: 'DELETE' });
        await load();
      });
      item.append(link, ' ', tags, ' ', remove);
      return item;
    }),
  );
}

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  const data = new FormData(form);
  const tags = String(data.get('tags') ?? '')
    .split(',')
    .map((tag) => tag.trim())
    .filter(Boolean);
  const response = await fetch('/api/bookmarks', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ title: data.get('title'), url: data.get('url'), tags }),
  });
  if (!response.ok) {
    const body = await response.json();
    errorText.textContent = body.error;
    return;
  }
  errorText.textContent = '';
  form.reset();
  await load();
});

search.addEventListener('input', () => {
  load();
});

load();
`;

const STYLES_CSS = `body {
  font-family: system-ui, sans-serif;
  margin: 0;
  color: #1f2933;
}

main {
  max-width: 40rem;
  margin: 2rem auto;
  padding: 0 1rem;
}

form {
  display: grid;
  gap: 0.5rem;
  margin-bottom: 1.5rem;
}

label {
  display: grid;
  gap: 0.25rem;
}

#error {
  color: #b42318;
}

li {
  padding: 0.5rem 0;
  border-bottom: 1px solid #e4e7eb;
}
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
COPY public ./public
USER node
EXPOSE 3000
CMD ["node", "dist/server.js"]
`;

const DOCKERIGNORE = `node_modules
dist
coverage
.git
.env
`;

/** The CI workflow this model writes for a Node app (it writes the same one for every app). */
export const CI_YML = `name: CI

on:
  push:
    branches: [main]
  pull_request:

permissions:
  contents: read

jobs:
  check:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-node@v4
        with:
          node-version: 20
          cache: npm
      - run: npm ci
      - run: npm run lint
      - run: npm run typecheck
      - run: npm test
      - run: npm run build
`;

const API_TEST_TS = `import request from 'supertest';
import { beforeEach, describe, expect, it } from 'vitest';
import { createApp } from '../src/app.js';
import { BookmarkStore } from '../src/bookmarks/store.js';

const handbook = {
  title: 'TypeScript handbook',
  url: 'https://www.typescriptlang.org/docs/handbook/',
  tags: ['TypeScript', 'docs'],
};

describe('bookmarks API', () => {
  let app: ReturnType<typeof createApp>;

  beforeEach(() => {
    app = createApp(new BookmarkStore());
  });

  it('creates a bookmark with an id, normalised tags and defaults', async () => {
    const res = await request(app).post('/api/bookmarks').send(handbook);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ title: handbook.title, tags: ['typescript', 'docs'], favorite: false });
    expect(res.body.id).toEqual(expect.any(String));
    const again = await request(app).get(\`/api/bookmarks/\${res.body.id}\`);
    expect(again.body.url).toBe(handbook.url);
  });

  it('rejects a bookmark without a title or with a javascript: URL', async () => {
    const res = await request(app).post('/api/bookmarks').send({ title: '', url: 'javascript:alert(1)' });
    expect(res.status).toBe(400);
    expect(res.body.issues.map((issue: { path: string }) => issue.path)).toEqual(['title', 'url']);
  });

  it('refuses a second bookmark for the same URL', async () => {
    await request(app).post('/api/bookmarks').send(handbook).expect(201);
    const duplicate = await request(app)
      .post('/api/bookmarks')
      .send({ ...handbook, title: 'Handbook again' });
${MISTAKES[1]!.broken}
    expect(duplicate.body.error).toMatch(/already exists/);
  });

  it('searches, filters by tag and paginates, newest first', async () => {
    const titles = ['Vitest guide', 'Express 5 migration', 'Zod 4 release notes'];
    for (const [index, title] of titles.entries()) {
      await request(app)
        .post('/api/bookmarks')
        .send({ title, url: \`https://example.com/\${index}\`, tags: index === 1 ? ['node'] : ['testing'] })
        .expect(201);
    }
    const search = await request(app).get('/api/bookmarks').query({ q: 'express' });
    expect(search.body.items.map((b: { title: string }) => b.title)).toEqual(['Express 5 migration']);
    const byTag = await request(app).get('/api/bookmarks').query({ tag: 'testing' });
    expect(byTag.body.total).toBe(2);
    const page = await request(app).get('/api/bookmarks').query({ limit: '1', offset: '1' });
    expect(page.body).toMatchObject({ total: 3, items: [{ title: 'Express 5 migration' }] });
    const capped = await request(app).get('/api/bookmarks').query({ limit: '1000' });
    expect(capped.body.items).toHaveLength(3);
  });

  it('replaces and deletes a bookmark, and answers 404 for unknown ids', async () => {
    const created = await request(app).post('/api/bookmarks').send(handbook).expect(201);
    const path = \`/api/bookmarks/\${created.body.id}\`;
    const replaced = await request(app)
      .put(path)
      .send({ ...handbook, favorite: true, notes: 'Read chapter 3' });
    expect(replaced.status).toBe(200);
    expect(replaced.body).toMatchObject({ favorite: true, notes: 'Read chapter 3' });
    await request(app).delete(path).expect(204);
    await request(app).get(path).expect(404);
    await request(app).delete(path).expect(404);
  });

  it('sends security headers and serves the page', async () => {
    const res = await request(app).get('/');
    expect(res.status).toBe(200);
    expect(res.text).toContain('<h1>Bookmarks</h1>');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
  });

  it('answers malformed JSON with 400', async () => {
    const res = await request(app)
      .post('/api/bookmarks')
      .set('content-type', 'application/json')
      .send('{"title":');
    expect(res.status).toBe(400);
  });
});
`;

const SCHEMA_TEST_TS = `import { describe, expect, it } from 'vitest';
import { bookmarkInput } from '../src/bookmarks/schema.js';

describe('bookmarkInput', () => {
  it('trims the title and lower-cases tags', () => {
    const parsed = bookmarkInput.parse({
      title: '  Zod docs ',
      url: 'https://zod.dev',
      tags: [' Validation ', 'TS'],
    });
    expect(parsed).toEqual({
      title: 'Zod docs',
      url: 'https://zod.dev',
      tags: ['validation', 'ts'],
      favorite: false,
    });
  });

  it('accepts only http and https URLs', () => {
    expect(bookmarkInput.safeParse({ title: 'a', url: 'ftp://example.com' }).success).toBe(false);
    expect(bookmarkInput.safeParse({ title: 'a', url: 'http://example.com' }).success).toBe(true);
  });
});
`;

export const FIRST_DRAFT: Record<WriterRole, ReadonlyArray<readonly [path: string, content: string]>> = {
  architecture: [
    ['package.json', PACKAGE_JSON],
    ['tsconfig.json', TSCONFIG_JSON],
    ['tsconfig.build.json', TSCONFIG_BUILD_JSON],
    ['biome.json', BIOME_JSON],
    ['vitest.config.ts', VITEST_CONFIG_TS],
    ['.env.example', ENV_EXAMPLE],
    ['.gitignore', GITIGNORE],
    ['README.md', README],
  ],
  backend: [
    ['src/bookmarks/schema.ts', SCHEMA_TS],
    ['src/bookmarks/store.ts', STORE_TS],
    [ROUTES_FILE, ROUTES_TS],
    ['src/app.ts', APP_TS],
    ['src/server.ts', SERVER_TS],
  ],
  frontend: [
    ['public/index.html', INDEX_HTML],
    ['public/app.js', APP_JS],
    ['public/styles.css', STYLES_CSS],
  ],
  security: [
    ['src/middleware/security-headers.ts', SECURITY_HEADERS_TS],
    ['SECURITY.md', SECURITY_MD],
  ],
  performance: [['PERFORMANCE.md', PERFORMANCE_MD]],
  deployment: [
    ['Dockerfile', DOCKERFILE],
    ['.dockerignore', DOCKERIGNORE],
    ['.github/workflows/ci.yml', CI_YML],
  ],
  testing: [
    [API_TEST_FILE, API_TEST_TS],
    ['tests/schema.test.ts', SCHEMA_TEST_TS],
  ],
};

/** The API as the architect plans it. */
export const BOOKMARKS_API = [
  { method: 'GET', path: '/api/bookmarks', summary: 'List bookmarks (q, tag, limit, offset), newest first' },
  { method: 'GET', path: '/api/bookmarks/:id', summary: 'One bookmark' },
  { method: 'POST', path: '/api/bookmarks', summary: 'Create a bookmark; 409 when the URL is saved' },
  { method: 'PUT', path: '/api/bookmarks/:id', summary: 'Replace a bookmark' },
  { method: 'DELETE', path: '/api/bookmarks/:id', summary: 'Delete a bookmark' },
] as const;

export const BOOKMARKS: RealisticApp = {
  name: 'bookmarks app',
  spec: BOOKMARKS_SPEC,
  scaffold: { kind: 'own' },
  firstDraft: FIRST_DRAFT,
  mistakes: MISTAKES,
  architecture: {
    stack: {
      frontend: 'Static HTML + CSS + one ES module (no framework), served by Express',
      backend: 'Express 5 + zod 4, REST under /api, in-memory store behind a small class',
      database: 'In memory (BookmarkStore); swap for a database-backed store with the same methods',
      testing: 'vitest 4 + supertest against createApp()',
      tooling: 'TypeScript 5 strict, Biome 2 lint, tsc build to dist/, GitHub Actions CI, Docker',
    },
    api: BOOKMARKS_API.map((endpoint) => ({ ...endpoint })),
    pages: ['/ — bookmark list with search, add form and delete buttons'],
  },
  review: (files, rounds) => ({
    summary:
      `A bookmarks app: save links with a title, notes and tags, search them and filter by tag.\n\n` +
      `- API: ${BOOKMARKS_API.map((e) => `\`${e.method} ${e.path}\``).join(', ')} (Express 5 + zod).\n` +
      `- UI: one static page (list, search, add form, delete).\n` +
      `- ${files} files; install, lint, typecheck, tests and build passed` +
      (rounds > 0 ? ` after ${rounds} repair round(s).` : '.'),
    checklist: [
      'Bookmarks are kept in memory: decide on a database before deploying',
      'Check the 409 on duplicate URLs is the behaviour you want',
      'Review the Content-Security-Policy in src/middleware/security-headers.ts',
    ],
  }),
};
