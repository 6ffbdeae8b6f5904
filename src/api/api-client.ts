import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import type { ForgetReport } from '../../workflows/forget-contracts.ts';
import type { AuditAction, AuditEventView } from '../audit/audit-log.ts';
import type { ConnectorTiming } from '../connectors/connector-schedules.ts';
import type { ConnectorView, CreateConnectorRequest } from '../connectors/connector-service.ts';
import type { ContextRequestBody } from '../context/context-request-schema.ts';
import type { ContextResult } from '../context/context-types.ts';
import type { DecisionView } from '../dedup/decisions.ts';
import type { getDocumentStatus, listSourceDocuments } from '../ingest/document-status.ts';
import type { PrivacySettings } from '../privacy/privacy.ts';
import type { SourceInput, SourceView } from '../source-admin/source-service.ts';
import type { UploadView } from '../source-admin/upload-service.ts';
import type { StartIngestionRequest } from './routes/ingestion-routes.ts';

export class ApiError extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(`memtape API ${status}: ${message}`);
    this.status = status;
  }
}

export interface IngestionStatus {
  workflowId: string;
  status: string;
  progress: Record<string, unknown> | null;
  lastRun: Record<string, unknown> | null;
  documents: Record<string, number>;
  failures: { id: string; sourceItemId: string; error: string | null }[];
}

/** The API's decisions of a document: dates arrive as ISO strings over JSON. */
export interface DocumentDecisions {
  documentId: string;
  decisions: (Omit<DecisionView, 'createdAt'> & { createdAt: string })[];
}

/** A value as it arrives over JSON: dates become ISO strings. */
export type OverJson<T> = T extends Date
  ? string
  : T extends readonly (infer Item)[]
    ? OverJson<Item>[]
    : T extends object
      ? { [K in keyof T]: OverJson<T[K]> }
      : T;

export type DocumentStatusView = OverJson<Awaited<ReturnType<typeof getDocumentStatus>>>;
export type DocumentPageView = OverJson<Awaited<ReturnType<typeof listSourceDocuments>>>;

/** GET/PUT /v1/privacy: the settings and what enabling them applies to. */
export type PrivacySettingsView = PrivacySettings & { appliesTo: string };

