import fastifySwagger from '@fastify/swagger';
import Fastify from 'fastify';
import {
  hasZodFastifySchemaValidationErrors,
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import { registerAuditHook } from '../audit/audit-hook.ts';
import { MemtapeError } from '../shared/errors.ts';
import type { ApiApp, ApiDeps } from './api-app.ts';
import { authenticateRequest } from './authenticate.ts';
import { registerAuditRoutes } from './routes/audit-routes.ts';
import { registerConnectorRoutes } from './routes/connector-routes.ts';
import { registerContextRoutes } from './routes/context-routes.ts';
import { registerDocumentRoutes } from './routes/document-routes.ts';
import { registerForgetRoutes } from './routes/forget-routes.ts';
import { registerHealthRoutes } from './routes/health-routes.ts';
import { registerIngestionRoutes } from './routes/ingestion-routes.ts';
import { registerPrivacyRoutes } from './routes/privacy-routes.ts';
import { registerSourceRoutes } from './routes/source-routes.ts';
import { registerTenantRoutes } from './routes/tenant-routes.ts';
import { registerUploadRoutes } from './routes/upload-routes.ts';

/** Route modules, each owning the routes of one capability. */
const routeModules: Array<(app: ApiApp, deps: ApiDeps) => void> = [
  registerHealthRoutes,
  registerTenantRoutes,
  registerIngestionRoutes,
  registerSourceRoutes,
  registerUploadRoutes,
  registerContextRoutes,
  registerDocumentRoutes,
  registerForgetRoutes,
  registerPrivacyRoutes,
  registerAuditRoutes,
  registerConnectorRoutes,
];

export type ApiServer = Awaited<ReturnType<typeof createApiServer>>;

/**
 * The HTTP API. Request bodies, params and query strings are zod schemas, which validate
 * requests and generate the OpenAPI document served at /openapi.json from the same source.
 */
export async function createApiServer(deps: ApiDeps) {
  const { services } = deps;
  const app: ApiApp = Fastify({
    loggerInstance: services.logger,
    bodyLimit: 1024 * 1024,
    // Workflow ids (a 63-character tenant and two UUIDs) and users' own ids (up to 320
    // characters, more when encoded) are path parameters; Fastify's default allows 100.
    routerOptions: { maxParamLength: 1024 },
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  app.addHook('onRoute', (route) => {
    if (!route.config?.access) {
      throw new Error(`Route ${route.method} ${route.url} does not declare config.access`);
    }
  });
  app.addHook(
    'onRequest',
    authenticateRequest({
      prisma: services.metadata.prisma,
      adminApiKey: services.config.adminApiKey,
    }),
  );

  registerAuditHook(app, { prisma: services.metadata.prisma, logger: services.logger });

  app.setErrorHandler((error, request, reply) => {
    if (hasZodFastifySchemaValidationErrors(error)) {
      const problems = error.validation
        .map(
          (issue) =>
            `${issue.instancePath.replace(/^\//, '').replaceAll('/', '.') || error.validationContext}: ${issue.message}`,
        )
        .join('; ');
      return reply
        .status(400)
        .send({ error: `Invalid ${error.validationContext}: ${problems}`, requestId: request.id });
    }
    if (error instanceof MemtapeError) {
      return reply.status(error.status).send({ error: error.message, requestId: request.id });
    }
    const status = (error as { statusCode?: number }).statusCode;
    if (status && status >= 400 && status < 500) {
      return reply.status(status).send({ error: (error as Error).message, requestId: request.id });
    }
    request.log.error({ err: error }, 'request failed');
    return reply.status(500).send({ error: 'Internal error', requestId: request.id });
  });

  await app.register(fastifySwagger, {
    openapi: {
      info: {
        title: 'memtape',
        description: 'Memory ingestion and query-time context for LLM applications',
        version: '0.1.0',
      },
      components: {
        securitySchemes: { apiKey: { type: 'http', scheme: 'bearer' } },
      },
      security: [{ apiKey: [] }],
    },
    transform: jsonSchemaTransform,
  });
  app.get('/openapi.json', { config: { access: 'public' }, schema: { hide: true } }, async () =>
    app.swagger(),
  );

  for (const register of routeModules) register(app, deps);
  return app;
}
