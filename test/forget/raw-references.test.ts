import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { unreferencedRawKeys } from '../../src/forget/raw-references.ts';
import { openTestStores, registerSource, type TestStores } from '../ingest/test-stores.ts';

let stores: TestStores;
before(async () => {
  stores = await openTestStores();
});
after(() => stores?.close());

test('keeps raw keys another document or attachment of the tenant references', async () => {
  const prisma = stores.services.metadata.prisma;
  const a = await registerSource(stores, 'raw-refs-a', { kind: 'email-files', settings: {} });
  const b = await registerSource(stores, 'raw-refs-b', { kind: 'email-files', settings: {} });
  const document = (source: typeof a, item: string, rawKey: string) =>
    prisma.document.create({
      data: {
        tenantId: source.tenantId,
        userId: source.userId,
        sourceId: source.sourceId,
        sourceItemId: item,
        rawKey,
        rawSize: 1,
        mediaType: 'message/rfc822',
      },
      select: { id: true },
    });
  const forgotten = await document(a, 'one.eml', 'only-forgotten');
  await prisma.attachment.create({
    data: {
      documentId: forgotten.id,
      ordinal: 0,
      contentType: 'application/pdf',
      size: 1,
      rawKey: 'attached',
    },
  });
  const other = await document(a, 'two.eml', 'shared-document');
  await prisma.attachment.create({
    data: {
      documentId: other.id,
      ordinal: 0,
      contentType: 'application/pdf',
      size: 1,
      rawKey: 'attached',
    },
  });
  // The same key in another tenant is another blob: it does not keep this tenant's.
  await document(b, 'one.eml', 'only-forgotten');

  const keys = ['only-forgotten', 'attached', 'shared-document', 'only-forgotten'];
  assert.deepEqual(await unreferencedRawKeys(prisma, a.tenantId, keys, [forgotten.id]), [
    'only-forgotten',
  ]);
  assert.deepEqual(
    (await unreferencedRawKeys(prisma, a.tenantId, keys, [forgotten.id, other.id])).sort(),
    ['attached', 'only-forgotten', 'shared-document'],
  );
  assert.deepEqual(await unreferencedRawKeys(prisma, a.tenantId, [], [forgotten.id]), []);
});
