import { DataTypes, type QueryInterface, type Transaction } from 'sequelize';

/**
 * Every table of the first wave. Timestamps are epoch milliseconds (BIGINT) and calendar
 * dates are `YYYY-MM-DD` strings, so both dialects read them back identically.
 */
export const name = '001-initial-schema';

const id = { type: DataTypes.UUID, primaryKey: true, allowNull: false };
const ref = (allowNull = false) => ({ type: DataTypes.UUID, allowNull });
const millis = (allowNull = false) => ({ type: DataTypes.BIGINT, allowNull });
const text = (length: number, allowNull = false) => ({ type: DataTypes.STRING(length), allowNull });
const decimal = { type: DataTypes.DECIMAL(18, 4), allowNull: false };

/**
 * `options` carries the migration lock's transaction on SQLite (see lib/migrate.ts); the schema
 * this creates is the same with or without it.
 */
export async function up(
  qi: QueryInterface,
  options: { transaction?: Transaction } = {},
): Promise<void> {
  await qi.createTable(
    'organizations',
    {
      id,
      slug: text(64),
      name: text(200),
      issuer: text(255),
      settings: { type: DataTypes.TEXT, allowNull: false },
      created_at: millis(),
      updated_at: millis(),
    },
    options,
  );
  await qi.addIndex('organizations', ['slug'], {
    unique: true,
    name: 'organizations_slug',
    ...options,
  });

  await qi.createTable(
    'org_origins',
    {
      org_id: { ...ref(), primaryKey: true },
      origin: { ...text(255), primaryKey: true },
    },
    options,
  );
  await qi.addIndex('org_origins', ['origin'], { name: 'org_origins_origin', ...options });

  await qi.createTable(
    'embed_keys',
    {
      kid: { ...text(64), primaryKey: true },
      org_id: ref(),
      alg: text(8),
      secret_encrypted: { type: DataTypes.TEXT, allowNull: true },
      public_key_pem: { type: DataTypes.TEXT, allowNull: true },
      status: text(16),
      created_at: millis(),
      retired_at: millis(true),
    },
    options,
  );
  await qi.addIndex('embed_keys', ['org_id', 'status'], {
    name: 'embed_keys_org_status',
    ...options,
  });

  await qi.createTable(
    'users',
    {
      id,
      org_id: ref(),
      external_id: text(255),
      name: text(200),
      email: text(320, true),
      avatar_url: text(2048, true),
      created_at: millis(),
      updated_at: millis(),
    },
    options,
  );
  await qi.addIndex('users', ['org_id', 'external_id'], {
    unique: true,
    name: 'users_org_sub',
    ...options,
  });

  await qi.createTable(
    'teams',
    {
      id,
      org_id: ref(),
      team_key: text(64),
      name: text(200),
      parent_id: ref(true),
      created_at: millis(),
    },
    options,
  );
  await qi.addIndex('teams', ['org_id', 'team_key'], {
    unique: true,
    name: 'teams_org_key',
    ...options,
  });

  await qi.createTable(
    'memberships',
    {
      user_id: { ...ref(), primaryKey: true },
      team_id: { ...ref(), primaryKey: true },
      org_id: ref(),
    },
    options,
  );
  await qi.addIndex('memberships', ['team_id'], { name: 'memberships_team', ...options });

  await qi.createTable(
    'timeframes',
    {
      id,
      org_id: ref(),
      name: text(100),
      start_date: text(10),
      end_date: text(10),
      created_at: millis(),
    },
    options,
  );
  await qi.addIndex('timeframes', ['org_id', 'start_date'], {
    name: 'timeframes_org_start',
    ...options,
  });

  await qi.createTable(
    'goals',
    {
      id,
      org_id: ref(),
      title: text(200),
      description: { type: DataTypes.TEXT, allowNull: true },
      level: text(16),
      owner_id: ref(true),
      team_id: ref(true),
      timeframe_id: ref(),
      parent_id: ref(true),
      progress_source: text(16),
      status: text(20),
      progress: { type: DataTypes.DOUBLE, allowNull: false },
      version: { type: DataTypes.INTEGER, allowNull: false },
      archived: { type: DataTypes.BOOLEAN, allowNull: false },
      deleted_at: millis(true),
      created_at: millis(),
      updated_at: millis(),
    },
    options,
  );
  // One index per list filter, each led by the tenant and ending in the paging order.
  for (const column of ['owner_id', 'team_id', 'timeframe_id', 'level', 'status', 'parent_id']) {
    await qi.addIndex('goals', ['org_id', column, 'created_at', 'id'], {
      name: `goals_org_${column}`,
      ...options,
    });
  }
  await qi.addIndex('goals', ['org_id', 'created_at', 'id'], {
    name: 'goals_org_created',
    ...options,
  });
  await qi.addIndex('goals', ['parent_id'], { name: 'goals_parent', ...options });

  await qi.createTable(
    'key_results',
    {
      id,
      org_id: ref(),
      goal_id: ref(),
      title: text(200),
      kind: text(16),
      start_value: decimal,
      target_value: decimal,
      current_value: decimal,
      unit: text(32, true),
      weight: { type: DataTypes.DECIMAL(10, 4), allowNull: false },
      owner_id: ref(true),
      status: text(20),
      progress: { type: DataTypes.DOUBLE, allowNull: false },
      version: { type: DataTypes.INTEGER, allowNull: false },
      deleted_at: millis(true),
      created_at: millis(),
      updated_at: millis(),
    },
    options,
  );
  await qi.addIndex('key_results', ['goal_id', 'created_at'], {
    name: 'key_results_goal',
    ...options,
  });
  await qi.addIndex('key_results', ['org_id', 'owner_id'], {
    name: 'key_results_org_owner',
    ...options,
  });

  await qi.createTable(
    'check_ins',
    {
      id,
      org_id: ref(),
      key_result_id: ref(),
      author_id: ref(),
      value: decimal,
      status: text(20),
      comment: { type: DataTypes.TEXT, allowNull: true },
      idempotency_key: text(255, true),
      // The key result's version this check-in produced: its commit order, for history paging.
      kr_version: { type: DataTypes.INTEGER, allowNull: false },
      created_at: millis(),
    },
    options,
  );
  await qi.addIndex('check_ins', ['key_result_id', 'kr_version'], {
    name: 'check_ins_key_result',
    ...options,
  });

  await qi.createTable(
    'idempotency_records',
    {
      id,
      org_id: ref(),
      user_id: ref(),
      idem_key: text(255),
      request_hash: text(64),
      status_code: { type: DataTypes.INTEGER, allowNull: false },
      // A stored answer holds a whole goal card; MySQL's plain TEXT stops at 64 KB.
      response_body: {
        type: qi.sequelize.getDialect() === 'mysql' ? DataTypes.TEXT('long') : DataTypes.TEXT,
        allowNull: false,
      },
      created_at: millis(),
      expires_at: millis(),
    },
    options,
  );
  await qi.addIndex('idempotency_records', ['org_id', 'user_id', 'idem_key'], {
    unique: true,
    name: 'idempotency_records_key',
    ...options,
  });
  await qi.addIndex('idempotency_records', ['expires_at'], {
    name: 'idempotency_records_expiry',
    ...options,
  });
}
