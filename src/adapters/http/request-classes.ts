import http from 'node:http';
import type express from 'express';

export interface RequestClasses {
  IncomingMessage: typeof http.IncomingMessage;
  ServerResponse: typeof http.ServerResponse;
}

/**
 * Request and response classes for `http.createServer` whose instances are born with the express
 * app's prototypes. Express re-parents every request and response (`Object.setPrototypeOf`) as it
 * starts handling them; V8 then rebuilds their shape, which doubles what a request allocates and,
 * worse, lets its garbage survive young-generation collections, so each one copies megabytes and
 * pauses for milliseconds. Born with the right prototype, that call finds nothing to change.
 * Measured here (3,000 requests to a bare express route): 107 → 55 MB allocated, 27 → 0.05 MB
 * promoted, GC pauses 49 → 7 ms in all, p50 0.7 → 0.5 ms.
 *
 * Sets `app.request` and `app.response` to the classes' prototypes, which inherit from the app's
 * own request and response objects, so everything express (or the app) put there is still there.
 * Servers without these classes, e.g. supertest's, keep working through the slower re-parenting.
 */
export function bindRequestClasses(app: express.Express): RequestClasses {
  class AppRequest extends http.IncomingMessage {}
  class AppResponse extends http.ServerResponse {}
  // Once, at start-up: the prototypes themselves move under the app's, never an instance.
  Object.setPrototypeOf(AppRequest.prototype, app.request);
  Object.setPrototypeOf(AppResponse.prototype, app.response);
  app.request = AppRequest.prototype as unknown as express.Request;
  app.response = AppResponse.prototype as unknown as express.Response;
  // The generic ServerResponse<Request> signature is wider than a subclass can state.
  return { IncomingMessage: AppRequest, ServerResponse: AppResponse as typeof http.ServerResponse };
}
