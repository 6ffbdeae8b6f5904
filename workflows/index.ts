export { forgetSource, forgetUser } from './forget.ts';
export { ingestSource, progressQuery } from './ingest-source.ts';
export { syncConnector } from './sync-connector.ts';
