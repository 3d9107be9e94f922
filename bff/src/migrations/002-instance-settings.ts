import { DataTypes, type QueryInterface, type Transaction } from 'sequelize';

/**
 * Facts about the installation rather than any tenant: first of them the master key's check
 * value, so a wrong OKR_MASTER_KEY is refused before it meets a secret.
 */
export const name = '002-instance-settings';

export async function up(
  qi: QueryInterface,
  options: { transaction?: Transaction } = {},
): Promise<void> {
  await qi.createTable(
    'instance_settings',
    {
      name: { type: DataTypes.STRING(64), primaryKey: true, allowNull: false },
      value: { type: DataTypes.TEXT, allowNull: false },
      updated_at: { type: DataTypes.BIGINT, allowNull: false },
    },
    options,
  );
}
