// `/alation digest new` and Edit: the digest modal, its live preview of the next runs, and its
// submission (stored, then scheduled in pg-boss in the digest's time zone).
import type { AllMiddlewareArgs, App } from '@slack/bolt';
import { z } from 'zod';
import { ownerOf } from '../../auth/owner.ts';
import { NotConnectedError } from '../../client/errors.ts';
import { mayManage } from '../../digests/list-message.ts';
import { nextSlots } from '../../digests/slots.ts';
import type { Features } from '../../features.ts';
import type { Logger } from '../../log.ts';
import { requestContext } from '../../middleware/request-context.ts';
import { reportFailure } from '../../slack/failure.ts';
import { outcomeWithin, readMetadata } from '../../slack/modal-submission.ts';
import { tellUser, userTimeZone } from '../../slack/reply.ts';
import type { Owner } from '../../store/credentials.ts';
import type { Digest } from '../../store/digests.ts';
import { cronToWords } from '../../views/cron.ts';
import {
  ACTION_DIGEST_REFRESH,
  BLOCK_CHANNEL,
  BLOCK_MODE_REPORT,
  BLOCK_NAME,
  buildDigestModal,
  type DigestForm,
  VIEW_DIGEST,
} from '../../views/digest-modal.ts';
import { inZone } from '../../views/time.ts';
import type { CommandDeps, CommandInput } from '../command.ts';
import { digestAudienceNote, digestFormAudienceNote } from './audience.ts';
import {
  checkDigestForm,
  type DigestViewState,
  emptyForm,
  formOf,
  previewOf,
  readDigestForm,
} from './form.ts';

type Client = AllMiddlewareArgs['client'];

/** How long the save waits to check the channel: the modal must be answered within 3 s. */
const CHANNEL_CHECK_MS = 1_200;

/**
 * Why the bot could not post in the picked channel, told before anything is saved (uses
 * channels:read / groups:read). Undefined when it can, or when Slack did not say in time: the
 * first run then tells the creator by DM.
 */
async function channelProblem(
  client: Client,
  channelId: string,
  log: Logger,
): Promise<string | undefined> {
  // An answer in time, a refusal included, comes back as a value.
  const early = await outcomeWithin(
    client.conversations.info({ channel: channelId }),
    CHANNEL_CHECK_MS,
  );
  if (!early) return undefined;
  if (!early.ok) {
    const { error } = early;
    const code = (error as { data?: { error?: string } }).data?.error;
    // Slack answers a private channel the bot is not in as not found.
    if (code === 'channel_not_found') {
      return 'I cannot see that channel. If it is private, run /invite @Alation in it first, then save again.';
    }
    log.debug({ err: error }, 'could not check the digest channel; saving anyway');
    return undefined;
  }
  const { channel } = early.value;
  if (channel?.is_archived) return 'That channel is archived. Pick another one.';
  if (channel?.is_member === false) {
    return 'I am not in that channel yet: run /invite @Alation in it, then save again.';
  }
  return undefined;
}

/** What the modal carries between renders: the digest being edited and where to answer. */
interface Metadata {
  digestId?: string;
  responseUrl?: string;
  form: DigestForm;
}

/** A field that does not read is left to the fallback form, so one bad field loses no other. */
const field = <T extends z.ZodType>(schema: T) => schema.optional().catch(undefined);

const metadataSchema = z.object({
  digestId: field(z.string()),
  responseUrl: field(z.string()),
  form: z
    .object({
      name: field(z.string()),
      channelId: field(z.string()),
      kind: field(z.enum(['query_result', 'failed_runs', 'flag_changes', 'mode_runs'])),
      schedule: field(z.enum(['hourly', 'daily', 'weekdays', 'weekly', 'cron'])),
      time: field(z.string()),
      day: field(z.string()),
      cron: field(z.string()),
      zone: field(z.string()),
      queryId: field(z.string()),
      attachCsv: field(z.boolean()),
      onlyIfChanged: field(z.boolean()),
      includeChart: field(z.boolean()),
      personal: field(z.boolean()),
      datasourceId: field(z.string()),
      onlyWarnings: field(z.boolean()),
      subject: field(z.string()),
      modeReport: field(z.string()),
      modeOnly: field(z.enum(['all', 'failed', 'succeeded'])),
    } satisfies Record<keyof DigestForm, z.ZodType>)
    .optional(),
});

