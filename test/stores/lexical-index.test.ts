import { createPostgresLexicalIndex } from '../../src/stores/lexical/postgres-lexical-index.ts';
import { createSqliteFts5LexicalIndex } from '../../src/stores/lexical/sqlite-fts5-lexical-index.ts';
import { lexicalIndexContract } from './lexical-index.contract.ts';

lexicalIndexContract('sqlite-fts5', ({ dataDir }) => createSqliteFts5LexicalIndex({ dataDir }));
lexicalIndexContract('postgres full-text (PGlite)', ({ metadata }) =>
  createPostgresLexicalIndex(metadata.prisma),
);
