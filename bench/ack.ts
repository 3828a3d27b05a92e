/**
 * Ack latency of a signed `/alation help` under concurrent load, side by side with a bare Bolt
 * app whose handler only acks. Each app runs in its own process; rounds alternate between the
 * two so machine noise lands on both. Options: --concurrency 200 --rounds 10.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Agent, request } from 'undici';
import { buildSlashCommand, computeSignature } from '../test/driver.ts';
import { startSlackEmulator } from '../test/emulators/slack.ts';

const { values } = parseArgs({
  options: {
    concurrency: { type: 'string', default: '200' },
    rounds: { type: 'string', default: '10' },
  },
});
const concurrency = Number(values.concurrency);
const rounds = Number(values.rounds);
const signingSecret = 'bench-signing-secret';
const here = path.dirname(fileURLToPath(import.meta.url));
const pinned =
  availableParallelism() >= 2 && spawnSync('taskset', ['-c', '0', 'true']).status === 0;
if (pinned) spawnSync('taskset', ['-cp', '0', String(process.pid)]);

async function startServer(kind: 'ours' | 'bare', apiUrl: string) {
  const args = [path.join(here, 'ack-server.ts'), kind, apiUrl, signingSecret];
  // Servers share one core and the load generator (this process) keeps the other, so the
  // client's own work does not land on whichever server happens to be measured.
  const child = pinned
    ? spawn('taskset', ['-c', '1', process.execPath, ...args], {
        stdio: ['ignore', 'pipe', 'inherit'],
      })
    : spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout?.once('data', (d) => resolve(Number(String(d).trim())));
    child.once('exit', (code) => reject(new Error(`${kind} server exited with ${code}`)));
  });
  return { kind, child, url: `http://127.0.0.1:${port}/slack/events` };
}

const agent = new Agent({ connections: concurrency * 2, pipelining: 0 });

async function oneRequest(url: string): Promise<number> {
  const body = new URLSearchParams(
    Object.entries(buildSlashCommand({ text: 'help' })).map(([k, v]): [string, string] => [
      k,
      String(v),
    ]),
  ).toString();
  const ts = Math.floor(Date.now() / 1000);
  const started = performance.now();
  const res = await request(url, {
    method: 'POST',
    dispatcher: agent,
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-slack-request-timestamp': String(ts),
      'x-slack-signature': computeSignature(signingSecret, ts, body),
    },
    body,
  });
  await res.body.text();
  const ms = performance.now() - started;
  if (res.statusCode !== 200) throw new Error(`${url} answered ${res.statusCode}`);
  return ms;
}

const burst = (url: string) =>
  Promise.all(Array.from({ length: concurrency }, () => oneRequest(url)));

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;

const slack = await startSlackEmulator();
const servers = [await startServer('ours', slack.apiUrl), await startServer('bare', slack.apiUrl)];
const samples = new Map<string, number[]>(servers.map((s) => [s.kind, []]));
try {
  for (const s of servers) await burst(s.url); // warm-up: JIT, connections, auth.test
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 === 0 ? servers : [...servers].reverse();
    for (const s of order) samples.get(s.kind)?.push(...(await burst(s.url)));
  }
} finally {
  for (const s of servers) (s.child as ChildProcess).kill('SIGTERM');
  await agent.close();
  await slack.close();
}

const stats = (kind: string) => {
  const sorted = [...(samples.get(kind) ?? [])].sort((a, b) => a - b);
  return { n: sorted.length, p50: percentile(sorted, 50), p99: percentile(sorted, 99) };
};
const ours = stats('ours');
const bare = stats('bare');
const fmt = (n: number) => n.toFixed(2).padStart(8);
console.log(
  `ack latency, /alation help, ${concurrency} concurrent signed requests x ${rounds} rounds (node ${process.version}${pinned ? ', servers on cpu 1, client on cpu 0' : ''})`,
);
console.log(
  `${'app'.padEnd(28)}${'n'.padStart(6)}${'p50 ms'.padStart(10)}${'p99 ms'.padStart(10)}`,
);
console.log(
  `${'alation-slack-bot help'.padEnd(28)}${String(ours.n).padStart(6)}  ${fmt(ours.p50)}  ${fmt(ours.p99)}`,
);
console.log(
  `${'bare Bolt, ack only'.padEnd(28)}${String(bare.n).padStart(6)}  ${fmt(bare.p50)}  ${fmt(bare.p99)}`,
);
console.log(
  `${'ratio (ours / bare)'.padEnd(34)}${(ours.p50 / bare.p50).toFixed(2).padStart(8)}  ${(ours.p99 / bare.p99).toFixed(2).padStart(8)}   target <= 1.20`,
);
