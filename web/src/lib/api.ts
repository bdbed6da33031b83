/**
 * The one way the web talks to the server: JSON over fetch with the session cookie, the CSRF token
 * on every write, and every failure turned into an `ApiError` carrying the server's Persian message.
 */
import type { ErrorBody, ErrorCode } from '@vosul/common/errors';

/** Codes of the server (`ErrorCode`) plus the two the client makes up itself. */
export type ApiErrorCode = ErrorCode | 'network' | 'unknown';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: ApiErrorCode,
    message: string,
    readonly field?: string,
    readonly requestId?: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export const isApiError = (e: unknown): e is ApiError => e instanceof ApiError;

/** A Persian message for anything thrown by a request (ApiError or not). */
export function errorMessage(e: unknown): string {
  if (e instanceof ApiError) return e.message;
  return 'خطای پیش‌بینی‌نشده‌ای رخ داد؛ دوباره تلاش کنید.';
}

const FALLBACK_MESSAGES: Record<number, string> = {
  400: 'اطلاعات ارسال‌شده معتبر نیست.',
  401: 'نشست شما به پایان رسیده است؛ دوباره وارد شوید.',
  403: 'دسترسی به این عملیات برای شما مجاز نیست.',
  404: 'رکورد مورد نظر یافت نشد.',
  409: 'این عملیات با وضعیت فعلی اطلاعات سازگار نیست.',
  413: 'حجم فایل بیش از حد مجاز است.',
  429: 'تعداد تلاش‌ها بیش از حد مجاز است؛ کمی بعد دوباره تلاش کنید.',
};

// ---- session state kept in memory (never in storage) ----

let csrfToken: string | null = null;
let unauthorizedHandler: (() => void) | null = null;

/** Set from the login and `/auth/me` answers; cleared on logout. */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** Called when any request (other than those with `skipAuthRedirect`) answers 401. */
export function setUnauthorizedHandler(handler: (() => void) | null): void {
  unauthorizedHandler = handler;
}

// ---- requests ----

export type QueryValue = string | number | boolean | null | undefined | readonly (string | number)[];
export type QueryParams = Record<string, QueryValue>;

/** `?a=1&b=x` from the non-empty params (arrays repeat the key); '' when nothing is left. */
export function toQueryString(params: QueryParams | undefined): string {
  if (!params) return '';
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === null || value === '') continue;
    if (Array.isArray(value)) {
      for (const v of value as readonly (string | number)[]) search.append(key, String(v));
    } else {
      search.append(key, String(value));
    }
  }
  const s = search.toString();
  return s ? `?${s}` : '';
}

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  query?: QueryParams;
  /** A plain object is sent as JSON; FormData as multipart. */
  body?: unknown;
  signal?: AbortSignal;
  /** A 401 is the expected answer (login, session probe): do not send the user to the login page. */
  skipAuthRedirect?: boolean;
}

async function send(path: string, options: RequestOptions): Promise<Response> {
  const method = options.method ?? 'GET';
  const headers: Record<string, string> = { accept: 'application/json' };
  let body: BodyInit | undefined;
  if (options.body instanceof FormData) {
    body = options.body;
  } else if (options.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(options.body);
  }
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;
  let response: Response;
  try {
    response = await fetch(path + toQueryString(options.query), {
      method,
      headers,
      body,
      credentials: 'same-origin',
      signal: options.signal,
    });
  } catch (e) {
    if (e instanceof DOMException && e.name === 'AbortError') throw e;
    throw new ApiError(0, 'network', 'ارتباط با سرور برقرار نشد؛ اتصال شبکه را بررسی کنید.');
  }
  if (!response.ok) throw await toApiError(response, options);
  return response;
}

function isErrorBody(value: unknown): value is ErrorBody {
  if (typeof value !== 'object' || value === null || !('error' in value)) return false;
  const error = value.error;
  return typeof error === 'object' && error !== null && 'message' in error && 'code' in error;
}

async function toApiError(response: Response, options: RequestOptions): Promise<ApiError> {
  let parsed: unknown = null;
  try {
    parsed = await response.json();
  } catch {
    // not JSON: fall back to the status
  }
  if (response.status === 401 && !options.skipAuthRedirect) unauthorizedHandler?.();
  if (isErrorBody(parsed)) {
    const { code, message, field, request_id, details } = parsed.error;
    return new ApiError(response.status, code, message, field, request_id, details);
  }
  return new ApiError(
    response.status,
    'unknown',
    FALLBACK_MESSAGES[response.status] ?? `خطای سرور (کد ${response.status})؛ دوباره تلاش کنید.`,
  );
}

/** A request answering JSON (or nothing, for 204). */
export async function request<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const response = await send(path, options);
  if (response.status === 204) return undefined as T;
  const type = response.headers.get('content-type') ?? '';
  if (!type.includes('json')) return undefined as T;
  return (await response.json()) as T;
}

type Opts = Omit<RequestOptions, 'method' | 'body' | 'query'>;

export const api = {
  get: <T>(path: string, query?: QueryParams, options?: Opts) => request<T>(path, { ...options, query }),
  post: <T>(path: string, body?: unknown, options?: Opts) =>
    request<T>(path, { ...options, method: 'POST', body }),
  patch: <T>(path: string, body?: unknown, options?: Opts) =>
    request<T>(path, { ...options, method: 'PATCH', body }),
  put: <T>(path: string, body?: unknown, options?: Opts) =>
    request<T>(path, { ...options, method: 'PUT', body }),
  delete: <T = void>(path: string, options?: Opts) => request<T>(path, { ...options, method: 'DELETE' }),
  download,
};

/** The file name of a `Content-Disposition` header (RFC 5987 `filename*` first). */
function fileNameOf(disposition: string | null, fallback: string): string {
  if (!disposition) return fallback;
  const star = /filename\*\s*=\s*(?:UTF-8|utf-8)''([^;]+)/.exec(disposition);
  if (star?.[1]) {
    try {
      return decodeURIComponent(star[1].trim());
    } catch {
      // fall through
    }
  }
  const plain = /filename\s*=\s*"?([^";]+)"?/.exec(disposition);
  return plain?.[1]?.trim() || fallback;
}

/** Downloads a file answer (an export) and hands it to the browser as a download. */
async function download(path: string, query?: QueryParams, fallbackName = 'export.xlsx'): Promise<void> {
  const response = await send(path, { query });
  const blob = await response.blob();
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileNameOf(response.headers.get('content-disposition'), fallbackName);
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
