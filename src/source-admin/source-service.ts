import { randomUUID } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { z } from 'zod';
import type { IngestMode } from '../../workflows/contracts.ts';
import { ConflictError, InvalidInputError, NotFoundError } from '../shared/errors.ts';
import { parseSourceSettings } from '../sources/source-kinds.ts';
import type { Prisma, PrismaClient, Source } from '../stores/metadata/prisma.ts';
import type { IngestionClient } from '../temporal/client.ts';
import { ensureUser, findUser } from '../tenants/users.ts';
import { acceptsInbox, inboxDirectory, inboxKinds } from './source-inbox.ts';
import { checkSourcePath, type SourcePathPolicy } from './source-paths.ts';

export interface SourceInput {
  /** The caller's id for the user. */
  user: string;
  kind: string;
  name: string;
  settings: Record<string, unknown>;
  /** An upload inbox: files come through the API and the server sets the path. */
  inbox?: boolean;
}

/** What the API shows of a source: the server's own paths and secrets are left out. */
export interface SourceView {
  id: string;
  user: string;
  kind: string;
  name: string;
  inbox: boolean;
  settings: Record<string, unknown>;
  createdAt: Date;
  updatedAt: Date;
}

type SourceWithUser = Source & { user: { externalId: string } };

// Settings that hold credentials: kept for the source, never sent back.
const secretSettings = new Set(['password', 'token', 'apiKey', 'accessToken', 'refreshToken']);

export function isInbox(source: Pick<Source, 'id' | 'tenantId' | 'config'>, dataDir: string) {
  const { path } = (source.config ?? {}) as { path?: unknown };
  return path === inboxDirectory(dataDir, source.tenantId, source.id);
}

export function sourceView(source: SourceWithUser, dataDir: string): SourceView {
  const inbox = isInbox(source, dataDir);
  const settings = Object.fromEntries(
    Object.entries((source.config ?? {}) as Record<string, unknown>).filter(
      ([key]) => !secretSettings.has(key) && !(inbox && key === 'path'),
    ),
  );
  return {
    id: source.id,
    user: source.user.externalId,
    kind: source.kind,
    name: source.name,
    inbox,
    settings,
    createdAt: source.createdAt,
    updatedAt: source.updatedAt,
  };
}

/**
 * The settings to store for a source: an inbox gets its directory as path (and the directory
 * is made); any other path is one a client chose and must pass the path policy.
 */
async function storedSettings(
  policy: SourcePathPolicy,
  source: { tenantId: string; id: string; kind: string; inbox: boolean },
  settings: Record<string, unknown>,
): Promise<unknown> {
  if (!source.inbox) {
    const parsed = parseSourceSettings(source.kind, settings) as Record<string, unknown>;
    if (typeof parsed.path !== 'string') return parsed;
    return { ...parsed, path: await checkSourcePath(parsed.path, policy) };
  }
  if (!acceptsInbox(source.kind)) {
    throw new InvalidInputError(
      `inbox: a ${source.kind} source cannot be an upload inbox; inbox kinds: ${inboxKinds.join(', ')}`,
    );
  }
  if ('path' in settings) {
    throw new InvalidInputError('settings.path: an inbox source has no path; the server sets it');
  }
  const path = inboxDirectory(policy.dataDir, source.tenantId, source.id);
  const parsed = parseSourceSettings(source.kind, { ...settings, path });
  await mkdir(path, { recursive: true });
  return parsed;
}

/**
 * Creates the user's source named `input.name`, or updates it (kind and settings) when it
 * exists. A source stays what it was made as: an inbox cannot become a path source or the
 * other way round, since its uploads would be left behind.
 */
