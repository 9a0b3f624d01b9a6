import type { JobResult } from '../domain/request.js';

/** One screenshot of the running app: its file on the branch, what it shows, its PNG bytes. */
export interface ScreenshotImage {
  file: string;
  label: string;
  png: Uint8Array;
}

/**
 * The first screenshots a job result lists (at most `maxFiles`, none over `maxBytes`), read from
 * wherever the job keeps them (its pull request branch); composed in main.ts, used by chat uploads.
 */
export type ReadScreenshots = (
  result: JobResult,
  limits: { maxFiles: number; maxBytes: number },
) => Promise<ScreenshotImage[]>;

/** The names validation gives screenshots (`home-desktop.png`): safe as file names and titles. */
export const SCREENSHOT_FILE = /^([a-z0-9][a-z0-9-]{0,59})-(desktop|phone)\.png$/;

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** A screenshot an upload may send: a validation-given name, PNG bytes, at most `maxBytes`. */
export function isUploadableScreenshot(image: ScreenshotImage, maxBytes: number): boolean {
  const { png } = image;
  return (
    SCREENSHOT_FILE.test(image.file) &&
    png.length > PNG_SIGNATURE.length &&
    png.length <= maxBytes &&
    PNG_SIGNATURE.every((byte, index) => png[index] === byte)
  );
}
