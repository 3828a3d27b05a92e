// api.test and auth.test: the methods that only echo the call or say who the token is.
import type { Method } from './state.ts';
import { ok } from './wire.ts';

export const authMethods: Record<string, Method> = {
  'api.test': (_env, args) => ok({ args }),

  'auth.test': (env) =>
    ok({
      url: `https://${env.teamDomain}.slack.com/`,
      team: env.teamName,
      user: env.botName,
      team_id: env.teamId,
      user_id: env.botUserId,
      bot_id: env.botId,
      is_enterprise_install: false,
    }),
};
