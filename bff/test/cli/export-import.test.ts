import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { dialects, masterKeyHex, type TestDatabase } from '../support/harness.js';
import { okr, okrJson, okrOk } from './run-cli.js';

for (const spec of dialects()) {
  describe(`[${spec.name}] operator CLI: export and import`, () => {
    let database: TestDatabase;
    let dir: string;
    let env: Record<string, string>;
    const file = (name: string) => path.join(dir, name);
    const counts = async (slug: string) => (await okrJson(['org', 'show', slug], env)).counts;

    before(async () => {
      database = await spec.create();
      dir = mkdtempSync(path.join(tmpdir(), 'okr-export-'));
      env = {
        DATABASE_URL: database.url,
        OKR_MASTER_KEY: masterKeyHex,
        OKR_DATA_DIR: dir,
        LOG_LEVEL: 'silent',
        NODE_ENV: 'test',
      };
      await okrOk(['seed-demo', '--org', 'source', '--goals', '40'], env);
    });
    after(async () => {
      rmSync(dir, { recursive: true, force: true });
      await database.drop();
    });

    it('when an export is imported into an empty org and exported again, then both files are byte for byte the same', async () => {
      await okrOk(['export', '--org', 'source', '--out', file('source.json')], env);
      const exported = readFileSync(file('source.json'), 'utf8');
      const doc = JSON.parse(exported);
      assert.equal(doc.format, 'okr-embed-export');
      assert.equal(doc.version, 1);
      const checkIns = doc.goals.flatMap((g: { keyResults: Array<{ checkIns: unknown[] }> }) =>
        g.keyResults.flatMap((k) => k.checkIns),
      );
      assert.ok(checkIns.length > 0, 'check-in history is part of the export');
      assert.ok(
        doc.goals.some((g: { parent: string | null }) => g.parent !== null),
        'alignment too',
      );
      assert.equal(
        (await okr(['export', '--org', 'source'], env)).stdout,
        exported,
        'stdout = --out',
      );

      await okrOk(['org', 'create', '--slug', 'copy', '--name', 'Copy'], env);
      const imported = await okrJson(['import', '--org', 'copy', file('source.json')], env);
      assert.equal(imported.imported.checkIns, checkIns.length);
      await okrOk(['export', '--org', 'copy', '--out', file('copy.json')], env);
      assert.equal(readFileSync(file('copy.json'), 'utf8'), exported);
      assert.deepEqual(await counts('copy'), await counts('source'));
    });

    it('when a JSON import is refused, then the reason is given and the org is left as it was', async () => {
      await okrOk(['org', 'create', '--slug', 'empty', '--name', 'Empty'], env);
      const doc = JSON.parse(readFileSync(file('source.json'), 'utf8'));
      const broken = structuredClone(doc);
      broken.goals[broken.goals.length - 1].keyResults.push({
        ...broken.goals[0].keyResults[0],
        owner: 'nobody-here',
      });
      for (const [name, content, reason] of [
        ['newer.json', JSON.stringify({ ...doc, version: 2 }), /version 2/],
        ['broken.json', JSON.stringify(broken), /owner: "nobody-here" is not in the file/],
        ['text.json', 'goal,title\n', /not JSON/],
      ] as const) {
        writeFileSync(file(name), content);
        const run = await okr(['import', '--org', 'empty', file(name)], env);
        assert.equal(run.code, 1, `${name}: ${run.stderr}`);
        assert.match(run.stderr, reason);
        assert.doesNotMatch(run.stderr, /\n\s+at /);
      }
      assert.deepEqual(Object.values(await counts('empty')), [0, 0, 0, 0, 0, 0]);

      const before = await counts('copy');
      const full = await okr(['import', '--org', 'copy', file('source.json'), '--json'], env);
      assert.equal(full.code, 1);
      assert.equal(JSON.parse(full.stderr).error.code, 'org_not_empty');
      assert.deepEqual(await counts('copy'), before);
    });

    it('when a CSV is dry-run and then imported, then the plan names each row and the goals arrive with their progress', async () => {
      await okrOk(
        ['export', '--org', 'source', '--format', 'csv', '--out', file('source.csv')],
        env,
      );
      const csv = readFileSync(file('source.csv'), 'utf8');
      const [header] = csv.split('\r\n');
      assert.equal(
        header,
        'goal,goal_title,goal_description,level,goal_owner,team,timeframe,parent_goal,progress_source,kr_title,kr_kind,kr_start,kr_target,kr_current,kr_unit,kr_weight,kr_owner',
      );
      const before = await counts('source');
      const dry = await okrJson(
        ['import', '--org', 'source', '--dry-run', file('source.csv')],
        env,
      );
      assert.equal(dry.imported.goals, before.goals);
      assert.equal(dry.imported.keyResults, before.keyResults);
      assert.match(dry.plan[0], /^line 2: new goal "/);
      assert.deepEqual(await counts('source'), before, 'a dry run writes nothing');

      await okrOk(['import', '--org', 'source', file('source.csv')], env);
      const after = await counts('source');
      assert.equal(after.goals, 2 * before.goals);
      assert.equal(after.keyResults, 2 * before.keyResults);
      assert.equal(after.checkIns, before.checkIns, 'a spreadsheet carries no history');

      // Each copy's cached progress is rolled up from its key results, as the original's was.
      const doc = JSON.parse((await okrOk(['export', '--org', 'source'], env)).stdout);
      const byTitle = new Map<string, number[]>();
      for (const goal of doc.goals.filter(
        (g: { progressSource: string }) => g.progressSource === 'key_results',
      )) {
        byTitle.set(goal.title, [...(byTitle.get(goal.title) ?? []), goal.progress]);
      }
      for (const [title, progress] of byTitle) {
        assert.equal(progress.length % 2, 0, title);
        assert.equal(new Set(progress).size, 1, `${title}: ${progress.join(' ')}`);
      }
    });

    it('when CSV rows are bad, then every one is named by its line and nothing is written', async () => {
      const header = readFileSync(file('source.csv'), 'utf8').split('\r\n')[0];
      const tf = JSON.parse(readFileSync(file('source.json'), 'utf8')).timeframes[0].name;
      const content = [
        header,
        'g1,Fine goal,,company,demo-alex,,Nope,,,,,,,,,,',
        `g2,"Quoted, with a comma",,galactic,,,${tf},,,ARR,increase,1,2,,,,`,
        `g3,Good,,team,,,${tf},,,KR,fly,x,2,,,,`,
        `g3,Different title,,team,,,${tf},,,KR 2,increase,1,2,,,,`,
        `g4,Orphan,,team,,,${tf},missing,,,,,,,,,`,
        'g5,Short row,,team',
      ].join('\n');
      writeFileSync(file('bad.csv'), `${content}\n`);
      const before = await counts('source');
      for (const extra of [['--dry-run'], []]) {
        const run = await okr(['import', '--org', 'source', file('bad.csv'), ...extra], env);
        assert.equal(run.code, 1, run.stderr);
        for (const expected of [
          /line 2: timeframe: no timeframe named "Nope"/,
          /line 3: level: "galactic" is not one of company, team, personal/,
          /line 4: kr_kind: "fly" is not one of/,
          /line 4: kr_start: "x" is not a number/,
          /line 5: goal_title differ from line 4 of goal "g3"/,
          /line 6: parent_goal: "missing" is not a goal of this file/,
          /line 7: 4 fields, the header has 17/,
        ]) {
          assert.match(run.stderr, expected);
        }
        assert.match(run.stderr, /nothing was imported/);
      }
      assert.deepEqual(await counts('source'), before);
    });
  });
}
