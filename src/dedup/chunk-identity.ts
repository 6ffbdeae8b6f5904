import { v5 as uuidv5 } from 'uuid';

/** Fixed namespace so the same chunk gets the same point id in every process and run. */
const pointNamespace = '1b4f7a52-3c1e-5d8a-9f0b-6e2d4c8a7b31';

/**
 * The vector point id of a chunk: the same normalized text in the same user's memory always
 * maps to the same point, so re-ingestion overwrites instead of adding a duplicate vector.
 */
export function chunkPointId(tenantId: string, userId: string, chunkHash: string): string {
  return uuidv5(`${tenantId}/${userId}/${chunkHash}`, pointNamespace);
}
