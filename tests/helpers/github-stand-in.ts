import nock from 'nock';
import type { GitHubRestSchema } from './github-openapi.js';

export interface RecordedCall {
  method: string;
  /** Path below the API base, without the query. */
  path: string;
  query: string;
  body: unknown;
}

type Reply = { status: number; body?: unknown; headers?: Record<string, string> };

export interface Expectation {
  query?: Record<string, string | number | boolean> | true;
  times?: number;
  /** Computes the reply from the request body (e.g. echo a sha); otherwise `reply` is sent as is. */
  respond?: (body: unknown) => Reply;
}

/**
 * GitHub's REST API at a fake base URL (GHES-style `/api/v3`), built on nock. Every request is recorded
 * and its JSON body checked against GitHub's published schema; `done()` fails on any call that was
 * expected but not made, any schema problem, and (through nock) any call nobody expected.
 */
export class GitHubStandIn {
  readonly calls: RecordedCall[] = [];
  readonly schemaProblems: string[] = [];
  private readonly scope: nock.Scope;
  private readonly basePath: string;

  constructor(
    readonly apiUrl: string,
    private readonly schema: GitHubRestSchema,
  ) {
    const url = new URL(apiUrl);
    this.basePath = url.pathname.replace(/\/$/, '');
    this.scope = nock(url.origin);
  }

  expect(method: string, path: string, reply: Reply, options: Expectation = {}): this {
    const interceptor = this.scope.intercept(this.basePath + path, method).query(options.query ?? true);
    interceptor.times(options.times ?? 1).reply((uri, requestBody) => {
      const body = this.record(method, uri, requestBody);
      const answer = options.respond ? options.respond(body) : reply;
      return [
        answer.status,
        answer.body === undefined ? '' : JSON.stringify(answer.body),
        {
          'content-type': 'application/json; charset=utf-8',
          ...answer.headers,
        },
      ];
    });
    return this;
  }

  /** Recorded calls whose method and path match, e.g. `count('POST', /\/git\/blobs$/)`. */
  count(method: string, path: RegExp): number {
    return this.calls.filter((c) => c.method === method && path.test(c.path)).length;
  }

  done(): void {
    if (this.schemaProblems.length > 0) {
      throw new Error(`Requests that GitHub's schema rejects:\n${this.schemaProblems.join('\n')}`);
    }
    this.scope.done();
  }

  private record(method: string, uri: string, requestBody: unknown): unknown {
    const url = new URL(uri, 'https://stand-in.invalid');
    const path = decodeURIComponent(url.pathname.slice(this.basePath.length)).replace(/\/+$/, '');
    const body =
      typeof requestBody === 'string' && requestBody.length > 0
        ? (JSON.parse(requestBody) as unknown)
        : requestBody === ''
          ? undefined
          : requestBody;
    this.calls.push({ method, path, query: url.search, body });
    // The schema's path templates see `heads/autonoma/x` refs as one encoded segment.
    const schemaPath = url.pathname.slice(this.basePath.length);
    for (const problem of this.schema.check(method, schemaPath, body)) {
      this.schemaProblems.push(`${method} ${path}: ${problem}`);
    }
    return body;
  }
}
