import { parseArgs } from 'node:util';
import { createApiClient } from '../api/api-client.ts';
import { loadConfig } from '../config/config.ts';
import { connectorUsage, runConnectorCommand } from '../connectors/connector-command.ts';
import type { RetrievalMode } from '../context/context-types.ts';
import { runDoctorCommand } from '../doctor/doctor-command.ts';
import { auditFilter, privacyUsage, runPrivacyCommand } from '../privacy/privacy-command.ts';
import { startMemtape } from '../runtime/start-memtape.ts';
import { runSourceCommand, sourceUsage } from '../source-admin/source-command.ts';

const usage = `memtape <command> [options]

Server:
  serve [--no-worker] [--no-api] [--ui]   run the API and a worker (starts a local Temporal
                                          dev server when TEMPORAL_ADDRESS is unset)
Operator (opens the configured stores in this process, like a migration; with the embedded
metadata database, stop memtape first):
  doctor --tenant T [--user U] [--repair] compare metadata, vectors and raw blobs of a tenant
                                          (or one user); --repair fixes what is safe to fix;
                                          exits 1 while drift remains
Client (talks to MEMTAPE_API_URL with MEMTAPE_API_KEY):
  tenant create <id> [--name N]           create a tenant and print a new API key
                                          (needs MEMTAPE_ADMIN_API_KEY)
  ingest --user U --name N --path P [--kind email-files] [--wait] [--reencode]
                                          --reencode: encode what the source holds again
                                          from the raw store (changed thresholds apply)
  status <workflowId>
  decisions <documentId>                  why chunks of a document were dropped or linked
  forget --user U [--source-id S]         forget a user, or one source (by id) of theirs,
                                          everywhere; prints the verified report
  context --user U [--budget N] [--mode dense|lexical|hybrid|hybrid+diffusion]
          [--since DATE] [--until DATE] [--source-kind K]... [--person P]...
          [--document ID]... [--recency 0..1] [--now DATE] <query...>
                                          time words in the query ("last week", "since
                                          2021") are read relative to --now (default: now)
${connectorUsage}
${sourceUsage}
${privacyUsage}`;

