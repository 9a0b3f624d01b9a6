import type { ErrorRequestHandler, Request, RequestHandler, Response } from 'express';
import { AutonomaError, type ErrorCode } from '../../core/errors.js';

export interface ErrorBody {
  error: { code: string; message: string; requestId: string };
}

interface HttpFailure {
  status: number;
  code: string;
  message: string;
}

const STATUS_BY_CODE: Partial<Record<ErrorCode, number>> = {
  invalid_input: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  rate_limited: 429,
  quota_exceeded: 429,
};

const INTERNAL: HttpFailure = {
  status: 500,
  code: 'internal',
  message: 'Something went wrong on our side. Try again; if it keeps failing, quote the request id.',
};

/** The shape of http-errors, as raised by express's body parsers (with a `type`) and middleware. */
interface HttpErrorLike {
  type?: unknown;
  status?: unknown;
  expose?: unknown;
  message?: unknown;
  limit?: unknown;
}

const CODE_BY_STATUS: Record<number, string> = {
  400: 'invalid_input',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  409: 'conflict',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  429: 'rate_limited',
};

function describeBytes(bytes: unknown): string {
  if (typeof bytes !== 'number') return 'configured';
  if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) === 0) return `${bytes / (1024 * 1024)}mb`;
  if (bytes >= 1024 && bytes % 1024 === 0) return `${bytes / 1024}kb`;
  return `${bytes} bytes`;
}

function fromBodyParser(error: HttpErrorLike): HttpFailure | undefined {
  switch (error.type) {
    case 'entity.too.large':
      return {
        status: 413,
        code: 'payload_too_large',
        message: `The request body is larger than the ${describeBytes(error.limit)} limit; send a smaller body.`,
      };
    case 'entity.parse.failed':
      return { status: 400, code: 'invalid_input', message: 'The request body is not valid JSON.' };
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return {
        status: 415,
        code: 'unsupported_media_type',
        message: 'The request body uses an unsupported encoding or charset; send UTF-8.',
      };
    case 'request.aborted':
    case 'request.size.invalid':
    case 'stream.encoding.set':
    case 'parameters.too.many':
      return { status: 400, code: 'invalid_input', message: 'The request body could not be read.' };
    default:
      return undefined;
  }
}

/** A 4xx http-error marked `expose` carries a message meant for the client. */
function fromExposedHttpError(error: HttpErrorLike): HttpFailure | undefined {
  const { status, expose, message } = error;
  if (expose !== true || typeof status !== 'number' || status < 400 || status > 499) return undefined;
  return {
    status,
    code: CODE_BY_STATUS[status] ?? 'client_error',
    message: typeof message === 'string' && message !== '' ? message : 'The request was rejected.',
  };
}

/** Maps anything thrown to a status and a message safe to show; unknown errors say nothing inside. */
export function toHttpFailure(error: unknown): HttpFailure {
  if (error instanceof AutonomaError) {
    const status = STATUS_BY_CODE[error.code];
    return status === undefined ? INTERNAL : { status, code: error.code, message: error.message };
  }
  if (typeof error === 'object' && error !== null) {
    const httpError = error as HttpErrorLike;
    return fromBodyParser(httpError) ?? fromExposedHttpError(httpError) ?? INTERNAL;
  }
  return INTERNAL;
}

function send(res: Response, req: Request, failure: HttpFailure): void {
  const body: ErrorBody = {
    error: { code: failure.code, message: failure.message, requestId: req.id },
  };
  res.status(failure.status).json(body);
}

/** Last route: nothing matched. */
export function notFoundHandler(): RequestHandler {
  return (req, res) => {
    send(res, req, { status: 404, code: 'not_found', message: `No route for ${req.method} ${req.path}.` });
  };
}

/** Last middleware: turns errors into `{ error: { code, message, requestId } }`, never a stack trace. */
export function errorHandler(): ErrorRequestHandler {
  return (error: unknown, req, res, next) => {
    // Part of the response is already out: let express cut the connection.
    if (res.headersSent) {
      next(error);
      return;
    }
    const failure = toHttpFailure(error);
    if (failure.status >= 500) {
      req.log.error({ err: error }, 'request failed');
    } else {
      req.log.warn({ code: failure.code, status: failure.status }, 'request rejected');
    }
    if (error instanceof AutonomaError && failure.status === 429) {
      const retryAfter = error.details?.retryAfterSeconds;
      if (typeof retryAfter === 'number') res.setHeader('retry-after', String(Math.ceil(retryAfter)));
    }
    send(res, req, failure);
  };
}
