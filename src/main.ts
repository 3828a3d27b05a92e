import { type Env, loadConfig } from './config.ts';
import { createLogger } from './log.ts';
import { installProcessPolicy } from './process-policy.ts';
import { type Running, run } from './run.ts';
import { SchemaTooNewError } from './store/migrate.ts';

/** Prints configuration problems as plain lines: the person reading them is at a terminal. */
function reportConfigProblems(problems: string[]): void {
  process.stderr.write(
    `alation-slack-bot cannot start; fix these environment variables:\n${problems.map((p) => `  - ${p}`).join('\n')}\n`,
  );
}

async function main(env: Env): Promise<void> {
  const loaded = loadConfig(env);
  if (!loaded.ok) {
    reportConfigProblems(loaded.problems);
    process.exitCode = 78; // EX_CONFIG
    return;
  }
  const log = createLogger({ level: loaded.config.logLevel });
  installProcessPolicy(process, log, (code) => process.exit(code));
  let running: Running;
  try {
    running = await run(loaded.config, log);
  } catch (err) {
    log.fatal({ err }, 'could not start');
    process.exit(1);
  }
  const onSignal = (signal: NodeJS.Signals) => {
    // A second signal means "now": skip the graceful wait.
    process.once(signal, () => process.exit(1));
    running.shutdown(signal).then(
      () => process.exit(0),
      (err: unknown) => {
        log.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', onSignal);
  process.once('SIGINT', onSignal);
  running.ready.catch((err: unknown) => {
    log.fatal(
      err instanceof SchemaTooNewError ? { detail: err.message } : { err },
      'storage could not start; exiting',
    );
    running.shutdown('storage failed').finally(() => process.exit(1));
  });
}

await main(process.env);
