import { defineConfig } from 'prisma/config';

/**
 * Prisma CLI configuration. The datasource URL is optional on purpose: `prisma generate`
 * runs at install time without a database, and `env()` from prisma/config would throw there.
 * The CLI is the one place besides src/config that reads DATABASE_URL, because it runs
 * outside the application.
 */
const url = process.env.DATABASE_URL;

export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  ...(url ? { datasource: { url } } : {}),
});
