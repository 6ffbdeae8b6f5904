import type { ApiServer } from '../../src/api/server.ts';

/** "GET /v1/sources/{sourceId}": a route as OpenAPI names it. */
export type RouteKey = string;

/** The routes of the running server, from Fastify's own route tree, in OpenAPI's notation. */
export function serverRoutes(app: ApiServer): Set<RouteKey> {
  const routes = new Set<RouteKey>();
  const parents: string[] = [];
  for (const line of app.printRoutes({ commonPrefix: false }).split('\n')) {
    // "│   └── /:sourceId (GET, HEAD, DELETE)": depth by the tree drawing, then segment, methods.
    const match = /^((?:[│ ] {3})*)[├└]── (\S+) \(([^)]+)\)$/.exec(line);
    if (!match) continue;
    const depth = (match[1] ?? '').length / 4;
    const url = (parents[depth - 1] ?? '') + (match[2] ?? '');
    parents[depth] = url;
    const openApiUrl = url.replace(/:(\w+)/g, '{$1}');
    for (const method of (match[3] ?? '').split(', ')) {
      // Fastify answers HEAD for every GET by itself.
      if (method !== 'HEAD') routes.add(`${method} ${openApiUrl}`);
    }
  }
  return routes;
}

/** The routes an OpenAPI document describes. */
export function documentedRoutes(spec: { paths?: Record<string, object> }): Set<RouteKey> {
  const methods = new Set(['get', 'put', 'post', 'delete', 'patch', 'options', 'head', 'trace']);
  return new Set(
    Object.entries(spec.paths ?? {}).flatMap(([url, operations]) =>
      Object.keys(operations)
        .filter((key) => methods.has(key))
        .map((method) => `${method.toUpperCase()} ${url}`),
    ),
  );
}
