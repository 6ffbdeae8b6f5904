import { timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { UnauthorizedError } from '../shared/errors.ts';
import type { PrismaClient } from '../stores/metadata/prisma.ts';
import { tenantForApiKey } from '../tenants/tenants.ts';

function bearerToken(request: FastifyRequest): string {
  const header = request.headers.authorization ?? '';
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  if (!match?.[1]) throw new UnauthorizedError('Missing "Authorization: Bearer <api key>" header');
  return match[1];
}

/** The tenant every request is scoped to, from its API key; nothing else chooses it. */
export function requestTenant(prisma: PrismaClient, request: FastifyRequest): Promise<string> {
  return tenantForApiKey(prisma, bearerToken(request));
}

export function requireAdmin(adminApiKey: string | undefined, request: FastifyRequest): void {
  const given = Buffer.from(bearerToken(request));
  const expected = Buffer.from(adminApiKey ?? '');
  if (!adminApiKey || given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw new UnauthorizedError('Admin API key required');
  }
}
