import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

/** In development the API runs inside the Vite dev server, so `npm run dev` is a single process. */
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
