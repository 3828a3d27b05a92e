/**
 * The busy bench's load generator, in a process of its own so the emulators' work (60 MB of CSV
 * each way per busy round) never delays the clock that times the acks.
 * argv: <eventsUrl> <signingSecret> <concurrency>. Each line on stdin starts a burst of signed
 * `/alation help`; its latencies (ms) come back as one JSON array per line on stdout.
 */
import { createInterface } from 'node:readline';
import { Agent, request } from 'undici';
import { buildSlashCommand, computeSignature } from '../../test/driver.ts';

const [url = '', secret = '', concurrencyArg = '100'] = process.argv.slice(2);
const concurrency = Number(concurrencyArg);
const agent = new Agent({ connections: concurrency + 10, pipelining: 0 });

async function one(body: string, ts: number): Promise<number> {
  const started = performance.now();
  const res = await request(url, {
    method: 'POST',
    dispatcher: agent,
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-slack-request-timestamp': String(ts),
      'x-slack-signature': computeSignature(secret, ts, body),
    },
    body,
  });
  await res.body.text();
  if (res.statusCode !== 200) throw new Error(`ack answered ${res.statusCode}`);
  return performance.now() - started;
}

const body = new URLSearchParams(
  Object.entries(buildSlashCommand({ text: 'help' })).map(([k, v]): [string, string] => [
    k,
    String(v),
  ]),
).toString();
for await (const _line of createInterface({ input: process.stdin })) {
  const ts = Math.floor(Date.now() / 1000);
  const ms = await Promise.all(Array.from({ length: concurrency }, () => one(body, ts)));
  process.stdout.write(`${JSON.stringify(ms)}\n`);
}
await agent.close();
