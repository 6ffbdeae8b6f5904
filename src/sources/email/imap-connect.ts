import { ImapFlow, type ImapFlowError } from 'imapflow';
import { CredentialsError } from '../../shared/errors.ts';
import type { ImapSettings } from './imap-source.ts';

/**
 * Opens an authenticated IMAP session. A refused login becomes a CredentialsError, which is
 * not retried and names the server and account but never the password; network and server
 * errors pass through unchanged, so the activity retries them.
 */
export async function connectImap(settings: ImapSettings): Promise<ImapFlow> {
  const client = new ImapFlow({
    host: settings.host,
    port: settings.port,
    secure: settings.secure,
    auth: { user: settings.user, pass: settings.password },
    tls: { rejectUnauthorized: settings.tlsRejectUnauthorized },
    // imapflow logs to the console unless told otherwise; failures surface as errors instead.
    logger: false,
    // A sync issues its commands back to back and logs out; IDLE would only add round trips.
    disableAutoIdle: true,
  });
  // A connection failing mid-session also fails the command in flight, which is where the sync
  // sees it; an 'error' event without a listener would crash the worker process instead.
  client.on('error', () => {});
  try {
    await client.connect();
  } catch (error) {
    // A refused login leaves the socket open until the server drops it.
    client.close();
    if ((error as ImapFlowError).authenticationFailed) {
      throw new CredentialsError(
        `IMAP server ${settings.host}:${settings.port} refused the login of user ` +
          `"${settings.user}": check the user name and password of this source`,
      );
    }
    throw error;
  }
  return client;
}
