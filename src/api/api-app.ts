import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyInstance, RawServerDefault } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Services } from '../runtime/services.ts';
import type { Logger } from '../shared/logger.ts';
import type { IngestionClient } from '../temporal/client.ts';

/** The Fastify instance routes are registered on: request schemas are zod schemas. */
export type ApiApp = FastifyInstance<
  RawServerDefault,
  IncomingMessage,
  ServerResponse,
  Logger,
  ZodTypeProvider
>;

/** What route modules work with. */
export interface ApiDeps {
  services: Services;
  ingestion: IngestionClient;
}
