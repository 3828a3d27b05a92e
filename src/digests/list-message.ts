// A person's digests as `/alation digest list` and the App Home show them, and who may change one.
import type { Features } from '../features.ts';
import type { Owner } from '../store/credentials.ts';
import type { Digest } from '../store/digests.ts';
import { buildMySubscriptions } from '../views/digest-copies.ts';
import { buildDigestList } from '../views/digest-list.ts';
import type { SlackMessage } from '../views/help.ts';
import { nextSlots } from './slots.ts';

/** Only the creator manages a digest: it runs with their credentials. */
export function mayManage(digest: Digest | undefined, owner: Owner): digest is Digest {
  return (
    digest !== undefined &&
    digest.owner.tenantId === owner.tenantId &&
    digest.owner.userId === owner.userId
  );
}

/** The list message of the digests `owner` manages, from the `from`th on. */
export async function listMessage(
  features: Features,
  owner: Owner,
  notice?: string,
  from = 0,
): Promise<SlackMessage> {
  const now = features.now();
  const digests = (await features.digests.list(owner.tenantId)).filter((d) => mayManage(d, owner));
  const next = new Map<string, Date>();
  for (const d of digests) {
    const [first] = d.status === 'active' ? nextSlots(d.cron, d.tz, now, 1) : [];
    if (first) next.set(d.id, first);
  }
  const list = buildDigestList({ digests, next, now, from, ...(notice ? { notice } : {}) });
  // Personal digests and alerts this person gets a copy of, whoever made them (issue 18).
  const [digestCopies, alertCopies] = await Promise.all([
    features.subscriptions.mine(owner),
    features.alertSubscriptions.mine(owner),
  ]);
  const mine = buildMySubscriptions([...digestCopies, ...alertCopies]);
  return mine.length > 0 ? { text: list.text, blocks: [...list.blocks, ...mine] } : list;
}
