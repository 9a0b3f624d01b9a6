import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';

/**
 * Request-body validation against GitHub's own REST description (@octokit/openapi). The dereferenced
 * file is ~73 MB and takes seconds to parse, so the first load extracts every operation's method, path
 * template and JSON request-body schema (~0.6 MB) into node_modules/.cache, keyed by the package
 * version; later loads read only that.
 */
interface OperationSchema {
  method: string;
  path: string;
  operationId: string;
  schema: object | null;
  /** Whether a body must be sent at all (some operations take an optional one). */
  required: boolean;
}

interface CompiledOperation extends OperationSchema {
  pattern: RegExp;
  literalSegments: number;
  validate?: ValidateFunction;
}

export interface GitHubRestSchema {
  /** Problems with this request (unknown operation, or a body GitHub's schema rejects); empty when valid. */
  check(method: string, pathname: string, body: unknown): string[];
  /** How the schema was loaded, for the test log. */
  loadedFrom: 'cache' | 'openapi';
  loadMs: number;
}

const require = createRequire(import.meta.url);
// ajv-formats is CommonJS with a default export; under NodeNext its type is the module namespace.
const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

async function extractOperations(): Promise<{ operations: OperationSchema[]; from: 'cache' | 'openapi' }> {
  const packageJson = require.resolve('@octokit/openapi/package.json');
  const { version } = JSON.parse(await readFile(packageJson, 'utf8')) as { version: string };
  const cacheFile = path.resolve(
    'node_modules/.cache/autonoma',
    `github-openapi-${version}-request-bodies-v2.json`,
  );
  try {
    return { operations: JSON.parse(await readFile(cacheFile, 'utf8')) as OperationSchema[], from: 'cache' };
  } catch {
    // first run: extract below
  }
  const full = JSON.parse(
    await readFile(path.join(path.dirname(packageJson), 'generated/api.github.com.deref.json'), 'utf8'),
  ) as { paths: Record<string, Record<string, { operationId: string; requestBody?: unknown }>> };
  const operations: OperationSchema[] = [];
  for (const [template, item] of Object.entries(full.paths)) {
    for (const method of ['get', 'post', 'put', 'patch', 'delete']) {
      const operation = item[method];
      if (!operation) continue;
      const body = operation.requestBody as
        { required?: boolean; content?: Record<string, { schema?: object }> } | undefined;
      operations.push({
        method: method.toUpperCase(),
        path: template,
        operationId: operation.operationId,
        schema: body?.content?.['application/json']?.schema ?? null,
        required: body?.required === true,
      });
    }
  }
  await mkdir(path.dirname(cacheFile), { recursive: true });
  const temporary = `${cacheFile}.${process.pid}.tmp`;
  await writeFile(temporary, JSON.stringify(operations));
  await rename(temporary, cacheFile);
  return { operations, from: 'openapi' };
}

function compile(operation: OperationSchema): CompiledOperation {
  const segments = operation.path.split('/');
  const pattern = new RegExp(
    '^' +
      segments.map((s) => (s.startsWith('{') ? '[^/]+' : s.replace(/[.*+?^$()|[\]\\]/g, '\\$&'))).join('/') +
      '$',
  );
  return { ...operation, pattern, literalSegments: segments.filter((s) => !s.startsWith('{')).length };
}

export async function loadGitHubRestSchema(): Promise<GitHubRestSchema> {
  const started = performance.now();
  const { operations, from } = await extractOperations();
  const compiled = operations.map(compile).sort((a, b) => b.literalSegments - a.literalSegments);
  // OpenAPI 3.0 keywords (nullable, example…) are not JSON Schema: strict mode off, nullable understood.
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: true });
  addFormats(ajv);
  // GitHub's own format for `owner/name`.
  ajv.addFormat('repo.nwo', /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/);

  const find = (method: string, pathname: string) =>
    compiled.find((op) => op.method === method && op.pattern.test(pathname));

  return {
    loadedFrom: from,
    loadMs: Math.round(performance.now() - started),
    check(method, pathname, body) {
      const operation = find(method.toUpperCase(), pathname);
      if (!operation) return [`${method} ${pathname} is not an operation in GitHub's REST API`];
      if (operation.schema === null) {
        return body === undefined || body === '' ? [] : [`${operation.operationId} takes no JSON body`];
      }
      if (body === undefined && !operation.required) return [];
      operation.validate ??= ajv.compile(operation.schema);
      if (operation.validate(body)) return [];
      return (operation.validate.errors ?? []).map(
        (e) => `${operation.operationId}: body${e.instancePath} ${e.message ?? 'is invalid'}`,
      );
    },
  };
}
