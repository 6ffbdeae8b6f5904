import { z } from 'zod';
import { createTenantWithKey } from '../../tenants/tenants.ts';
import type { ApiApp, ApiDeps } from '../api-app.ts';

const createTenantBody = z.object({
  id: z.string(),
  name: z.string().min(1).max(200).optional(),
  keyLabel: z.string().min(1).max(100).optional(),
});

export function registerTenantRoutes(app: ApiApp, { services }: ApiDeps): void {
  app.post(
    '/v1/tenants',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['tenants'],
        summary: 'Create a tenant (or reuse it) and issue a new API key, shown once',
        body: createTenantBody,
      },
    },
    async (request, reply) =>
      reply.status(201).send(await createTenantWithKey(services.metadata.prisma, request.body)),
  );
}
