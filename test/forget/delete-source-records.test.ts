import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { deleteSourceRecords } from '../../src/forget/forget-source.ts';
import { checkpointRawKeys, createCursorCheckpoints } from '../../src/ingest/cursor-checkpoints.ts';
import { inboxDirectory } from '../../src/source-admin/source-inbox.ts';
import { openTestStores, registerSource, type TestStores } from '../ingest/test-stores.ts';

let stores: TestStores;
before(async () => {
  stores = await openTestStores();
});
after(() => stores?.close());

test('forgetting a source deletes its parse checkpoints and its upload inbox', async () => {
  const { prisma } = stores.services.metadata;
  const raw = stores.services.raw;
  const { dataDir } = stores.services.config;
  const source = await registerSource(stores, 'checkpoint-forget', {
    kind: 'meeting-audio',
    settings: {},
  });
  const item = await raw.put(source.tenantId, Buffer.from('a long recording'));
  const document = await prisma.document.create({
    data: {
      tenantId: source.tenantId,
      userId: source.userId,
      sourceId: source.sourceId,
      sourceItemId: 'standup.wav',
      rawKey: item.key,
      rawSize: item.size,
      mediaType: 'audio/wav',
    },
    select: { id: true },
  });
  const checkpoints = createCursorCheckpoints(
    { prisma, raw },
    { id: document.id, tenantId: source.tenantId, rawKey: item.key },
  );
  await checkpoints.save('window-0', Buffer.from('transcript of the first window'));
  const [checkpointKey] = await checkpointRawKeys(prisma, { sourceId: source.sourceId });
  assert.ok(checkpointKey, 'the checkpoint is found by its cursor');
  assert.ok(await raw.has(source.tenantId, checkpointKey));

  const inbox = inboxDirectory(dataDir, source.tenantId, source.sourceId);
  await mkdir(inbox, { recursive: true });
  await writeFile(path.join(inbox, `${randomUUID()}.wav`), 'uploaded recording');

  // As the forget workflow does: the documents go first, then the source's own records.
  await prisma.document.delete({ where: { id: document.id } });
  await deleteSourceRecords({ prisma, raw, dataDir }, source);

  assert.equal(await raw.has(source.tenantId, checkpointKey), false);
  await assert.rejects(stat(inbox), { code: 'ENOENT' });
  assert.equal(await prisma.syncCursor.count({ where: { sourceId: source.sourceId } }), 0);
  // A retry after the source is gone is a no-op.
  await deleteSourceRecords({ prisma, raw, dataDir }, source);
});
