export { createHttpApp, type HttpAppDeps } from './app.js';
export { startHttpServer, type HttpServerHandle, type HttpServerOptions } from './server.js';
export { jsonBody, formBody, rawBody } from './body.js';
export {
  createMetrics,
  type CountCollector,
  type HttpMetrics,
  type MetricsOptions,
  type RequestSample,
} from './metrics.js';
export {
  postgresCheck,
  runReadinessChecks,
  type ReadinessCheck,
  type ReadinessReport,
  type SqlQuery,
} from './readiness.js';
export { errorHandler, notFoundHandler, toHttpFailure, type ErrorBody } from './error-handler.js';
export { REQUEST_ID_HEADER, resolveRequestId } from './request-context.js';
export { routeLabel } from './route-label.js';
