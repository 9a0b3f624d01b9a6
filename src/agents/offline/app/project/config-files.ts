import { htmlText, lines } from '../code.js';
import type { AppModel } from '../model.js';

export const TSCONFIG_JSON = `{
  "compilerOptions": {
    "target": "ES2022",
    "lib": ["ES2023", "DOM", "DOM.Iterable"],
    "module": "ESNext",
    "moduleResolution": "Bundler",
    "jsx": "react-jsx",
    "strict": true,
    "noUncheckedIndexedAccess": true,
    "noImplicitOverride": true,
    "noFallthroughCasesInSwitch": true,
    "noUnusedLocals": true,
    "noUnusedParameters": true,
    "isolatedModules": true,
    "verbatimModuleSyntax": true,
    "allowImportingTsExtensions": true,
    "skipLibCheck": true,
    "noEmit": true,
    "types": ["node", "vite/client"]
  },
  "include": ["src", "tests", "vite.config.ts", "vitest.config.ts"]
}
`;

export const BIOME_JSON = `{
  "$schema": "./node_modules/@biomejs/biome/configuration_schema.json",
  "files": {
    "includes": ["**", "!dist", "!coverage", "!data", "!package-lock.json"]
  },
  "formatter": { "enabled": false },
  "assist": { "enabled": false },
  "linter": {
    "enabled": true,
    "rules": {
      "preset": "recommended",
      "correctness": {
        "noUnusedImports": { "level": "error", "fix": "safe" },
        "useExhaustiveDependencies": {
          "level": "error",
          "options": { "reportUnnecessaryDependencies": false }
        }
      }
    }
  }
}
`;

export const VITE_CONFIG_TS = `import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

/** In development the API runs inside the Vite dev server, so \`npm run dev\` is a single process. */
function devApi(): Plugin {
  return {
    name: 'dev-api',
    apply: 'serve',
    configureServer(server) {
      server.middlewares.use((req, res, next) => {
        if (!req.url?.startsWith('/api')) {
          next();
          return;
        }
        server
          .ssrLoadModule('/src/server/dev-api.ts')
          .then(async (module) => {
            const { getDevApp } = module as typeof import('./src/server/dev-api');
            const app = await getDevApp();
            app(req, res);
          })
          .catch(next);
      });
    },
  };
}

export default defineConfig({
  plugins: [react(), devApi()],
  build: { outDir: 'dist/client', emptyOutDir: true },
});
`;

export function renderIndexHtml(model: AppModel): string {
  return lines(
    '<!doctype html>',
    '<html lang="en">',
    '  <head>',
    '    <meta charset="UTF-8" />',
    '    <meta name="viewport" content="width=device-width, initial-scale=1.0" />',
    `    <meta name="description" content="${htmlText(model.description)}" />`,
    `    <title>${htmlText(model.appName)}</title>`,
    '  </head>',
    '  <body>',
    '    <div id="root"></div>',
    '    <script type="module" src="/src/client/main.tsx"></script>',
    '  </body>',
    '</html>',
    '',
  );
}

export function renderEnvExample(model: AppModel): string {
  return lines(
    '# Copy to .env and adjust; every variable is optional.',
    'PORT=3000',
    'HOST=0.0.0.0',
    "# SQLite database file (':memory:' keeps data in memory only).",
    'DATABASE_FILE=data/app.sqlite',
    '# Requests per minute per client IP on /api.',
    'RATE_LIMIT_PER_MINUTE=300',
    '# Reverse proxies in front of the app (1 on Fly.io and Render), so rate limits see client IPs.',
    'TRUST_PROXY_HOPS=0',
    model.features.auth && '# How long a sign-in stays valid.',
    model.features.auth && 'SESSION_TTL_HOURS=168',
    '',
  );
}

export const GITIGNORE = `node_modules
dist
coverage
data
.env
*.log
`;
