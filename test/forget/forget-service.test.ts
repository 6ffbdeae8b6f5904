import assert from 'node:assert/strict';
import { test } from 'node:test';
import { forgetSource } from '../../src/forget/forget-service.ts';
import { ConflictError, NotFoundError } from '../../src/shared/errors.ts';
import type { PrismaClient } from '../../src/stores/metadata/prisma.ts';
import { emptyForgetReport } from '../../workflows/forget-contracts.ts';

const sourceId = '7b0c1a52-6c1e-4d3f-9a57-2f8e4d1c9b10';
const userId = '0f6e2d8a-1b3c-4e5f-8a9b-0c1d2e3f4a5b';

function fakes(ingestStatus: string, found = true) {
  const started: unknown[] = [];
  const schedulesDeleted: unknown[] = [];
  const prisma = {
    source: { findFirst: async () => (found ? { id: sourceId, userId } : null) },
  } as unknown as PrismaClient;
  const ingestion = {
    describeIngestion: async () => ({ status: ingestStatus }),
    runForget: async (input: unknown) => {
      started.push(input);
      return emptyForgetReport();
    },
    connectors: {
      delete: async (target: unknown) => {
        schedulesDeleted.push(target);
        return true;
      },
    },
  };
  return { deps: { prisma, ingestion }, started, schedulesDeleted };
}

test('a source that is ingesting is refused, not raced', async () => {
  const { deps, started, schedulesDeleted } = fakes('RUNNING');
  await assert.rejects(forgetSource(deps, 'acme', sourceId), ConflictError);
  assert.deepEqual(started, []);
  assert.deepEqual(schedulesDeleted, []);
});

test('a source whose ingestion is done is forgotten, and its connector stops', async () => {
  const { deps, started, schedulesDeleted } = fakes('COMPLETED');
  assert.deepEqual(await forgetSource(deps, 'acme', sourceId), emptyForgetReport());
  assert.deepEqual(started, [{ tenantId: 'acme', userId, sourceId }]);
  assert.deepEqual(schedulesDeleted, [{ tenantId: 'acme', userId, sourceId }]);
});

test('an unknown or malformed source id is not found', async () => {
  await assert.rejects(
    forgetSource(fakes('COMPLETED', false).deps, 'acme', sourceId),
    NotFoundError,
  );
  await assert.rejects(forgetSource(fakes('COMPLETED').deps, 'acme', 'not-a-uuid'), NotFoundError);
});
