/**
 * Finds secrets in text that is about to be stored or posted (validation output, errors, progress,
 * pull request bodies, logs) in the encodings they commonly travel in, and replaces them.
 */
export const REDACTED = '[REDACTED]';

/** Shorter secrets would match ordinary text by chance. */
const MIN_SECRET_LENGTH = 6;
/** A PEM body line this long is specific enough to redact on its own (a partial key leak). */
const MIN_PEM_LINE = 16;
/** A base64 fragment shorter than this could occur in unrelated base64 by chance. */
const MIN_SHIFTED_BASE64 = 12;

/** Token shapes redacted even when nobody configured them (GitHub's documented prefixes). */
const TOKEN_PATTERNS = [/gh[pousr]_[A-Za-z0-9]{36,}/, /github_pat_[A-Za-z0-9_]{22,}/];

/** Connection-string passwords that are public defaults: redacting them would garble every message. */
const PUBLIC_PASSWORDS = new Set(['autonoma', 'postgres', 'password', 'redis', 'secret', 'changeme']);

/** Its functions may be passed around detached (`redact: redactor.redact`). */
export interface SecretRedactor {
  /** Registers a secret learned at run time (e.g. a GitHub installation token). */
  readonly add: (secret: string) => void;
  /** Every form of every secret, and every well-known token shape, replaced by `[REDACTED]`. */
  readonly redact: (text: string) => string;
  /** `redact` applied to every string (and key) inside arrays and plain objects; a new value. */
  readonly redactDeep: <T>(value: T) => T;
  readonly contains: (text: string) => boolean;
  /** How many secrets are registered. */
  readonly size: number;
}

/** PEM keys arrive with real newlines or with `\n` escapes (env files): both, whatever was given. */
function newlineVariants(secret: string): string[] {
  return [secret, secret.replace(/\r?\n/g, '\\n'), secret.replace(/\\r\\n|\\n/g, '\n')];
}

/** A PEM key's base64 body, joined, and each long line of it on its own. */
function pemBodyForms(text: string): string[] {
  if (!/-----BEGIN [A-Z0-9 ]+-----/.test(text)) return [];
  const body = text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => /^[A-Za-z0-9+/=]+$/.test(line));
  return [body.join(''), ...body.filter((line) => line.length >= MIN_PEM_LINE)];
}

const toBase64Url = (base64: string) => base64.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');

/**
 * Inside longer base64 (e.g. "user:secret" in a Basic auth header) the secret starts at one of three
 * byte offsets; these are the characters that depend on the secret alone at each offset.
 */
function shiftedBase64(bytes: Buffer): string[] {
  return [0, 1, 2].flatMap((shift) => {
    const encoded = Buffer.concat([Buffer.alloc(shift), bytes]).toString('base64');
    const core = encoded.slice(shift === 0 ? 0 : 4, Math.floor((shift + bytes.length) / 3) * 4);
    return core.length >= MIN_SHIFTED_BASE64 ? [core, toBase64Url(core)] : [];
  });
}

function encodedForms(value: string): string[] {
  const bytes = Buffer.from(value, 'utf8');
  const base64 = bytes.toString('base64');
  const hex = bytes.toString('hex');
  const uri = encodeURIComponent(value);
  return [
    value,
    base64,
    base64.replace(/=+$/, ''),
    toBase64Url(base64),
    ...shiftedBase64(bytes),
    hex,
    hex.toUpperCase(),
    uri,
    uri.replace(/%[0-9A-F]{2}/g, (escape) => escape.toLowerCase()),
    uri.replace(/%20/g, '+'),
    new URLSearchParams([['', value]]).toString().slice(1),
    JSON.stringify(value).slice(1, -1),
  ];
}

/** Every string a secret may be found as. */
export function secretForms(secret: string): string[] {
  if (secret.length < MIN_SECRET_LENGTH) return [];
  const forms = newlineVariants(secret).flatMap((variant) => [
    ...encodedForms(variant),
    ...pemBodyForms(variant),
  ]);
  return [...new Set(forms)].filter((form) => form.length >= MIN_SECRET_LENGTH);
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/** One alternation, longest first, so a longer form wins over a shorter one starting at the same place. */
function buildPattern(needles: ReadonlySet<string>): RegExp {
  const literals = [...needles].sort((a, b) => b.length - a.length).map(escapeRegExp);
  return new RegExp([...literals, ...TOKEN_PATTERNS.map((p) => p.source)].join('|'), 'g');
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false;
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/** `map` applied to every string and key inside arrays and plain objects; other values are kept. */
export function mapStrings<T>(value: T, map: (text: string) => string): T {
  if (typeof value === 'string') return map(value) as T;
  if (Array.isArray(value)) return value.map((item: unknown) => mapStrings(item, map)) as T;
  if (isPlainObject(value)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [map(k), mapStrings(v, map)])) as T;
  }
  return value;
}

export function createSecretRedactor(secrets: readonly string[] = []): SecretRedactor {
  const known = new Set<string>();
  const needles = new Set<string>();
  let pattern = buildPattern(needles);
  const register = (secret: string): boolean => {
    if (secret.length < MIN_SECRET_LENGTH || known.has(secret)) return false;
    known.add(secret);
    for (const form of secretForms(secret)) needles.add(form);
    return true;
  };
  if (secrets.map(register).some(Boolean)) pattern = buildPattern(needles);

  const redact = (text: string) => text.replace(pattern, REDACTED);
  return {
    add: (secret) => {
      if (register(secret)) pattern = buildPattern(needles);
    },
    redact,
    redactDeep: (value) => mapStrings(value, redact),
    contains: (text) => text.search(pattern) !== -1,
    get size() {
      return known.size;
    },
  };
}

/**
 * The passwords of connection URLs (DATABASE_URL, REDIS_URL), as written and decoded. A password
 * equal to the user name or a public default (the compose file's) protects nothing and is skipped.
 */
export function secretsFromUrls(urls: ReadonlyArray<string | undefined>): string[] {
  return urls.flatMap((url) => {
    let parsed: URL;
    try {
      parsed = new URL(url ?? '');
    } catch {
      return [];
    }
    const raw = parsed.password;
    if (raw === '') return [];
    const decode = (text: string) => {
      try {
        return decodeURIComponent(text);
      } catch {
        return text;
      }
    };
    const password = decode(raw);
    if (password === decode(parsed.username) || PUBLIC_PASSWORDS.has(password.toLowerCase())) return [];
    return [...new Set([raw, password])];
  });
}
