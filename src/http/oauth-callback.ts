import type { AllMiddlewareArgs, CustomRoute } from '@slack/bolt';
import type { AlationSecret } from '../auth/alation-session.ts';
import { isUpstreamError } from '../client/errors.ts';
import type { Features } from '../features.ts';
import { publishHome } from '../home/publish.ts';
import type { Logger } from '../log.ts';
import { tellUser } from '../slack/reply.ts';
import { buildConnectedMessage, buildResultModal } from '../views/connect.ts';

/** The callback path Alation redirects to after "Sign in with Alation". */
export const OAUTH_CALLBACK_PATH = '/oauth/alation/callback';

type Res = Parameters<CustomRoute['handler']>[1];

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** A small page for the browser tab the person signed in with; they go back to Slack after. */
function page(res: Res, status: number, title: string, body: string): void {
  res.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    // The page needs nothing from anywhere; say so.
    'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'",
    'referrer-policy': 'no-referrer',
  });
  res.end(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem}</style>
</head><body><h1>${escapeHtml(title)}</h1><p>${escapeHtml(body)}</p></body></html>`);
}

const REFUSED: Record<'unknown' | 'used' | 'expired', string> = {
  unknown: 'This sign-in link is not valid.',
  used: 'This sign-in link has already been used.',
  expired: 'This sign-in link has expired (links last 10 minutes).',
};

export interface OAuthCallbackDeps {
  features(): Promise<Features>;
  /** The client of the workspace (or org) the state was made in; undefined once uninstalled. */
  client(tenantId: string): Promise<AllMiddlewareArgs['client'] | undefined>;
  log: Logger;
}

/**
 * Where Alation sends the browser after "Sign in with Alation": checks the one-time state,
 * trades the code (with the PKCE verifier) for tokens, stores them for the Slack user the
 * state was made for, and tells them in Slack.
 */
export function oauthCallbackRoute(deps: OAuthCallbackDeps): CustomRoute {
  return {
    path: OAUTH_CALLBACK_PATH,
    method: ['GET'],
    handler: async (req, res) => {
      const query = new URL(req.url ?? '/', 'http://callback').searchParams;
      const state = query.get('state');
      const again = 'Start again with /alation login in Slack.';
      if (!state) {
        page(res, 400, 'Sign-in failed', `The link is missing its state. ${again}`);
        return;
      }
      try {
        const features = await deps.features();
        const consumed = await features.oauthStates.consume(state);
        if (!consumed.ok) {
          page(res, 400, 'Sign-in failed', `${REFUSED[consumed.reason]} ${again}`);
          return;
        }
        const { owner, data } = consumed;
        if (query.get('error')) {
          page(
            res,
            400,
            'Sign-in cancelled',
            `Alation did not sign you in (${query.get('error')}). ${again}`,
          );
          return;
        }
        const code = query.get('code');
        const oauth = features.alationAuth.oauth;
        if (!code || !oauth) {
          page(res, 400, 'Sign-in failed', `Alation sent no authorization code. ${again}`);
          return;
        }
        const tokens = await oauth.exchangeCode({ code, codeVerifier: data.codeVerifier });
        const secret: AlationSecret = {
          method: 'oauth',
          accessToken: tokens.access_token,
          refreshToken: tokens.refresh_token ?? null,
          accessTokenExpiresAt:
            tokens.expires_in === undefined
              ? null
              : new Date(features.now().getTime() + tokens.expires_in * 1000).toISOString(),
        };
        await features.credentials.save(owner, 'alation', secret, {
          method: 'oauth',
          connectedAt: features.now().toISOString(),
        });
        const client = await deps.client(owner.tenantId);
        if (!client) {
          page(res, 200, 'Connected to Alation', 'You can close this tab and go back to Slack.');
          return;
        }
        if (data.viewExternalId) {
          // The modal may have been closed meanwhile; that is fine.
          await client.views
            .update({
              external_id: data.viewExternalId,
              view: buildResultModal(
                ':white_check_mark: Connected to Alation. You can close this.',
              ),
            })
            .catch(() => {});
        }
        await tellUser(
          client,
          owner.userId,
          buildConnectedMessage({ method: 'oauth' }),
          data.responseUrl,
        ).catch((err: unknown) =>
          deps.log.warn({ err }, 'could not confirm the Alation sign-in in Slack'),
        );
        await publishHome(client, features, owner, deps.log);
        page(res, 200, 'Connected to Alation', 'You can close this tab and go back to Slack.');
      } catch (error) {
        deps.log.error({ err: error }, 'Alation sign-in callback failed');
        const reason = isUpstreamError(error) ? error.message : 'Something went wrong on our side.';
        page(res, 502, 'Sign-in failed', `${reason} ${again}`);
      }
    },
  };
}