async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  const config = loadConfig();
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: {
      user: { type: 'string' },
      tenant: { type: 'string' },
      repair: { type: 'boolean', default: false },
      'source-id': { type: 'string' },
      name: { type: 'string' },
      path: { type: 'string' },
      kind: { type: 'string', default: 'email-files' },
      budget: { type: 'string' },
      mode: { type: 'string' },
      since: { type: 'string' },
      until: { type: 'string' },
      'source-kind': { type: 'string', multiple: true },
      person: { type: 'string', multiple: true },
      document: { type: 'string', multiple: true },
      recency: { type: 'string' },
      action: { type: 'string' },
      limit: { type: 'string' },
      now: { type: 'string' },
      every: { type: 'string' },
      settings: { type: 'string' },
      paused: { type: 'boolean', default: false },
      inbox: { type: 'boolean', default: false },
      wait: { type: 'boolean', default: false },
      reencode: { type: 'boolean', default: false },
      'no-worker': { type: 'boolean', default: false },
      'no-api': { type: 'boolean', default: false },
      ui: { type: 'boolean', default: false },
    },
  });
  const print = (value: unknown) => console.log(JSON.stringify(value, null, 2));
  const required = (value: string | undefined, flag: string) => {
    if (!value) throw new Error(`${command} needs --${flag}\n\n${usage}`);
    return value;
  };

  switch (command) {
    case 'serve': {
      const running = await startMemtape(config, {
        worker: !values['no-worker'],
        api: !values['no-api'],
        temporalUi: values.ui,
      });
      console.error(
        `memtape running: api=${running.apiUrl ?? 'off'} temporal=${running.temporalAddress}` +
          (running.temporalUiUrl ? ` ui=${running.temporalUiUrl}` : ''),
      );
      await new Promise<void>((resolve) => {
        process.once('SIGINT', resolve);
        process.once('SIGTERM', resolve);
      });
      await running.stop();
      return;
    }
    case 'tenant': {
      if (positionals[0] !== 'create' || !positionals[1]) throw new Error(usage);
      const admin = createApiClient(config.apiUrl, config.adminApiKey);
      print(await admin.createTenant({ id: positionals[1], name: values.name }));
      return;
    }
    case 'ingest': {
      const api = createApiClient(config.apiUrl, config.apiKey);
      const started = await api.startIngestion({
        user: required(values.user, 'user'),
        source: {
          kind: values.kind,
          name: required(values.name, 'name'),
          settings: { path: required(values.path, 'path') },
        },
        reencode: values.reencode,
      });
      print(values.wait ? await api.waitForIngestion(started.workflowId) : started);
      return;
    }
    case 'forget': {
      const api = createApiClient(config.apiUrl, config.apiKey);
      const user = required(values.user, 'user');
      const sourceId = values['source-id'];
      const report = sourceId ? await api.forgetSource(sourceId, user) : await api.forgetUser(user);
      print(report);
      if (report.leftovers.length > 0) process.exitCode = 1;
      return;
    }
    case 'doctor': {
      const report = await runDoctorCommand(config, {
        tenantId: required(values.tenant, 'tenant'),
        externalUserId: values.user,
        repair: values.repair,
      });
      print(report);
      if (!report.clean) process.exitCode = 1;
      return;
    }
    case 'connector': {
      const api = createApiClient(config.apiUrl, config.apiKey);
      print(await runConnectorCommand(api, positionals, values));
      return;
    }
    case 'source':
    case 'upload':
    case 'document': {
      const api = createApiClient(config.apiUrl, config.apiKey);
      print(await runSourceCommand(api, command, positionals, values));
      return;
    }
    case 'privacy': {
      print(await runPrivacyCommand(createApiClient(config.apiUrl, config.apiKey), positionals));
      return;
    }
    case 'reveal': {
      const api = createApiClient(config.apiUrl, config.apiKey);
      console.log((await api.revealRedactions(positionals.join(' '))).text);
      return;
    }
    case 'export': {
      const api = createApiClient(config.apiUrl, config.apiKey);
      await api.exportUser(required(values.user, 'user'), (chunk) => process.stdout.write(chunk));
      return;
    }
    case 'audit': {
      const api = createApiClient(config.apiUrl, config.apiKey);
      print(await api.auditEvents(auditFilter(values)));
      return;
    }
    case 'decisions': {
      const documentId = positionals[0];
      if (!documentId) throw new Error(`decisions needs a document id\n\n${usage}`);
      print(await createApiClient(config.apiUrl, config.apiKey).documentDecisions(documentId));
      return;
    }
    case 'status': {
      const workflowId = positionals[0];
      if (!workflowId) throw new Error(`status needs a workflow id\n\n${usage}`);
      print(await createApiClient(config.apiUrl, config.apiKey).ingestionStatus(workflowId));
      return;
    }
    case 'context': {
      const result = await createApiClient(config.apiUrl, config.apiKey).context({
        user: required(values.user, 'user'),
        query: positionals.join(' '),
        tokenBudget: values.budget ? Number(values.budget) : undefined,
        // The server validates the mode and the dates and says what is wrong.
        mode: values.mode as RetrievalMode | undefined,
        recencyWeight: values.recency ? Number(values.recency) : undefined,
        now: values.now,
        filters: {
          occurredAfter: values.since,
          occurredBefore: values.until,
          sourceKinds: values['source-kind'],
          people: values.person,
          documentIds: values.document,
        },
      });
      console.log(result.context);
      console.error(JSON.stringify(result.stats));
      return;
    }
    default:
      console.log(usage);
      process.exitCode = command ? 2 : 0;
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  console.error((error as Error).message);
  process.exitCode = 1;
});
