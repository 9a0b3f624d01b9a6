import { html, raw, type SafeHtml } from './html.js';
import { setPageHeaders } from './security.js';
import type { Response } from 'express';
import { PAGE_STYLE } from './style.js';

/** A whole document: one stylesheet and, when given, one script, both allowed by the page's nonce. */
export function sendPage(
  res: Response,
  status: number,
  page: { title: string; body: SafeHtml; script?: SafeHtml },
): void {
  const nonce = setPageHeaders(res);
  const document = html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="robots" content="noindex, nofollow" />
        <title>${page.title}</title>
        <style nonce="${nonce}">
          ${raw(PAGE_STYLE)}
        </style>
      </head>
      <body>
        <main id="main">${page.body}</main>
        ${
          page.script
            ? html`<script nonce="${nonce}">
                ${page.script};
              </script>`
            : ''
        }
      </body>
    </html> `;
  res.status(status).type('html').send(document.value);
}

/** The refusal pages: what happened and what to do, nothing about the job. */
export function sendProblem(
  res: Response,
  status: 403 | 404 | 410 | 413 | 429 | 502 | 503 | 504,
  heading: string,
  detail: SafeHtml | string,
): void {
  sendPage(res, status, {
    title: heading,
    body: html`<h1>${heading}</h1>
      <p>${detail}</p>`,
  });
}
