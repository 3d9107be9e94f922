import { z } from 'zod';
import { LIMITS } from '@okr-embed/contract';
import { decimalValue, keyResultKind, title as titleOf, uuid } from '../../lib/schemas.js';

const title = titleOf(LIMITS.keyResultTitle);
const unit = z.string().trim().max(LIMITS.keyResultUnit).nullable();
const weight = z.number().finite().min(0).max(LIMITS.keyResultWeightMax);

export const createKeyResultBody = z
  .object({
    title,
    kind: keyResultKind,
    start: decimalValue.default(0),
    target: decimalValue,
    current: decimalValue.optional(),
    unit: unit.optional(),
    weight: weight.default(1),
    ownerId: uuid.nullable().optional(),
  })
  .strict();

/** A key result sent with its new goal: no value yet, so it starts where it starts. */
export const keyResultDraft = createKeyResultBody.omit({ current: true });

export const updateKeyResultBody = z
  .object({
    title: title.optional(),
    kind: keyResultKind.optional(),
    start: decimalValue.optional(),
    target: decimalValue.optional(),
    unit: unit.optional(),
    weight: weight.optional(),
    ownerId: uuid.nullable().optional(),
  })
  .strict()
  .refine((body) => Object.keys(body).length > 0, { message: 'Nothing to change' });

export type CreateKeyResultBody = z.infer<typeof createKeyResultBody>;
export type KeyResultDraftBody = z.infer<typeof keyResultDraft>;
export type UpdateKeyResultBody = z.infer<typeof updateKeyResultBody>;
