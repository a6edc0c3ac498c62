/**
 * Errors in the Anthropic shape. Anything thrown inside the proxy that is not a ProxyError is a
 * bug of ours and reaches the client as a generic `api_error`, never as a stack trace.
 */

export type AnthropicErrorType =
  | 'invalid_request_error'
  | 'authentication_error'
  | 'permission_error'
  | 'not_found_error'
  | 'request_too_large'
  | 'rate_limit_error'
  | 'timeout_error'
  | 'api_error'
  | 'overloaded_error';

export class ProxyError extends Error {
  readonly status: number;
  readonly type: AnthropicErrorType;
  /** Seconds, forwarded as `retry-after` so SDK clients back off as the upstream asked. */
  readonly retryAfter?: string;
  /** The methods a path accepts, sent as `Allow` with a 405. */
  allow?: string;

  constructor(status: number, type: AnthropicErrorType, message: string, retryAfter?: string) {
    super(message);
    this.name = 'ProxyError';
    this.status = status;
    this.type = type;
    this.retryAfter = retryAfter;
  }
}

export function methodNotAllowed(method: string, path: string, allow: string): ProxyError {
  const error = new ProxyError(
    405,
    'invalid_request_error',
    `Method ${method} is not allowed on ${path}; use ${allow.split(', ').join(' or ')}.`,
  );
  error.allow = allow;
  return error;
}

export const invalidRequest = (message: string): ProxyError =>
  new ProxyError(400, 'invalid_request_error', message);

/** The Anthropic error type for an HTTP status, per the API's documented table. */
export function errorTypeForStatus(status: number): AnthropicErrorType {
  switch (status) {
    case 400:
      return 'invalid_request_error';
    case 401:
      return 'authentication_error';
    case 403:
      return 'permission_error';
    case 404:
      return 'not_found_error';
    case 413:
      return 'request_too_large';
    case 429:
      return 'rate_limit_error';
    case 503:
    case 529:
      return 'overloaded_error';
    case 504:
      return 'timeout_error';
    default:
      return status >= 500 ? 'api_error' : 'invalid_request_error';
  }
}

export interface ErrorBody {
  type: 'error';
  error: { type: AnthropicErrorType; message: string };
  request_id?: string;
}

export function errorBody(type: AnthropicErrorType, message: string, requestId?: string): ErrorBody {
  return { type: 'error', error: { type, message }, ...(requestId ? { request_id: requestId } : {}) };
}
