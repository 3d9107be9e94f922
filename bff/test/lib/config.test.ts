import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { describeConfig, loadConfig } from '../../src/lib/config.js';

describe('start-up configuration in the log', () => {
  it('when the database URL has a password and a master key is set, then neither appears', () => {
    const key = Buffer.alloc(32, 7).toString('hex');
    const config = loadConfig({
      DATABASE_URL: 'mysql://okr:s3cret-pw@db.internal:3306/okr',
      OKR_MASTER_KEY: key,
    });
    const described = describeConfig(config, 'environment');
    const text = JSON.stringify(described);
    assert.equal(described.database, 'mysql://okr:redacted@db.internal:3306/okr');
    assert.equal(described.masterKey, 'environment');
    assert.ok(!text.includes('s3cret-pw') && !text.includes(key));
    assert.equal(describeConfig(loadConfig({}), 'none').masterKey, 'not set');
  });
});
