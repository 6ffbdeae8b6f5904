import { z } from 'zod';
import {
  createConnector,
  deleteConnector,
  describeConnector,
  listConnectors,
  triggerConnector,
  updateConnector,
} from '../../connectors/connector-service.ts';
import { sourceKindNames } from '../../sources/source-kinds.ts';
import type { ApiApp, ApiDeps } from '../api-app.ts';
import { callerOf } from '../authenticate.ts';

// Temporal rounds intervals to seconds; a month is far beyond any sensible sync interval.
const intervalSeconds = z
  .number()
  .int()
  .min(1)
  .max(30 * 24 * 3600);

const createConnectorBody = z.object({
  user: z.string().min(1).max(320),
  source: z.object({
    kind: z.enum(sourceKindNames as [string, ...string[]]),
    name: z.string().min(1).max(200),
    settings: z.record(z.string(), z.unknown()),
  }),
  intervalSeconds,
  paused: z.boolean().optional(),
});

const updateConnectorBody = z
  .object({ intervalSeconds: intervalSeconds.optional(), paused: z.boolean().optional() })
  .refine((body) => body.intervalSeconds !== undefined || body.paused !== undefined, {
    message: 'give intervalSeconds, paused or both',
  });

const sourceParams = z.object({ sourceId: z.string().min(1).max(100) });

/** Connectors: a source synced on an interval by a Temporal schedule. */
export function registerConnectorRoutes(app: ApiApp, { services, ingestion }: ApiDeps): void {
  const { dataDir, sourceRoots } = services.config;
  const deps = {
    prisma: services.metadata.prisma,
    schedules: ingestion.connectors,
    paths: { dataDir, sourceRoots },
  };
  const tags = ['connectors'];

  app.post(
    '/v1/connectors',
    {
      config: { access: 'tenant' },
      schema: {
        tags,
        summary: "Create (or update) a user's source and the schedule that syncs it",
        body: createConnectorBody,
      },
    },
    async (request, reply) =>
      reply.status(201).send(await createConnector(deps, callerOf(request).tenantId, request.body)),
  );

  app.get(
    '/v1/connectors',
    {
      config: { access: 'tenant' },
      schema: {
        tags,
        summary: "The tenant's connectors, or one user's",
        querystring: z.object({ user: z.string().min(1).max(320).optional() }),
      },
    },
    async (request) => ({
      connectors: await listConnectors(deps, callerOf(request).tenantId, request.query.user),
    }),
  );

  app.get(
    '/v1/connectors/:sourceId',
    {
      config: { access: 'tenant' },
      schema: {
        tags,
        summary: 'Interval, paused, next run and the last runs with their status',
        params: sourceParams,
      },
    },
    async (request) => describeConnector(deps, callerOf(request).tenantId, request.params.sourceId),
  );

  app.patch(
    '/v1/connectors/:sourceId',
    {
      config: { access: 'tenant' },
      schema: {
        tags,
        summary: "Change a connector's interval, or pause or resume it",
        params: sourceParams,
        body: updateConnectorBody,
      },
    },
    async (request) =>
      updateConnector(deps, callerOf(request).tenantId, request.params.sourceId, request.body),
  );

  app.post(
    '/v1/connectors/:sourceId/trigger',
    {
      config: { access: 'tenant' },
      schema: {
        tags,
        summary: 'Sync now; skipped when a sync of the source is already running',
        params: sourceParams,
      },
    },
    async (request, reply) => {
      await triggerConnector(deps, callerOf(request).tenantId, request.params.sourceId);
      return reply.status(202).send({ triggered: true });
    },
  );

  app.delete(
    '/v1/connectors/:sourceId',
    {
      config: { access: 'tenant' },
      schema: {
        tags,
        summary: "Remove a connector's schedule; the source's memory stays",
        params: sourceParams,
      },
    },
    async (request, reply) => {
      await deleteConnector(deps, callerOf(request).tenantId, request.params.sourceId);
      return reply.status(204).send();
    },
  );
}
