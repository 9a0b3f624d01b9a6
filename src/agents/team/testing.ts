import { renderTestingPart } from '../offline/app/testing/index.js';
import { defineAgent, WRITE_TOOLS } from './define-agent.js';

/** Writes the API and UI tests once the code they test exists. */
export const testingAgent = defineAgent({
  role: 'testing',
  stage: 'testing',
  kind: 'writer',
  dependsOn: ['frontend', 'backend'],
  tools: WRITE_TOOLS,
  instructions:
    'Role: test engineer. Write tests for every entity and endpoint (API and UI) and for every behaviour of the ' +
    'spec, with vitest: API tests in Node with supertest against createApp(), UI tests with Testing Library ' +
    '(a `// @vitest-environment happy-dom` first line). When given validation failures, fix the files you own ' +
    'so that install, lint, typecheck, tests and build pass.',
  suspectFor: { syntax: 'possible', lint: 'possible', typecheck: 'possible', test: 'prime' },
  offline: { part: 'testing', render: renderTestingPart },
});
