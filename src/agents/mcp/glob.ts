const MAX_GLOB_LENGTH = 200;
const MAX_ALTERNATIVES = 64;

type Token =
  | { kind: 'char'; char: string }
  | { kind: 'one' } // `?`: one character of a name
  | { kind: 'name' } // `*`: any run of characters within a name
  | { kind: 'dirs' } // `**/`: zero or more whole folders
  | { kind: 'all' }; // trailing or inner `**` not followed by `/`: anything

/** Expands `{a,b}` (nested too) into plain alternatives. */
function expandBraces(glob: string): string[] {
  const open = glob.indexOf('{');
  if (open === -1) return [glob];
  let depth = 0;
  const cuts: number[] = [];
  let close = -1;
  for (let i = open; i < glob.length && close === -1; i++) {
    if (glob[i] === '{') depth++;
    else if (glob[i] === '}' && --depth === 0) close = i;
    else if (glob[i] === ',' && depth === 1) cuts.push(i);
  }
  if (close === -1) return [glob];
  const options: string[] = [];
  let start = open + 1;
  for (const cut of [...cuts, close]) {
    options.push(glob.slice(start, cut));
    start = cut + 1;
  }
  const head = glob.slice(0, open);
  const tails = expandBraces(glob.slice(close + 1));
  const expanded = options.flatMap((option) =>
    expandBraces(option).flatMap((o) => tails.map((t) => head + o + t)),
  );
  if (expanded.length > MAX_ALTERNATIVES)
    throw new RangeError(`glob expands to more than ${MAX_ALTERNATIVES} alternatives`);
  return expanded;
}

function tokenize(glob: string): Token[] {
  const tokens: Token[] = [];
  for (let i = 0; i < glob.length; i++) {
    const char = glob[i] as string;
    if (char === '*' && glob[i + 1] === '*') {
      const dirs = glob[i + 2] === '/';
      tokens.push({ kind: dirs ? 'dirs' : 'all' });
      i += dirs ? 2 : 1;
    } else if (char === '*') tokens.push({ kind: 'name' });
    else if (char === '?') tokens.push({ kind: 'one' });
    else tokens.push({ kind: 'char', char });
  }
  return tokens;
}

/**
 * Simulates the glob as a set of positions (an NFA) instead of a backtracking RegExp, so matching is
 * O(path length × glob length) whatever the glob: no pattern from a model can stall the server.
 * State `i` means "tokens before i are matched"; state `inside + i` means "inside a folder name of the
 * `**` + `/` token at i".
 */
function matchTokens(tokens: Token[], text: string): boolean {
  const inside = tokens.length + 1;
  let states = new Set<number>();
  const add = (set: Set<number>, state: number): void => {
    if (set.has(state)) return;
    set.add(state);
    const token = tokens[state];
    if (state < tokens.length && token !== undefined && token.kind !== 'char' && token.kind !== 'one') {
      add(set, state + 1); // every star may match nothing
    }
  };
  add(states, 0);
  for (const char of text) {
    const next = new Set<number>();
    for (const state of states) {
      if (state >= inside) {
        add(next, char === '/' ? state - inside : state);
        continue;
      }
      const token = tokens[state];
      if (token === undefined) continue;
      if (token.kind === 'char' && token.char === char) add(next, state + 1);
      else if (token.kind === 'one' && char !== '/') add(next, state + 1);
      else if (token.kind === 'name' && char !== '/') add(next, state);
      else if (token.kind === 'all') add(next, state);
      else if (token.kind === 'dirs') add(next, char === '/' ? state : inside + state);
    }
    if (next.size === 0) return false;
    states = next;
  }
  return states.has(tokens.length);
}

/**
 * Compiles a file glob (`*`, `**`, `?`, `{a,b}`) to a path predicate. A glob without a slash matches the
 * file name at any depth (`*.ts`), as in ripgrep; one with a slash matches the whole relative path.
 */
export function compileGlob(glob: string): (relativePath: string) => boolean {
  if (glob.length > MAX_GLOB_LENGTH)
    throw new RangeError(`glob is longer than ${MAX_GLOB_LENGTH} characters`);
  const alternatives = expandBraces(glob).map(tokenize);
  const byName = !glob.includes('/');
  return (relativePath) => {
    const subject = byName ? relativePath.slice(relativePath.lastIndexOf('/') + 1) : relativePath;
    return alternatives.some((tokens) => matchTokens(tokens, subject));
  };
}
