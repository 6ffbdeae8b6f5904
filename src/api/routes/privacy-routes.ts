import { Readable } from 'node:stream';
import { z } from 'zod';
import { setAuditSubject } from '../../audit/audit-hook.ts';
import { exportUserLines } from '../../privacy/export-user.ts';
import { findUser } from '../../tenants/users.ts';
import type { ApiApp, ApiDeps } from '../api-app.ts';
import { callerOf } from '../authenticate.ts';

const appliesTo =
  'Settings apply to data written from now on. To apply a newly enabled setting to memory ' +
  'already held, ingest those sources again after forgetting them (DELETE the source, then ' +
  'POST /v1/ingestions with the same settings): their raw items are read and written anew.';

const privacySettingsBody = z
  .object({
    redactPersonalData: z.boolean().optional(),
    encryptRawData: z.boolean().optional(),
  })
  .strict();

/** Tenant privacy settings, revealing redacted values, and a user's export. */
export function registerPrivacyRoutes(app: ApiApp, { services }: ApiDeps): void {
  const { privacy } = services;
  const prisma = services.metadata.prisma;

  app.get(
    '/v1/privacy',
    {
      config: { access: 'tenant' },
      schema: { tags: ['privacy'], summary: "The tenant's redaction and encryption settings" },
    },
    async (request) => ({
      ...(await privacy.settings(callerOf(request).tenantId)),
      appliesTo,
    }),
  );

  app.put(
    '/v1/privacy',
    {
      config: { access: 'tenant', audit: 'privacy.update' },
      schema: {
        tags: ['privacy'],
        summary: 'Turn redaction of personal data or encryption of raw blobs on or off',
        description: appliesTo,
        body: privacySettingsBody,
      },
    },
    async (request) => {
      const settings = await privacy.updateSettings(callerOf(request).tenantId, request.body);
      setAuditSubject(request, { details: { ...settings } });
      return { ...settings, appliesTo };
    },
  );

  app.post(
    '/v1/redactions/reveal',
    {
      config: { access: 'tenant', audit: 'redaction.reveal' },
      schema: {
        tags: ['privacy'],
        summary: "Replace this tenant's redaction tokens in a text by the values they stand for",
        body: z.object({ text: z.string().max(1_000_000) }).strict(),
      },
    },
    async (request) => {
      const revealed = await privacy.vault.reveal(callerOf(request).tenantId, request.body.text);
      setAuditSubject(request, { details: { tokensRevealed: revealed.revealed } });
      return revealed;
    },
  );

  app.get(
    '/v1/users/:user/export',
    {
      config: { access: 'tenant', audit: 'export' },
      schema: {
        tags: ['privacy'],
        summary:
          "A user's memory as JSON Lines: sources, documents, chunk texts (as stored), observations",
        params: z.object({ user: z.string().min(1).max(320) }),
      },
    },
    async (request, reply) => {
      const { tenantId } = callerOf(request);
      const userId = await findUser(prisma, tenantId, request.params.user);
      setAuditSubject(request, { userId });
      return reply
        .type('application/x-ndjson')
        .send(Readable.from(exportUserLines(prisma, tenantId, userId)));
    },
  );
}
