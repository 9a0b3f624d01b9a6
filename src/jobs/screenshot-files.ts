/**
 * The running app's screenshots as pull request content: PNG files on the branch (replacing the
 * previous commit's, so iterations refresh them) and one row per page for the PR body.
 */
import type { FileMap } from '../core/domain/files.js';
import type { AppScreenshot } from '../core/domain/request.js';
import { encodeBinaryFile, SCREENSHOTS_DIR, type Forge, type RepositoryRef } from '../core/ports/forge.js';

const SAFE_FILE = /^[a-z0-9][a-z0-9-]{0,59}-(desktop|phone)\.png$/;

/** The app's files with this round's screenshots in place of any earlier ones. */
export function withScreenshots(files: FileMap, shots: readonly AppScreenshot[]): FileMap {
  const next = new Map([...files].filter(([file]) => !file.startsWith(`${SCREENSHOTS_DIR}/`)));
  for (const shot of shots) {
    if (SAFE_FILE.test(shot.file)) next.set(`${SCREENSHOTS_DIR}/${shot.file}`, encodeBinaryFile(shot.png));
  }
  return next;
}

function pageLabel(name: string, sections: readonly string[]): string {
  if (name === 'home') return 'Home';
  if (name === 'created') return 'After creating a record through the UI';
  const slug = (text: string) =>
    text
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '');
  return sections.find((section) => slug(section) === name) ?? name.replace(/-/g, ' ');
}

export interface ScreenshotRow {
  page: string;
  desktop?: string;
  phone?: string;
}

/** Rows in the order the browser took them (home first), each with the forge's image URLs. */
export function screenshotRows(
  forge: Pick<Forge, 'imageUrl'>,
  repo: RepositoryRef,
  branch: string,
  shots: readonly AppScreenshot[],
  sections: readonly string[],
): ScreenshotRow[] {
  const rows = new Map<string, ScreenshotRow>();
  for (const shot of shots) {
    if (!SAFE_FILE.test(shot.file)) continue;
    const row = rows.get(shot.name) ?? { page: pageLabel(shot.name, sections) };
    row[shot.viewport] = forge.imageUrl(repo, branch, `${SCREENSHOTS_DIR}/${shot.file}`);
    rows.set(shot.name, row);
  }
  return [...rows.values()];
}
