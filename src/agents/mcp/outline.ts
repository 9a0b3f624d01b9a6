import type { Node } from 'web-tree-sitter';
import { withSyntaxTree } from './syntax.js';
import type { SyntaxLanguage } from './syntax.js';

export type SymbolKind =
  'function' | 'class' | 'interface' | 'type' | 'enum' | 'variable' | 'export' | 'method';

export interface OutlineSymbol {
  kind: SymbolKind;
  /** Methods are named `Class.method`; `export { a as b }` gives `b`; a default export is `default`. */
  name: string;
  /** 1-based. */
  line: number;
  exported: boolean;
}

const DECLARATION_KINDS: Record<string, SymbolKind> = {
  function_declaration: 'function',
  generator_function_declaration: 'function',
  function_signature: 'function',
  class_declaration: 'class',
  abstract_class_declaration: 'class',
  interface_declaration: 'interface',
  type_alias_declaration: 'type',
  enum_declaration: 'enum',
};

const METHOD_NODES = new Set(['method_definition', 'abstract_method_signature', 'method_signature']);

function line(node: Node): number {
  return node.startPosition.row + 1;
}

function classMethods(className: string, declaration: Node, exported: boolean): OutlineSymbol[] {
  const body = declaration.childForFieldName('body');
  return (body?.namedChildren ?? [])
    .filter((member) => METHOD_NODES.has(member.type))
    .map((member) => ({
      kind: 'method' as const,
      name: `${className}.${member.childForFieldName('name')?.text ?? '?'}`,
      line: line(member),
      exported,
    }));
}

/** Symbols declared by one top-level statement (unwrapping `export` and `declare`). */
function declared(node: Node, exported: boolean): OutlineSymbol[] {
  if (node.type === 'ambient_declaration') {
    return node.namedChildren.flatMap((child) => declared(child, exported));
  }
  if (node.type === 'lexical_declaration' || node.type === 'variable_declaration') {
    return node.namedChildren
      .filter((child) => child.type === 'variable_declarator')
      .map((declarator) => ({
        kind: 'variable',
        name: declarator.childForFieldName('name')?.text ?? '?',
        line: line(declarator),
        exported,
      }));
  }
  const kind = DECLARATION_KINDS[node.type];
  if (kind === undefined) return [];
  const name = node.childForFieldName('name')?.text ?? 'default';
  const symbol: OutlineSymbol = { kind, name, line: line(node), exported };
  return kind === 'class' ? [symbol, ...classMethods(name, node, exported)] : [symbol];
}

function exportStatement(node: Node): OutlineSymbol[] {
  const declaration = node.childForFieldName('declaration');
  if (declaration !== null) return declared(declaration, true);
  const value = node.childForFieldName('value');
  if (value !== null) {
    const kind: SymbolKind =
      value.type === 'class' ? 'class' : value.type === 'function_expression' ? 'function' : 'export';
    return [{ kind, name: 'default', line: line(node), exported: true }];
  }
  const clause = node.namedChildren.find((child) => child.type === 'export_clause');
  if (clause) {
    return clause.namedChildren
      .filter((child) => child.type === 'export_specifier')
      .map((specifier) => ({
        kind: 'export',
        name: (specifier.childForFieldName('alias') ?? specifier.childForFieldName('name'))?.text ?? '?',
        line: line(specifier),
        exported: true,
      }));
  }
  // `export * from './x'` and `export * as ns from './x'`
  const namespace = node.namedChildren.find((child) => child.type === 'namespace_export');
  const source = node.childForFieldName('source')?.text ?? '';
  return [
    {
      kind: 'export',
      name: namespace ? (namespace.namedChildren[0]?.text ?? '*') : `* from ${source}`,
      line: line(node),
      exported: true,
    },
  ];
}

/** Top-level declarations and class methods of a TypeScript or TSX source, in source order. */
export function outlineSource(language: SyntaxLanguage, source: string): Promise<OutlineSymbol[]> {
  return withSyntaxTree(language, source, (tree) =>
    tree.rootNode.namedChildren.flatMap((node) =>
      node.type === 'export_statement' ? exportStatement(node) : declared(node, false),
    ),
  );
}
