import type { Logger as BoltLogger } from '@slack/bolt';

/**
 * The debug lines of Bolt's Socket Mode receiver and client that print a whole envelope or ack:
 * everything a person typed (slash command text, a modal's fields, a Mode API secret among them)
 * would reach the log at LOG_LEVEL=debug, which the HTTP receiver never logs. The part before the
 * payload is kept.
 */
const PAYLOAD_LINES = [
  /^Received a message on the WebSocket: /,
  /^Unable to parse an incoming WebSocket message \(will ignore\): /,
  /^Sending a WebSocket message: /,
  /^Calling ack\(\) - type: [^,]*, envelope_id: [^,]*, data: /,
  /^ack\(\) call begins \(body: /,
  /^ack\(\) response sent \(body: /,
];

function withoutPayload(message: unknown): unknown {
  if (typeof message !== 'string') return message;
  for (const line of PAYLOAD_LINES) {
    const match = line.exec(message);
    if (match) return `${match[0]}(payload not logged)`;
  }
  return message;
}

/** `logger` for the Socket Mode receiver, minus the envelope and ack payloads it would log. */
export function socketModeLogger(logger: BoltLogger): BoltLogger {
  return {
    debug: (...msg: unknown[]) => logger.debug(...msg.map(withoutPayload)),
    info: (...msg: unknown[]) => logger.info(...msg.map(withoutPayload)),
    warn: (...msg: unknown[]) => logger.warn(...msg.map(withoutPayload)),
    error: (...msg: unknown[]) => logger.error(...msg.map(withoutPayload)),
    setLevel: (level) => logger.setLevel(level),
    getLevel: () => logger.getLevel(),
    setName: (name) => logger.setName(name),
  };
}
