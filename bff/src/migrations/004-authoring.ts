import { DataTypes, type QueryInterface, type Transaction } from 'sequelize';

/**
 * Authoring from the embed (issue 14): key results keep the order their goal lists them in
 * (`position`, backfilled in creation order per goal), and every change of a goal's progress
 * or status is kept (`goal_progress_history`), so its history is drawn without recomputing
 * the past.
 */
export const name = '004-authoring';

export async function up(
  qi: QueryInterface,
  options: { transaction?: Transaction } = {},
): Promise<void> {
  await qi.addColumn(
    'key_results',
    'position',
    { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
    options,
  );
  // Each goal's key results numbered 0, 1, … in the order they were made, which is the order
  // every view showed them in before positions existed.
  const numbered = `SELECT id, ROW_NUMBER() OVER (PARTITION BY goal_id ORDER BY created_at, id) - 1 AS pos
                    FROM key_results`;
  await qi.sequelize.query(
    qi.sequelize.getDialect() === 'mysql'
      ? `UPDATE key_results k JOIN (${numbered}) r ON r.id = k.id SET k.position = r.pos`
      : `UPDATE key_results SET position = (SELECT r.pos FROM (${numbered}) r WHERE r.id = key_results.id)`,
    options,
  );
  await qi.addIndex('key_results', ['goal_id', 'position'], {
    name: 'key_results_goal_position',
    ...options,
  });

  await qi.createTable(
    'goal_progress_history',
    {
      id: { type: DataTypes.UUID, primaryKey: true, allowNull: false },
      org_id: { type: DataTypes.UUID, allowNull: false },
      goal_id: { type: DataTypes.UUID, allowNull: false },
      progress: { type: DataTypes.DOUBLE, allowNull: false },
      status: { type: DataTypes.STRING(20), allowNull: false },
      recorded_at: { type: DataTypes.BIGINT, allowNull: false },
    },
    options,
  );
  await qi.addIndex('goal_progress_history', ['goal_id', 'recorded_at'], {
    name: 'goal_progress_history_goal',
    ...options,
  });
}
