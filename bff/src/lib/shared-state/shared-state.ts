/**
 * What the BFF instances of one deployment must agree on, behind one small interface: each
 * org's view generation, rate-limit allowances, and the news that an org or key changed. One
 * process keeps it in memory (the embedded default needs no Redis); with `REDIS_URL` every
 * instance shares it through Redis. Chosen once, when the app is wired.
 */

/** `in-process`: nothing shared; `ok`: Redis answers; `degraded`: it does not (yet). */
export type SharedStatus = 'in-process' | 'ok' | 'degraded';

export interface Allowance {
  allowed: boolean;
  /** Whole requests left after this one. */
  remaining: number;
  /** 0 when allowed; otherwise the seconds until one more is. */
  retryAfterSeconds: number;
}

/**
 * A per-key allowance of `perMinute`, shared by every instance when Redis is. The limiter in
 * this process answers at once, not in a promise: a request it lets through goes on without
 * waiting for a turn of the event loop. Redis answers after its round trip.
 */
export interface SharedLimiter {
  /** Spends one, unless none is left (then refuses and spends nothing). */
  consume(key: string): Allowance | Promise<Allowance>;
  /** What `consume` would answer, spending nothing. */
  peek(key: string): Allowance | Promise<Allowance>;
}

export interface SharedState {
  status(): SharedStatus;
  /**
   * The org's view generation now, or undefined when it cannot be known (Redis down): the
   * caller must then read without the cache, never from it.
   */
  generation(orgId: string): Promise<number | undefined>;
  /** Moves the org's generation on; never throws (a failed bump is retried on reconnect). */
  bumpGeneration(orgId: string): Promise<void>;
  limiter(name: string, perMinute: number): SharedLimiter;
  /** Tells every instance (this one too) that an org, its origins or its keys changed. */
  publishOrgChange(orgId: string | null): Promise<void>;
  onOrgChange(listener: (orgId: string | null) => void): void;
  /**
   * Called with every change of status. After `degraded` → `ok` a Redis may have restarted
   * with nothing in it: listeners forget what they hold.
   */
  onStatusChange(listener: (status: SharedStatus) => void): void;
  close(): Promise<void>;
}
