import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, chown, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { ImapFlow } from 'imapflow';

/** A private Dovecot IMAP server on loopback with one mailbox user. */
export interface ImapTestServer {
  host: string;
  port: number;
  user: string;
  password: string;
  /** An authenticated client for arranging mail (APPEND, EXPUNGE, ...); closed afterwards. */
  withClient<T>(use: (client: ImapFlow) => Promise<T>): Promise<T>;
  stop(): Promise<void>;
}

// Debian installs it in /usr/sbin, which is not on every user's PATH.
const dovecotBinary = [...(process.env.PATH ?? '').split(':').filter(Boolean), '/usr/sbin']
  .map((dir) => path.join(dir, 'dovecot'))
  .find((candidate) => existsSync(candidate));

/** A skip reason when Dovecot is not installed, for `describe(name, { skip })`. */
export const dovecotMissing = dovecotBinary
  ? false
  : 'skipped: the dovecot binary is not installed (apt-get install dovecot-imapd)';

/**
 * Starts Dovecot with its own configuration, Maildir storage, password file and runtime
 * directories, all in a fresh temporary directory, listening on a free loopback port with
 * plaintext login (loopback only, so no TLS). Nothing system-wide is read or changed. Run as
 * root, mail is stored as the `dovecot` system user the package creates, because Dovecot
 * refuses to access mail as root; otherwise everything runs as the current user.
 */
export async function startDovecot(): Promise<ImapTestServer> {
  if (!dovecotBinary) throw new Error(String(dovecotMissing));
  const dir = await mkdtemp(path.join(os.tmpdir(), 'memtape-dovecot-'));
  // The mail processes run as another user when we are root and must reach the home below.
  await chmod(dir, 0o755);
  const self = os.userInfo();
  const mailOwner = self.uid === 0 ? systemUser('dovecot') : self;
  const home = path.join(dir, 'home');
  await mkdir(home);
  await chown(home, mailOwner.uid, mailOwner.gid);

  const user = 'alice';
  const password = randomBytes(12).toString('base64url');
  await writeFile(path.join(dir, 'passwd'), `${user}:{PLAIN}${password}\n`);
  const port = await freePort();
  const configFile = path.join(dir, 'dovecot.conf');
  await writeFile(configFile, config({ dir, port, self, mailOwner }));

  const child = spawn(dovecotBinary, ['-F', '-c', configFile], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  await waitForStartup(child);

  const host = '127.0.0.1';
  return {
    host,
    port,
    user,
    password,
    async withClient(use) {
      const client = new ImapFlow({
        host,
        port,
        secure: false,
        auth: { user, pass: password },
        logger: false,
      });
      // Failures reach the test through the rejected command; unheard, the event would crash it.
      client.on('error', () => {});
      await client.connect();
      try {
        return await use(client);
      } finally {
        await client.logout();
      }
    },
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
}

interface Account {
  username: string;
  uid: number;
  gid: number;
}

function config(options: { dir: string; port: number; self: Account; mailOwner: Account }) {
  const { dir, port, self, mailOwner } = options;
  // As non-root every service must run as ourselves; as root Dovecot's own users apply.
  const serviceUsers =
    self.uid === 0
      ? ''
      : `default_internal_user = ${self.username}\ndefault_login_user = ${self.username}\n` +
        `default_internal_group = ${execFileSync('id', ['-gn'], { encoding: 'utf8' }).trim()}\n`;
  return `
instance_name = ${path.basename(dir)}
base_dir = ${dir}/run
state_dir = ${dir}/state
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
log_path = /dev/stderr
${serviceUsers}first_valid_uid = ${mailOwner.uid}
mail_location = maildir:~/Maildir
namespace inbox {
  inbox = yes
  separator = /
  mailbox Junk {
    special_use = \\Junk
  }
  mailbox Trash {
    special_use = \\Trash
  }
}
passdb {
  driver = passwd-file
  args = scheme=PLAIN ${dir}/passwd
}
userdb {
  driver = static
  args = uid=${mailOwner.uid} gid=${mailOwner.gid} home=${dir}/home/%u
}
service imap-login {
  chroot =
  inet_listener imap {
    address = 127.0.0.1
    port = ${port}
  }
  inet_listener imaps {
    port = 0
  }
}
service anvil {
  chroot =
}
`;
}

function systemUser(name: string): Account {
  const line = execFileSync('getent', ['passwd', name], { encoding: 'utf8' });
  const [, , uid, gid] = line.split(':');
  if (!uid || !gid) throw new Error(`user ${name} not found; is dovecot-core installed?`);
  return { username: name, uid: Number(uid), gid: Number(gid) };
}

/** A port free on loopback right now (the server binds it a moment later). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (!address || typeof address === 'string') throw new Error('no loopback port');
  return address.port;
}

/**
 * Dovecot logs "starting up" once its listeners are bound; an exit before that is a
 * start-up failure, reported with what Dovecot said.
 */
function waitForStartup(child: ChildProcess): Promise<void> {
  return new Promise((resolve, reject) => {
    let output = '';
    const onData = (data: Buffer) => {
      output += data.toString();
      if (output.includes('starting up')) {
        child.off('exit', onExit);
        // Later log lines are not needed, but the pipe must keep draining.
        child.stderr?.off('data', onData).resume();
        resolve();
      }
    };
    const onExit = (code: number | null) =>
      reject(new Error(`dovecot exited with ${code} during start-up:\n${output}`));
    child.stderr?.on('data', onData);
    child.once('exit', onExit);
  });
}
