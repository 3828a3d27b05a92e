import type { CustomRoute } from '@slack/bolt';
import type { Readiness } from '../readiness.ts';

function sendJson(res: Parameters<CustomRoute['handler']>[1], status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}

/**
 * `/healthz`: the process is up and serving HTTP (liveness).
 * `/readyz`: storage answers and background workers run (readiness); 503 otherwise, so a load
 * balancer sends Slack's requests to a replica that can serve them. Both bodies are JSON;
 * `/readyz`'s also carries the event-loop delay (`eventLoop`: p50/p99/max ms since start and
 * over the last minute), what delays Slack's acks.
 */
export function healthRoutes(readiness: Readiness): CustomRoute[] {
  return [
    {
      path: '/healthz',
      method: ['GET', 'HEAD'],
      handler: (_req, res) => sendJson(res, 200, { status: 'ok' }),
    },
    {
      path: '/readyz',
      method: ['GET', 'HEAD'],
      handler: async (_req, res) => {
        const report = await readiness.check().catch((error: unknown) => ({
          ready: false,
          checks: { readiness: error instanceof Error ? error.message : String(error) },
        }));
        sendJson(res, report.ready ? 200 : 503, {
          status: report.ready ? 'ready' : 'not ready',
          ...report,
        });
      },
    },
  ];
}
