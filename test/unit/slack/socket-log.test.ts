import { type Logger, LogLevel } from '@slack/bolt';
import { describe, expect, it } from 'vitest';
import { socketModeLogger } from '../../../src/slack/socket-log.ts';

function recording(): Logger & { lines: unknown[][] } {
  const lines: unknown[][] = [];
  return {
    lines,
    debug: (...m: unknown[]) => lines.push(m),
    info: (...m: unknown[]) => lines.push(m),
    warn: (...m: unknown[]) => lines.push(m),
    error: (...m: unknown[]) => lines.push(m),
    setLevel: () => {},
    getLevel: () => LogLevel.DEBUG,
    setName: () => {},
  };
}

const secret = 'mode-secret-typed-in-a-modal';
const envelope = JSON.stringify({ envelope_id: 'e1', payload: { view: { state: { secret } } } });

describe('socketModeLogger', () => {
  it.each([
    `Received a message on the WebSocket: ${envelope}`,
    `Unable to parse an incoming WebSocket message (will ignore): SyntaxError, ${envelope}`,
    `Sending a WebSocket message: ${envelope}`,
    `Calling ack() - type: interactive, envelope_id: e1, data: ${envelope}`,
    `ack() call begins (body: ${envelope})`,
    `ack() response sent (body: ${envelope})`,
  ])('keeps what happened but not the payload: %s', (line) => {
    const base = recording();
    socketModeLogger(base).debug(line);
    const [[logged]] = base.lines as [[string]];
    expect(logged).not.toContain(secret);
    expect(logged).toContain('(payload not logged)');
    expect(logged.slice(0, 12)).toBe(line.slice(0, 12));
  });

  it('passes every other line and argument through unchanged', () => {
    const base = recording();
    const logger = socketModeLogger(base);
    const err = new Error('boom');
    logger.warn('A pong wasn’t received from the server before the timeout of 5000ms!');
    logger.error('Failed to send', err);
    expect(base.lines).toEqual([
      ['A pong wasn’t received from the server before the timeout of 5000ms!'],
      ['Failed to send', err],
    ]);
  });
});
