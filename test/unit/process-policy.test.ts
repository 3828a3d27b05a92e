import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { installProcessPolicy, type ProcessEvents } from '../../src/process-policy.ts';
import { captureLog } from '../support/log.ts';

function setUp() {
  const proc = new EventEmitter();
  const { log, lines } = captureLog();
  const exits: number[] = [];
  installProcessPolicy(proc as unknown as ProcessEvents, log, (code) => exits.push(code));
  return { proc, lines, exits };
}

describe('process policy', () => {
  it('logs a rejection that escaped and keeps the process running', () => {
    const { proc, lines, exits } = setUp();
    proc.emit('unhandledRejection', new Error('boom in one request'));
    expect(exits).toEqual([]);
    expect(lines()).toMatchObject([
      {
        level: 50,
        msg: 'a promise rejection escaped every handler; still serving',
        err: { message: 'boom in one request' },
      },
    ]);
  });

  it('logs an uncaught exception and exits non-zero so a supervisor restarts the bot', () => {
    const { proc, lines, exits } = setUp();
    proc.emit('uncaughtException', new TypeError('state unknown'));
    expect(exits).toEqual([1]);
    expect(lines()).toMatchObject([{ level: 60, err: { message: 'state unknown' } }]);
  });
});
