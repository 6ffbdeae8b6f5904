import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { generateMailbox, writeMailbox } from '../../bench/mailbox-generator.ts';
import { type ApiClient, ApiError, createApiClient } from '../../src/api/api-client.ts';
import { inboxDirectory, partialUploadsDirectory } from '../../src/source-admin/source-inbox.ts';
import { type Harness, startHarness, uniqueTenantId } from '../support/memtape-harness.ts';

const uploadMaxBytes = 64 * 1024;
const pngBytes = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);

async function rejects(promise: Promise<unknown>, status: number, message: RegExp) {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof ApiError, String(error));
    assert.equal(error.status, status, error.message);
    assert.match(error.message, message);
    return true;
  });
}

describe('sources, upload inboxes and document status through the API', () => {
  let harness: Harness;
  let api: ApiClient;
  let tenant: string;
  let apiKey: string;
  let roots: string;
  let mailDir: string;
  let scratch: string;

  before(async () => {
    roots = await mkdtemp(path.join(os.tmpdir(), 'memtape-roots-'));
    scratch = await mkdtemp(path.join(os.tmpdir(), 'memtape-scratch-'));
    harness = await startHarness({ sourceRoots: [roots], uploadMaxBytes });
    tenant = uniqueTenantId('src');
    const admin = createApiClient(harness.memtape.apiUrl as string, harness.config.adminApiKey);
    apiKey = (await admin.createTenant({ id: tenant })).apiKey;
    api = createApiClient(harness.memtape.apiUrl as string, apiKey);
    mailDir = path.join(roots, 'mail');
    const mailbox = generateMailbox({ count: 4, seed: 5, duplicateRate: 0 });
    await writeMailbox(mailDir, mailbox);
    await writeMailbox(scratch, mailbox);
  });
  after(async () => {
    await harness?.stop();
    for (const dir of [roots, scratch]) await rm(dir, { recursive: true, force: true });
  });

  const url = (route: string) => new URL(route, harness.memtape.apiUrl).toString();

  test('a client-given path must resolve inside MEMTAPE_SOURCE_ROOTS', async () => {
    const outside = { user: 'dana', kind: 'email-files', name: 'outside' };
    await rejects(
      api.saveSource({ ...outside, settings: { path: scratch } }),
      400,
      /settings\.path: .* outside .*MEMTAPE_SOURCE_ROOTS/,
    );
    await rejects(
      api.saveSource({ ...outside, settings: { path: path.join(mailDir, '..', '..') } }),
      400,
      /MEMTAPE_SOURCE_ROOTS/,
    );
    // The data directory (other tenants' raw blobs) through a link placed inside a root.
    const link = path.join(roots, 'sneaky');
    await symlink(harness.config.dataDir, link);
    await rejects(api.saveSource({ ...outside, settings: { path: link } }), 400, /symbolic link/);
    await rejects(
      api.startIngestion({ user: 'dana', source: { ...outside, settings: { path: link } } }),
      400,
      /symbolic link/,
    );
    const saved = await api.saveSource({ ...outside, name: 'mail', settings: { path: mailDir } });
    assert.equal(saved.settings.path, mailDir);
    assert.equal(saved.inbox, false);
  });

  test('sources are created, listed, shown and changed without starting them', async () => {
    const created = await api.saveSource({
      user: 'erin',
      kind: 'email-files',
      name: 'first',
      settings: { path: mailDir },
    });
    assert.equal(created.user, 'erin');
    const again = await api.saveSource({
      user: 'erin',
      kind: 'email-files',
      name: 'first',
      settings: { path: mailDir },
    });
    assert.equal(again.id, created.id, 'the same name updates the source');
    const renamed = await api.updateSource(created.id, { name: 'renamed' });
    assert.equal(renamed.name, 'renamed');
    assert.deepEqual(
      (await api.listSources('erin')).sources.map((source) => source.name),
      ['renamed'],
    );
    assert.equal((await api.source(created.id)).name, 'renamed');
    await rejects(
      api.updateSource(created.id, { settings: { path: scratch } }),
      400,
      /MEMTAPE_SOURCE_ROOTS/,
    );
    await rejects(api.source('not-a-uuid'), 404, /not found/);
    await rejects(api.listSources('nobody-here'), 404, /not found/);
    const status = await fetch(url(`/v1/sources/${created.id}`), {
      method: 'PATCH',
      headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
      body: '{}',
    });
    assert.equal(status.status, 400);
    assert.match(((await status.json()) as { error: string }).error, /name, settings or both/);
  });

  test('an inbox takes uploads by sniffed type, within the size limit, never by name', async () => {
    const inbox = await api.saveSource({
      user: 'dana',
      kind: 'email-files',
      name: 'uploads',
      settings: {},
      inbox: true,
    });
    assert.equal(inbox.inbox, true);
    assert.equal(inbox.settings.path, undefined, 'the server path is not shown');
    await rejects(
      api.saveSource({ ...inbox, user: 'dana', inbox: true, settings: { path: mailDir } }),
      400,
      /settings\.path: an inbox source has no path/,
    );
    await rejects(
      api.saveSource({ user: 'dana', kind: 'chat-export', name: 'c', settings: {}, inbox: true }),
      400,
      /inbox: a chat-export source cannot be an upload inbox/,
    );

    const emails = (await readdir(scratch)).filter((name) => name.endsWith('.eml')).sort();
    const hostileName = '../../etc/passwd\n\u202e.eml';
    const first = await api.uploadFile(
      inbox.id,
      path.join(scratch, emails[0] as string),
      hostileName,
    );
    assert.equal(first.filename, '../../etc/passwd.eml', 'control characters are stripped');
    assert.equal(first.contentType, 'message/rfc822');
    assert.equal(first.declaredContentType, 'application/octet-stream');
    for (const name of emails.slice(1, 3)) await api.uploadFile(inbox.id, path.join(scratch, name));

    const form = new FormData();
    const fourth = await readFile(path.join(scratch, emails[3] as string));
    form.append('file', new Blob([fourth], { type: 'text/plain' }), 'fourth.eml');
    const multipart = await fetch(url(`/v1/sources/${inbox.id}/files`), {
      method: 'POST',
      headers: { authorization: `Bearer ${apiKey}` },
      body: form,
    });
    assert.equal(multipart.status, 201);
    const fourthUpload = (await multipart.json()) as { filename: string; contentType: string };
    assert.deepEqual(
      [fourthUpload.filename, fourthUpload.contentType],
      ['fourth.eml', 'message/rfc822'],
    );

    const png = path.join(scratch, 'picture.eml');
    await writeFile(png, pngBytes);
    await rejects(api.uploadFile(inbox.id, png), 415, /image\/png.*message\/rfc822/);
    const prose = path.join(scratch, 'notes.eml');
    await writeFile(prose, 'just some words, no headers\n');
    await rejects(api.uploadFile(inbox.id, prose), 415, /text\/plain/);
    const large = path.join(scratch, 'large.eml');
    await writeFile(large, `Subject: big\r\n\r\n${'x'.repeat(uploadMaxBytes)}`);
    await rejects(api.uploadFile(inbox.id, large), 413, new RegExp(`over ${uploadMaxBytes} bytes`));
    // Far past the limit the server answers while the client is still sending.
    const huge = path.join(scratch, 'huge.eml');
    await writeFile(huge, `Subject: huge\r\n\r\n${'y'.repeat(256 * uploadMaxBytes)}`);
    await rejects(api.uploadFile(inbox.id, huge), 413, /over/);
    const pathSource = (await api.listSources('dana')).sources.find((s) => s.name === 'mail');
    await rejects(
      api.uploadFile(pathSource?.id as string, path.join(scratch, emails[0] as string)),
      409,
      /"inbox": true/,
    );

    const directory = inboxDirectory(harness.config.dataDir, tenant, inbox.id);
    const stored = await readdir(directory);
    const uploads = (await api.listUploads(inbox.id)).uploads;
    assert.equal(uploads.length, 4);
    assert.deepEqual(stored.sort(), uploads.map((upload) => `${upload.id}.eml`).sort());
    assert.deepEqual(await readdir(partialUploadsDirectory(harness.config.dataDir)), []);

    const started = await api.ingestSource(inbox.id);
    const status = await api.waitForIngestion(started.workflowId);
    assert.equal(status.status, 'COMPLETED');
    assert.equal(status.documents.ingested, 4);

    const firstPage = await api.sourceDocuments(inbox.id, { limit: 3 });
    assert.equal(firstPage.documents.length, 3);
    assert.ok(firstPage.nextCursor);
    const secondPage = await api.sourceDocuments(inbox.id, {
      limit: 3,
      cursor: firstPage.nextCursor,
    });
    assert.equal(secondPage.documents.length, 1);
    assert.equal(secondPage.nextCursor, null);
    assert.equal((await api.sourceDocuments(inbox.id, { status: 'failed' })).documents.length, 0);

    const firstDocument = [...firstPage.documents, ...secondPage.documents].find((document) =>
      document.sourceItemId.startsWith(first.id),
    );
    assert.ok(firstDocument, 'the first upload became a document');
    const document = await api.document(firstDocument.id);
    assert.equal(document.status, 'ingested');
    assert.equal(document.source.id, inbox.id);
    assert.equal(document.source.kind, 'email-files');
    assert.ok(document.chunkCount > 0);
    assert.equal(document.attachments, 0);
    assert.equal(typeof document.decisions, 'number');
    assert.ok(document.title);

    const removed = await api.deleteUpload(inbox.id, first.id);
    assert.equal(removed.documentsDeleted, 1);
    assert.equal((await api.document(firstDocument.id)).status, 'deleted');
    assert.equal((await readdir(directory)).length, 3);
    assert.equal((await api.listUploads(inbox.id)).uploads.length, 3);
    await rejects(api.deleteUpload(inbox.id, first.id), 404, /not found/);
    const again = await api.waitForIngestion((await api.ingestSource(inbox.id)).workflowId);
    assert.equal(again.documents.deleted, 1, 'the deleted upload does not come back');
    assert.equal(again.documents.ingested, 3);
  });

  test('the CLI creates an inbox, uploads into it, ingests it and shows a document', async () => {
    const cli = async (...args: string[]) => {
      const { stdout } = await promisify(execFile)(
        process.execPath,
        [path.join(import.meta.dirname, '../../src/cli/main.ts'), ...args],
        {
          env: { ...process.env, MEMTAPE_API_URL: harness.memtape.apiUrl, MEMTAPE_API_KEY: apiKey },
        },
      );
      return JSON.parse(stdout) as Record<string, unknown>;
    };
    const inbox = (await cli('source', 'create', '--user', 'cli', '--name', 'drop', '--inbox')) as {
      id: string;
      inbox: boolean;
    };
    assert.equal(inbox.inbox, true);
    const emails = (await readdir(scratch)).filter((name) => name.endsWith('.eml')).sort();
    const uploaded = (await cli(
      'upload',
      '--source-id',
      inbox.id,
      ...emails.slice(0, 2).map((name) => path.join(scratch, name)),
    )) as { uploads: { filename: string }[] };
    assert.deepEqual(
      uploaded.uploads.map((upload) => upload.filename),
      emails.slice(0, 2),
    );
    const status = (await cli('source', 'ingest', inbox.id, '--wait')) as {
      documents: Record<string, number>;
    };
    assert.equal(status.documents.ingested, 2);
    const page = await api.sourceDocuments(inbox.id);
    const document = (await cli('document', page.documents[0]?.id as string)) as { status: string };
    assert.equal(document.status, 'ingested');
  });

  test('liveness and readiness', async () => {
    const live = await fetch(url('/livez'));
    assert.equal(live.status, 200);
    const ready = await fetch(url('/readyz'));
    assert.equal(ready.status, 200);
    assert.deepEqual(await ready.json(), {
      ready: true,
      checks: { temporal: 'ok', metadata: 'ok', vectors: 'ok', rawStore: 'ok' },
      failed: [],
    });
  });
});
