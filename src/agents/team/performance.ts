import { renderPerformancePart } from '../offline/app/performance/index.js';
import { defineAgent, WRITE_TOOLS } from './define-agent.js';

/** Adds pagination limits, indexes, caching headers and a bundle budget. */
export const performanceAgent = defineAgent({
  role: 'performance',
  stage: 'performance',
  kind: 'writer',
  dependsOn: ['architecture'],
  tools: WRITE_TOOLS,
  instructions:
    'Role: performance engineer. Add pagination limits, database indexes, caching headers and a bundle-size ' +
    'budget enforced by the build (PERFORMANCE.md).',
  suspectFor: {},
  offline: { part: 'performance', render: renderPerformancePart },
});
