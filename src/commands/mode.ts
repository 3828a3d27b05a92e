import type { App } from '@slack/bolt';
import { ownerOf } from '../auth/owner.ts';
import { isUpstreamError } from '../client/errors.ts';
import { createModeClient } from '../client/mode.ts';
import type { Features } from '../features.ts';
import { tellUser } from '../slack/reply.ts';
import { SUBMIT_ACK_BUDGET_MS, withinBudget } from '../slack/within-budget.ts';
import type { Owner } from '../store/credentials.ts';
import { buildResultModal } from '../views/connect.ts';
import {
  BLOCK_MODE_SECRET,
  BLOCK_MODE_TOKEN,
  BLOCK_MODE_WORKSPACE,
  buildModeLoginModal,
  MODE_INPUT,
  VIEW_MODE_LOGIN,
} from '../views/mode.ts';
import type { Command, CommandDeps } from './command.ts';

type Problems = Partial<
  Record<typeof BLOCK_MODE_WORKSPACE | typeof BLOCK_MODE_TOKEN | typeof BLOCK_MODE_SECRET, string>
>;

interface ModeInput {
  workspace: string;
  token: string;
  secret: string;
}

export type ModeSecret = { token: string; secret: string };

/** Reads the workspace with the given token before storing anything. */
async function connectMode(
  features: Features,
  owner: Owner,
  input: ModeInput,
): Promise<{ ok: true; name: string } | { ok: false; problems: Problems }> {
  const mode = createModeClient({
    http: features.modeHttp,
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
          [BLOCK_MODE_WORKSPACE]: `No Mode workspace “${input.workspace}” that this token can see. Use the name from your Mode URLs.`,
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
  const ackBudgetMs = options.ackBudgetMs ?? SUBMIT_ACK_BUDGET_MS;
  return {
    name: 'mode',
    usage: 'login',
    summary: 'Connect your Mode account (API token and secret) for reading report runs.',
    example: '/alation mode login',
    async run({ ack, args, command, client }) {
      if (args.toLowerCase() !== 'login') {
        await ack({
          response_type: 'ephemeral',
          text: args
            ? `\`/alation mode ${args}\` is not something I know. Try \`/alation mode login\` to connect Mode.`
            : 'Try `/alation mode login` to connect your Mode account.',
        });
        return;
      }
      await ack();
      await client.views.open({ trigger_id: command.trigger_id, view: buildModeLoginModal() });
    },
    register(app: App) {
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
        const work = deps.features().then((f) => connectMode(f, owner, input));
        const early = await withinBudget(work, ackBudgetMs);
        const done = (name: string) =>
          tellUser(client, owner.userId, {
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
        if (early.done) {
          if (!early.value.ok) {
            await ack({ response_action: 'errors', errors: early.value.problems });
            return;
          }
          await ack();
          await done(early.value.name);
          return;
        }
        await ack({
          response_action: 'update',
          view: buildResultModal(':hourglass_flowing_sand: Checking your token with Mode…'),
        });
        const outcome = await work.catch(() => ({
          ok: false as const,
          problems: {
            [BLOCK_MODE_SECRET]: 'Something went wrong on the bot’s side; nothing was saved.',
          },
        }));
        await client.views.update({
          view_id: view.id,
          view: outcome.ok
            ? buildResultModal(':white_check_mark: Connected to Mode. You can close this.')
            : buildModeLoginModal({
                problem: Object.values(outcome.problems).join(' '),
                workspace: input.workspace,
              }),
        });
        if (outcome.ok) await done(outcome.name);
      });
    },
  };
}
