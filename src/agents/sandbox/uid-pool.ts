/**
 * Host uids for sandbox sessions. Each open session gets a uid no other session holds, because
 * RLIMIT_NPROC counts per uid across the machine: two jobs sharing one would share one process bound,
 * and could signal each other's processes. Processes on one host pick different bands by pid.
 */
export interface UidPool {
  acquire(): number;
  release(uid: number): void;
  readonly inUse: number;
}

export const DEFAULT_SANDBOX_UID_BASE = 2_000_000_000;
const BAND = 64;
const BANDS = 4096;

export function createUidPool(options: { base?: number; pid?: number; size?: number } = {}): UidPool {
  const size = Math.min(options.size ?? BAND, BAND);
  const first = (options.base ?? DEFAULT_SANDBOX_UID_BASE) + ((options.pid ?? process.pid) % BANDS) * BAND;
  const held = new Set<number>();
  return {
    acquire() {
      for (let uid = first; uid < first + size; uid += 1) {
        if (!held.has(uid)) {
          held.add(uid);
          return uid;
        }
      }
      throw new Error(`All ${size} sandbox users are in use; lower WORKER_CONCURRENCY.`);
    },
    release(uid) {
      held.delete(uid);
    },
    get inUse() {
      return held.size;
    },
  };
}
