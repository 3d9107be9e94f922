/** Seconds before `exp` at which a cached token is no longer handed out. */
const EXPIRY_MARGIN_SECONDS = 30;

/** A JWT's `exp` and `iat`, read without verifying: the BFF verifies, the page only schedules. */
function timesOf(token: string): { exp?: number; iat?: number } {
  const payload = token.split('.')[1];
  if (!payload) return {};
  try {
    const json = atob(payload.replace(/-/g, '+').replace(/_/g, '/'));
    const { exp, iat } = JSON.parse(json) as { exp?: unknown; iat?: unknown };
    return {
      exp: typeof exp === 'number' ? exp : undefined,
      iat: typeof iat === 'number' ? iat : undefined,
    };
  } catch {
    return {};
  }
}

/**
 * When, on this page's clock, `token` (asked for at `requestedAt`) stops being handed out. The
 * host signs on its server's clock, and a laptop's clock may be minutes or hours off; so the
 * token's lifetime (`exp − iat`) is counted from when it was asked for, not compared with `exp`.
 */
function staleAt(token: string, requestedAt: number): number {
  const { exp, iat } = timesOf(token);
  if (exp === undefined) return Infinity;
  const expiresAt = iat === undefined || iat > exp ? exp * 1000 : requestedAt + (exp - iat) * 1000;
  return expiresAt - EXPIRY_MARGIN_SECONDS * 1000;
}

/**
 * Holds the page's token in memory only and asks the host's `tokenProvider` for a new one
 * as rarely as possible: once at start, shortly before `exp`, and once after a 401. Every
 * caller waiting at the same moment shares one provider call (single flight).
 */
export class TokenCache {
  private token: string | undefined;
  /** Page-clock milliseconds from which `token` is replaced before use. */
  private tokenStaleAt = 0;
  private pending: Promise<string> | undefined;

  constructor(
    private readonly provider: () => Promise<string>,
    private readonly now: () => number = Date.now,
  ) {}

  /** A usable token: the cached one while it is fresh, otherwise a new one. */
  get(): Promise<string> {
    if (this.token !== undefined && this.now() < this.tokenStaleAt)
      return Promise.resolve(this.token);
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
    const requestedAt = this.now();
    this.pending ??= this.provider().then(
      (token) => {
        this.token = token;
        this.tokenStaleAt = staleAt(token, requestedAt);
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
}
