import { renderBackendPart } from '../offline/app/backend/index.js';
import { defineAgent, WRITE_TOOLS } from './define-agent.js';

/** Writes the REST API and its persistence. */
export const backendAgent = defineAgent({
  role: 'backend',
  stage: 'backend',
  kind: 'writer',
  dependsOn: ['architecture'],
  tools: WRITE_TOOLS,
  instructions:
    'Role: backend engineer. Write the REST API: validated (zod) CRUD endpoints for every entity with ' +
    "persistence, pagination, search, 400 and 404 handling, and relation checks; the spec's derived values " +
    'computed on the server from the stored rows (never stored copies that go stale). An app with no entities ' +
    'keeps only the server that serves the UI and its health check.',
  suspectFor: { syntax: 'prime', lint: 'prime', typecheck: 'prime', test: 'likely' },
  offline: { part: 'backend', render: renderBackendPart },
});
