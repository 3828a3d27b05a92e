import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface BotProcess {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * Runs `node src/main.ts` (what `npm start` runs) with exactly the given environment; `root`
 * is another checkout, for a benchmark comparing two builds.
 */
export function spawnBot(env: Record<string, string>, root = ROOT): BotProcess {
  const child = spawn(process.execPath, ['src/main.ts'], {
    cwd: root,
    // PATH only: nothing from the test runner's environment (TEST_DATABASE_URL, say) leaks in.
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout?.on('data', (d) => {
    out += String(d);
  });
  child.stderr?.on('data', (d) => {
    err += String(d);
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  return { child, stdout: () => out, stderr: () => err, exited };
}

/** Polls `url` until it answers with `status`, or throws with what the process printed. */
export async function waitForStatus(
  url: string,
  status: number,
  bot: BotProcess,
  timeoutMs = 30_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer';
  while (Date.now() < deadline) {
    if (bot.child.exitCode !== null) break;
    try {
      const res = await fetch(url);
      if (res.status === status) return;
      last = `${res.status} ${await res.text()}`;
    } catch (e) {
      last = String(e);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(
    `${url} never answered ${status} (last: ${last})\nstdout:\n${bot.stdout()}\nstderr:\n${bot.stderr()}`,
  );
}

/** A free loopback port: listen on 0, note the port, close. */
export async function freePort(): Promise<number> {
  const { createServer } = await import('node:net');
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** One `/alation help` sent by `probeAcks`: when (ms after the probe began) and how it went. */
export interface AckSample {
  sentAtMs: number;
  /** Until the ack's answer arrived; undefined when nothing listened yet (connection refused). */
  ackMs: number | undefined;
  status: number | 'refused' | string;
}

/**
 * Sends a signed `/alation help` to `origin` every `everyMs` until `stop()` says so, without
 * waiting for one to finish before sending the next, the way Slack's traffic arrives. Resolves
 * with every request's outcome once the last has settled.
 */
export async function probeAcks(options: {
  origin: string;
  signingSecret: string;
  everyMs: number;
  stop: () => boolean;
}): Promise<AckSample[]> {
  const { buildSlashCommand, computeSignature } = await import('../driver.ts');
  const started = performance.now();
  const one = async (): Promise<AckSample> => {
    const sentAtMs = performance.now() - started;
    const body = new URLSearchParams(
      Object.entries(buildSlashCommand({ text: 'help' })).map(([k, v]): [string, string] => [
        k,
        String(v),
      ]),
    ).toString();
    const ts = Math.floor(Date.now() / 1000);
    try {
      const res = await fetch(`${options.origin}/slack/events`, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          'x-slack-request-timestamp': String(ts),
          'x-slack-signature': computeSignature(options.signingSecret, ts, body),
        },
        body,
        signal: AbortSignal.timeout(30_000),
      });
      await res.arrayBuffer();
      return { sentAtMs, ackMs: performance.now() - started - sentAtMs, status: res.status };
    } catch (error) {
      const code = (error as { cause?: { code?: string } }).cause?.code;
      if (code === 'ECONNREFUSED') return { sentAtMs, ackMs: undefined, status: 'refused' };
      return { sentAtMs, ackMs: performance.now() - started - sentAtMs, status: String(error) };
    }
  };
  const inFlight: Promise<AckSample>[] = [];
  while (!options.stop()) {
    inFlight.push(one());
    await new Promise((r) => setTimeout(r, options.everyMs));
  }
  return Promise.all(inFlight);
}