function readDigestMetadata(raw: string, fallback: DigestForm): Metadata {
  const { form, ...rest } = readMetadata(raw, metadataSchema, {});
  const given = Object.fromEntries(
    Object.entries(form ?? {}).filter(([, value]) => value !== undefined),
  ) as Partial<DigestForm>;
  return { ...rest, form: { ...fallback, ...given } };
}

export function modalFor(meta: Metadata, now: Date, audienceNote?: string) {
  return buildDigestModal({
    form: meta.form,
    preview: previewOf(meta.form, now),
    privateMetadata: JSON.stringify(meta),
    editing: meta.digestId !== undefined,
    audienceNote,
  });
}

function savedLine(digest: Digest, now: Date, verb: string): string {
  const next =
    digest.status === 'active' ? nextSlots(digest.cron, digest.tz, now, 1)[0] : undefined;
  const paused =
    digest.status === 'paused'
      ? ' It is still *paused*: press Resume in the list to run it again.'
      : '';
  return `:calendar: ${verb} digest *${digest.name.replace(/[<>&*]/g, ' ')}* for <#${digest.channelId}>: ${cronToWords(digest.cron)} (${digest.tz})${next ? `, next on ${inZone(next, digest.tz)}` : ''}.${paused} Manage it with \`/alation digest list\`.`;
}

export function newDigestAction(deps: CommandDeps) {
  async function save(
    features: Features,
    owner: Owner,
    meta: Metadata,
    checked: Extract<ReturnType<typeof checkDigestForm>, { ok: true }>['digest'],
  ): Promise<{ digest: Digest; verb: string } | undefined> {
    const now = features.now();
    if (meta.digestId) {
      const existing = await features.digests.get(meta.digestId);
      if (!mayManage(existing, owner)) return undefined;
      const digest = await features.digests.update(meta.digestId, checked);
      if (!digest) return undefined;
      if (digest.status === 'active') await features.digestScheduler().schedule(digest);
      await subscribeCreator(features, digest);
      return { digest, verb: 'Saved' };
    }
    const digest = await features.digests.create({ owner, ...checked }, now);
    try {
      await features.digestScheduler().schedule(digest);
    } catch (error) {
      // A digest that is never scheduled would look fine and never post.
      await features.digests.remove(digest.id);
      throw error;
    }
    await subscribeCreator(features, digest);
    return { digest, verb: 'Created' };
  }

  return {
    async run({ ack, respond, command, client, log }: CommandInput) {
      await ack();
      const owner = ownerOf(command);
      try {
        const features = await deps.features();
        // Digests run as their creator, so the creator must be connected.
        await features.requireAlation(owner);
        const zone = (await userTimeZone(client, owner.userId)) ?? 'UTC';
        const meta: Metadata = {
          responseUrl: command.response_url,
          form: emptyForm(command.channel_id, zone),
        };
        await client.views.open({
          trigger_id: command.trigger_id,
          view: modalFor(meta, features.now()),
        });
      } catch (error) {
        await reportFailure(error, respond, log, 'open the new digest form');
      }
    },

    /** Edit: the same modal, filled in. */
    async openEdit(client: Client, triggerId: string, digest: Digest, now: Date): Promise<void> {
      const meta: Metadata = { digestId: digest.id, form: formOf(digest) };
      await client.views.open({ trigger_id: triggerId, view: modalFor(meta, now) });
    },

    register(app: App) {
      // Kind, schedule, time and zone changes re-render the modal with the next runs.
      app.action(ACTION_DIGEST_REFRESH, async ({ ack, body, client, context }) => {
        await ack();
        const view = 'view' in body ? body.view : undefined;
        if (!view) return;
        const features = await deps.features();
        const meta = readDigestMetadata(view.private_metadata, emptyForm('', 'UTC'));
        meta.form = readDigestForm(view.state.values as DigestViewState, meta.form);
        const log = requestContext(context).log;
        const updated = await client.views
          .update({ view_id: view.id, hash: view.hash, view: modalFor(meta, features.now()) })
          .catch((err: unknown) => {
            // A newer edit won the race (hash mismatch); its own refresh follows.
            log.debug({ err }, 'digest modal refresh skipped');
            return undefined;
          });
        // Then who in the channel can see the query, as each of them (issue 18), before saving.
        const note = await digestFormAudienceNote(features, client, ownerOf(body), meta.form, log);
        const hash = updated?.view?.hash;
        if (note && hash) {
          await client.views
            .update({ view_id: view.id, hash, view: modalFor(meta, features.now(), note) })
            .catch((err: unknown) => log.debug({ err }, 'digest modal audience note skipped'));
        }
      });

      app.view(VIEW_DIGEST, async ({ ack, body, view, client, context }) => {
        const log: Logger = requestContext(context).log;
        const owner = ownerOf(body);
        const meta = readDigestMetadata(view.private_metadata, emptyForm('', 'UTC'));
        meta.form = readDigestForm(view.state.values as DigestViewState, meta.form);
        const checked = checkDigestForm(meta.form);
        if (!checked.ok) {
          await ack({ response_action: 'errors', errors: checked.errors });
          return;
        }
        const channel = await channelProblem(client, checked.digest.channelId, log);
        if (channel) {
          await ack({ response_action: 'errors', errors: { [BLOCK_CHANNEL]: channel } });
          return;
        }
        const features = await deps.features();
        let problem: Record<string, string> | undefined;
        try {
          problem = await connectionProblem(features, owner, checked.digest.params.kind);
        } catch (error) {
          // The database or Alation could not say; that is not the same as "not connected".
          log.error({ err: error }, 'could not check connections before saving a digest');
          problem = {
            [BLOCK_NAME]:
              'I could not check your Alation and Mode connections just now (storage or Alation did not answer). Nothing was saved; please press Save again in a minute.',
          };
        }
        if (problem) {
          await ack({ response_action: 'errors', errors: problem });
          return;
        }
        await ack();
        try {
          const saved = await save(features, owner, meta, checked.digest);
          const note = saved && (await digestAudienceNote(features, client, saved.digest, log));
          const message = saved
            ? savedLine(saved.digest, features.now(), saved.verb) +
              (note
                ? `\n:eyes: ${note} Each run shows them what you see; edit it and tick *To each subscriber, as themselves* to send each reader their own copy instead.`
                : '')
            : 'That digest no longer exists, or it is not yours to change. Nothing was saved.';
          await tellUser(
            client,
            owner.userId,
            {
              text: message,
              blocks: [{ type: 'section', text: { type: 'mrkdwn', text: message } }],
            },
            meta.responseUrl,
          );
          if (saved)
            log.info(
              { digestId: saved.digest.id, kind: saved.digest.params.kind },
              `${saved.verb.toLowerCase()} a digest`,
            );
        } catch (error) {
          log.error({ err: error }, 'could not save a digest');
          await tellUser(
            client,
            owner.userId,
            {
              text: 'I could not save the digest; the error has been logged. Please try again.',
              blocks: [],
            },
            meta.responseUrl,
          ).catch(() => {});
        }
      });
    },
  };
}

