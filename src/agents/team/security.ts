import { renderSecurityPart } from '../offline/app/security/index.js';
import { defineAgent, WRITE_TOOLS } from './define-agent.js';

/** Adds the security layer: headers, limits, auth when asked, SECURITY.md. */
export const securityAgent = defineAgent({
  role: 'security',
  stage: 'security',
  kind: 'writer',
  dependsOn: ['architecture'],
  tools: WRITE_TOOLS,
  instructions:
    'Role: security engineer. Add security headers, body size limits, rate limiting, input validation wiring, ' +
    'authentication when the spec asks for it, secrets handling and a dependency policy (SECURITY.md).',
  suspectFor: {},
  offline: { part: 'security', render: renderSecurityPart },
});
