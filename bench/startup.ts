/**
 * How fast the real process comes up and goes down: launch → /healthz 200, launch → /readyz 200
 * (fresh DATA_DIR, then the same one again), and SIGTERM → exit. Options: --runs 3.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { startSlackEmulator } from '../test/emulators/slack.ts';
import { freePort, spawnBot, waitForStatus } from '../test/support/process.ts';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '3' } } });
const runs = Number(values.runs);
const slack = await startSlackEmulator();

interface Sample {
  healthz: number;
  readyz: number;
  exit: number;
  code: number | null;
}

async function once(dataDir: string): Promise<Sample> {
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const started = performance.now();
  const bot = spawnBot({
    SLACK_BOT_TOKEN: slack.botToken,
    SLACK_SIGNING_SECRET: 'bench',
    SLACK_API_URL: slack.apiUrl,
    ALATION_BASE_URL: 'http://127.0.0.1:9',
    DATA_DIR: dataDir,
    PORT: String(port),
    LOG_LEVEL: 'warn',
  });
  await waitForStatus(`${origin}/healthz`, 200, bot);
  const healthz = performance.now() - started;
  await waitForStatus(`${origin}/readyz`, 200, bot);
  const readyz = performance.now() - started;
  const stopping = performance.now();
  bot.child.kill('SIGTERM');
  const { code } = await bot.exited;
  return { healthz, readyz, exit: performance.now() - stopping, code };
}

const rows: [string, Sample][] = [];
try {
  for (let i = 0; i < runs; i++) {
    const dir = await mkdtemp(path.join(tmpdir(), 'bench-start-'));
    rows.push(['fresh DATA_DIR', await once(dir)]);
    rows.push(['same DATA_DIR again', await once(dir)]);
  }
} finally {
  await slack.close();
}
const ms = (n: number) => `${Math.round(n)}`.padStart(10);
console.log(`start-up and shutdown of node src/main.ts (node ${process.version}), ms`);
console.log(
  `${'run'.padEnd(22)}${'/healthz'.padStart(10)}${'/readyz'.padStart(10)}${'SIGTERM→exit'.padStart(14)}  exit code`,
);
for (const [label, s] of rows) {
  console.log(
    `${label.padEnd(22)}${ms(s.healthz)}${ms(s.readyz)}${ms(s.exit).padStart(14)}  ${s.code}`,
  );
}
