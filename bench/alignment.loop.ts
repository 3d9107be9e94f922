import type { Database } from '../bff/src/lib/db.js';

interface LoopRow {
  id: string;
  parent_id: string | null;
  title: string;
  status: string;
  progress: number;
  owner_name: string | null;
}

/**
 * The baseline the recursive CTE replaces: the tree fetched node by node, one SELECT for the
 * roots and one for each node's children (the N+1 an ORM association walk produces).
 */
export async function alignmentByLoop(db: Database, orgId: string): Promise<LoopRow[]> {
  const columns = `g.id, g.parent_id, g.title, g.status, g.progress, u.name AS owner_name
    FROM goals g LEFT JOIN users u ON u.id = g.owner_id
    WHERE g.org_id = :orgId AND g.deleted_at IS NULL AND g.archived = :no`;
  const nodes = await db.select<LoopRow>(`SELECT ${columns} AND g.parent_id IS NULL`, {
    orgId,
    no: false,
  });
  for (let i = 0; i < nodes.length; i++) {
    const node = nodes[i] as LoopRow;
    nodes.push(
      ...(await db.select<LoopRow>(`SELECT ${columns} AND g.parent_id = :parentId`, {
        orgId,
        no: false,
        parentId: node.id,
      })),
    );
  }
  return nodes;
}
