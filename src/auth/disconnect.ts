// Ending a connection: the stored credential deleted, and the Alation access tokens the bot
// minted with it revoked. Used by `/alation logout` and the App Home's Disconnect button.
import type { Features } from '../features.ts';
import type { Logger } from '../log.ts';
import type { Owner, Provider } from '../store/credentials.ts';
import type { AlationSecret } from './alation-session.ts';

/**
 * Deletes one stored credential (revoking the Alation access tokens the bot minted) and says
 * what happened. Shared by `/alation logout` and the App Home's Disconnect button.
 */
export async function disconnectProvider(
  features: Features,
  owner: Owner,
  provider: Provider,
  log: Logger,
): Promise<string> {
  const loaded = await features.credentials.load<AlationSecret>(owner, provider);
  let revoked = false;
  if (
    provider === 'alation' &&
    loaded.state === 'connected' &&
    loaded.secret.method === 'refresh_token'
  ) {
    // Access tokens the bot minted die with the connection; the refresh token is the
    // user's own, made in Alation, and stays theirs to delete there.
    revoked = await features.alationAuth
      .revokeAccessTokens({
        refreshToken: loaded.secret.refreshToken,
        userId: loaded.secret.alationUserId,
      })
      .then(
        () => true,
        (err: unknown) => {
          log.warn({ err }, 'revoking Alation access tokens at logout failed');
          return false;
        },
      );
  }
  const removed = await features.credentials.remove(owner, provider);
  const name = provider === 'alation' ? 'Alation' : 'Mode';
  if (!removed) return `You were not connected to ${name}.`;
  if (
    provider === 'alation' &&
    loaded.state === 'connected' &&
    loaded.secret.method === 'refresh_token'
  ) {
    return revoked
      ? ':wave: Disconnected from Alation: stored credentials deleted and the access tokens the bot used revoked. Your refresh token still exists in Alation; delete it under your profile → Authentication if you no longer need it.'
      : ':wave: Disconnected from Alation: stored credentials deleted. Alation could not be reached to revoke the access tokens the bot used; they expire on their own within a day.';
  }
  return `:wave: Disconnected from ${name}: stored credentials deleted.`;
}
