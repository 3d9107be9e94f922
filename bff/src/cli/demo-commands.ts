import { integer, parse, print, text, type Command } from './args.js';
import { withSession } from './session.js';

function progressBar(done: number, total: number) {
  if (!process.stderr.isTTY) return;
  const width = 30;
  const filled = Math.round((done / total) * width);
  process.stderr.write(
    `\r[${'#'.repeat(filled)}${' '.repeat(width - filled)}] ${done}/${total} goals`,
  );
  if (done >= total) process.stderr.write('\n');
}

export const demoCommands: Record<string, Command> = {
  async 'seed-demo'(args, context) {
    const { values } = parse(args, { org: { type: 'string' }, goals: { type: 'string' } });
    const goals = integer(values, 'goals', 0, 1_000_000) ?? 0;
    const { seedDemo } = await import('../components/demo/demo.seed.js');
    const seeded = await withSession(context, 'write', ({ db, orgs }) =>
      seedDemo(db, orgs, {
        slug: text(values, 'org') ?? 'demo',
        goals,
        onProgress: progressBar,
      }),
    );
    print(
      values,
      seeded,
      `Seeded org ${seeded.org}: ${seeded.goals} goals, ${seeded.teams} teams, ${seeded.users} users; key ${seeded.kid}`,
    );
  },
};
