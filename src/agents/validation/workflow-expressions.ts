/**
 * Finds reads of the `secrets` context in GitHub Actions expressions. Contexts are
 * case-insensitive, and `}}` inside a quoted literal does not end an expression, so this tokenises
 * rather than matching `${{ … }}` with a regular expression.
 */

/** The only secret a generated workflow may read: the job's own (read-only) token. */
const ALLOWED_SECRET = 'github_token';

/** The expressions in a string value: each `${{ … }}` body, or the whole text when `bare` (an `if:`). */
export function expressionsIn(text: string, bare: boolean): string[] {
  if (bare && !text.includes('${{')) return [text];
  const expressions: string[] = [];
  let start = text.indexOf('${{');
  while (start !== -1) {
    const end = expressionEnd(text, start + 3);
    expressions.push(text.slice(start + 3, end));
    start = text.indexOf('${{', end + 2);
  }
  return expressions;
}

/** Index of the `}}` closing an expression body that starts at `from`, skipping quoted literals. */
function expressionEnd(text: string, from: number): number {
  let i = from;
  while (i < text.length) {
    if (text[i] === "'") {
      i += 1;
      // '' is an escaped quote inside a literal
      while (i < text.length && !(text[i] === "'" && text[i + 1] !== "'")) i += text[i] === "'" ? 2 : 1;
      i += 1;
    } else if (text.startsWith('}}', i)) {
      return i;
    } else {
      i += 1;
    }
  }
  return text.length;
}

/** Each way an expression reads a secret other than GITHUB_TOKEN, as written (`secrets.NPM_TOKEN`). */
export function secretReads(expression: string): string[] {
  // Blank out literals (keeping offsets) so 'secrets' in a string is not a read.
  const code = expression.replace(/'(?:[^']|'')*'/g, (literal) => `'${' '.repeat(literal.length - 2)}'`);
  const reads: string[] = [];
  // `secrets` as a context, not as a property (`github.secrets`) or part of a longer name.
  const context = /(?<![\w.-])secrets(?![\w-])(?:\s*\.\s*([A-Za-z_][\w-]*))?/gi;
  for (const match of code.matchAll(context)) {
    const start = match.index ?? 0;
    let end = start + match[0].length;
    const rest = code.slice(end);
    const next = rest.trimStart()[0];
    if (match[1]?.toLowerCase() === ALLOWED_SECRET && next !== '.' && next !== '[') continue;
    if (next === '[') end += rest.indexOf(']') + 1 || rest.length;
    reads.push(expression.slice(start, end));
  }
  return reads;
}
