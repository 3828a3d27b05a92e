import type { AllMiddlewareArgs, App } from '@slack/bolt';
import { z } from 'zod';
import { type ConnectOutcome, checkInput, connectAlation } from '../auth/connect-alation.ts';
import { ownerOf } from '../auth/owner.ts';
import { publishHome } from '../home/publish.ts';
import { requestContext } from '../middleware/request-context.ts';
import { type Outcome, readMetadata, submitModal } from '../slack/modal-submission.ts';
import { tellUser, userTimeZone } from '../slack/reply.ts';
import type { Owner } from '../store/credentials.ts';
import {
  ACTION_CONNECT_ALATION,
  ACTION_OAUTH_OPEN,
  BLOCK_REFRESH_TOKEN,
  BLOCK_USER_ID,
  buildAlationLoginModal,
  buildCheckingModal,
  buildConnectedMessage,
  buildOAuthModal,
  buildResultModal,
  INPUT,
  VIEW_ALATION_LOGIN,
} from '../views/connect.ts';
import { inZone } from '../views/time.ts';
import type { Command, CommandDeps } from './command.ts';

type Client = AllMiddlewareArgs['client'];

interface LoginMetadata {
  responseUrl?: string;
}

const loginMetadataSchema = z.object({ responseUrl: z.string().optional() });

const CRASHED: ConnectOutcome = {
  ok: false,
  problems: { refreshToken: 'Something went wrong on the bot’s side; nothing was saved.' },
};

export function loginCommand(deps: CommandDeps, options: { ackBudgetMs?: number } = {}): Command {
  /** The connect modal: OAuth sign-in when configured, else the refresh-token form. */
  async function openLogin(client: Client, triggerId: string, owner: Owner, responseUrl?: string) {
    if (!deps.oauthEnabled) {
      const metadata: LoginMetadata = responseUrl ? { responseUrl } : {};
      await client.views.open({
        trigger_id: triggerId,
        view: buildAlationLoginModal({
          alationBaseUrl: deps.alationBaseUrl,
          privateMetadata: JSON.stringify(metadata),
        }),
      });
      return;
    }
    const features = await deps.features();
    const oauth = features.alationAuth.oauth;
    if (!oauth) throw new Error('OAuth is enabled but no OAuth client was configured');
    const externalId = `alation-login-${crypto.randomUUID()}`;
    const authorizeUrl = await features.oauthStates.create(owner, (state) => {
      const { url, codeVerifier } = oauth.authorizeUrl({ state });
      return { data: { codeVerifier, responseUrl, viewExternalId: externalId }, result: url };
    });
    await client.views.open({
      trigger_id: triggerId,
      view: buildOAuthModal({ authorizeUrl, externalId }),
    });
  }

  async function confirm(
    client: Client,
    owner: Owner,
    outcome: Extract<ConnectOutcome, { ok: true }>,
    responseUrl?: string,
  ) {
    const zone = await userTimeZone(client, owner.userId);
    await tellUser(
      client,
      owner.userId,
      buildConnectedMessage({
        method: 'refresh_token',
        alationUserId: outcome.alationUserId,
        tokenName: outcome.tokenName,
        refreshTokenExpires: outcome.refreshTokenExpiresAt
          ? inZone(outcome.refreshTokenExpiresAt, zone)
          : undefined,
      }),
      responseUrl,
    );
    await publishHome(client, await deps.features(), owner);
  }

  return {
    name: 'login',
    usage: '',
    summary: 'Connect your Alation account, so commands run with your own Alation permissions.',
    example: '/alation login',
    async run({ ack, command, client }) {
      await ack();
      await openLogin(client, command.trigger_id, ownerOf(command), command.response_url);
    },
    register(app: App) {
      app.action(ACTION_CONNECT_ALATION, async ({ ack, body, client }) => {
        await ack();
        const triggerId = 'trigger_id' in body ? body.trigger_id : undefined;
        if (!triggerId) return;
        const responseUrl = 'response_url' in body ? body.response_url : undefined;
        await openLogin(client, triggerId, ownerOf(body), responseUrl);
      });
      // A link button still sends an action; it only needs acknowledging.
      app.action(ACTION_OAUTH_OPEN, async ({ ack }) => {
        await ack();
      });
      app.view(VIEW_ALATION_LOGIN, async ({ ack, body, view, client, context }) => {
        const owner = ownerOf(body);
        const values = view.state.values;
        const input = {
          userId: values[BLOCK_USER_ID]?.[INPUT]?.value ?? '',
          refreshToken: values[BLOCK_REFRESH_TOKEN]?.[INPUT]?.value ?? '',
        };
        const errors = (problems: ReturnType<typeof checkInput>) => ({
          response_action: 'errors' as const,
          errors: {
            ...(problems.userId ? { [BLOCK_USER_ID]: problems.userId } : {}),
            ...(problems.refreshToken ? { [BLOCK_REFRESH_TOKEN]: problems.refreshToken } : {}),
          },
        });
        const local = checkInput(input);
        if (Object.keys(local).length > 0) {
          await ack(errors(local));
          return;
        }
        const metadata: LoginMetadata = readMetadata(
          view.private_metadata,
          loginMetadataSchema,
          {},
        );
        const work = deps
          .features()
          .then((f) => connectAlation(f.alationAuth, f.credentials, owner, input))
          .catch((error: unknown) => {
            requestContext(context).log.error({ err: error }, 'connecting Alation failed');
            return CRASHED;
          });
        // `work` never rejects: a crash is the connect outcome CRASHED.
        const connected = (outcome: Outcome<ConnectOutcome>) =>
          outcome.ok ? outcome.value : CRASHED;
        const submitted = connected(
          await submitModal({
            ack,
            client,
            viewId: view.id,
            budgetMs: options.ackBudgetMs,
            work,
            inline: (early) => {
              const outcome = connected(early);
              return outcome.ok ? undefined : errors(outcome.problems);
            },
            progress: buildCheckingModal,
            final: (late) => {
              const outcome = connected(late);
              return outcome.ok
                ? buildResultModal(':white_check_mark: Connected to Alation. You can close this.')
                : buildAlationLoginModal({
                    alationBaseUrl: deps.alationBaseUrl,
                    privateMetadata: view.private_metadata,
                    problem: Object.values(outcome.problems).join(' '),
                    userId: input.userId,
                  });
            },
          }),
        );
        if (submitted.ok) await confirm(client, owner, submitted, metadata.responseUrl);
      });
    },
  };
}
