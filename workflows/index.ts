export { ingestSource, progressQuery } from './ingest-source.ts';
