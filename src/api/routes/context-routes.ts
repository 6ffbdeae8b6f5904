import { buildContext } from '../../context/build-context.ts';
import { contextRequestBody } from '../../context/context-request-schema.ts';
import { findUser } from '../../tenants/users.ts';
import type { ApiApp, ApiDeps } from '../api-app.ts';
import { callerOf } from '../authenticate.ts';

export function registerContextRoutes(app: ApiApp, { services }: ApiDeps): void {
  const prisma = services.metadata.prisma;
  app.post(
    '/v1/context',
    {
      config: { access: 'tenant' },
      schema: {
        tags: ['context'],
        summary: "Build the context for a query from a user's memory, within a token budget",
        body: contextRequestBody,
      },
    },
    async (request) => {
      const { tenantId } = callerOf(request);
      const userId = await findUser(prisma, tenantId, request.body.user);
      return buildContext(
        { prisma, vectors: services.vectors, embedder: services.embedder },
        { tenantId, userId, ...request.body },
      );
    },
  );
}
