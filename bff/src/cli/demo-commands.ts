import { checkedOrigins, integer, parse, print, text, type Command } from './args.js';
import { progressOn } from './progress.js';
import { withSession } from './session.js';

export const demoCommands: Record<string, Command> = {
  async 'seed-demo'(args, context) {
    const { values } = parse(args, {
      org: { type: 'string' },
      goals: { type: 'string' },
      origin: { type: 'string', multiple: true },
    });
    const goals = integer(values, 'goals', 0, 1_000_000) ?? 0;
    const origins = await checkedOrigins(values, 'origin');
    const { seedDemo } = await import('../components/demo/demo.seed.js');
    const progress = progressOn('goals');
    const seeded = await withSession(context, 'write', ({ db, orgs }) =>
      seedDemo(db, orgs, {
        slug: text(values, 'org') ?? 'demo',
        goals,
        origins,
        onProgress: (done, total) => progress.update(done, total),
      }),
    ).finally(() => progress.stop());
    print(
      values,
      seeded,
      [
        `Seeded org ${seeded.org}: ${seeded.goals} goals, ${seeded.teams} teams, ${seeded.users} users; key ${seeded.kid}`,
        ...(seeded.secret
          ? [
              `secret: ${seeded.secret}`,
              "(Shown once. Store it on the host's server; it signs the users' tokens.)",
            ]
          : []),
      ].join('\n'),
    );
  },
};
