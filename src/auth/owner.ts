import type { Owner } from '../store/credentials.ts';

interface SlackIdentity {
  user_id?: string;
  team_id?: string;
  enterprise_id?: string;
  is_enterprise_install?: string | boolean;
  user?: { id?: string; team_id?: string };
  team?: { id?: string; enterprise_id?: string } | null;
  enterprise?: { id?: string } | null;
}

/**
 * Whose credentials a Slack request acts with. User ids are unique within an Enterprise Grid
 * org, else within a workspace; keying by that scope means the same user id in another
 * workspace is another person.
 */
export function ownerOf(body: SlackIdentity): Owner {
  const userId = body.user_id ?? body.user?.id;
  const tenantId =
    body.enterprise_id ||
    body.enterprise?.id ||
    body.team?.enterprise_id ||
    body.team_id ||
    body.team?.id ||
    body.user?.team_id;
  if (!userId || !tenantId) throw new Error('Slack request carries no user or team id');
  const teamId = body.team_id || body.team?.id || body.user?.team_id;
  return teamId && teamId !== tenantId ? { tenantId, userId, teamId } : { tenantId, userId };
}
