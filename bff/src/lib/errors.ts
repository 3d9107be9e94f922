/** The one error type the BFF throws on purpose; the error middleware turns it into JSON. */
export class AppError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export const notFound = (what = 'Resource') => new AppError('not_found', `${what} not found`, 404);

export const forbidden = (message: string) => new AppError('forbidden', message, 403);

export const conflict = (code: string, message: string, details?: unknown) =>
  new AppError(code, message, 409, details);

export const badRequest = (message: string, details?: unknown) =>
  new AppError('validation_failed', message, 400, details);
