import type { FileMap } from '../../../core/domain/files.js';
import { decodeFileContent } from '../../../core/ports/forge.js';
import { formatBytes } from './format.js';
import { html, type SafeHtml } from './html.js';

/** Bounds: a tree this long is listed in part, a file this big is shown in part. */
export const MAX_TREE_ENTRIES = 2_000;
export const MAX_CODE_BYTES = 200_000;

interface Folder {
  folders: Map<string, Folder>;
  files: string[];
}

function buildTree(paths: string[]): Folder {
  const root: Folder = { folders: new Map(), files: [] };
  for (const file of paths) {
    const parts = file.split('/');
    let folder = root;
    for (const part of parts.slice(0, -1)) {
      let next = folder.folders.get(part);
      if (!next) {
        next = { folders: new Map(), files: [] };
        folder.folders.set(part, next);
      }
      folder = next;
    }
    folder.files.push(file);
  }
  return root;
}

function renderFolder(folder: Folder, prefix: string, token: string, selected: string | undefined): SafeHtml {
  const href = (file: string) => `?t=${encodeURIComponent(token)}&file=${encodeURIComponent(file)}#code`;
  const small = folder.folders.size + folder.files.length < 4;
  return html`<ul>
    ${[...folder.folders.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([name, sub]) => {
        const path = `${prefix}${name}/`;
        const open = small || selected?.startsWith(path);
        return html`<li><details${open ? html` open` : ''}><summary>${name}/</summary>${renderFolder(sub, path, token, selected)}</details></li>
`;
      })}${[...folder.files]
      .sort((a, b) => a.localeCompare(b))
      .map(
        (file) =>
          html`<li>
            <a href="${href(file)}" ${file === selected ? html` aria-current="page"` : ''}
              >${file.slice(prefix.length)}</a
            >
          </li> `,
      )}
  </ul>`;
}

/** The branch's files as a folder tree; each file links to the page with its code shown. */
export function renderFiles(
  files: FileMap | undefined,
  token: string,
  selected: string | undefined,
): SafeHtml {
  if (!files) return html``;
  const paths = [...files.keys()].sort();
  const shown = paths.slice(0, MAX_TREE_ENTRIES);
  return html`<section aria-labelledby="files-heading">
    <h2 id="files-heading">Files</h2>
    <nav class="files" aria-label="Files of the pull request branch">
      ${renderFolder(buildTree(shown), '', token, selected)}
    </nav>
    ${paths.length > shown.length ? html`<p class="muted">…and ${paths.length - shown.length} more files.</p>` : ''}
    ${selected !== undefined ? renderCode(files, selected) : ''}
  </section>`;
}

function renderCode(files: FileMap, file: string): SafeHtml {
  const content = files.get(file);
  if (content === undefined)
    return html`<section id="code" aria-labelledby="code-heading">
      <h3 id="code-heading">${file}</h3>
      <p>This file is not on the branch.</p>
    </section>`;
  const { bytes, binary } = decodeFileContent(content);
  if (binary)
    return html`<section id="code" aria-labelledby="code-heading">
      <h3 id="code-heading">${file}</h3>
      <p>Binary file, ${formatBytes(bytes.length)}.</p>
    </section>`;
  const cut = bytes.length > MAX_CODE_BYTES;
  const text = cut ? bytes.subarray(0, MAX_CODE_BYTES).toString('utf8') : content;
  return html`<section id="code" aria-labelledby="code-heading">
    <h3 id="code-heading">${file}</h3>
    <pre tabindex="0"><code>${text}</code></pre>
    ${cut ? html`<p class="muted">Showing the first ${formatBytes(MAX_CODE_BYTES)} of ${formatBytes(bytes.length)}.</p>` : ''}
  </section>`;
}
