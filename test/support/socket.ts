// Slack's traffic over Socket Mode: the payloads the driver builds for HTTP, sent as the envelopes
// Slack wraps them in (a slash command's form fields as an object, an interaction's parsed
// `payload`, an event's `event_callback`), resolving once the app has acked them.
import {
  type BlockActionOptions,
  buildBlockAction,
  buildEventEnvelope,
  buildSlashCommand,
  buildViewSubmission,
  type EventOptions,
  type SlashCommandOptions,
  type ViewSubmissionOptions,
} from '../driver.ts';
import type { SendOptions, SocketEnvelope } from '../emulators/slack.ts';
import type { TestBot } from './bot.ts';

type Json = Record<string, unknown>;
const json = (value: object): Json => ({ ...value }) as Json;

export function socketCommand(
  t: Pick<TestBot, 'slack'>,
  options: SlashCommandOptions = {},
  send?: SendOptions,
): Promise<SocketEnvelope> {
  return t.slack.socket.send('slash_commands', json(buildSlashCommand(options)), send);
}

export function socketAction(
  t: Pick<TestBot, 'slack'>,
  options: BlockActionOptions,
  send?: SendOptions,
): Promise<SocketEnvelope> {
  return t.slack.socket.send('interactive', json(buildBlockAction(options)), send);
}

export function socketSubmission(
  t: Pick<TestBot, 'slack'>,
  options: ViewSubmissionOptions,
  send?: SendOptions,
): Promise<SocketEnvelope> {
  // Slack waits for a view submission's ack to know whether to close the modal or show errors.
  return t.slack.socket.send('interactive', json(buildViewSubmission(options)), {
    acceptsResponsePayload: true,
    ...send,
  });
}

export function socketEvent(
  t: Pick<TestBot, 'slack'>,
  options: EventOptions,
  send?: SendOptions,
): Promise<SocketEnvelope> {
  return t.slack.socket.send('events_api', json(buildEventEnvelope(options)), send);
}
