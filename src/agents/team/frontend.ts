import { renderFrontendPart } from '../offline/app/frontend/index.js';
import { defineAgent, WRITE_TOOLS } from './define-agent.js';

/** Writes the React UI. */
export const frontendAgent = defineAgent({
  role: 'frontend',
  stage: 'frontend',
  kind: 'writer',
  dependsOn: ['architecture'],
  tools: WRITE_TOOLS,
  instructions:
    'Role: frontend engineer. Write the React UI: every page and component of the spec with its behaviours; for ' +
    'each entity, list, create, edit and delete with a typed API client, accessible forms with validation ' +
    'messages, pagination and search controls; each derived value of the spec where a user expects it (a summary ' +
    'on the home page, a per-group table, a badge on flagged rows). Keep logic (game rules, calculations) in plain ' +
    'modules the tests can import.',
  suspectFor: { syntax: 'likely', lint: 'likely', typecheck: 'likely', test: 'possible', build: 'prime' },
  offline: { part: 'frontend', render: renderFrontendPart },
});
