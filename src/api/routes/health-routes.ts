import { z } from 'zod';
import type { ApiApp, ApiDeps } from '../api-app.ts';
import { checkReadiness, readinessProbes } from '../readiness.ts';

const readinessResponse = z.object({
  ready: z.boolean(),
  checks: z.record(z.string(), z.enum(['ok', 'failed'])),
  failed: z.array(z.string()),
});

export function registerHealthRoutes(app: ApiApp, { services, ingestion }: ApiDeps): void {
  app.get(
    '/livez',
    {
      config: { access: 'public' },
      schema: {
        tags: ['health'],
        summary: 'Liveness: the process is up and serving',
        response: { 200: z.object({ status: z.literal('ok') }) },
      },
    },
    async () => ({ status: 'ok' as const }),
  );

  const probes = readinessProbes(services, ingestion);
  app.get(
    '/readyz',
    {
      config: { access: 'public' },
      schema: {
        tags: ['health'],
        summary: 'Readiness: Temporal, the metadata database, the vector store and the raw store',
        response: { 200: readinessResponse, 503: readinessResponse },
      },
    },
    async (request, reply) => {
      const report = await checkReadiness(probes, (check, error) =>
        request.log.warn({ err: error, check }, 'readiness check failed'),
      );
      return reply.status(report.ready ? 200 : 503).send(report);
    },
  );
}
