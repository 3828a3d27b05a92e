import type { Logger } from './log.ts';

/** The part of `process` the policy listens on; tests pass an EventEmitter. */
export interface ProcessEvents {
  on(event: 'unhandledRejection', listener: (reason: unknown) => void): unknown;
  on(event: 'uncaughtException', listener: (error: Error) => void): unknown;
}

/**
 * What the process does with a failure no handler caught. A promise rejection that escaped is a
 * bug in one request's work, not in the process: it is logged and the bot keeps serving everyone
 * else. An uncaught exception leaves the process in an unknown state: it is logged and the
 * process exits non-zero, so a supervisor (systemd, Kubernetes, Docker) starts a clean one.
 */
export function installProcessPolicy(
  proc: ProcessEvents,
  log: Logger,
  exit: (code: number) => void,
): void {
  proc.on('unhandledRejection', (reason) => {
    log.error({ err: reason }, 'a promise rejection escaped every handler; still serving');
  });
  proc.on('uncaughtException', (error) => {
    log.fatal({ err: error }, 'uncaught exception; exiting so a supervisor restarts the bot');
    exit(1);
  });
}
