import { z } from 'zod';
import { NotFoundError } from '../shared/errors.ts';
import type { SourcePathPolicy } from '../source-admin/source-paths.ts';
import { saveSource } from '../source-admin/source-service.ts';
import type { PrismaClient } from '../stores/metadata/prisma.ts';
import { findUser } from '../tenants/users.ts';
import type {
  ConnectorScheduleState,
  ConnectorSchedules,
  ConnectorTiming,
} from './connector-schedules.ts';

/**
 * A connector is a source (kind and settings, as for a one-off ingestion) plus a Temporal
 * schedule that syncs it on an interval. Every operation first finds the source among the
 * caller tenant's own, so another tenant's connector is not found, whatever its id.
 */
export interface ConnectorDeps {
  prisma: PrismaClient;
  schedules: ConnectorSchedules;
  /** A connector's folder is a client-given path like any source's. */
  paths: SourcePathPolicy;
}

export interface CreateConnectorRequest {
  user: string;
  source: { kind: string; name: string; settings: Record<string, unknown> };
  intervalSeconds: number;
  paused?: boolean;
}

/** What the API shows of a connector; never the source's settings (they may hold secrets). */
export interface ConnectorView {
  sourceId: string;
  userId: string;
  source: { kind: string; name: string };
  schedule: ConnectorScheduleState;
}

interface OwnedSource {
  id: string;
  userId: string;
  kind: string;
  name: string;
}

const sourceFields = { id: true, userId: true, kind: true, name: true } as const;

/** Creates the source and its schedule, or updates both when the user has a source of that name. */
export async function createConnector(
  deps: ConnectorDeps,
  tenantId: string,
  request: CreateConnectorRequest,
): Promise<ConnectorView> {
  const { userId, id: sourceId } = await saveSource(deps.prisma, deps.paths, tenantId, {
    user: request.user,
    ...request.source,
  });
  const timing: ConnectorTiming = {
    intervalSeconds: request.intervalSeconds,
    paused: request.paused ?? false,
  };
  await deps.schedules.upsert(
    { tenantId, userId, sourceId, sourceKind: request.source.kind },
    timing,
  );
  return describeConnector(deps, tenantId, sourceId);
}

export async function describeConnector(
  deps: ConnectorDeps,
  tenantId: string,
  sourceId: string,
): Promise<ConnectorView> {
  const view = await viewOf(deps, tenantId, await ownedSource(deps.prisma, tenantId, sourceId));
  if (!view) throw new NotFoundError(`Connector ${sourceId} not found`);
  return view;
}

/** The tenant's connectors, of one user (the caller's id for them) when `user` is given. */
export async function listConnectors(
  deps: ConnectorDeps,
  tenantId: string,
  user?: string,
): Promise<ConnectorView[]> {
  const userId = user === undefined ? undefined : await findUser(deps.prisma, tenantId, user);
  const sources = await deps.prisma.source.findMany({
    where: { tenantId, ...(userId ? { userId } : {}) },
    orderBy: { createdAt: 'asc' },
    select: sourceFields,
  });
  // Sources without a schedule are one-off ingestions, not connectors.
  const views = await Promise.all(sources.map((source) => viewOf(deps, tenantId, source)));
  return views.filter((view) => view !== undefined);
}

export async function updateConnector(
  deps: ConnectorDeps,
  tenantId: string,
  sourceId: string,
  change: Partial<ConnectorTiming>,
): Promise<ConnectorView> {
  const source = await ownedSource(deps.prisma, tenantId, sourceId);
  const found = await deps.schedules.update(targetOf(tenantId, source), change);
  if (!found) throw new NotFoundError(`Connector ${sourceId} not found`);
  return describeConnector(deps, tenantId, sourceId);
}

/** Starts a sync now; skipped by the schedule when one is running. */
export async function triggerConnector(
  deps: ConnectorDeps,
  tenantId: string,
  sourceId: string,
): Promise<void> {
  const source = await ownedSource(deps.prisma, tenantId, sourceId);
  if (!(await deps.schedules.trigger(targetOf(tenantId, source)))) {
    throw new NotFoundError(`Connector ${sourceId} not found`);
  }
}

/** Removes the schedule; the source and its memory stay (DELETE /v1/sources forgets them). */
export async function deleteConnector(
  deps: ConnectorDeps,
  tenantId: string,
  sourceId: string,
): Promise<void> {
  const source = await ownedSource(deps.prisma, tenantId, sourceId);
  if (!(await deps.schedules.delete(targetOf(tenantId, source)))) {
    throw new NotFoundError(`Connector ${sourceId} not found`);
  }
}

async function ownedSource(
  prisma: PrismaClient,
  tenantId: string,
  sourceId: string,
): Promise<OwnedSource> {
  // Not a UUID cannot be a source: answered like one of another tenant.
  const source = z.uuid().safeParse(sourceId).success
    ? await prisma.source.findFirst({
        where: { id: sourceId, tenantId },
        select: sourceFields,
      })
    : null;
  if (!source) throw new NotFoundError(`Connector ${sourceId} not found`);
  return source;
}

function targetOf(tenantId: string, source: OwnedSource) {
  return { tenantId, userId: source.userId, sourceId: source.id, sourceKind: source.kind };
}

async function viewOf(
  deps: ConnectorDeps,
  tenantId: string,
  source: OwnedSource,
): Promise<ConnectorView | undefined> {
  const schedule = await deps.schedules.describe(targetOf(tenantId, source));
  return (
    schedule && {
      sourceId: source.id,
      userId: source.userId,
      source: { kind: source.kind, name: source.name },
      schedule,
    }
  );
}
