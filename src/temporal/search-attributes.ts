import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/**
 * Custom search attributes for finding a tenant's or user's workflows in the Temporal UI.
 * Values are ids (tenant slug, internal user and source UUIDs), never personal data.
 */
export const tenantIdKey = defineSearchAttributeKey('TenantId', SearchAttributeType.KEYWORD);
export const userIdKey = defineSearchAttributeKey('UserId', SearchAttributeType.KEYWORD);
export const sourceKindKey = defineSearchAttributeKey('SourceKind', SearchAttributeType.KEYWORD);
/**
 * Where an ingestion or a connector sync stands (`running`, `snapshot`, `ingesting`,
 * `completed`, `skipped`, `failed`), kept current by the workflow itself so the UI can filter
 * on it, e.g. `Status = "failed"`.
 */
export const statusKey = defineSearchAttributeKey('Status', SearchAttributeType.KEYWORD);

/** The search attributes of a workflow or schedule acting for one source of one user. */
export function sourceSearchAttributes(target: {
  tenantId: string;
  userId: string;
  sourceKind: string;
}) {
  return [
    { key: tenantIdKey, value: target.tenantId },
    { key: userIdKey, value: target.userId },
    { key: sourceKindKey, value: target.sourceKind },
  ];
}

export const memtapeSearchAttributes = [
  { name: tenantIdKey.name, cliType: 'Keyword' },
  { name: userIdKey.name, cliType: 'Keyword' },
  { name: sourceKindKey.name, cliType: 'Keyword' },
  { name: statusKey.name, cliType: 'Keyword' },
] as const;
