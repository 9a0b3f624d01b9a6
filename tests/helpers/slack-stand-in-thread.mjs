// Worker threads do not inherit tsx's loader: register it, then load the TypeScript stand-in thread.
import { register } from 'tsx/esm/api';

register();
await import('./slack-stand-in-thread.ts');
