import { renderProjectPart } from '../offline/app/project/index.js';
import { defineAgent, WRITE_TOOLS } from './define-agent.js';

/** Plans the app (API, pages, who writes which file) and adapts the starter scaffold. */
export const architectureAgent = defineAgent({
  role: 'architecture',
  stage: 'architecture',
  kind: 'architect',
  dependsOn: [],
  // It may also look up similar templates (offered only when a template store is configured).
  tools: [...WRITE_TOOLS, 'find_templates'],
  instructions:
    'Role: architect. The workspace starts from a working, already-locked starter on the default stack (Express 5 ' +
    'API with zod and sql.js installed, React 19 + Vite UI, vitest, biome): the server in src/server (app.ts exports ' +
    'createApp, main.ts listens on PORT), the UI in src/client (main.tsx, app.tsx), tests in tests/api and tests/ui, ' +
    'and the lint, typecheck, test and build scripts in package.json. Build on it: adapt its README, .env.example and ' +
    'config to the spec, and return the API surface, the pages and a file plan assigning every file to one agent. ' +
    'Add a dependency only when the app needs it, as a version range in package.json; Autonoma then re-resolves the ' +
    'lockfile. Dependencies come from the npm registry only (no git, file, link or URL specs, no deprecated ' +
    'packages). If the spec needs a different stack, delete the starter files it does not use. ' +
    'Do not write package-lock.json: Autonoma resolves it from package.json.',
  suspectFor: { install: 'prime', build: 'likely' },
  offline: { part: 'project', render: renderProjectPart },
});
