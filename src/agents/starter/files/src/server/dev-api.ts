import type { Express } from 'express';
import { createApp } from './app';

let devApp: Express | undefined;

/** The API as mounted by the Vite dev server (see vite.config.ts), so `npm run dev` is one process. */
export async function getDevApp(): Promise<Express> {
  devApp ??= createApp();
  return devApp;
}
