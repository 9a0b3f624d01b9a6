import type { Request, Response } from 'express';
import { decodeFileContent, SCREENSHOTS_DIR } from '../../../core/ports/forge.js';
import { jobAccess } from './access.js';
import type { BranchFiles } from './branch-files.js';
import { sendProblem } from './layout.js';
import { setAssetHeaders } from './security.js';

/** The names validation gives screenshots (home-desktop.png): no separators, no dot-dot, no hidden files. */
const SCREENSHOT_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,95}\.png$/;
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/**
 * GET /jobs/:id/screenshots/:file: a screenshot the job lists, read from its branch under
 * .autonoma/screenshots/ and served only if it is a PNG. Anything else is a 404.
 */
export function screenshotRoute(deps: { files: BranchFiles }) {
  return async (req: Request, res: Response) => {
    const { request } = jobAccess(res);
    const name = String(req.params.file ?? '');
    const listed = request.result?.screenshots?.some((shot) => shot.file === name) ?? false;
    if (!SCREENSHOT_NAME.test(name) || !listed) {
      sendProblem(res, 404, 'No such screenshot', 'This job has no screenshot by that name.');
      return;
    }
    const content = (await deps.files.load(request.result))?.get(`${SCREENSHOTS_DIR}/${name}`);
    const decoded = content === undefined ? undefined : decodeFileContent(content);
    if (!decoded?.binary || !decoded.bytes.subarray(0, 8).equals(PNG_SIGNATURE)) {
      sendProblem(res, 404, 'No such screenshot', 'The screenshot is no longer on the branch.');
      return;
    }
    setAssetHeaders(res, 'image/png');
    res.status(200).send(decoded.bytes);
  };
}
