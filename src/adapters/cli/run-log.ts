import { closeSync, mkdirSync, openSync, readdirSync, rmSync, writeSync } from 'node:fs';
import path from 'node:path';

/** A log destination (what createLogger takes) backed by one file per command run. */
export interface RunLog {
  readonly path: string;
  write(line: string): void;
  close(): void;
}

export interface RunLogOptions {
  /** e.g. `build`: files are `<command>-<timestamp>.log`. */
  command: string;
  /** Older runs' files beyond this many are removed, so the folder does not grow without end. */
  keep?: number;
  now?: () => Date;
}

/**
 * Opens a new log file under `dir` for one run of a command. Writes are synchronous: a CLI that exits
 * right after a failure still has every line on disk when it names the file.
 */
export function openRunLog(dir: string, options: RunLogOptions): RunLog {
  mkdirSync(dir, { recursive: true });
  const stamp = (options.now?.() ?? new Date()).toISOString().replaceAll(':', '-');
  const prefix = `${options.command}-`;
  // ISO timestamps sort as text: the oldest come first.
  const older = readdirSync(dir)
    .filter((name) => name.startsWith(prefix) && name.endsWith('.log'))
    .sort();
  for (const name of older.slice(0, Math.max(0, older.length - ((options.keep ?? 20) - 1))))
    rmSync(path.join(dir, name), { force: true });
  const file = path.join(dir, `${prefix}${stamp}.log`);
  // Appending: two runs started in the same millisecond share a file rather than erase each other.
  const fd = openSync(file, 'a');
  let open = true;
  return {
    path: file,
    write(line) {
      if (open) writeSync(fd, line);
    },
    close() {
      if (!open) return;
      open = false;
      closeSync(fd);
    },
  };
}
