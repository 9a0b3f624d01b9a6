import type { Request, Response } from 'express';
import type { JobResult } from '../../../core/domain/request.js';
import { jobAccess } from './access.js';
import type { BranchFiles } from './branch-files.js';
import { html } from './html.js';
import { sendProblem } from './layout.js';
import type { JobPreviews, PreviewSourceInput } from './preview-types.js';

/** The branch a job's preview runs, read through the job page's forge; undefined without one. */
export function previewSource(result: JobResult | null, files: BranchFiles): PreviewSourceInput | undefined {
  if (!result?.repository || !result.branch) return undefined;
  return {
    key: `${result.repository.forge}\n${result.repository.name}\n${result.branch}`,
    revision: result.commitSha ?? 'unknown',
    // The revision is part of the branch cache's key: a newer head is read afresh.
    load: (revision) => files.load({ ...result, commitSha: revision }),
  };
}

/** From /jobs/:id/preview[/stop] back to the job page, whatever prefix the server is mounted under. */
function backToPage(id: string, token: string, depth: 1 | 2): string {
  return `${'../'.repeat(depth)}${encodeURIComponent(id)}?t=${encodeURIComponent(token)}#preview`;
}

/** POST /jobs/:id/preview: starts the preview (GET never does), then back to the page. */
export function startPreviewRoute(deps: { previews: JobPreviews; files: BranchFiles }) {
  return (_req: Request, res: Response) => {
    const { request, token } = jobAccess(res);
    const source = previewSource(request.result, deps.files);
    if (!source) {
      sendProblem(res, 404, 'Nothing to preview yet', 'This job has no branch with an app on it.');
      return;
    }
    const outcome = deps.previews.start(request.id, source);
    if (!outcome.ok) {
      sendProblem(
        res,
        429,
        'Too many previews',
        html`${outcome.message} <a href="${backToPage(request.id, token, 1)}">Back to the job</a>`,
      );
      return;
    }
    res.redirect(303, backToPage(request.id, token, 1));
  };
}

/** POST /jobs/:id/preview/stop. */
export function stopPreviewRoute(deps: { previews: JobPreviews }) {
  return async (_req: Request, res: Response) => {
    const { request, token } = jobAccess(res);
    await deps.previews.stop(request.id, 'The preview was stopped.');
    res.redirect(303, backToPage(request.id, token, 2));
  };
}

/** GET /jobs/:id/preview/status: the page's script asks while a preview starts or runs. */
export function previewStatusRoute(deps: { previews: JobPreviews }) {
  return (_req: Request, res: Response) => {
    const { request } = jobAccess(res);
    const status = deps.previews.status(request.id);
    res.set({ 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' });
    res.json(
      status
        ? {
            state: status.state,
            revision: status.revision,
            expiresAt: new Date(status.expiresAt).toISOString(),
            ...(status.message ? { message: status.message } : {}),
          }
        : { state: 'none' },
    );
  };
}
