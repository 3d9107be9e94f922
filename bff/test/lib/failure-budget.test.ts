import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createFailureBudget, sharedFailureBudget } from '../../src/lib/auth-failures.js';
import type { Allowance, SharedLimiter } from '../../src/lib/shared-state/index.js';

/** A shared limiter as Redis would answer it (a window a minute per key), counting round trips. */
function countingLimiter(perMinute: number, now: () => number) {
  const windows = new Map<string, { spent: number; endsAt: number }>();
  const calls = { peek: 0, consume: 0 };
  const windowOf = (key: string) => {
    let window = windows.get(key);
    if (!window || now() >= window.endsAt) {
      window = { spent: 0, endsAt: now() + 60_000 };
      windows.set(key, window);
    }
    return window;
  };
  const answer = ({ spent, endsAt }: { spent: number; endsAt: number }): Allowance =>
    spent < perMinute
      ? { allowed: true, remaining: perMinute - spent - 1, retryAfterSeconds: 0 }
      : { allowed: false, remaining: 0, retryAfterSeconds: Math.ceil((endsAt - now()) / 1000) };
  const limiter: SharedLimiter = {
    async peek(key) {
      calls.peek += 1;
      return answer(windowOf(key));
    },
    async consume(key) {
      calls.consume += 1;
      const window = windowOf(key);
      const allowance = answer(window);
      window.spent += 1;
      return allowance;
    },
  };
  return { limiter, calls };
}

describe('failure budgets per client address', () => {
  it('when the budget is this process’s, then it answers at once, refuses once spent, and refills', () => {
    let clock = 1_000_000;
    const budget = createFailureBudget(60, () => clock);
    for (let i = 0; i < 60; i += 1) {
      assert.equal(budget.retryAfterSeconds('198.51.100.1'), 0, 'a number, not a promise');
      budget.recordFailure('198.51.100.1');
    }
    assert.equal(budget.retryAfterSeconds('198.51.100.1'), 1);
    assert.equal(budget.retryAfterSeconds('198.51.100.2'), 0, 'another address has its own');
    clock += 1_000;
    assert.equal(budget.retryAfterSeconds('198.51.100.1'), 0, 'one a second comes back');
  });

  it('when the shared window is found spent, then the address is refused until it ends without asking Redis again', async () => {
    let clock = 5_000_000;
    const { limiter, calls } = countingLimiter(3, () => clock);
    const budget = sharedFailureBudget(limiter, () => clock);
    for (let i = 0; i < 3; i += 1) {
      assert.equal(await budget.retryAfterSeconds('203.0.113.9'), 0);
      await budget.recordFailure('203.0.113.9');
    }
    assert.equal(await budget.retryAfterSeconds('203.0.113.9'), 60);
    const asked = { ...calls };
    clock += 20_000;
    assert.equal(budget.retryAfterSeconds('203.0.113.9'), 40, 'answered here, at once');
    assert.deepEqual(calls, asked, 'no round trip while the window is known spent');
    assert.equal(await budget.retryAfterSeconds('203.0.113.10'), 0, 'other addresses still ask');

    clock += 40_000;
    assert.equal(await budget.retryAfterSeconds('203.0.113.9'), 0, 'a new window, asked again');
    assert.equal(calls.peek, asked.peek + 2, 'the other address, then the new window');
  });

  it('when a failure is recorded against a window another instance spent, then that refusal is remembered too', async () => {
    let clock = 9_000_000;
    const { limiter, calls } = countingLimiter(1, () => clock);
    const elsewhere = sharedFailureBudget(limiter, () => clock);
    const here = sharedFailureBudget(limiter, () => clock);
    await elsewhere.recordFailure('192.0.2.4');
    await here.recordFailure('192.0.2.4');
    const peeks = calls.peek;
    clock += 1_000;
    assert.equal(here.retryAfterSeconds('192.0.2.4'), 59);
    assert.equal(calls.peek, peeks);
  });
});