/**
 * What stops this person saving a digest of `kind`: no usable Alation connection, or (for Mode
 * runs) no usable Mode token, as inline errors. Anything else that fails is thrown, so an outage
 * is not reported as "connect first".
 */
async function connectionProblem(
  features: Features,
  owner: Owner,
  kind: string,
): Promise<Record<string, string> | undefined> {
  try {
    await features.requireAlation(owner);
  } catch (error) {
    if (!(error instanceof NotConnectedError)) throw error;
    return {
      [BLOCK_NAME]:
        error.reason === undefined
          ? 'Digests run with your Alation account: connect it first with `/alation login`. Nothing was saved.'
          : 'Alation no longer accepts your stored credentials: reconnect with `/alation login`. Nothing was saved.',
    };
  }
  if (kind !== 'mode_runs') return undefined;
  const mode = await features.credentials.load(owner, 'mode');
  if (mode.state === 'connected') return undefined;
  return {
    [BLOCK_MODE_REPORT]:
      mode.state === 'missing'
        ? 'This digest reads Mode with your own Mode API token: connect it first with `/alation mode login`. Nothing was saved.'
        : 'Mode no longer accepts your stored token: reconnect with `/alation mode login`. Nothing was saved.',
  };
}

/** A personal digest's creator gets their own copy like everyone else (issue 18). */
async function subscribeCreator(features: Features, digest: Digest): Promise<void> {
  if (digest.params.kind === 'query_result' && digest.params.personal)
    await features.subscriptions.subscribe(digest.id, digest.owner);
}
