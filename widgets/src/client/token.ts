/** Seconds before `exp` at which a cached token is no longer handed out. */
const EXPIRY_MARGIN_SECONDS = 30;

/** Reads `exp` from a JWT without verifying it: the BFF verifies, the page only schedules. */
export function tokenExpiry(token: string): number | undefined {
  const payload = token.split('.')[1];
  if (!payload) return undefined;
  try {
    const json = atob(payload.replace(/-/g, '+').replace(/_/g, '/'));
    const exp = (JSON.parse(json) as { exp?: unknown }).exp;
    return typeof exp === 'number' ? exp : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Holds the page's token in memory only and asks the host's `tokenProvider` for a new one
 * as rarely as possible: once at start, shortly before `exp`, and once after a 401. Every
 * caller waiting at the same moment shares one provider call (single flight).
 */
export class TokenCache {
  private token: string | undefined;
  private pending: Promise<string> | undefined;

  constructor(
    private readonly provider: () => Promise<string>,
    private readonly now: () => number = Date.now,
  ) {}

  /** A usable token: the cached one while it is fresh, otherwise a new one. */
  get(): Promise<string> {
    if (this.token !== undefined && this.isFresh(this.token)) return Promise.resolve(this.token);
    return this.refresh();
  }

  /**
   * Drops `rejected` (the token a request got a 401 with) and fetches a new one. When another
   * caller already replaced that token, its replacement is reused instead of asking again.
   */
  invalidate(rejected: string): Promise<string> {
    if (this.token !== undefined && this.token !== rejected) return this.get();
    this.token = undefined;
    return this.refresh();
  }

  private refresh(): Promise<string> {
    this.pending ??= this.provider().then(
      (token) => {
        this.token = token;
        this.pending = undefined;
        return token;
      },
      (error: unknown) => {
        this.pending = undefined;
        throw error;
      },
    );
    return this.pending;
  }

  private isFresh(token: string): boolean {
    const exp = tokenExpiry(token);
    return exp === undefined || exp - EXPIRY_MARGIN_SECONDS > this.now() / 1000;
  }
}
