import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { GenerationRequest } from '../../../core/domain/request.js';
import type { JobLinks } from '../../../core/job-links.js';
import type { JobStore } from '../../../core/ports/job-store.js';
import { html } from './html.js';
import { sendProblem } from './layout.js';

export interface JobAccess {
  request: GenerationRequest;
  /** The link's token, repeated in every link the page makes to itself. */
  token: string;
}

/** The job a verified link opened (set by `requireJobLink`). */
export function jobAccess(res: Response): JobAccess {
  return res.locals.jobAccess as JobAccess;
}

/**
 * Opens a job only through a valid link: forged or missing → 403, expired → 410 (saying how to get
 * a new one), valid but unknown → 404. The signature is checked before the database is asked, so a
 * guessed id learns nothing.
 */
export function requireJobLink(deps: {
  links: Pick<JobLinks, 'verify'>;
  store: Pick<JobStore, 'getRequest'>;
  /** Where the token is; default the `t` query parameter (the preview carries it in its path). */
  tokenOf?: (req: Request) => string | undefined;
}): RequestHandler {
  const tokenOf =
    deps.tokenOf ?? ((req: Request) => (typeof req.query.t === 'string' ? req.query.t : undefined));
  return (req: Request, res: Response, next: NextFunction) => {
    const id = String(req.params.id ?? '');
    const token = tokenOf(req);
    const check = deps.links.verify(id, token);
    if (check === 'forged') {
      sendProblem(
        res,
        403,
        'This link is not valid',
        'Open the job page from the link Autonoma posted in the thread, the pull request or the issue.',
      );
      return;
    }
    if (check === 'expired') {
      sendProblem(
        res,
        410,
        'This link expired',
        html`Ask for a new one with <code>/autonoma status ${id}</code>.`,
      );
      return;
    }
    deps.store.getRequest(id).then((request) => {
      if (!request) {
        sendProblem(res, 404, 'No such job', 'This job no longer exists.');
        return;
      }
      res.locals.jobAccess = { request, token: token ?? '' } satisfies JobAccess;
      next();
    }, next);
  };
}
