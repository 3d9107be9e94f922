import type { QueryInterface } from 'sequelize';

/**
 * A FULLTEXT index on goal titles for `q=` on MySQL/MariaDB, where `LIKE '%…%'` can use no
 * index and reads every goal of the org on each search. SQLite, the single-process embedded
 * default, keeps the plain LIKE over the org's rows (see goal-search.ts for the rule on both).
 */
export const name = '003-goal-title-search';

export async function up(qi: QueryInterface): Promise<void> {
  if (qi.sequelize.getDialect() !== 'mysql') return;
  await qi.sequelize.query('CREATE FULLTEXT INDEX goals_title_fulltext ON goals (title)');
}
