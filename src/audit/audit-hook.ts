import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ApiApp } from '../api/api-app.ts';
import type { Logger } from '../shared/logger.ts';
import type { PrismaClient } from '../stores/metadata/prisma.ts';
import { type AuditAction, type AuditDetails, recordAuditEvent } from './audit-log.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The action a successful call of this route is recorded as in the tenant's audit log. */
    audit?: AuditAction;
  }
  interface FastifyRequest {
    /** Ids and facts the handler learned, recorded with the route's audit action. */
    auditSubject?: AuditSubject;
  }
}

export interface AuditSubject {
  userId?: string;
  subjectId?: string;
  details?: AuditDetails;
}

/** Called by an audited route's handler to say what it acted on; merges with earlier calls. */
export function setAuditSubject(request: FastifyRequest, subject: AuditSubject): void {
  const current = request.auditSubject ?? {};
  request.auditSubject = {
    ...current,
    ...subject,
    details: { ...current.details, ...subject.details },
  };
}

/**
 * Records every successful call of a route that declares `config.audit`, once, before the
 * response leaves (so a client that got its answer finds the event). Routes state the action
 * declaratively, so no branch of a handler can forget it. A failure to record is logged with
 * ids only and does not fail the call: the data was already served, so failing it would
 * only hide that it happened.
 */
export function registerAuditHook(
  app: ApiApp,
  deps: { prisma: PrismaClient; logger: Logger },
): void {
  app.addHook('onSend', async (request: FastifyRequest, reply: FastifyReply, payload) => {
    const action = request.routeOptions.config.audit;
    if (!action || !request.caller || reply.statusCode >= 400) return payload;
    const subject = request.auditSubject ?? {};
    try {
      await recordAuditEvent(deps.prisma, {
        tenantId: request.caller.tenantId,
        apiKeyId: request.caller.apiKeyId,
        action,
        userId: subject.userId,
        subjectId: subject.subjectId,
        details: { ...subject.details, status: reply.statusCode },
      });
    } catch (error) {
      deps.logger.error(
        {
          tenantId: request.caller.tenantId,
          action,
          requestId: request.id,
          errorName: (error as Error).name,
        },
        'audit event could not be recorded',
      );
    }
    return payload;
  });
}
