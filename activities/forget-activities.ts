import { deleteSourceRecords, forgetDocumentBatch } from '../src/forget/forget-source.ts';
import { deleteUserRecords, listUserSources } from '../src/forget/forget-user.ts';
import { verifySourceForgotten, verifyUserForgotten } from '../src/forget/verify-forgotten.ts';
import type { Services } from '../src/runtime/services.ts';
import type { ForgetSourceInput, ForgetUserInput } from '../workflows/forget-contracts.ts';
import { withFailureMapping } from './failure-mapping.ts';

/** Thin activities of the forget workflows: each calls one function of src/forget. */
export function createForgetActivities(services: Services) {
  const prisma = services.metadata.prisma;
  const stores = {
    prisma,
    vectors: services.vectors,
    lexical: services.lexical,
    raw: services.raw,
  };
  return withFailureMapping({
    forgetDocumentBatch: (input: ForgetSourceInput) =>
      forgetDocumentBatch(stores, input, services.config.ingestBatchSize),

    deleteSourceRecords: (input: ForgetSourceInput) =>
      deleteSourceRecords({ ...stores, dataDir: services.config.dataDir }, input),

    verifySourceForgotten: (input: ForgetSourceInput) => verifySourceForgotten(stores, input),

    listUserSources: (input: ForgetUserInput) => listUserSources(prisma, input),

    deleteUserRecords: (input: ForgetUserInput) => deleteUserRecords(stores, input),

    verifyUserForgotten: (input: ForgetUserInput & { sourceIds: string[] }) =>
      verifyUserForgotten(stores, input),
  });
}
