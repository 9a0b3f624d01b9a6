/** Token sessions for apps with `features.auth`: `src/server/auth/*` and `src/shared/auth.ts`. */

export const AUTH_SHARED_TS = `import { z } from 'zod';

export const credentialsSchema = z.object({
  email: z.email({ error: 'Enter a valid email address' }).max(254),
  password: z.string().min(8, 'Use at least 8 characters').max(200),
});
export type Credentials = z.infer<typeof credentialsSchema>;

export interface AuthUser {
  id: number;
  email: string;
}

export interface AuthSession {
  token: string;
  user: AuthUser;
}
`;

export const AUTH_SCHEMA_TS = `/** Accounts and sign-in sessions; only a SHA-256 of each session token is stored. */
export const AUTH_TABLES: readonly string[] = [
  \`CREATE TABLE IF NOT EXISTS auth_users (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    email TEXT NOT NULL UNIQUE COLLATE NOCASE,
    password_hash TEXT NOT NULL,
    created_at TEXT NOT NULL
  )\`,
  \`CREATE TABLE IF NOT EXISTS auth_sessions (
    token_hash TEXT PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES auth_users (id) ON DELETE CASCADE,
    expires_at TEXT NOT NULL
  )\`,
];
`;

export const PASSWORDS_TS = `import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

const KEY_LENGTH = 64;

function derive(password: string, salt: Buffer, length: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password, salt, length, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

/** \`scrypt:<salt>:<key>\`, base64url; scrypt is memory-hard, so leaked hashes are slow to crack. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, KEY_LENGTH);
  return \`scrypt:\${salt.toString('base64url')}:\${key.toString('base64url')}\`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, salt, key] = stored.split(':');
  if (scheme !== 'scrypt' || !salt || !key) return false;
  const expected = Buffer.from(key, 'base64url');
  const actual = await derive(password, Buffer.from(salt, 'base64url'), expected.length);
  return timingSafeEqual(actual, expected);
}
`;

export const SESSIONS_TS = `import { createHash, randomBytes } from 'node:crypto';
import type { AuthUser } from '../../shared/auth';
import { toNumber, toText } from '../db/columns';
import type { Database } from '../db/database';

function digest(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** Opens a session and returns its bearer token (shown once; only its hash is stored). */
export function createSession(db: Database, userId: number, ttlHours: number): string {
  const token = randomBytes(32).toString('base64url');
  const expiresAt = new Date(Date.now() + ttlHours * 3_600_000).toISOString();
  db.run('INSERT INTO auth_sessions (token_hash, user_id, expires_at) VALUES (?, ?, ?)', [
    digest(token),
    userId,
    expiresAt,
  ]);
  return token;
}

export function findSessionUser(db: Database, token: string): AuthUser | undefined {
  const row = db.get(
    \`SELECT auth_users.id, auth_users.email FROM auth_sessions
     JOIN auth_users ON auth_users.id = auth_sessions.user_id
     WHERE auth_sessions.token_hash = ? AND auth_sessions.expires_at > ?\`,
    [digest(token), new Date().toISOString()],
  );
  return row ? { id: toNumber(row.id), email: toText(row.email) } : undefined;
}

export function deleteSession(db: Database, token: string): void {
  db.run('DELETE FROM auth_sessions WHERE token_hash = ?', [digest(token)]);
}
`;

export const AUTH_MIDDLEWARE_TS = `import type { Request, RequestHandler } from 'express';
import type { Database } from '../db/database';
import { HttpError } from '../http/errors';
import { findSessionUser } from './sessions';

export function bearerToken(req: Request): string | undefined {
  return /^Bearer ([A-Za-z0-9_-]{20,200})$/.exec(req.get('authorization') ?? '')?.[1];
}

/** Lets a request through only with a live session token; the user is put in \`res.locals.user\`. */
export function requireAuth(db: Database): RequestHandler {
  return (req, res, next) => {
    const token = bearerToken(req);
    const user = token === undefined ? undefined : findSessionUser(db, token);
    if (!user) {
      res.set('WWW-Authenticate', 'Bearer');
      next(new HttpError(401, 'Sign in to continue.'));
      return;
    }
    res.locals.user = user;
    next();
  };
}
`;

export const AUTH_ROUTER_TS = `import { Router } from 'express';
import { type AuthSession, credentialsSchema } from '../../shared/auth';
import { toNumber, toText } from '../db/columns';
import type { Database } from '../db/database';
import { HttpError } from '../http/errors';
import { authRateLimit } from '../security/rate-limit';
import { parseBody } from '../security/validation';
import { bearerToken, requireAuth } from './middleware';
import { hashPassword, verifyPassword } from './passwords';
import { createSession, deleteSession } from './sessions';

export interface AuthRouterOptions {
  sessionTtlHours: number;
}

/** POST /register, POST /login, POST /logout and GET /me under /api/auth. */
export function createAuthRouter(db: Database, options: AuthRouterOptions): Router {
  const router = Router();
  const startSession = (id: number, email: string): AuthSession => ({
    token: createSession(db, id, options.sessionTtlHours),
    user: { id, email },
  });

  router.post('/register', authRateLimit(), async (req, res) => {
    const { email, password } = parseBody(credentialsSchema, req.body);
    const passwordHash = await hashPassword(password);
    if (db.get('SELECT id FROM auth_users WHERE email = ?', [email])) {
      throw new HttpError(409, 'An account with this email already exists; sign in instead.');
    }
    const id = db.run('INSERT INTO auth_users (email, password_hash, created_at) VALUES (?, ?, ?)', [
      email,
      passwordHash,
      new Date().toISOString(),
    ]);
    res.status(201).json(startSession(id, email));
  });

  router.post('/login', authRateLimit(), async (req, res) => {
    const { email, password } = parseBody(credentialsSchema, req.body);
    const row = db.get('SELECT id, email, password_hash FROM auth_users WHERE email = ?', [email]);
    const valid = row ? await verifyPassword(password, toText(row.password_hash)) : false;
    if (!row || !valid) throw new HttpError(401, 'Wrong email or password.');
    res.json(startSession(toNumber(row.id), toText(row.email)));
  });

  router.post('/logout', (req, res) => {
    const token = bearerToken(req);
    if (token !== undefined) deleteSession(db, token);
    res.status(204).end();
  });

  router.get('/me', requireAuth(db), (_req, res) => {
    res.json(res.locals.user);
  });

  return router;
}
`;
