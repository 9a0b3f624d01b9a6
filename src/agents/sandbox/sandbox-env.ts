/**
 * The whole environment a sandboxed command sees: a fixed base plus what the app's own
 * `.env.example` documents. Never the worker's environment, which holds every secret.
 */
export const SANDBOX_HOME = '/home/sandbox';

export function baseSandboxEnv(pathDirs: readonly string[]): Record<string, string> {
  return {
    PATH: [...pathDirs, '/usr/local/bin', '/usr/bin', '/bin'].filter(unique).join(':'),
    HOME: SANDBOX_HOME,
    TMPDIR: '/tmp',
    CI: 'true',
    NO_COLOR: '1',
    FORCE_COLOR: '0',
    npm_config_cache: '/tmp/.npm',
    npm_config_update_notifier: 'false',
    npm_config_fund: 'false',
    npm_config_audit: 'false',
  };
}

/**
 * The base with the caller's variables on top (e.g. npm's cache for an install phase); PATH and
 * HOME stay the sandbox's own whatever the caller passes.
 */
export function sandboxEnv(
  pathDirs: readonly string[],
  extra: Readonly<Record<string, string>> = {},
): Record<string, string> {
  const base = baseSandboxEnv(pathDirs);
  return { ...base, ...extra, PATH: base.PATH as string, HOME: base.HOME as string };
}

const MAX_VARIABLES = 64;
const MAX_VALUE_CHARS = 1000;
const KEY = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;
/** Variables that change how node, npm, the shell or the dynamic linker behave, or where they connect. */
const RESERVED =
  /^(PATH|HOME|TMPDIR|CI|SHELL|ENV|BASH_ENV|IFS|PS4|SHELLOPTS|NODE_OPTIONS|NODE_PATH|NODE_EXTRA_CA_CERTS|LD_.*|DYLD_.*|NPM_.*|GIT_.*|SSH_.*|(HTTPS?|ALL|NO|FTP)_PROXY)$/i;

/**
 * Variables an app documents in `.env.example`, with the example values it ships (models write them;
 * they are placeholders, and the command has no network to use them against). Anything reserved,
 * malformed, oversized or holding a configured secret is left out.
 */
export function envFromExample(text: string, isSecret: (value: string) => boolean): Record<string, string> {
  const env: Record<string, string> = {};
  for (const raw of text.split(/\r?\n/)) {
    if (Object.keys(env).length >= MAX_VARIABLES) break;
    const line = raw.trim().replace(/^export\s+/, '');
    if (line === '' || line.startsWith('#')) continue;
    const equals = line.indexOf('=');
    if (equals <= 0) continue;
    const key = line.slice(0, equals).trim();
    let value = line.slice(equals + 1).trim();
    // A quoted value may contain ` #`; an unquoted one ends where a comment starts.
    const quoted = /^(['"])(.*?)\1(\s+#.*)?$/.exec(value);
    value = quoted ? (quoted[2] ?? '') : value.replace(/\s+#.*$/, '');
    if (!KEY.test(key) || RESERVED.test(key) || value.length > MAX_VALUE_CHARS) continue;
    if (value.includes('\0') || isSecret(value)) continue;
    env[key] = value;
  }
  return env;
}

function unique(value: string, index: number, all: readonly string[]): boolean {
  return all.indexOf(value) === index;
}
