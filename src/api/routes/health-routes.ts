import type { ApiApp } from '../api-app.ts';

export function registerHealthRoutes(app: ApiApp): void {
  app.get(
    '/healthz',
    { config: { access: 'public' }, schema: { tags: ['health'], summary: 'Liveness' } },
    async () => ({ status: 'ok' }),
  );
}
