import { setTimeout as delay } from 'node:timers/promises';
import type { ForgetReport } from '../../workflows/forget-contracts.ts';
import type { ContextRequestBody } from '../context/context-request-schema.ts';
import type { ContextResult } from '../context/context-types.ts';
import type { DecisionView } from '../dedup/decisions.ts';
import type { StartIngestionRequest } from '../ingest/ingestion-service.ts';

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
  };
  return client;
}

export type ApiClient = ReturnType<typeof createApiClient>;
