import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, type TestContext, test } from 'node:test';
import { ConflictError, InvalidInputError, NotFoundError } from '../../src/shared/errors.ts';
import type {
  ChunkPayload,
  VectorFilter,
  VectorPoint,
  VectorStore,
} from '../../src/stores/vector/vector-store.ts';

/**
 * The behaviour every VectorStore must show, run against each implementation. Each test works
 * in fresh random tenants and drops them afterwards, so runs can share one Qdrant server.
 */

const dims = 8;
const spec = { dimensions: dims, modelId: 'contract-model' };

/** Unit vector along the given axes, equally weighted. */
function along(...axes: number[]): Float32Array {
  const vector = new Float32Array(dims);
  for (const axis of axes) vector[axis] = 1 / Math.sqrt(axes.length);
  return vector;
}

function pointId(n: number): string {
  return `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
}

function payload(overrides: Partial<ChunkPayload> = {}): ChunkPayload {
  return { userId: 'u1', chunkId: 'chunk', sourceKind: 'email', occurredAt: 1000, ...overrides };
}

function point(
  n: number,
  vector: Float32Array,
  overrides: Partial<ChunkPayload> = {},
): VectorPoint {
  return { id: pointId(n), vector, payload: payload({ chunkId: `chunk-${n}`, ...overrides }) };
}

function sorted(ids: readonly string[]): string[] {
  return [...ids].sort();
}

export function vectorStoreContract(
  name: string,
  createStore: () => VectorStore | Promise<VectorStore>,
): void {
  describe(`VectorStore contract: ${name}`, () => {
    let store: VectorStore;
    before(async () => {
      store = await createStore();
    });
    after(async () => {
      await store.close();
    });

    /** A tenant id unique to this run, dropped when the test ends. */
    function tenant(t: TestContext): string {
      const id = `contract-${randomBytes(6).toString('hex')}`;
      t.after(() => store.dropCollection(id));
      return id;
    }

    async function tenantWith(t: TestContext, points: VectorPoint[]): Promise<string> {
      const id = tenant(t);
      await store.ensureCollection(id, spec);
      await store.upsert(id, points);
      return id;
    }

    /** Four points spread over two users, three kinds and three dates plus an unknown one. */
    const mixed = [
      point(1, along(0), { userId: 'u1', sourceKind: 'email', occurredAt: 1000 }),
      point(2, along(0, 1), { userId: 'u1', sourceKind: 'pdf', occurredAt: 2000 }),
      point(3, along(1), { userId: 'u2', sourceKind: 'chat', occurredAt: 3000 }),
      point(4, along(0, 2), { userId: 'u2', sourceKind: 'email', occurredAt: null }),
    ];

    test('ping answers while the store is open', async () => {
      await store.ping();
    });

    test('ensureCollection is idempotent and refuses another spec', async (t) => {
      const id = tenant(t);
      await store.ensureCollection(id, spec);
      await store.ensureCollection(id, spec);
      assert.equal(await store.count(id), 0);
      await assert.rejects(
        store.ensureCollection(id, { ...spec, dimensions: dims * 2 }),
        ConflictError,
      );
      await assert.rejects(
        store.ensureCollection(id, { ...spec, modelId: 'another-model' }),
        ConflictError,
      );
    });

    test('search returns the nearest points first, with their payload', async (t) => {
      const id = await tenantWith(t, [
        point(3, along(1)),
        point(1, along(0)),
        point(2, along(0, 1)),
      ]);
      const results = await store.search(id, along(0), { limit: 10 });
      assert.deepEqual(
        results.map((result) => result.id),
        [pointId(1), pointId(2), pointId(3)],
      );
      assert.ok(Math.abs((results[0]?.score ?? 0) - 1) < 1e-5);
      assert.ok(Math.abs((results[1]?.score ?? 0) - Math.SQRT1_2) < 1e-5);
      assert.ok(Math.abs(results[2]?.score ?? 1) < 1e-5);
      assert.deepEqual(results[0]?.payload, payload({ chunkId: 'chunk-1' }));
      assert.equal((await store.search(id, along(0), { limit: 2 })).length, 2);
    });

    test('search returns the stored vectors only when asked', async (t) => {
      const id = await tenantWith(t, [point(1, along(0)), point(2, along(1, 2))]);
      const plain = await store.search(id, along(0), { limit: 2 });
      assert.ok(plain.every((hit) => hit.vector === undefined));
      const withVectors = await store.search(id, along(0), { limit: 2, withVectors: true });
      const byId = new Map(withVectors.map((hit) => [hit.id, hit.vector]));
      for (const [n, expected] of [
        [1, along(0)],
        [2, along(1, 2)],
      ] as const) {
        const vector = byId.get(pointId(n));
        assert.ok(vector instanceof Float32Array);
        assert.equal(vector.length, dims);
        expected.forEach((value, i) => {
          assert.ok(Math.abs((vector[i] ?? Number.NaN) - value) < 1e-5);
        });
      }
    });

    test('upserting an existing id overwrites its vector and payload', async (t) => {
      const id = await tenantWith(t, [point(1, along(0)), point(2, along(1))]);
      const replaced = point(1, along(3), { userId: 'u9', sourceKind: 'chat', occurredAt: null });
      await store.upsert(id, [replaced]);
      assert.equal(await store.count(id), 2);
      const [nearest] = await store.search(id, along(3), { limit: 1 });
      assert.equal(nearest?.id, pointId(1));
      assert.deepEqual(nearest?.payload, replaced.payload);
      const [nearestOld] = await store.search(id, along(0), { limit: 1 });
      assert.ok((nearestOld?.score ?? 0) < 0.5, 'the old vector is gone');
    });

    test('search filters by user, source kinds and exclusive time bounds', async (t) => {
      const id = await tenantWith(t, mixed);
      const ids = async (filter: VectorFilter) =>
        sorted((await store.search(id, along(0), { limit: 10, filter })).map((r) => r.id));

      assert.deepEqual(await ids({ userId: 'u1' }), [pointId(1), pointId(2)]);
      assert.deepEqual(await ids({ sourceKinds: ['email', 'chat'] }), [
        pointId(1),
        pointId(3),
        pointId(4),
      ]);
      assert.deepEqual(await ids({ sourceKinds: [] }), []);
      assert.deepEqual(await ids({ occurredAfter: 1000 }), [pointId(2), pointId(3)]);
      assert.deepEqual(await ids({ occurredBefore: 3000 }), [pointId(1), pointId(2)]);
      assert.deepEqual(await ids({ occurredAfter: 1500, occurredBefore: 2500 }), [pointId(2)]);
      assert.deepEqual(
        await ids({ userId: 'u2', sourceKinds: ['chat', 'pdf'], occurredAfter: 0 }),
        [pointId(3)],
      );
    });

    test('count and listIds, with and without a filter', async (t) => {
      const id = await tenantWith(t, mixed);
      assert.equal(await store.count(id), 4);
      assert.deepEqual(sorted(await store.listIds(id)), mixed.map((p) => p.id).sort());
      assert.equal(await store.count(id, { userId: 'u2' }), 2);
      assert.deepEqual(sorted(await store.listIds(id, { userId: 'u2' })), [pointId(3), pointId(4)]);
      assert.equal(await store.count(id, { sourceKinds: ['email'], occurredBefore: 5000 }), 1);
      assert.deepEqual(await store.listIds(id, { sourceKinds: ['pdf'] }), [pointId(2)]);
      assert.equal(await store.count(id, { sourceKinds: [] }), 0);
    });

    test('deleteByIds removes exactly those ids and ignores unknown ones', async (t) => {
      const id = await tenantWith(t, mixed);
      await store.deleteByIds(id, [pointId(1), pointId(3), pointId(99)]);
      assert.deepEqual(sorted(await store.listIds(id)), [pointId(2), pointId(4)]);
      const results = await store.search(id, along(0), { limit: 10 });
      assert.deepEqual(sorted(results.map((r) => r.id)), [pointId(2), pointId(4)]);
    });

    test('deleteByFilter removes one user and refuses an empty filter', async (t) => {
      const id = await tenantWith(t, mixed);
      await store.deleteByFilter(id, { userId: 'u1' });
      assert.deepEqual(sorted(await store.listIds(id)), [pointId(3), pointId(4)]);
      await assert.rejects(store.deleteByFilter(id, {}), InvalidInputError);
      assert.equal(await store.count(id), 2);
    });

    test("tenants are isolated: one tenant's points never show in another's", async (t) => {
      const tenantA = await tenantWith(t, [point(1, along(0), { userId: 'shared' })]);
      const tenantB = await tenantWith(t, [
        point(1, along(1), { userId: 'shared', chunkId: 'b-1' }),
        point(2, along(2), { userId: 'shared' }),
      ]);
      const fromB = await store.search(tenantB, along(0), { limit: 10 });
      assert.deepEqual(sorted(fromB.map((r) => r.id)), [pointId(1), pointId(2)]);
      assert.equal(fromB.find((r) => r.id === pointId(1))?.payload.chunkId, 'b-1');
      assert.equal(await store.count(tenantA), 1);
      assert.deepEqual(await store.listIds(tenantA, { userId: 'shared' }), [pointId(1)]);

      await store.deleteByFilter(tenantB, { userId: 'shared' });
      await store.dropCollection(tenantB);
      const fromA = await store.search(tenantA, along(0), { limit: 10 });
      assert.deepEqual(
        fromA.map((r) => [r.id, r.payload.chunkId]),
        [[pointId(1), 'chunk-1']],
      );
    });

    test('dropCollection removes the points and the spec', async (t) => {
      const id = await tenantWith(t, mixed);
      await store.dropCollection(id);
      assert.deepEqual(await store.search(id, along(0), { limit: 10 }), []);
      assert.equal(await store.count(id), 0);
      assert.deepEqual(await store.listIds(id), []);
      await store.dropCollection(id);
      await store.ensureCollection(id, { dimensions: 4, modelId: 'next-model' });
      assert.equal(await store.count(id), 0);
    });

    test('an unknown tenant reads as empty and cannot be written to', async (t) => {
      const id = tenant(t);
      assert.deepEqual(await store.search(id, along(0), { limit: 10 }), []);
      assert.equal(await store.count(id, { userId: 'u1' }), 0);
      assert.deepEqual(await store.listIds(id), []);
      await store.deleteByIds(id, [pointId(1)]);
      await store.deleteByFilter(id, { userId: 'u1' });
      await assert.rejects(store.upsert(id, [point(1, along(0))]), NotFoundError);
    });

    test('tenant ids that are not slugs are refused', async () => {
      for (const bad of ['../etc', 'Upper', 'a_b', 'a"b', '', '-lead', 'x'.repeat(64)]) {
        await assert.rejects(store.search(bad, along(0), { limit: 1 }), InvalidInputError, bad);
        await assert.rejects(store.ensureCollection(bad, spec), InvalidInputError, bad);
      }
    });
  });
}
