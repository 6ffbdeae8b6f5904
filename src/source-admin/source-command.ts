import path from 'node:path';
import type { ApiClient } from '../api/api-client.ts';
import { InvalidInputError } from '../shared/errors.ts';

export const sourceUsage = `  source create --user U --name N [--kind K] (--path P | --inbox) [--settings JSON]
                                          a source, created or updated, not started
  source list [--user U]
  source show|ingest|documents <sourceId> [--wait]
  upload --source-id S <file>...          stream files into an inbox source
  document <documentId>                   status of one document`;

export interface SourceCommandOptions {
  user?: string;
  name?: string;
  kind: string;
  path?: string;
  settings?: string;
  inbox: boolean;
  wait: boolean;
  'source-id'?: string;
}

/** `memtape source|upload|document ...`: the source, upload and document routes of the API. */
export async function runSourceCommand(
  api: ApiClient,
  command: string,
  [subcommand, ...args]: string[],
  options: SourceCommandOptions,
): Promise<unknown> {
  const required = (value: string | undefined, what: string) => {
    if (!value) throw new InvalidInputError(`${command} ${subcommand ?? ''} needs ${what}`);
    return value;
  };
  if (command === 'document') return api.document(required(subcommand, 'a document id'));
  if (command === 'upload') {
    const sourceId = required(options['source-id'], '--source-id');
    const files = [subcommand, ...args].filter((file): file is string => file !== undefined);
    if (files.length === 0) throw new InvalidInputError('upload needs at least one file');
    const uploads = [];
    for (const file of files)
      uploads.push(await api.uploadFile(sourceId, file, path.basename(file)));
    return { uploads };
  }
  const id = () => required(args[0], 'a source id');
  switch (subcommand) {
    case 'create':
      return api.saveSource({
        user: required(options.user, '--user'),
        kind: options.kind,
        name: required(options.name, '--name'),
        settings: settingsOf(options),
        inbox: options.inbox,
      });
    case 'list':
      return api.listSources(options.user);
    case 'show':
      return api.source(id());
    case 'documents':
      return api.sourceDocuments(id());
    case 'ingest': {
      const started = await api.ingestSource(id());
      return options.wait ? api.waitForIngestion(started.workflowId) : started;
    }
    default:
      throw new InvalidInputError(`unknown source command "${subcommand ?? ''}"`);
  }
}

function settingsOf(options: SourceCommandOptions): Record<string, unknown> {
  let settings: Record<string, unknown> = {};
  if (options.settings !== undefined) {
    try {
      settings = JSON.parse(options.settings) as Record<string, unknown>;
    } catch (error) {
      throw new InvalidInputError(`--settings is not JSON: ${(error as Error).message}`);
    }
  }
  if (options.path !== undefined) settings = { ...settings, path: options.path };
  if (!options.inbox && settings.path === undefined && options.kind !== 'imap') {
    throw new InvalidInputError('source create needs --path, --inbox or --settings');
  }
  return settings;
}
