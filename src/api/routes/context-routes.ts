import { setAuditSubject } from '../../audit/audit-hook.ts';
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
      config: { access: 'tenant', audit: 'context.read' },
      schema: {
        tags: ['context'],
        summary: "Build the context for a query from a user's memory, within a token budget",
        body: contextRequestBody,
      },
    },
    async (request) => {
      const { tenantId } = callerOf(request);
      const userId = await findUser(prisma, tenantId, request.body.user);
      const { query, filters } = request.body;
      // A tenant that redacts stores tokens in place of personal data; the question and the
      // people it names are written the same way so they still match (nothing is stored).
      const people = filters?.people ?? [];
      const [redactedQuery = query, ...redactedPeople] = await services.privacy.redactQuery(
        tenantId,
        [query, ...people],
      );
      const result = await buildContext(
        {
          prisma,
          vectors: services.vectors,
          lexical: services.lexical,
          embedder: services.embedder,
        },
        {
          tenantId,
          userId,
          ...request.body,
          query: redactedQuery,
          ...(filters && {
            filters: { ...filters, ...(filters.people && { people: redactedPeople }) },
          }),
        },
      );
      // Never the query: only the budget and what was cited.
      setAuditSubject(request, {
        userId,
        details: { tokenBudget: request.body.tokenBudget, citations: result.citations.length },
      });
      return result;
    },
  );
}