export async function saveSource(
  prisma: PrismaClient,
  policy: SourcePathPolicy,
  tenantId: string,
  input: SourceInput,
): Promise<SourceWithUser> {
  // Looked up, not created, until the settings have passed: a refused request leaves no user.
  const user = await prisma.user.findUnique({
    where: { tenantId_externalId: { tenantId, externalId: input.user } },
    select: { id: true },
  });
  const existing = user
    ? await prisma.source.findUnique({
        where: { userId_name: { userId: user.id, name: input.name } },
      })
    : null;
  const inbox = input.inbox ?? false;
  if (existing && isInbox(existing, policy.dataDir) !== inbox) {
    throw new ConflictError(
      `Source "${input.name}" ${inbox ? 'reads a path' : 'is an upload inbox'}; create a source with another name`,
    );
  }
  const id = existing?.id ?? randomUUID();
  const config = (await storedSettings(
    policy,
    { tenantId, id, kind: input.kind, inbox },
    input.settings,
  )) as Prisma.InputJsonValue;
  const userId = user?.id ?? (await ensureUser(prisma, tenantId, input.user));
  return prisma.source.upsert({
    where: { userId_name: { userId, name: input.name } },
    create: { id, tenantId, userId, kind: input.kind, name: input.name, config },
    update: { kind: input.kind, config },
    include: { user: { select: { externalId: true } } },
  });
}

/** A source of this tenant; another tenant's, or an id that is not one, is not found. */
export async function findSource(
  prisma: PrismaClient,
  tenantId: string,
  sourceId: string,
): Promise<SourceWithUser> {
  const source = z.uuid().safeParse(sourceId).success
    ? await prisma.source.findFirst({
        where: { id: sourceId, tenantId },
        include: { user: { select: { externalId: true } } },
      })
    : null;
  if (!source) throw new NotFoundError(`Source ${sourceId} not found`);
  return source;
}

/** The tenant's sources, or one user's (a user of no source, or of another tenant: 404). */
export async function listSources(
  prisma: PrismaClient,
  tenantId: string,
  externalUserId?: string,
): Promise<SourceWithUser[]> {
  const userId =
    externalUserId === undefined ? undefined : await findUser(prisma, tenantId, externalUserId);
  return prisma.source.findMany({
    where: { tenantId, ...(userId ? { userId } : {}) },
    orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
    include: { user: { select: { externalId: true } } },
  });
}

/** Renames a source or replaces its settings (checked as on creation). */
export async function updateSource(
  prisma: PrismaClient,
  policy: SourcePathPolicy,
  tenantId: string,
  sourceId: string,
  change: { name?: string; settings?: Record<string, unknown> },
): Promise<SourceWithUser> {
  const source = await findSource(prisma, tenantId, sourceId);
  const inbox = isInbox(source, policy.dataDir);
  const config =
    change.settings === undefined
      ? undefined
      : ((await storedSettings(
          policy,
          { tenantId, id: source.id, kind: source.kind, inbox },
          change.settings,
        )) as Prisma.InputJsonValue);
  if (change.name !== undefined && change.name !== source.name) {
    const taken = await prisma.source.findUnique({
      where: { userId_name: { userId: source.userId, name: change.name } },
      select: { id: true },
    });
    if (taken) throw new ConflictError(`name: the user already has a source "${change.name}"`);
  }
  return prisma.source.update({
    where: { id: source.id },
    data: { name: change.name, config },
    include: { user: { select: { externalId: true } } },
  });
}

/** Starts the source's ingestion (a sync, or a re-encode), or joins the one running. */
export async function startSourceIngestion(
  deps: { prisma: PrismaClient; ingestion: Pick<IngestionClient, 'startIngestion'> },
  tenantId: string,
  sourceId: string,
  mode: IngestMode = 'sync',
): Promise<{ workflowId: string; userId: string; sourceId: string }> {
  const source = await findSource(deps.prisma, tenantId, sourceId);
  const workflowId = await deps.ingestion.startIngestion({
    tenantId,
    userId: source.userId,
    sourceId: source.id,
    sourceKind: source.kind,
    mode,
  });
  return { workflowId, userId: source.userId, sourceId: source.id };
}

/** Saves the user's source and starts (or joins) its ingestion, as POST /v1/ingestions does. */
export async function saveAndIngestSource(
  deps: {
    prisma: PrismaClient;
    ingestion: Pick<IngestionClient, 'startIngestion'>;
    paths: SourcePathPolicy;
  },
  tenantId: string,
  input: SourceInput,
  mode: IngestMode = 'sync',
): Promise<{ workflowId: string; userId: string; sourceId: string }> {
  const source = await saveSource(deps.prisma, deps.paths, tenantId, input);
  return startSourceIngestion(deps, tenantId, source.id, mode);
}
