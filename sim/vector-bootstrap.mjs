// Worker entry: teach this thread to load TypeScript, then run the real worker module.
import { register } from 'tsx/esm/api';

register();
await import('./vector-worker.ts');
