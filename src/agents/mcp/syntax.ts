import { createRequire } from 'node:module';
import { Language, Parser } from 'web-tree-sitter';
import type { Node, Tree } from 'web-tree-sitter';
import { ConfigError } from '../../core/errors.js';

export type SyntaxLanguage = 'typescript' | 'tsx' | 'json' | 'yaml';

export interface SyntaxProblem {
  /** 1-based. */
  line: number;
  /** 1-based. */
  column: number;
  message: string;
}

const GRAMMAR_FILES: Record<SyntaxLanguage, string> = {
  typescript: 'tree-sitter-typescript/tree-sitter-typescript.wasm',
  tsx: 'tree-sitter-typescript/tree-sitter-tsx.wasm',
  json: 'tree-sitter-json/tree-sitter-json.wasm',
  yaml: '@tree-sitter-grammars/tree-sitter-yaml/tree-sitter-yaml.wasm',
};

// Plain JavaScript goes through the TSX grammar: it accepts JSX, which .js files of React apps often hold.
const LANGUAGE_BY_EXTENSION: Record<string, SyntaxLanguage> = {
  '.ts': 'typescript',
  '.mts': 'typescript',
  '.cts': 'typescript',
  '.tsx': 'tsx',
  '.js': 'tsx',
  '.jsx': 'tsx',
  '.mjs': 'tsx',
  '.cjs': 'tsx',
  '.json': 'json',
  '.yml': 'yaml',
  '.yaml': 'yaml',
};

export function languageForPath(filePath: string): SyntaxLanguage | undefined {
  const dot = filePath.lastIndexOf('.');
  if (dot === -1 || dot < filePath.lastIndexOf('/')) return undefined;
  return LANGUAGE_BY_EXTENSION[filePath.slice(dot).toLowerCase()];
}

type Parsers = Record<SyntaxLanguage, Parser>;

// The one process-wide cache in this folder, on purpose: the WASM runtime is global to the process
// and loading it with the four grammars costs ~100 ms, too much to repeat per call.
let parsersLoading: Promise<Parsers> | undefined;

async function loadParsers(): Promise<Parsers> {
  await Parser.init();
  const require = createRequire(import.meta.url);
  const entries = await Promise.all(
    (Object.keys(GRAMMAR_FILES) as SyntaxLanguage[]).map(async (language) => {
      const grammar = await Language.load(require.resolve(GRAMMAR_FILES[language]));
      return [language, new Parser().setLanguage(grammar)] as const;
    }),
  );
  return Object.fromEntries(entries) as Parsers;
}

function parsers(): Promise<Parsers> {
  parsersLoading ??= loadParsers().catch((error: unknown) => {
    parsersLoading = undefined; // let a later call try again
    throw new ConfigError(
      'The tree-sitter grammars could not be loaded: reinstall dependencies (web-tree-sitter, tree-sitter-typescript, tree-sitter-json, @tree-sitter-grammars/tree-sitter-yaml).',
      { cause: error },
    );
  });
  return parsersLoading;
}

/** Loads the parser runtime and grammars now rather than on the first check (e.g. at start-up). */
export async function warmUpSyntaxParsers(): Promise<void> {
  await parsers();
}

function snippet(text: string): string {
  const firstLine = text.split('\n', 1)[0] ?? '';
  return JSON.stringify(firstLine.length > 40 ? `${firstLine.slice(0, 40)}…` : firstLine);
}

function describe(node: Node): string {
  if (node.isMissing) return `Missing ${JSON.stringify(node.type)}`;
  const first = node.startPosition.row + 1;
  const last = node.endPosition.row + 1;
  return first === last
    ? `Unexpected ${snippet(node.text)}`
    : `Cannot parse lines ${first}-${last}, starting ${snippet(node.text)}`;
}

/** Walks only the branches that hold errors; inside an ERROR node only MISSING tokens add information. */
function collectProblems(node: Node, insideError: boolean, max: number, found: SyntaxProblem[]): void {
  if (found.length >= max) return;
  if (node.isMissing || (node.isError && !insideError)) {
    found.push({
      line: node.startPosition.row + 1,
      column: node.startPosition.column + 1,
      message: describe(node),
    });
  }
  if (!node.hasError && !node.isError) return;
  for (const child of node.children) collectProblems(child, insideError || node.isError, max, found);
}

function parseSource<T>(parser: Parser, source: string, read: (tree: Tree) => T): T {
  const tree = parser.parse(source);
  if (tree === null) throw new Error('tree-sitter returned no tree');
  try {
    return read(tree);
  } finally {
    tree.delete(); // trees live in WASM memory, which the garbage collector does not reclaim
  }
}

export async function findSyntaxProblems(
  language: SyntaxLanguage,
  source: string,
  max = 20,
): Promise<SyntaxProblem[]> {
  const parser = (await parsers())[language];
  return parseSource(parser, source, (tree) => {
    const found: SyntaxProblem[] = [];
    collectProblems(tree.rootNode, false, max, found);
    if (found.length === 0 && tree.rootNode.hasError)
      found.push({ line: 1, column: 1, message: 'Syntax error' });
    return found;
  });
}

/** Parses and hands the tree to `read`, freeing it afterwards. */
export async function withSyntaxTree<T>(
  language: SyntaxLanguage,
  source: string,
  read: (tree: Tree) => T,
): Promise<T> {
  return parseSource((await parsers())[language], source, read);
}
