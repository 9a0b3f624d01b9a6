import type { Spec } from '../../core/domain/spec.js';

export interface Endpoint {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  summary: string;
}

const kebab = (camel: string) => camel.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase();

/** The REST surface and pages the generated app exposes, derived from the spec alone. */
export function describeApp(spec: Spec): { api: Endpoint[]; pages: string[] } {
  const api: Endpoint[] = [{ method: 'GET', path: '/api/health', summary: 'Liveness check' }];
  if (spec.features.auth) {
    api.push(
      { method: 'POST', path: '/api/auth/register', summary: 'Create an account' },
      { method: 'POST', path: '/api/auth/login', summary: 'Sign in and receive a session token' },
    );
  }
  const pages: string[] = [];
  for (const entity of spec.entities) {
    const base = `/api/${kebab(entity.plural)}`;
    const list = [
      spec.features.pagination ? 'paginated' : '',
      spec.features.search ? 'searchable' : '',
    ].filter(Boolean);
    api.push(
      {
        method: 'GET',
        path: base,
        summary: `List ${entity.pluralLabel}${list.length ? ` (${list.join(', ')})` : ''}`,
      },
      { method: 'POST', path: base, summary: `Create a ${entity.label}` },
      { method: 'GET', path: `${base}/:id`, summary: `Get one ${entity.label}` },
      { method: 'PUT', path: `${base}/:id`, summary: `Update a ${entity.label}` },
      { method: 'DELETE', path: `${base}/:id`, summary: `Delete a ${entity.label}` },
    );
    pages.push(`${entity.pluralLabel}: list, create, edit, delete`);
  }
  return { api, pages };
}
