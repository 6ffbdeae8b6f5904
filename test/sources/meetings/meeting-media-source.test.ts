import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { ingestPendingBatch } from '../../../src/ingest/ingest-batch.ts';
import { snapshotSource } from '../../../src/ingest/snapshot-source.ts';
import { provideMeetingTranscriber } from '../../../src/sources/meetings/meeting-transcriber.ts';
import {
  SAMPLE_RATE,
  type Transcriber,
  TranscriptionServiceError,
} from '../../../src/transcription/transcriber.ts';
import { encodeWav16 } from '../../../src/transcription/wav.ts';
import {
  openTestStores,
  type RegisteredSource,
  registerSource,
  type TestStores,
} from '../../ingest/test-stores.ts';
import { ffmpegMissing } from '../../support/system-tools.ts';

let stores: TestStores;
let source: RegisteredSource;

/** 70 s of tone with pauses at 27 s and 55 s, where the recording's windows are cut. */
function standupRecording(): Buffer {
  const samples = Float32Array.from({ length: 70 * SAMPLE_RATE }, (_, i) => {
    const t = i / SAMPLE_RATE;
    const quiet = (t >= 27 && t < 27.5) || (t >= 55 && t < 55.5);
    return quiet ? 0 : 0.3 * Math.sin(2 * Math.PI * 330 * t);
  });
  return encodeWav16(samples);
}

/** Names each window by the second it starts at; can be told to fail at a call. */
function scriptedTranscriber(failAtCall?: number): Transcriber & { calls: number } {
  const transcriber = {
    modelId: 'scripted',
    calls: 0,
    async transcribe(samples: Float32Array) {
      transcriber.calls += 1;
      if (transcriber.calls === failAtCall) {
        throw new TranscriptionServiceError('transcription server went away', true);
      }
      return [
        {
          start: 0.5,
          end: samples.length / SAMPLE_RATE,
          text: `window of ${samples.length / SAMPLE_RATE} s`,
        },
      ];
    },
  };
  return transcriber;
}

before(async () => {
  stores = await openTestStores();
  await writeFile(path.join(stores.inputDir, 'standup.wav'), standupRecording());
  await writeFile(path.join(stores.inputDir, 'agenda.mp3'), 'not a recording');
  source = await registerSource(stores, 'meetings', {
    kind: 'meeting-audio',
    settings: { path: stores.inputDir },
  });
});
after(() => stores?.close());

test('a recording interrupted mid-way is transcribed on from where it stopped', {
  skip: ffmpegMissing,
}, async () => {
  const { prisma } = stores.services.metadata;
  const runId = await source.beginRun();
  await snapshotSource(stores.deps, runId);

  // The first attempt loses its transcription server at the second window: the batch fails
  // (to be retried by Temporal) instead of quarantining the recording.
  const failing = scriptedTranscriber(2);
  provideMeetingTranscriber(failing);
  await assert.rejects(ingestPendingBatch(stores.deps, runId), TranscriptionServiceError);
  const pending = await prisma.document.findMany({
    where: { sourceId: source.sourceId, status: 'pending' },
  });
  assert.equal(pending.length, 2);

  const retry = scriptedTranscriber();
  provideMeetingTranscriber(retry);
  const heartbeats: number[] = [];
  const batch = await ingestPendingBatch(stores.deps, runId, (done) => heartbeats.push(done));
  assert.equal(retry.calls, 2, 'the first window was kept from the failed attempt');
  assert.equal(batch.ingested, 1);
  assert.equal(batch.failed, 1);
  // agenda.mp3 done, then one heartbeat per window of standup.wav while it is parsed, then it.
  assert.deepEqual(heartbeats.slice(0, 5), [1, 1, 1, 1, 2]);

  const documents = await prisma.document.findMany({
    where: { sourceId: source.sourceId },
    orderBy: { sourceItemId: 'asc' },
    select: { sourceItemId: true, status: true, error: true, title: true, rawKey: true },
  });
  assert.deepEqual(
    documents.map(({ sourceItemId, status, error }) => ({ sourceItemId, status, error })),
    [
      {
        sourceItemId: 'agenda.mp3',
        status: 'failed',
        error: 'agenda.mp3: ffmpeg cannot decode it as audio (Invalid argument)',
      },
      { sourceItemId: 'standup.wav', status: 'ingested', error: null },
    ],
  );
  const standup = documents[1];
  assert.equal(standup?.title, 'standup');
  const chunks = await prisma.chunk.findMany({
    where: { tenantId: 'meetings' },
    select: { text: true },
  });
  assert.deepEqual(
    chunks.map((chunk) => chunk.text),
    // Segments of one speaker (here: none told apart) join into turns of up to 30 s.
    ['[00:00:00] window of 27 s window of 28 s\n[00:00:55] window of 15 s'],
  );

  // The checkpoints are found by the recording's raw key, the model and the window.
  const cursors = await prisma.syncCursor.findMany({
    where: { sourceId: source.sourceId },
    orderBy: { scope: 'asc' },
    select: { scope: true },
  });
  assert.deepEqual(
    cursors.map((cursor) => cursor.scope),
    [0, 1, 2].map((index) => `parse:${standup?.rawKey}:transcript:scripted:w30-5:${index}`),
  );
});
