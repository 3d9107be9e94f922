import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConnectionError, DatabaseError } from 'sequelize';
import { isDatabaseUnavailable } from '../../src/lib/db.js';

/** What Sequelize throws when a query fails: its DatabaseError around the driver's error. */
function driverFailure(message: string, fields: Record<string, unknown>): DatabaseError {
  const cause = Object.assign(new Error(message), fields, { sql: 'SELECT 1' });
  return new DatabaseError(cause as ConstructorParameters<typeof DatabaseError>[0]);
}

describe('which database errors answer 503', () => {
  it('when the database is down or the connection died, then it is unavailable (503)', () => {
    assert.ok(isDatabaseUnavailable(new ConnectionError(new Error('refused'))));
    assert.ok(isDatabaseUnavailable(driverFailure('read ECONNRESET', { code: 'ECONNRESET' })));
    assert.ok(isDatabaseUnavailable(driverFailure('write EPIPE', { code: 'EPIPE' })));
    // Seen in the fault test: a pooled connection the server dropped, asked for one more query.
    assert.ok(
      isDatabaseUnavailable(
        driverFailure("Can't add new command when connection is in closed state", { fatal: true }),
      ),
    );
    assert.ok(isDatabaseUnavailable(driverFailure("Can't write in closed state", {})));
  });

  it('when a query itself is wrong, then it is not blamed on the database (500)', () => {
    assert.equal(
      isDatabaseUnavailable(
        driverFailure('You have an error in your SQL syntax', { code: 'ER_PARSE_ERROR' }),
      ),
      false,
    );
    assert.equal(isDatabaseUnavailable(new Error('something else')), false);
    assert.equal(isDatabaseUnavailable('not an error'), false);
  });
});
