import type { Changes } from '../lib/changes.js';
import { readFileSync } from 'node:fs';
import { parse, print, text, type Command } from './args.js';
import { withSession, type Session } from './session.js';
import { AppError } from '../lib/errors.js';

async function directoryOf({ db, orgChanged }: Session) {
  const [{ createDirectoryRepository }, { createDirectoryService }] = await Promise.all([
    import('../components/directory/directory.repository.js'),
    import('../components/directory/directory.service.js'),
  ]);
  // This process serves no views: a commit marks the org changed, and the session announces
  // it to running instances when the command ends (with REDIS_URL; else within 5 s).
  const changes: Changes = {
    committed: async (orgId) => orgChanged(orgId),
    async committedWith(orgId, read) {
      orgChanged(orgId);
      return read();
    },
  };
  return createDirectoryService({ db, directory: createDirectoryRepository(db), changes });
}

function readFile(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    throw new AppError('unreadable_file', `Cannot read ${file}`, 400);
  }
}

/** `okr users import` and `okr teams import`: the same flags, the same whole-or-nothing run. */
function importCommand(what: 'users' | 'teams'): Command {
  return async (args, context) => {
    const { values, positionals } = parse(
      args,
      { org: { type: 'string' }, 'dry-run': { type: 'boolean' } },
      { required: ['org'], positionals: ['file'] },
    );
    const dryRun = values['dry-run'] === true;
    const content = readFile(positionals[0] ?? '');
    const csv = await import('../components/directory/directory.csv.js');
    // The file is checked whole before the database is opened.
    const rows = what === 'users' ? csv.parseUsersCsv(content) : csv.parseTeamsCsv(content);
    const result = await withSession(context, dryRun ? 'read' : 'write', async (session) => {
      const org = await session.orgs.orgBySlug(text(values, 'org') ?? '');
      const directory = await directoryOf(session);
      return what === 'users'
        ? directory.importUsers(org.id, rows as ReturnType<typeof csv.parseUsersCsv>, dryRun)
        : directory.importTeams(org.id, rows as ReturnType<typeof csv.parseTeamsCsv>, dryRun);
    });
    print(
      values,
      { ...result, dryRun },
      `${dryRun ? 'Would import' : 'Imported'} ${rows.length} ${what}: ${result.created} new, ${result.updated} updated`,
    );
  };
}

export const directoryCommands: Record<string, Command> = {
  'users import': importCommand('users'),
  'teams import': importCommand('teams'),
};
