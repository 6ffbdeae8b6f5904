import fastifyMultipart from '@fastify/multipart';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { setAuditSubject } from '../../audit/audit-hook.ts';
import { InvalidInputError } from '../../shared/errors.ts';
import {
  deleteUpload,
  type IncomingFile,
  listUploads,
  receiveUpload,
} from '../../source-admin/upload-service.ts';
import type { ApiApp, ApiDeps } from '../api-app.ts';
import { callerOf } from '../authenticate.ts';

const uploadResponse = z.object({
  id: z.string(),
  sourceId: z.string(),
  filename: z.string(),
  contentType: z.string(),
  declaredContentType: z.string().nullable(),
  size: z.number(),
  sha256: z.string(),
  createdAt: z.date(),
});

/** The one file of a request: a multipart part, or the raw body with `?filename=`. */
async function incomingFile(
  request: FastifyRequest,
  maxBytes: number,
  filename: string | undefined,
): Promise<IncomingFile> {
  if (!request.isMultipart()) {
    return {
      stream: request.body as NodeJS.ReadableStream as IncomingFile['stream'],
      filename,
      declaredContentType: request.headers['content-type'],
    };
  }
  // One byte over the limit lets the upload's own meter see the file is too large.
  const part = await request.file({ limits: { fileSize: maxBytes + 1, files: 1 } });
  if (!part) throw new InvalidInputError('upload: the multipart body has no file part');
  return { stream: part.file, filename: part.filename, declaredContentType: part.mimetype };
}

/**
 * Uploads into a source's inbox. Registered in their own scope: only here is a raw
 * `application/octet-stream` body accepted, handed on as a stream rather than read whole, and
 * only here is multipart parsed.
 */
export function registerUploadRoutes(app: ApiApp, { services, ingestion }: ApiDeps): void {
  const prisma = services.metadata.prisma;
  const { dataDir, uploadMaxBytes } = services.config;
  const sourceParams = z.object({ sourceId: z.string().max(100) });

  app.register(async (scope: ApiApp) => {
    scope.addContentTypeParser('application/octet-stream', (_request, payload, done) =>
      done(null, payload),
    );
    await scope.register(fastifyMultipart, { limits: { files: 1, fields: 0, parts: 1 } });

    scope.post(
      '/v1/sources/:sourceId/files',
      {
        config: { access: 'tenant', audit: 'upload.create' },
        schema: {
          tags: ['uploads'],
          summary:
            'Upload one file into an inbox source (raw application/octet-stream body with ?filename=, or multipart/form-data); its type is sniffed from the bytes',
          consumes: ['application/octet-stream', 'multipart/form-data'],
          params: sourceParams,
          querystring: z.object({ filename: z.string().max(1000).optional() }),
          response: { 201: uploadResponse },
        },
      },
      async (request, reply) => {
        const { tenantId } = callerOf(request);
        const file = await incomingFile(request, uploadMaxBytes, request.query.filename);
        const upload = await receiveUpload(
          prisma,
          { dataDir, maxBytes: uploadMaxBytes },
          tenantId,
          request.params.sourceId,
          file,
        );
        setAuditSubject(request, {
          subjectId: upload.id,
          details: {
            sourceId: upload.sourceId,
            size: upload.size,
            contentType: upload.contentType,
          },
        });
        return reply.status(201).send(upload);
      },
    );
  });

  app.get(
    '/v1/sources/:sourceId/files',
    {
      config: { access: 'tenant' },
      schema: {
        tags: ['uploads'],
        summary: "The files uploaded into a source's inbox",
        params: sourceParams,
        response: { 200: z.object({ uploads: z.array(uploadResponse) }) },
      },
    },
    async (request) => ({
      uploads: await listUploads(prisma, callerOf(request).tenantId, request.params.sourceId),
    }),
  );

  app.delete(
    '/v1/sources/:sourceId/files/:uploadId',
    {
      config: { access: 'tenant' },
      schema: {
        tags: ['uploads'],
        summary:
          'Remove an uploaded file and take the documents read from it out of memory; 409 while the source is ingesting',
        params: sourceParams.extend({ uploadId: z.string().max(100) }),
        response: { 200: z.object({ id: z.string(), documentsDeleted: z.number() }) },
      },
    },
    async (request) =>
      deleteUpload(
        {
          prisma,
          vectors: services.vectors,
          lexical: services.lexical,
          ingestion,
          dataDir,
        },
        callerOf(request).tenantId,
        request.params.sourceId,
        request.params.uploadId,
      ),
  );
}
