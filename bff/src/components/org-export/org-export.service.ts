import { randomUUID } from 'node:crypto';
import type { Row } from '../../lib/bulk-insert.js';
import { AppError } from '../../lib/errors.js';
import type { OrgRecord } from '../orgs/orgs.repository.js';
import { keyResultProgress } from '@okr-embed/contract';
import type { Tx } from '../../lib/db.js';
import { toCsv } from './org-export.csv.js';
import type { OrgExportRepository } from './org-export.repository.js';
import { planCsv, krColumns } from './org-export.csv-plan.js';
import { millis, toDocument } from './org-export.document.js';
import type { ExportDocument } from './org-export.schema.js';

export type OnProgress = (done: number, total: number) => void;

export type PropagateGoal = (
  orgId: string,
  goalId: string,
  initiativesCount: boolean,
  tx: Tx,
) => Promise<void>;

export function createOrgExportService(repo: OrgExportRepository, propagate?: PropagateGoal) {
  return {
    async exportCsv(org: OrgRecord, onProgress?: OnProgress): Promise<string> {
      const rows = await repo.readOrg(org.id);
      const doc = toDocument(rows);
      const timeframeName = new Map(doc.timeframes.map((t) => [t.ref, t.name]));
      const records = doc.goals.flatMap((g) => {
        const goal = {
          goal: g.ref,
          goal_title: g.title,
          goal_description: g.description ?? '',
          level: g.level,
          goal_owner: g.owner ?? '',
          team: g.team ?? '',
          timeframe: timeframeName.get(g.timeframe) ?? '',
          parent_goal: g.parent ?? '',
          progress_source: g.progressSource,
        };
        const none = Object.fromEntries(krColumns.map((c) => [c, ''])) as Record<
          (typeof krColumns)[number],
          string
        >;
        if (g.keyResults.length === 0) return [{ ...goal, ...none }];
        return g.keyResults.map((k) => ({
          ...goal,
          kr_title: k.title,
          kr_kind: k.kind,
          kr_start: String(k.start),
          kr_target: String(k.target),
          kr_current: String(k.current),
          kr_unit: k.unit ?? '',
          kr_weight: String(k.weight),
          kr_owner: k.owner ?? '',
        }));
      });
      onProgress?.(doc.goals.length, doc.goals.length);
      return toCsv(records);
    },

    /**
     * Adds the file's goals and key results to the org. Every row is checked first; one bad row
     * and nothing is written, and every bad row is named by its line.
     */
    async importCsv(
      org: OrgRecord,
      text: string,
      options: { dryRun: boolean; onProgress?: OnProgress },
    ) {
      const { goals, errors } = planCsv(await repo.readOrg(org.id), text);
      if (errors.length > 0) {
        throw new AppError(
          'invalid_import',
          `${errors.length} bad row${errors.length === 1 ? '' : 's'}, nothing was imported:\n  ${errors.join('\n  ')}`,
          400,
          errors,
        );
      }
      const imported = {
        goals: goals.length,
        keyResults: goals.reduce((n, g) => n + g.keyResults.length, 0),
      };
      const plan = goals.flatMap((g) => [
        `line ${g.line}: new goal "${g.title}"${g.parent ? ` under "${g.parent}"` : ''}`,
        ...g.keyResults.map((k) => `line ${k.line}:   new key result "${k.title}"`),
      ]);
      if (options.dryRun) return { dryRun: true, plan, imported };
      const ids = new Map(goals.map((g) => [g.ref, randomUUID()]));
      const now = Date.now();
      await repo.transaction(async (tx) => {
        await repo.insert(
          'goals',
          goals.map((g, i) => ({
            id: ids.get(g.ref) ?? null,
            org_id: org.id,
            title: g.title,
            description: g.description,
            level: g.level,
            owner_id: g.ownerId,
            team_id: g.teamId,
            timeframe_id: g.timeframeId,
            parent_id: g.parent === null ? null : (ids.get(g.parent) ?? null),
            progress_source: g.progressSource,
            status: 'not_started',
            progress: 0,
            version: 1,
            archived: false,
            deleted_at: null,
            created_at: now + i,
            updated_at: now + i,
          })),
          tx,
        );
        await repo.insert(
          'key_results',
          goals.flatMap((g, i) =>
            g.keyResults.map((k, position) => ({
              id: randomUUID(),
              org_id: org.id,
              goal_id: ids.get(g.ref) ?? null,
              title: k.title,
              kind: k.kind,
              start_value: k.start,
              target_value: k.target,
              current_value: k.current,
              unit: k.unit,
              weight: k.weight,
              owner_id: k.ownerId,
              status: 'not_started',
              progress: keyResultProgress({
                kind: k.kind as Parameters<typeof keyResultProgress>[0]['kind'],
                start: k.start,
                target: k.target,
                current: k.current,
              }),
              version: 1,
              position,
              deleted_at: null,
              created_at: now + i,
              updated_at: now + i,
            })),
          ),
          tx,
        );
        // Goals' cached progress from their key results and, bottom-up, their children.
        let done = 0;
        for (const goal of [...goals].reverse()) {
          await propagate?.(org.id, ids.get(goal.ref) ?? '', org.settings.initiativesCount, tx);
          options.onProgress?.(++done, goals.length);
        }
      });
      return { dryRun: false, plan, imported };
    },

    async exportJson(org: OrgRecord, onProgress?: OnProgress): Promise<ExportDocument> {
      const rows = await repo.readOrg(org.id);
      onProgress?.(rows.goals.length, rows.goals.length);
      return toDocument(rows);
    },

    /** Into an empty org only, in one transaction: a failure leaves the org as empty as it was. */
    async importJson(org: OrgRecord, doc: ExportDocument, onProgress?: OnProgress) {
      if ((await repo.countRows(org.id)) > 0) {
        throw new AppError(
          'org_not_empty',
          `Organization "${org.slug}" already has data: a JSON export imports into an empty org (okr org create)`,
          409,
        );
      }
      const ids = new Map<string, string>();
      const idOf = (kind: string, ref: string | null) => {
        if (ref === null) return null;
        const key = `${kind}:${ref}`;
        let id = ids.get(key);
        if (!id) ids.set(key, (id = randomUUID()));
        return id;
      };
      const orgId = org.id;
      const table = <T>(items: T[], toRow: (item: T) => Row) => items.map(toRow);
      await repo.transaction(async (tx) => {
        await repo.insert(
          'timeframes',
          table(doc.timeframes, (t) => ({
            id: idOf('timeframe', t.ref),
            org_id: orgId,
            name: t.name,
            start_date: t.startDate,
            end_date: t.endDate,
            created_at: millis(t.createdAt),
          })),
          tx,
        );
        await repo.insert(
          'teams',
          table(doc.teams, (t) => ({
            id: idOf('team', t.key),
            org_id: orgId,
            team_key: t.key,
            name: t.name,
            parent_id: idOf('team', t.parent),
            created_at: millis(t.createdAt),
          })),
          tx,
        );
        await repo.insert(
          'users',
          table(doc.users, (u) => ({
            id: idOf('user', u.externalId),
            org_id: orgId,
            external_id: u.externalId,
            name: u.name,
            email: u.email,
            avatar_url: u.avatarUrl,
            created_at: millis(u.createdAt),
            updated_at: millis(u.updatedAt),
          })),
          tx,
        );
        await repo.insert(
          'memberships',
          doc.users.flatMap((u) =>
            u.teams.map((t) => ({
              user_id: idOf('user', u.externalId),
              team_id: idOf('team', t),
              org_id: orgId,
            })),
          ),
          tx,
        );
        const chunk = 500;
        for (let offset = 0; offset < doc.goals.length; offset += chunk) {
          const goals = doc.goals.slice(offset, offset + chunk);
          await repo.insert(
            'goals',
            table(goals, (g) => ({
              id: idOf('goal', g.ref),
              org_id: orgId,
              title: g.title,
              description: g.description,
              level: g.level,
              owner_id: idOf('user', g.owner),
              team_id: idOf('team', g.team),
              timeframe_id: idOf('timeframe', g.timeframe),
              parent_id: idOf('goal', g.parent),
              progress_source: g.progressSource,
              status: g.status,
              progress: g.progress,
              version: g.version,
              archived: g.archived,
              deleted_at: null,
              created_at: millis(g.createdAt),
              updated_at: millis(g.updatedAt),
            })),
            tx,
          );
          const keyResults = goals.flatMap((g) =>
            g.keyResults.map((k, position) => ({ goal: g.ref, k, id: randomUUID(), position })),
          );
          await repo.insert(
            'key_results',
            table(keyResults, ({ goal, k, id, position }) => ({
              id,
              org_id: orgId,
              goal_id: idOf('goal', goal),
              title: k.title,
              kind: k.kind,
              start_value: k.start,
              target_value: k.target,
              current_value: k.current,
              unit: k.unit,
              weight: k.weight,
              owner_id: idOf('user', k.owner),
              status: k.status,
              progress: k.progress,
              version: k.version,
              position,
              deleted_at: null,
              created_at: millis(k.createdAt),
              updated_at: millis(k.updatedAt),
            })),
            tx,
          );
          await repo.insert(
            'check_ins',
            keyResults.flatMap(({ k, id }) =>
              k.checkIns.map((c) => ({
                id: randomUUID(),
                org_id: orgId,
                key_result_id: id,
                author_id: idOf('user', c.author),
                value: c.value,
                status: c.status,
                comment: c.comment,
                idempotency_key: c.idempotencyKey,
                kr_version: c.version,
                created_at: millis(c.createdAt),
              })),
            ),
            tx,
          );
          onProgress?.(Math.min(offset + chunk, doc.goals.length), doc.goals.length);
        }
      });
      return {
        timeframes: doc.timeframes.length,
        teams: doc.teams.length,
        users: doc.users.length,
        goals: doc.goals.length,
        keyResults: doc.goals.reduce((n, g) => n + g.keyResults.length, 0),
        checkIns: doc.goals.reduce(
          (n, g) => n + g.keyResults.reduce((m, k) => m + k.checkIns.length, 0),
          0,
        ),
      };
    },
  };
}
