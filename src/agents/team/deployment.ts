import { renderDeploymentPart } from '../offline/app/deployment/index.js';
import { APP_NODE_IMAGE, APP_NODE_MAJOR } from '../offline/app/deployment/node-lts.js';
import { defineAgent, WRITE_TOOLS } from './define-agent.js';

/** Writes the Dockerfile, compose file, CI workflow and deploy configs. */
export const deploymentAgent = defineAgent({
  role: 'deployment',
  stage: 'deployment',
  kind: 'writer',
  dependsOn: ['architecture'],
  tools: WRITE_TOOLS,
  instructions:
    'Role: deployment engineer. Write a multi-stage Dockerfile, docker-compose.yml, a GitHub Actions CI ' +
    'workflow that installs, lints, type-checks, tests and builds, and deploy configs for two targets. Workflows ' +
    'must pin every action to a release tag or commit SHA, set `permissions: contents: read`, never use ' +
    'pull_request_target or workflow_run, and read no secret but GITHUB_TOKEN. Target Node ' +
    `${APP_NODE_MAJOR} LTS (\`${APP_NODE_IMAGE}\` images, a \`.nvmrc\` of ${APP_NODE_MAJOR} read by ` +
    'actions/setup-node `node-version-file`); Node 20 and older are end of life.',
  suspectFor: { workflows: 'prime' },
  offline: { part: 'deployment', render: renderDeploymentPart },
});
