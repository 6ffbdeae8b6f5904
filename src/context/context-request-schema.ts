import { z } from 'zod';
import { retrievalModes } from './context-types.ts';

/**
 * The body of POST /v1/context. Everything past `user` and `query` is optional, so bodies
 * written for the first version of the route still mean what they meant.
 */
export const contextRequestBody = z.object({
  user: z.string().min(1).max(320),
  query: z.string().min(1).max(10_000),
  tokenBudget: z.number().int().min(50).max(200_000).default(1_000),
  candidates: z.number().int().min(1).max(500).optional(),
  mode: z.enum(retrievalModes).optional(),
  recencyWeight: z.number().min(0).max(1).optional(),
  /** What time words in the query ("last week") are relative to; the server's clock if absent. */
  now: z.coerce.date().optional(),
  filters: z
    .object({
      occurredAfter: z.coerce.date().optional(),
      occurredBefore: z.coerce.date().optional(),
      sourceKinds: z.array(z.string().min(1).max(100)).max(50).optional(),
      documentIds: z.array(z.uuid()).max(1000).optional(),
      people: z.array(z.string().min(1).max(320)).max(50).optional(),
    })
    .strict()
    .optional(),
});

/** What a client sends: dates as ISO strings, defaults left out. */
export type ContextRequestBody = z.input<typeof contextRequestBody>;
