import assert from 'node:assert/strict';
import { mkdir, mkdtemp, realpath, rm, symlink } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { loadConfig } from '../../src/config/config.ts';
import { InvalidInputError } from '../../src/shared/errors.ts';
import { checkSourcePath } from '../../src/source-admin/source-paths.ts';

let base: string;
let dataDir: string;
let root: string;

before(async () => {
  base = await realpath(await mkdtemp(path.join(os.tmpdir(), 'memtape-paths-')));
  dataDir = path.join(base, 'data');
  root = path.join(base, 'root');
  await mkdir(path.join(dataDir, 'raw', 'other-tenant'), { recursive: true });
  await mkdir(path.join(root, 'mail'), { recursive: true });
  await symlink(path.join(dataDir, 'raw'), path.join(root, 'raw-link'));
  await symlink(base, path.join(root, 'up-link'));
});

after(() => rm(base, { recursive: true, force: true }));

function refused(message: RegExp) {
  return (error: unknown) => {
    assert.ok(error instanceof InvalidInputError, String(error));
    assert.match(error.message, /^settings\.path: /);
    assert.match(error.message, message);
    return true;
  };
}

test('without roots any readable path is allowed, resolved, except the data directory', async () => {
  const policy = { dataDir, sourceRoots: [] };
  assert.equal(await checkSourcePath(path.join(root, 'mail'), policy), path.join(root, 'mail'));
  await assert.rejects(
    checkSourcePath(path.join(dataDir, 'raw', 'other-tenant'), policy),
    refused(/inside memtape's data directory \(MEMTAPE_DATA_DIR\)/),
  );
  await assert.rejects(checkSourcePath(dataDir, policy), refused(/MEMTAPE_DATA_DIR/));
  await assert.rejects(
    checkSourcePath(path.join(root, 'raw-link'), policy),
    refused(/MEMTAPE_DATA_DIR/),
    'a link into the data directory',
  );
  await assert.rejects(
    checkSourcePath(path.join(root, 'missing'), policy),
    refused(/cannot be read by the server \(ENOENT\)/),
  );
});

test('with roots a path must resolve inside one of them', async () => {
  const policy = { dataDir, sourceRoots: [root] };
  assert.equal(await checkSourcePath(path.join(root, 'mail'), policy), path.join(root, 'mail'));
  assert.equal(await checkSourcePath(root, policy), root);
  for (const outside of [base, path.join(root, '..', 'data'), `${root}-sibling`, '/etc']) {
    await assert.rejects(checkSourcePath(outside, policy), refused(/MEMTAPE_SOURCE_ROOTS/));
  }
  // Nothing outside the roots is looked at, so a missing path there says the same.
  await assert.rejects(
    checkSourcePath('/no/such/dir', policy),
    refused(/outside the directories sources may read/),
  );
  await assert.rejects(
    checkSourcePath(path.join(root, 'up-link'), policy),
    refused(/leads outside .* through a symbolic link/),
  );
});

test('a root that holds the data directory still cannot reach into it', async () => {
  const policy = { dataDir, sourceRoots: [base] };
  await assert.rejects(
    checkSourcePath(path.join(base, 'data', 'raw'), policy),
    refused(/MEMTAPE_DATA_DIR/),
  );
  await assert.rejects(
    checkSourcePath(path.join(root, 'raw-link'), policy),
    refused(/MEMTAPE_DATA_DIR/),
  );
});

test('MEMTAPE_SOURCE_ROOTS is a path-delimited list, MEMTAPE_UPLOAD_MAX_BYTES a positive size', () => {
  const config = loadConfig({
    MEMTAPE_SOURCE_ROOTS: ['/srv/mail', '/srv/exports', ''].join(path.delimiter),
    MEMTAPE_UPLOAD_MAX_BYTES: '1048576',
  });
  assert.deepEqual(config.sourceRoots, ['/srv/mail', '/srv/exports']);
  assert.equal(config.uploadMaxBytes, 1048576);
  assert.deepEqual(loadConfig({}).sourceRoots, [], 'unset: any path');
  assert.throws(() => loadConfig({ MEMTAPE_UPLOAD_MAX_BYTES: '0' }), /MEMTAPE_UPLOAD_MAX_BYTES/);
});
