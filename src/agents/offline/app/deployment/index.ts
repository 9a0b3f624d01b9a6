import { lines, quotedScalar } from '../code.js';
import type { AppModel } from '../model.js';
import { APP_NODE_IMAGE, APP_NODE_MAJOR } from './node-lts.js';

export function renderDeploymentPart(model: AppModel): Map<string, string> {
  return new Map([
    ['Dockerfile', DOCKERFILE],
    ['.dockerignore', DOCKERIGNORE],
    ['docker-compose.yml', renderCompose(model)],
    ['.github/workflows/ci.yml', CI_YML],
    ['.nvmrc', `${APP_NODE_MAJOR}\n`],
    ['fly.toml', renderFlyToml(model)],
    ['render.yaml', renderRenderYaml(model)],
  ]);
}

const DOCKERFILE = `# syntax=docker/dockerfile:1

# Build: install everything, compile UI and server.
FROM ${APP_NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
RUN npm ci --no-audit
COPY . .
RUN npm run build

# Runtime dependencies only.
FROM ${APP_NODE_IMAGE} AS deps
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
RUN npm ci --omit=dev --no-audit

FROM ${APP_NODE_IMAGE}
ENV NODE_ENV=production PORT=3000 DATABASE_FILE=/data/app.sqlite
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME /data
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=3s CMD wget -qO- http://127.0.0.1:3000/api/health || exit 1
CMD ["node", "dist/server/main.js"]
`;

const DOCKERIGNORE = `node_modules
dist
coverage
data
.env
.git
`;

function renderCompose(model: AppModel): string {
  return lines(
    'services:',
    '  app:',
    '    build: .',
    `    image: ${model.slug}:latest`,
    '    ports:',
    '      - "3000:3000"',
    '    environment:',
    '      DATABASE_FILE: /data/app.sqlite',
    model.features.auth && '      SESSION_TTL_HOURS: "168"',
    '    volumes:',
    '      - data:/data',
    '    restart: unless-stopped',
    '',
    'volumes:',
    '  data:',
    '',
  );
}

const CI_YML = `name: CI

on:
  push:
    branches: [main]
  pull_request:

permissions:
  contents: read

concurrency:
  group: ci-\${{ github.ref }}
  cancel-in-progress: true

jobs:
  build:
    runs-on: ubuntu-latest
    timeout-minutes: 15
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-node@v4
        with:
          node-version-file: .nvmrc
          cache: npm
      - run: npm ci
      - run: npm run lint
      - run: npm run typecheck
      - run: npm test
      - run: npm run build
      - name: Audit production dependencies (advisory)
        run: npm audit --omit=dev
        continue-on-error: true
`;

function renderFlyToml(model: AppModel): string {
  return lines(
    `app = ${quotedScalar(model.slug)}`,
    'primary_region = "iad"',
    '',
    '[build]',
    '',
    '[env]',
    '  PORT = "3000"',
    '  DATABASE_FILE = "/data/app.sqlite"',
    '  TRUST_PROXY_HOPS = "1"',
    '',
    '[mounts]',
    '  source = "data"',
    '  destination = "/data"',
    '',
    '[http_service]',
    '  internal_port = 3000',
    '  force_https = true',
    '  auto_stop_machines = "stop"',
    '  auto_start_machines = true',
    '  min_machines_running = 0',
    '',
    '[[http_service.checks]]',
    '  grace_period = "10s"',
    '  interval = "30s"',
    '  method = "GET"',
    '  path = "/api/health"',
    '  timeout = "5s"',
    '',
  );
}

function renderRenderYaml(model: AppModel): string {
  return lines(
    'services:',
    '  - type: web',
    `    name: ${quotedScalar(model.slug)}`,
    '    runtime: docker',
    '    plan: starter',
    '    healthCheckPath: /api/health',
    '    envVars:',
    '      - key: DATABASE_FILE',
    '        value: /data/app.sqlite',
    '      - key: TRUST_PROXY_HOPS',
    '        value: "1"',
    '    disk:',
    '      name: data',
    '      mountPath: /data',
    '      sizeGB: 1',
    '',
  );
}
