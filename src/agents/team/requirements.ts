import { defineAgent } from './define-agent.js';

/** Turns the request (or a change request) into the application spec. */
export const requirementsAgent = defineAgent({
  role: 'requirements',
  stage: 'requirements',
  kind: 'analyst',
  dependsOn: [],
  tools: [],
  instructions:
    'Role: requirements analyst. Turn the description into an application spec: app name; entities with typed ' +
    'fields and relations for the data the app stores (none for a game, timer, calculator or landing page); ' +
    'the pages, components and behaviours (rules such as "three in a row wins") of what people see and do; ' +
    'features (auth, search, pagination, sorting) and non-functional needs; values the app computes from its ' +
    'records (totals, averages, counts, streaks, flags such as low stock or overdue, per group or per period) as ' +
    'derived values over real fields. Name only what was asked or implied.',
  suspectFor: {},
});
