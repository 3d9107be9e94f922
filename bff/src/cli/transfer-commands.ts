import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { oneOf, parse, print, text, type Command } from './args.js';
import { progressOn } from './progress.js';
import { withSession, type Session } from './session.js';
import { AppError } from '../lib/errors.js';

const formats = ['json', 'csv'] as const;

async function services({ db }: Session) {
  const [
    { createOrgExportRepository },
    { createOrgExportService },
    { createGoalChains },
    { createGoalsRepository },
  ] = await Promise.all([
    import('../components/org-export/org-export.repository.js'),
    import('../components/org-export/org-export.service.js'),
    import('../components/goals/goals.propagation.js'),
    import('../components/goals/goals.repository.js'),
  ]);
  const chains = createGoalChains(db, createGoalsRepository(db));
  return createOrgExportService(
    createOrgExportRepository(db),
    async (orgId, goalId, initiativesCount, tx) => {
      const chain = await chains.lock(orgId, [goalId], tx);
      await chains.propagate(orgId, chain, initiativesCount, Date.now(), tx);
    },
  );
}

/** Whole or not at all: the file appears under its name only once every byte is written. */
function writeWhole(file: string, content: string) {
  const partial = `${file}.partial`;
  try {
    writeFileSync(partial, content);
    renameSync(partial, file);
  } catch (error) {
    throw new AppError('unwritable_file', `Cannot write ${file}: ${(error as Error).message}`, 400);
  }
}

export const transferCommands: Record<string, Command> = {
  async export(args, context) {
    const { values } = parse(
      args,
      { org: { type: 'string' }, format: { type: 'string' }, out: { type: 'string' } },
      { required: ['org'] },
    );
    const format = oneOf(values, 'format', formats) ?? 'json';
    const progress = progressOn('goals exported');
    const content = await withSession(context, 'read', async (session) => {
      const exporter = await services(session);
      const org = await session.orgs.orgBySlug(text(values, 'org') ?? '');
      const onProgress = (done: number, total: number) => progress.update(done, total);
      return format === 'json'
        ? `${JSON.stringify(await exporter.exportJson(org, onProgress), null, 2)}\n`
        : await exporter.exportCsv(org, onProgress);
    }).finally(() => progress.stop());
    const out = text(values, 'out');
    if (out === undefined) {
      process.stdout.write(content);
      return;
    }
    writeWhole(out, content);
    print(values, { file: out, bytes: Buffer.byteLength(content) }, `Wrote ${out}`);
  },

  async import(args, context) {
    const { values, positionals } = parse(
      args,
      { org: { type: 'string' }, format: { type: 'string' }, 'dry-run': { type: 'boolean' } },
      { required: ['org'], positionals: ['file'] },
    );
    const file = positionals[0] ?? '';
    const format = oneOf(values, 'format', formats) ?? (file.endsWith('.csv') ? 'csv' : 'json');
    const dryRun = values['dry-run'] === true;
    let content: string;
    try {
      content = readFileSync(file, 'utf8');
    } catch {
      throw new AppError('unreadable_file', `Cannot read ${file}`, 400);
    }
    const progress = progressOn('goals imported');
    const result = await withSession(context, dryRun ? 'read' : 'write', async (session) => {
      const importer = await services(session);
      const org = await session.orgs.orgBySlug(text(values, 'org') ?? '');
      const onProgress = (done: number, total: number) => progress.update(done, total);
      // Running instances must not keep serving the org's views from before the import.
      if (!dryRun) session.orgChanged(org.id);
      if (format === 'csv') return importer.importCsv(org, content, { dryRun, onProgress });
      if (dryRun)
        throw new AppError(
          'usage',
          '--dry-run is for CSV; a JSON import is checked whole before it writes',
          400,
        );
      const { parseDocument } = await import('../components/org-export/org-export.document.js');
      return { imported: await importer.importJson(org, parseDocument(content), onProgress) };
    }).finally(() => progress.stop());
    const lines = 'plan' in result ? result.plan : [];
    const counts = 'imported' in result ? result.imported : {};
    print(
      values,
      result,
      [
        ...lines,
        `${dryRun ? 'Would import' : 'Imported'} ${Object.entries(counts)
          .map(([what, n]) => `${n} ${what}`)
          .join(', ')}`,
      ].join('\n'),
    );
  },
};
