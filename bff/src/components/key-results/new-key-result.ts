import { keyResultProgress } from '@okr-embed/contract';
import type { AuthContext } from '../../lib/auth.js';
import { toStoredDecimal } from '../../lib/schemas.js';
import type { NewKeyResult } from './key-results.repository.js';
import type { KeyResultDraftBody } from './key-results.schema.js';

/**
 * A key result as stored from what a request sent: numbers rounded as the columns keep them,
 * the value at its start unless given, the caller its owner unless another (or none) is named.
 * Adding one to a goal and creating a goal with its key results store the same thing.
 */
export function newKeyResult(
  auth: AuthContext,
  goalId: string,
  body: KeyResultDraftBody & { current?: number },
): NewKeyResult {
  const values = {
    kind: body.kind,
    start: toStoredDecimal(body.start),
    target: toStoredDecimal(body.target),
    current: toStoredDecimal(body.current ?? body.start),
  };
  return {
    orgId: auth.org.id,
    goalId,
    title: body.title,
    ...values,
    unit: body.unit ?? null,
    weight: toStoredDecimal(body.weight),
    ownerId: body.ownerId === undefined ? auth.user.id : body.ownerId,
    progress: keyResultProgress(values),
  };
}
