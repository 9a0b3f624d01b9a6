/**
 * Helpers for embedding untrusted spec text in generated files. Every label, description or name a
 * user typed goes through one of these; identifiers are safe already (the spec schema restricts them).
 */

/** A string literal safe inside TypeScript/TSX and inside an inline `<script>` (no `</script>` breakout). */
export function tsString(value: string): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/\$\{/g, '\\u0024{')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/** Text for HTML element content or a double-quoted attribute. */
export function htmlText(value: string): string {
  return value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** Inline Markdown text: HTML-escaped, Markdown punctuation neutralised, kept on one line. */
export function mdText(value: string): string {
  return htmlText(value.replace(/\s+/g, ' ').trim()).replace(/([\\`*_[\]{}()#+|!~])/g, '\\$1');
}

/** A double-quoted YAML / TOML scalar (both accept JSON string escapes for these characters). */
export function quotedScalar(value: string): string {
  return JSON.stringify(value);
}

/** Joins lines, dropping `null`/`false` entries so optional lines can be written inline. */
export function lines(...parts: ReadonlyArray<string | null | false | undefined>): string {
  return parts.filter((part): part is string => typeof part === 'string').join('\n');
}

/** Indents every non-empty line of `text` by `depth` levels of two spaces. */
export function indent(text: string, depth = 1): string {
  const pad = '  '.repeat(depth);
  return text
    .split('\n')
    .map((line) => (line.length > 0 ? pad + line : line))
    .join('\n');
}

/** Collects named / type-only / default imports and prints them sorted (packages first, then paths). */
export class Imports {
  private readonly modules = new Map<string, { values: Set<string>; types: Set<string>; main?: string }>();

  add(module: string, ...names: string[]): this {
    for (const name of names) this.entry(module).values.add(name);
    return this;
  }

  addType(module: string, ...names: string[]): this {
    for (const name of names) this.entry(module).types.add(name);
    return this;
  }

  addDefault(module: string, name: string): this {
    this.entry(module).main = name;
    return this;
  }

  render(): string[] {
    const rank = (module: string): string => (module.startsWith('.') ? `1${module}` : `0${module}`);
    return [...this.modules.entries()]
      .sort(([a], [b]) => (rank(a) < rank(b) ? -1 : 1))
      .map(([module, { values, types, main }]) => {
        const typeOnly = values.size === 0 && main === undefined;
        const named = [
          ...[...values].map((name) => ({ name, text: name })),
          ...[...types].map((name) => ({ name, text: typeOnly ? name : `type ${name}` })),
        ]
          .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
          .map((entry) => entry.text);
        const clause = [main, named.length > 0 ? `{ ${named.join(', ')} }` : undefined]
          .filter(Boolean)
          .join(', ');
        return `import ${typeOnly ? 'type ' : ''}${clause} from '${module}';`;
      });
  }

  private entry(module: string): { values: Set<string>; types: Set<string>; main?: string } {
    let entry = this.modules.get(module);
    if (!entry) {
      entry = { values: new Set(), types: new Set() };
      this.modules.set(module, entry);
    }
    return entry;
  }
}
