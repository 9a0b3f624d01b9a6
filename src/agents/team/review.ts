import { defineAgent, READ_TOOLS } from './define-agent.js';

/** Summarises the validated app for the pull request. */
export const reviewAgent = defineAgent({
  role: 'review',
  stage: 'review',
  kind: 'reviewer',
  dependsOn: [],
  tools: READ_TOOLS,
  instructions:
    'Role: reviewer. Summarise what was built for the pull request in the terms of the spec: what the app does ' +
    '(pages, components, behaviours), its data and endpoints if it has any, validation results, and a ' +
    'checklist of what a human reviewer should check.',
  suspectFor: {},
});
