import type { ApiClient } from '../api/api-client.ts';
import { InvalidInputError } from '../shared/errors.ts';

export const connectorUsage = `  connector create --user U --name N --every SECONDS [--kind K] (--path P | --settings JSON)
                   [--paused]             a source synced on a schedule (created or updated)
  connector list [--user U]
  connector show|trigger|pause|resume|delete <sourceId>
  connector update <sourceId> --every SECONDS`;

export interface ConnectorCommandOptions {
  user?: string;
  name?: string;
  kind: string;
  path?: string;
  settings?: string;
  every?: string;
  paused: boolean;
}

/** `memtape connector ...`: the connector routes of the API, one subcommand each. */
export async function runConnectorCommand(
  api: ApiClient,
  [subcommand, sourceId]: string[],
  options: ConnectorCommandOptions,
): Promise<unknown> {
  const required = (value: string | undefined, what: string) => {
    if (!value) throw new InvalidInputError(`connector ${subcommand} needs ${what}`);
    return value;
  };
  const id = () => required(sourceId, 'a source id');
  switch (subcommand) {
    case 'create':
      return api.createConnector({
        user: required(options.user, '--user'),
        source: {
          kind: options.kind,
          name: required(options.name, '--name'),
          settings: settingsOf(options),
        },
        intervalSeconds: seconds(required(options.every, '--every')),
        paused: options.paused,
      });
    case 'list':
      return api.listConnectors(options.user);
    case 'show':
      return api.connector(id());
    case 'update':
      return api.updateConnector(id(), {
        intervalSeconds: seconds(required(options.every, '--every')),
      });
    case 'pause':
      return api.updateConnector(id(), { paused: true });
    case 'resume':
      return api.updateConnector(id(), { paused: false });
    case 'trigger':
      return api.triggerConnector(id());
    case 'delete':
      await api.deleteConnector(id());
      return { deleted: id() };
    default:
      throw new InvalidInputError(`unknown connector command "${subcommand ?? ''}"`);
  }
}

function settingsOf(options: ConnectorCommandOptions): Record<string, unknown> {
  if (options.settings === undefined) {
    if (!options.path) throw new InvalidInputError('connector create needs --path or --settings');
    return { path: options.path };
  }
  try {
    return JSON.parse(options.settings) as Record<string, unknown>;
  } catch (error) {
    throw new InvalidInputError(`--settings is not JSON: ${(error as Error).message}`);
  }
}

function seconds(value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1) {
    throw new InvalidInputError(`--every must be a whole number of seconds, not "${value}"`);
  }
  return parsed;
}
