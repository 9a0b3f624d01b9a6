import express, { type Express } from 'express';
import helmet from 'helmet';

export interface AppOptions {
  /** Directory of the built UI (dist/client); omitted in development and tests. */
  clientDir?: string;
}

/** Builds the HTTP app; it holds no global state, so each test creates its own. */
export function createApp(options: AppOptions = {}): Express {
  const app = express();
  app.use(helmet());
  app.use('/api', express.json({ limit: '100kb' }));

  app.get('/api/health', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.use('/api', (_req, res) => {
    res.status(404).json({ error: { message: 'Not found' } });
  });

  const { clientDir } = options;
  if (clientDir) {
    app.use(express.static(clientDir));
    // The UI routes in the browser: any other GET answers its index.html.
    app.get('/{*path}', (_req, res) => {
      res.sendFile('index.html', { root: clientDir });
    });
  }
  return app;
}
