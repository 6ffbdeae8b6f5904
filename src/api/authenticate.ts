import { timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { UnauthorizedError } from '../shared/errors.ts';
import type { PrismaClient } from '../stores/metadata/prisma.ts';
import { callerForApiKey, type TenantCaller } from '../tenants/tenants.ts';

/**
 * Who may call a route: a tenant's API key, the admin key, or anyone (health probes and the
 * OpenAPI document). Every route states it in `config.access`; a route without it is refused
 * at start-up, so no route can be added that forgets to check.
 */
export type RouteAccess = 'tenant' | 'admin' | 'public';

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: RouteAccess;
  }
  interface FastifyRequest {
    /** Set before validation on every `tenant` route; the only source of the tenant. */
    caller?: TenantCaller;
  }
}

function bearerToken(request: FastifyRequest): string {
  const header = request.headers.authorization ?? '';
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  if (!match?.[1]) throw new UnauthorizedError('Missing "Authorization: Bearer <api key>" header');
  return match[1];
}

function assertAdmin(adminApiKey: string | undefined, request: FastifyRequest): void {
  const given = Buffer.from(bearerToken(request));
  const expected = Buffer.from(adminApiKey ?? '');
  if (!adminApiKey || given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw new UnauthorizedError('Admin API key required');
  }
}

/** The onRequest hook: authenticates before the body is parsed or validated. */
export function authenticateRequest(deps: {
  prisma: PrismaClient;
  adminApiKey: string | undefined;
}) {
  return async (request: FastifyRequest): Promise<void> => {
    const access = request.routeOptions.config.access;
    // No access: the request matched no route and gets the plain 404.
    if (access === undefined || access === 'public') return;
    if (access === 'admin') return assertAdmin(deps.adminApiKey, request);
    request.caller = await callerForApiKey(deps.prisma, bearerToken(request));
  };
}

/** The authenticated caller of a `tenant` route. */
export function callerOf(request: FastifyRequest): TenantCaller {
  if (!request.caller) throw new UnauthorizedError('Tenant API key required');
  return request.caller;
}