/** A typed client of the memtape HTTP API, used by the CLI, the demo and the tests. */
export function createApiClient(baseUrl: string, apiKey: string | undefined) {
  async function call<T>(method: string, route: string, body?: unknown): Promise<T> {
    const response = await fetch(new URL(route, baseUrl), {
      method,
      headers: {
        ...(apiKey ? { authorization: `Bearer ${apiKey}` } : {}),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const payload = (await response.json().catch(() => ({}))) as { error?: string };
    if (!response.ok) throw new ApiError(response.status, payload.error ?? response.statusText);
    return payload as T;
  }

  /**
   * Streams a file as the raw body of a request. node:http rather than fetch: fetch was
   * measured (bench/upload.bench.ts) to hold a whole file in memory, as a Blob or a stream.
   * The server may answer (413, 415) before the file is sent; its answer wins over the
   * broken pipe that follows.
   */
  async function sendFile<T>(route: string, filePath: string): Promise<T> {
    const url = new URL(route, baseUrl);
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const { size } = await stat(filePath);
    const response = await new Promise<IncomingMessage>((resolve, reject) => {
      const request = send(url, {
        method: 'POST',
        headers: {
          ...(apiKey ? { authorization: `Bearer ${apiKey}` } : {}),
          'content-type': 'application/octet-stream',
          'content-length': size,
        },
      });
      let answered = false;
      request.on('response', (answer) => {
        answered = true;
        resolve(answer);
      });
      request.on('error', (error) => {
        if (!answered) reject(error);
      });
      createReadStream(filePath)
        .on('error', (error) => request.destroy(error))
        .pipe(request);
    });
    const chunks: Buffer[] = [];
    for await (const chunk of response) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    let payload: { error?: string } = {};
    try {
      payload = JSON.parse(text) as { error?: string };
    } catch {
      // Not JSON (a proxy's error page): the status says what happened.
    }
    const status = response.statusCode ?? 0;
    if (status < 200 || status >= 300) {
      throw new ApiError(status, payload.error ?? response.statusMessage ?? 'request failed');
    }
    return payload as T;
  }
  const sourceRoute = (sourceId: string) => `/v1/sources/${encodeURIComponent(sourceId)}`;

  const client = {
    createTenant: (tenant: { id: string; name?: string; keyLabel?: string }) =>
      call<{ tenantId: string; apiKey: string }>('POST', '/v1/tenants', tenant),
    startIngestion: (request: StartIngestionRequest) =>
      call<{ workflowId: string; userId: string; sourceId: string }>(
        'POST',
        '/v1/ingestions',
        request,
      ),
    ingestionStatus: (workflowId: string) =>
      call<IngestionStatus>('GET', `/v1/ingestions/${encodeURIComponent(workflowId)}`),
    /** Polls the status until the workflow is no longer running. */
    async waitForIngestion(workflowId: string, pollMs = 250): Promise<IngestionStatus> {
      for (;;) {
        const status = await client.ingestionStatus(workflowId);
        if (status.status !== 'RUNNING' && status.status !== 'NOT_FOUND') return status;
        await delay(pollMs);
      }
    },
    context: (request: ContextRequestBody) => call<ContextResult>('POST', '/v1/context', request),
    /** Every dedup, low-information and merge decision about one document of the tenant. */
    documentDecisions: (documentId: string) =>
      call<DocumentDecisions>('GET', `/v1/documents/${encodeURIComponent(documentId)}/decisions`),
    /**
     * Forgets one source everywhere and returns the verified report (waits for it); with
     * `user`, only if the source is that user's.
     */
    forgetSource: (sourceId: string, user?: string) =>
      call<ForgetReport>(
        'DELETE',
        `/v1/sources/${encodeURIComponent(sourceId)}` +
          (user === undefined ? '' : `?user=${encodeURIComponent(user)}`),
      ),
    /** Forgets a user (the caller's id for them) with all their sources. */
    forgetUser: (user: string) =>
      call<ForgetReport>('DELETE', `/v1/users/${encodeURIComponent(user)}`),
    privacySettings: () => call<PrivacySettingsView>('GET', '/v1/privacy'),
    /** Turns redaction or encryption on or off for data written from now on. */
    updatePrivacySettings: (change: Partial<PrivacySettings>) =>
      call<PrivacySettingsView>('PUT', '/v1/privacy', change),
    /** The text with this tenant's redaction tokens replaced by their values (audited). */
    revealRedactions: (text: string) =>
      call<{ text: string; revealed: number }>('POST', '/v1/redactions/reveal', { text }),
    /** The tenant's audit log, newest first. */
    auditEvents: (filter: { since?: string; action?: AuditAction; limit?: number } = {}) => {
      const query = new URLSearchParams(
        Object.entries(filter).flatMap(([name, value]) =>
          value === undefined ? [] : [[name, String(value)] as [string, string]],
        ),
      );
      return call<{ events: OverJson<AuditEventView>[] }>('GET', `/v1/audit?${query}`);
    },
    /** A user's memory as JSON Lines (see GET /v1/users/:user/export), streamed to a writer. */
    async exportUser(user: string, write: (chunk: Uint8Array) => void): Promise<void> {
      const response = await fetch(
        new URL(`/v1/users/${encodeURIComponent(user)}/export`, baseUrl),
        {
          headers: apiKey ? { authorization: `Bearer ${apiKey}` } : {},
        },
      );
      if (!response.ok || !response.body) {
        const payload = (await response.json().catch(() => ({}))) as { error?: string };
        throw new ApiError(response.status, payload.error ?? response.statusText);
      }
      for await (const chunk of response.body) write(chunk);
    },
    /** Creates or updates a user's source by name, without starting it. */
    saveSource: (source: SourceInput) => call<OverJson<SourceView>>('POST', '/v1/sources', source),
    listSources: (user?: string) =>
      call<{ sources: OverJson<SourceView>[] }>(
        'GET',
        `/v1/sources${user === undefined ? '' : `?user=${encodeURIComponent(user)}`}`,
      ),
    source: (sourceId: string) => call<OverJson<SourceView>>('GET', sourceRoute(sourceId)),
    updateSource: (
      sourceId: string,
      change: { name?: string; settings?: Record<string, unknown> },
    ) => call<OverJson<SourceView>>('PATCH', sourceRoute(sourceId), change),
    /** Starts the source's ingestion; `reencode` encodes again from the raw store instead. */
    ingestSource: (sourceId: string, options: { reencode?: boolean } = {}) =>
      call<{ workflowId: string; userId: string; sourceId: string }>(
        'POST',
        `${sourceRoute(sourceId)}/ingestions`,
        options,
      ),
    /** Streams a file into an inbox source; the file name is only shown, never used as a path. */
    uploadFile: (sourceId: string, filePath: string, filename = path.basename(filePath)) =>
      sendFile<OverJson<UploadView>>(
        `${sourceRoute(sourceId)}/files?filename=${encodeURIComponent(filename)}`,
        filePath,
      ),
    listUploads: (sourceId: string) =>
      call<{ uploads: OverJson<UploadView>[] }>('GET', `${sourceRoute(sourceId)}/files`),
    deleteUpload: (sourceId: string, uploadId: string) =>
      call<{ id: string; documentsDeleted: number }>(
        'DELETE',
        `${sourceRoute(sourceId)}/files/${encodeURIComponent(uploadId)}`,
      ),
    document: (documentId: string) =>
      call<DocumentStatusView>('GET', `/v1/documents/${encodeURIComponent(documentId)}`),
    sourceDocuments: (
      sourceId: string,
      page: { status?: string; cursor?: string; limit?: number } = {},
    ) => {
      const query = new URLSearchParams(
        Object.entries(page).flatMap(([key, value]) =>
          value === undefined ? [] : [[key, String(value)] as [string, string]],
        ),
      );
      return call<DocumentPageView>('GET', `${sourceRoute(sourceId)}/documents?${query}`);
    },
    /** Creates or updates a connector: the source and the schedule that syncs it. */
    createConnector: (request: CreateConnectorRequest) =>
      call<ConnectorView>('POST', '/v1/connectors', request),
    /** The tenant's connectors, or one user's. */
    listConnectors: (user?: string) =>
      call<{ connectors: ConnectorView[] }>(
        'GET',
        `/v1/connectors${user === undefined ? '' : `?user=${encodeURIComponent(user)}`}`,
      ),
    connector: (sourceId: string) =>
      call<ConnectorView>('GET', `/v1/connectors/${encodeURIComponent(sourceId)}`),
    updateConnector: (sourceId: string, change: Partial<ConnectorTiming>) =>
      call<ConnectorView>('PATCH', `/v1/connectors/${encodeURIComponent(sourceId)}`, change),
    /** Starts a sync now; the schedule skips it while one is running. */
    triggerConnector: (sourceId: string) =>
      call<{ triggered: true }>('POST', `/v1/connectors/${encodeURIComponent(sourceId)}/trigger`),
    /** Removes the connector's schedule; its source and memory stay. */
    deleteConnector: (sourceId: string) =>
      call<Record<string, never>>('DELETE', `/v1/connectors/${encodeURIComponent(sourceId)}`),
  };
  return client;
}

export type ApiClient = ReturnType<typeof createApiClient>;
