import type { App, RespondFn } from '@slack/bolt';
import type { ModeSecret } from '../auth/mode-session.ts';
import { ownerOf } from '../auth/owner.ts';
import { isUpstreamError } from '../client/errors.ts';
import { decodeQueryRunRef, parseModeUrl, unwrapLinks } from '../client/mode/ref.ts';
import { createModeClient } from '../client/mode.ts';
import type { Features } from '../features.ts';
import { publishHome } from '../home/publish.ts';
import { requestContext } from '../middleware/request-context.ts';
import { buttonValue } from '../slack/button-value.ts';
import { type Outcome, submitModal } from '../slack/modal-submission.ts';
import { tellUser } from '../slack/reply.ts';
import type { Owner } from '../store/credentials.ts';
import { clip, echo } from '../views/blocks.ts';
import { buildResultModal } from '../views/connect.ts';
import {
  BLOCK_MODE_SECRET,
  BLOCK_MODE_TOKEN,
  BLOCK_MODE_WORKSPACE,
  buildModeLoginModal,
  MODE_INPUT,
  VIEW_MODE_LOGIN,
} from '../views/mode.ts';
import { ACTION_CONNECT_MODE } from '../views/mode-run.ts';
import { ACTION_MODE_RUN_CSV, ACTION_MODE_RUN_DETAILS } from '../views/mode-runs.ts';
import type { Command, CommandDeps } from './command.ts';
import { shareModeQueryRunCsv } from './mode/csv.ts';
import { showModeQueryRun } from './mode/details.ts';
import { parseRunArgs, parseRunsArgs } from './mode/ref.ts';
import { listModeQueryRuns } from './mode/runs.ts';

type Problems = Partial<
  Record<typeof BLOCK_MODE_WORKSPACE | typeof BLOCK_MODE_TOKEN | typeof BLOCK_MODE_SECRET, string>
>;

type ModeConnectOutcome = { ok: true; name: string } | { ok: false; problems: Problems };

/** What the person sees when connecting crashed on the bot's side. */
const CRASHED: ModeConnectOutcome = {
  ok: false,
  problems: {
    [BLOCK_MODE_SECRET]: 'Something went wrong on the bot’s side; nothing was saved.',
  },
};

interface ModeInput {
  workspace: string;
  token: string;
  secret: string;
}

const MODE_HELP =
  "`/alation mode login` connects your Mode account; `/alation mode runs <workspace> <report> <run>` (or a pasted report-run URL) lists a report run's query runs; `/alation mode run <workspace> <report> <run> <query_run>` shows one query run.";

/** Reads the workspace with the given token before storing anything. */
async function connectMode(
  features: Features,
  owner: Owner,
  input: ModeInput,
): Promise<ModeConnectOutcome> {
  const mode = createModeClient({
    http: features.modeHttp,
    pacer: features.modePacer,
    credentials: { token: input.token, secret: input.secret },
  });
  try {
    const account = await mode.getAccount(input.workspace);
    const secret: ModeSecret = { token: input.token, secret: input.secret };
    await features.credentials.save(owner, 'mode', secret, {
      workspace: account.username,
      name: account.name ?? account.username,
    });
    return { ok: true, name: account.name ?? account.username };
  } catch (error) {
    if (!isUpstreamError(error)) throw error;
    if (error.kind === 'unauthorized') {
      return {
        ok: false,
        problems: {
          [BLOCK_MODE_TOKEN]: 'Mode did not accept this token and secret.',
          [BLOCK_MODE_SECRET]: 'Check the secret belongs to this token.',
        },
      };
    }
    if (error.kind === 'not_found') {
      return {
        ok: false,
        problems: {
          [BLOCK_MODE_WORKSPACE]: `No Mode workspace “${clip(input.workspace, 40)}” that this token can see. Use the name from your Mode URLs.`,
        },
      };
    }
    return { ok: false, problems: { [BLOCK_MODE_SECRET]: `${error.message} Nothing was saved.` } };
  }
}

