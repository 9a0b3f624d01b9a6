/**
 * What a repairing agent needs from a failed step: the lines that name errors, and the code around
 * the places they point at, rather than only the tail of the output.
 */
export interface FailureLocation {
  file: string;
  line: number;
  column?: number;
  message: string;
}

export interface CodeExcerpt extends FailureLocation {
  /** Numbered source lines around `line`, the failing one marked with `>`. */
  code: string;
}

// tsc: `src/a.ts(12,5): error TS2322: …`; biome, vitest, node, eslint: `src/a.ts:12:5 …`.
const TSC = /^\s*([\w./@-]+\.[cm]?[jt]sx?)\((\d+),(\d+)\): (.+)$/;
const COLON = /([\w./@-]+\.(?:[cm]?[jt]sx?|json|ya?ml|css|html))(?::(\d+))(?::(\d+))?(?:\s*[-:]?\s*(.*))?/;
const MAX_LOCATIONS = 8;
const CONTEXT_LINES = 3;

/** Error locations in workspace files, in the order the output gives them, each file/line once. */
export function failureLocations(
  output: string,
  isWorkspaceFile: (file: string) => boolean,
): FailureLocation[] {
  const found: FailureLocation[] = [];
  const seen = new Set<string>();
  for (const raw of output.split('\n')) {
    const match = TSC.exec(raw) ?? COLON.exec(raw);
    if (!match) continue;
    const file = normalise(match[1] ?? '');
    const line = Number(match[2]);
    if (!isWorkspaceFile(file) || !Number.isInteger(line) || line < 1) continue;
    const key = `${file}:${line}`;
    if (seen.has(key)) continue;
    seen.add(key);
    found.push({
      file,
      line,
      ...(match[3] ? { column: Number(match[3]) } : {}),
      message: (match[4] ?? raw).trim().slice(0, 300),
    });
    if (found.length >= MAX_LOCATIONS) break;
  }
  return found;
}

export function excerpt(location: FailureLocation, source: string): CodeExcerpt {
  const lines = source.split('\n');
  const first = Math.max(1, location.line - CONTEXT_LINES);
  const last = Math.min(lines.length, location.line + CONTEXT_LINES);
  const code = lines
    .slice(first - 1, last)
    .map((text, i) => `${first + i === location.line ? '>' : ' '} ${String(first + i).padStart(4)} | ${text}`)
    .join('\n');
  return { ...location, code };
}

/**
 * What stays the same when the same mistake fails again: the step and the error lines, without
 * timings, colours or temporary paths. Two rounds with one signature did not converge.
 */
export function failureSignature(step: string, output: string): string {
  const errors = output
    .split('\n')
    .filter((line) => /error|fail|✕|×|expected|cannot|not found|missing/i.test(line))
    .map((line) =>
      line
        .replace(/\d+(\.\d+)?\s*m?s\b/g, '')
        // A repair that moves the same mistake to another line has not fixed it.
        .replace(/\(\d+,\d+\)|:\d+(:\d+)?/g, '')
        .replace(/\/[\w/.-]*(validate|resolve|staging)-\w+/g, '')
        .trim(),
    )
    .filter(Boolean)
    .slice(0, 20);
  return `${step}\n${errors.join('\n')}`;
}

function normalise(file: string): string {
  return file.replace(/^\.\//, '').replace(/^\/work\//, '');
}
