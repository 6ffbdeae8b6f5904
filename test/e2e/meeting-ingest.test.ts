import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { ApiClient } from '../../src/api/api-client.ts';
import { corporaMissing, corpusPath } from '../support/corpora.ts';
import { type Harness, startHarness, uniqueTenantId } from '../support/memtape-harness.ts';
import { ffmpegMissing } from '../support/system-tools.ts';

/** jfk.wav and jfk.mp3: the same 11 s of speech, in two formats. */
const recordings = corpusPath('audio', 'whisper.cpp', 'samples');

describe('meeting recordings through the whole pipeline', {
  skip: corporaMissing || ffmpegMissing,
}, () => {
  let harness: Harness;
  let api: ApiClient;

  before(async () => {
    harness = await startHarness();
    api = await harness.tenantClient(uniqueTenantId('meetings'));
  });
  after(() => harness?.stop());

  test('are transcribed offline, and the context quotes them with the time they were said', async () => {
    const started = await api.startIngestion({
      user: 'alice',
      source: { kind: 'meeting-audio', name: 'speeches', settings: { path: recordings } },
    });
    const status = await api.waitForIngestion(started.workflowId);
    assert.equal(status.status, 'COMPLETED');
    assert.deepEqual(status.failures, []);
    assert.equal(status.lastRun?.itemsSeen, 2);

    const result = await api.context({
      user: 'alice',
      query: 'what did Kennedy ask Americans to do?',
    });
    assert.match(
      result.context,
      /\[00:00:00\] And so,? my fellow Americans,? ask not what your country can do for you/,
    );
    assert.ok(result.citations.some((citation) => citation.sourceKind === 'meeting-audio'));
  });
});
