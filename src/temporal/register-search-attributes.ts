import { Connection } from '@temporalio/client';
import proto from '@temporalio/proto';
import { memtapeSearchAttributes } from './search-attributes.ts';

/**
 * Registers memtape's search attributes on a Temporal cluster that lacks them (the dev
 * server memtape starts gets them as flags). Listing first keeps this idempotent.
 */
export async function registerSearchAttributes(address: string, namespace: string) {
  const connection = await Connection.connect({ address });
  try {
    const existing = await connection.operatorService.listSearchAttributes({ namespace });
    const known = new Set(Object.keys(existing.customAttributes ?? {}));
    const missing = memtapeSearchAttributes.filter((attribute) => !known.has(attribute.name));
    if (missing.length === 0) return;
    await connection.operatorService.addSearchAttributes({
      namespace,
      searchAttributes: Object.fromEntries(
        missing.map((attribute) => [
          attribute.name,
          proto.temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
        ]),
      ),
    });
  } finally {
    await connection.close();
  }
}
