// The Web API's wire format as the emulator speaks it: Slack's `{ok, error}` replies, the
// coercions form posts need, and reading request bodies.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { JsonObject } from './types.ts';

// Form posts carry these as JSON strings; tests want them as objects.
const JSON_FIELDS: ReadonlySet<string> = new Set([
  'blocks',
  'attachments',
  'view',
  'files',
  'metadata',
  'unfurls',
  'user_auth_blocks',
  'options',
  'option_groups',
]);

export interface Reply {
  status: number;
  body: JsonObject;
  headers?: Record<string, string>;
}

export const ok = (body: JsonObject = {}): Reply => ({ status: 200, body: { ok: true, ...body } });
export const fail = (error: string, messages?: string[]): Reply => ({
  status: 200,
  body: messages?.length
    ? { ok: false, error, response_metadata: { messages } }
    : { ok: false, error },
});
export const missing = (...fields: string[]): Reply =>
  fail(
    'invalid_arguments',
    fields.map((f) => `[ERROR] missing required field: ${f}`),
  );

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function str(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

export function truthy(value: unknown): boolean {
  return value === true || value === 'true' || value === '1' || value === 1;
}

export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export function mediaType(req: IncomingMessage): string {
  return (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
}

export async function parseMultipart(req: IncomingMessage, raw: Buffer): Promise<FormData> {
  // undici's Response already implements a spec-compliant multipart parser.
  return new Response(raw, {
    headers: { 'content-type': req.headers['content-type'] ?? '' },
  }).formData();
}

export function decodeJsonFields(args: JsonObject): JsonObject {
  for (const [key, value] of Object.entries(args)) {
    if (JSON_FIELDS.has(key) && typeof value === 'string') {
      try {
        args[key] = JSON.parse(value);
      } catch {
        // Left as the string; the method's validation reports it like Slack would.
      }
    }
  }
  return args;
}

export function mimeFor(filename: string): {
  mimetype: string;
  filetype: string;
  pretty_type: string;
} {
  const ext = filename.includes('.') ? (filename.split('.').pop() ?? '').toLowerCase() : '';
  const known: Record<string, [string, string]> = {
    csv: ['text/csv', 'CSV'],
    txt: ['text/plain', 'Plain Text'],
    json: ['application/json', 'JSON'],
    sql: ['text/plain', 'SQL'],
    png: ['image/png', 'PNG'],
    pdf: ['application/pdf', 'PDF'],
  };
  const hit = known[ext];
  return hit
    ? { mimetype: hit[0], filetype: ext, pretty_type: hit[1] }
    : { mimetype: 'application/octet-stream', filetype: 'binary', pretty_type: 'Binary' };
}

export function sendJson(res: ServerResponse, reply: Reply): void {
  res.writeHead(reply.status, {
    'content-type': 'application/json; charset=utf-8',
    ...reply.headers,
  });
  res.end(JSON.stringify(reply.body));
}