function readInput(values: Record<string, Record<string, { value?: string | null }>>): ModeInput {
  const get = (block: string) => values[block]?.[MODE_INPUT]?.value?.trim() ?? '';
  return {
    workspace: get(BLOCK_MODE_WORKSPACE)
      .replace(/^.*app\.mode\.com\//, '')
      .replace(/\/.*$/, ''),
    token: get(BLOCK_MODE_TOKEN),
    secret: get(BLOCK_MODE_SECRET),
  };
}

export function modeCommand(deps: CommandDeps, options: { ackBudgetMs?: number } = {}): Command {
  return {
    name: 'mode',
    usage: 'login | runs <workspace> <report> <run> | run <workspace> <report> <run> <query_run>',
    summary:
      'Connect Mode with your API token, then read report runs as you: `runs` lists a run’s query runs (state, times, errors, Details and CSV buttons; a pasted run URL works too), `run` shows one query run’s SQL, parameters and links.',
    example: '/alation mode runs https://app.mode.com/acme/reports/8a1b2c3d4e5f/runs/5e6f7a8b9c0d',
    async run({ ack, args, command, client, respond, log }) {
      const [first = '', ...restWords] = unwrapLinks(args).split(/\s+/).filter(Boolean);
      const sub = first.toLowerCase();
      const rest = restWords.join(' ');
      const input = () => ({ owner: ownerOf(command), respond, client, log });
      if (sub === 'login' && rest === '') {
        await ack();
        await client.views.open({ trigger_id: command.trigger_id, view: buildModeLoginModal() });
        return;
      }
      // A pasted link alone: a query-run link shows that run, a report-run link lists them.
      const pasted = sub === 'runs' || sub === 'run' ? undefined : parseModeUrl(first);
      if (sub === 'runs' || (pasted && !pasted.queryRun && rest === '')) {
        const parsed = parseRunsArgs(sub === 'runs' ? rest : first);
        if (!parsed.ok) {
          await ack({ response_type: 'ephemeral', text: parsed.message });
          return;
        }
        await ack();
        await listModeQueryRuns(deps, parsed.ref, input());
        return;
      }
      if (sub === 'run' || pasted) {
        const parsed = parseRunArgs(sub === 'run' ? rest : args);
        if (!parsed.ok) {
          await ack({ response_type: 'ephemeral', text: parsed.message });
          return;
        }
        await ack();
        await showModeQueryRun(deps, parsed.ref, command.channel_id, input());
        return;
      }
      await ack({
        response_type: 'ephemeral',
        text: args
          ? `${echo(`/alation mode ${args}`)} is not something I know. ${MODE_HELP}`
          : `Try \`/alation mode login\` to connect your Mode account. ${MODE_HELP}`,
      });
    },
    register(app: App) {
      app.action(ACTION_CONNECT_MODE, async ({ ack, body, client }) => {
        await ack();
        if ('trigger_id' in body && body.trigger_id) {
          await client.views.open({ trigger_id: body.trigger_id, view: buildModeLoginModal() });
        }
      });
      for (const actionId of [ACTION_MODE_RUN_DETAILS, ACTION_MODE_RUN_CSV]) {
        app.action(actionId, async ({ ack, body, action, client, respond, context }) => {
          await ack();
          const log = requestContext(context).log;
          const ref = decodeQueryRunRef(buttonValue(action));
          const channelId = 'channel' in body ? body.channel?.id : undefined;
          if (!ref || !channelId) {
            // Only a forged or truncated payload gets here; say so rather than stay silent.
            log.warn({ actionId }, 'Mode button without a usable value or channel');
            await sayStale(respond);
            return;
          }
          const input = { owner: ownerOf(body), respond, client, log };
          if (actionId === ACTION_MODE_RUN_DETAILS) {
            await showModeQueryRun(deps, ref, channelId, input);
          } else {
            await shareModeQueryRunCsv(deps, ref, { channelId, threadTs: undefined }, input);
          }
        });
      }
      app.view(VIEW_MODE_LOGIN, async ({ ack, body, view, client }) => {
        const owner = ownerOf(body);
        const input = readInput(view.state.values);
        const missing: Problems = {};
        if (!/^[\w.-]+$/.test(input.workspace))
          missing[BLOCK_MODE_WORKSPACE] =
            'Enter the workspace name from your Mode URLs, e.g. acme.';
        if (!input.token) missing[BLOCK_MODE_TOKEN] = 'Enter the API token.';
        if (!input.secret) missing[BLOCK_MODE_SECRET] = 'Enter the API secret.';
        if (Object.keys(missing).length > 0) {
          await ack({ response_action: 'errors', errors: missing });
          return;
        }
        const done = async (name: string) => {
          await tellUser(client, owner.userId, {
            text: `Connected to Mode workspace ${name}.`,
            blocks: [
              {
                type: 'section',
                text: {
                  type: 'mrkdwn',
                  text: `:white_check_mark: *Connected to Mode* workspace *${name}*. Report runs are now read with your own Mode access. \`/alation logout mode\` disconnects.`,
                },
              },
            ],
          });
          await publishHome(client, await deps.features(), owner);
        };
        const connected = (outcome: Outcome<ModeConnectOutcome>) =>
          outcome.ok ? outcome.value : CRASHED;
        const outcome = connected(
          await submitModal({
            ack,
            client,
            viewId: view.id,
            budgetMs: options.ackBudgetMs,
            work: deps.features().then((f) => connectMode(f, owner, input)),
            inline: (early) => {
              const answer = connected(early);
              return answer.ok ? undefined : { response_action: 'errors', errors: answer.problems };
            },
            progress: () =>
              buildResultModal(':hourglass_flowing_sand: Checking your token with Mode…'),
            final: (late) => {
              const answer = connected(late);
              return answer.ok
                ? buildResultModal(':white_check_mark: Connected to Mode. You can close this.')
                : buildModeLoginModal({
                    problem: Object.values(answer.problems).join(' '),
                    workspace: input.workspace,
                  });
            },
          }),
        );
        if (outcome.ok) await done(outcome.name);
      });
    },
  };
}

async function sayStale(respond: RespondFn): Promise<void> {
  await respond({
    response_type: 'ephemeral',
    replace_original: false,
    text: 'This button no longer says which query run it is for. Run `/alation mode runs <report-run URL>` again.',
  });
}
