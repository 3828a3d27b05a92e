import type { App } from '@slack/bolt';
import { ownerOf } from '../auth/owner.ts';
import { isUpstreamError } from '../client/errors.ts';
import { requestContext } from '../middleware/request-context.ts';
import { fetchJob } from '../queue/job-watch.ts';
import { buttonValue } from '../slack/button-value.ts';
import { reportFailure } from '../slack/failure.ts';
import type { JobRef } from '../store/watches.ts';
import { escapeMrkdwn } from '../views/blocks.ts';
import { ACTION_JOB_CHECK, ACTION_JOB_STOP, buildJobCard, jobLabel } from '../views/job.ts';
import type { Command, CommandDeps } from './command.ts';

const GONE = {
  response_type: 'ephemeral' as const,
  replace_original: false,
  text: 'That job has finished or is no longer tracked. Run `/alation job <id>` for a fresh card.',
};

/** How long a card keeps updating itself before it offers Check again. */
export const WATCH_DEADLINE_MS = 2 * 3600_000;

/** `12` is an id; anything else is a job name, `#` and all (Slack sends it as typed). */
export function parseJobRef(args: string): JobRef | undefined {
  const text = args.trim().replace(/^["'`]|["'`]$/g, '');
  if (text === '') return undefined;
  return /^\d{1,15}$/.test(text) ? { id: Number(text) } : { name: text };
}

export function jobCommand(deps: CommandDeps, options: { deadlineMs?: number } = {}): Command {
  const deadlineMs = options.deadlineMs ?? WATCH_DEADLINE_MS;
  return {
    name: 'job',
    usage: '<job id | job name>',
    summary: 'Post a bulk-metadata job’s status card that updates itself until the job finishes.',
    example: '/alation job 42',
    async run({ ack, args, command, client, respond, log }) {
      const ref = parseJobRef(args);
      if (!ref) {
        await ack({
          response_type: 'ephemeral',
          text: 'Which job? Give the id or the name an Alation API returned, e.g. `/alation job 42` or `/alation job MetadataExtraction#1_…`.',
        });
        return;
      }
      await ack({
        response_type: 'ephemeral',
        text: `:hourglass_flowing_sand: Looking up ${jobLabel(ref)}…`,
      });
      const owner = ownerOf(command);
      try {
        const features = await deps.features();
        const alation = await features.requireAlation(owner);
        const job = await fetchJob(alation, ref);
        const now = features.now();
        const running = job.status === 'running';
        const first = buildJobCard({
          ref,
          jobStatus: job.status,
          msg: job.msg ?? null,
          result: job.result,
          now,
        });
        let posted: { ts?: string | undefined };
        try {
          posted = await client.chat.postMessage({
            channel: command.channel_id,
            text: first.text,
            blocks: first.blocks,
          });
        } catch (error) {
          log.warn({ err: error }, 'could not post the job card');
          await respond({
            response_type: 'ephemeral',
            text: `I could not post in this conversation. Invite me (\`/invite @Alation\`) and try again. Meanwhile: ${jobLabel(ref)} is ${escapeMrkdwn(job.status)}.`,
          });
          return;
        }
        if (!running || !posted.ts) return;
        const watch = await features.watches.create({
          owner,
          channelId: command.channel_id,
          messageTs: posted.ts,
          ref,
          startedAt: now,
          deadline: new Date(now.getTime() + deadlineMs),
        });
        await features.watches.recordPoll(watch.id, {
          status: job.status,
          msg: job.msg ?? null,
          result: job.result,
        });
        // The card now says who watches it and offers Stop watching.
        const card = buildJobCard({
          ref,
          jobStatus: job.status,
          msg: job.msg ?? null,
          result: job.result,
          watch: {
            ...watch,
            ownerUserId: owner.userId,
            ownerName: (await features.slackUsers.viewer(client, owner.tenantId, owner.userId))
              .name,
          },
          now,
        });
        await client.chat.update({
          channel: command.channel_id,
          ts: posted.ts,
          text: card.text,
          blocks: card.blocks,
        });
        await features.watchScheduler().schedule(watch.id, 1_000);
      } catch (error) {
        if (isUpstreamError(error) && error.kind === 'not_found') {
          await respond({
            response_type: 'ephemeral',
            text: `Alation knows no ${jobLabel(ref)} that you can see. Use the id or name exactly as the API that started it returned it.`,
          });
          return;
        }
        await reportFailure(error, respond, log, `look up ${jobLabel(ref)}`);
      }
    },
    register(app: App) {
      app.action(ACTION_JOB_STOP, async ({ ack, body, action, client, respond, context }) => {
        await ack();
        const watchId = buttonValue(action);
        const features = await deps.features();
        const watch = await features.watches.get(watchId);
        const presser = ownerOf(body);
        if (!watch) {
          await respond(GONE);
          return;
        }
        if (watch.owner.userId !== presser.userId || watch.owner.tenantId !== presser.tenantId) {
          await respond({
            response_type: 'ephemeral',
            replace_original: false,
            text: `Only <@${watch.owner.userId}>, who started watching, can stop it.`,
          });
          return;
        }
        if (!(await features.watches.end(watch.id, 'stopped'))) return;
        const card = buildJobCard({
          ref: watch.ref,
          jobStatus: watch.jobStatus ?? 'running',
          msg: watch.jobMsg,
          result: watch.jobResult,
          watch: {
            ...watch,
            status: 'stopped',
            ownerUserId: watch.owner.userId,
            ownerName: (
              await features.slackUsers.viewer(client, watch.owner.tenantId, watch.owner.userId)
            ).name,
          },
          now: features.now(),
        });
        await client.chat
          .update({
            channel: watch.channelId,
            ts: watch.messageTs,
            text: card.text,
            blocks: card.blocks,
          })
          .catch((err: unknown) =>
            requestContext(context).log.warn({ err }, 'could not update a job card'),
          );
      });
      app.action(ACTION_JOB_CHECK, async ({ ack, body, action, respond, context }) => {
        await ack();
        const watchId = buttonValue(action);
        const features = await deps.features();
        const presser = ownerOf(body);
        // Whoever checks again watches from now on, with their own credentials.
        try {
          await features.requireAlation(presser);
        } catch (error) {
          await reportFailure(error, respond, requestContext(context).log, 'check the job again');
          return;
        }
        const watch = await features.watches.restart(
          watchId,
          presser,
          new Date(features.now().getTime() + deadlineMs),
        );
        if (watch) await features.watchScheduler().pollNow(watch.id);
        else await respond(GONE);
      });
    },
  };
}
