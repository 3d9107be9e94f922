import type { Dialect } from '../../lib/db.js';

/**
 * InnoDB's defaults (`innodb_ft_min_token_size`, `innodb_ft_max_token_size` and its default
 * stopword list): a word outside them is not in the FULLTEXT index, so asking the index for it
 * would find nothing. Such words are left to the LIKE alone.
 */
const MIN_INDEXED = 3;
const MAX_INDEXED = 84;
const INNODB_STOPWORDS = new Set(
  (
    'a about an are as at be by com de en for from how i in is it la of on or that the this to ' +
    'was what when where who will with und www'
  ).split(' '),
);

/**
 * The SQL for `q=`: the title contains `q` (case-insensitive) on both dialects. On MySQL/MariaDB
 * each indexable word of `q` must also begin a word of the title, which the FULLTEXT index
 * (migration 004) answers without reading the org's other goals; there `venue` no longer finds
 * "Revenue", while `rev` and `revenue` do. A `q` with no indexable word (`Q1`, `to`) falls back
 * to the LIKE over the org's goals in paging order, never beyond the org.
 */
export function goalSearch(
  dialect: Dialect,
  q: string,
): { clause: string; params: Record<string, unknown> } {
  // '!' escapes LIKE wildcards the same way on both dialects.
  const pattern = `%${q.toLowerCase().replace(/[!%_]/g, (c) => `!${c}`)}%`;
  const like = "LOWER(g.title) LIKE :pattern ESCAPE '!'";
  if (dialect !== 'mysql') return { clause: like, params: { pattern } };
  // Letters and digits only: boolean-mode operators (+ - * " ( ) ~ < > @) cannot get through.
  const words = (q.toLowerCase().match(/[\p{L}\p{N}_]+/gu) ?? []).filter(
    (word) =>
      word.length >= MIN_INDEXED && word.length <= MAX_INDEXED && !INNODB_STOPWORDS.has(word),
  );
  if (words.length === 0) return { clause: like, params: { pattern } };
  const fulltext = words.map((word) => `+${word}*`).join(' ');
  return {
    clause: `MATCH (g.title) AGAINST (:fulltext IN BOOLEAN MODE) AND ${like}`,
    params: { pattern, fulltext },
  };
}
