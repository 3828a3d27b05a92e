/**
 * Slack gives a view submission 3 seconds for its answer (inline errors must be in it). Work
 * that finishes within `budgetMs` is answered directly; slower work keeps running and the
 * caller shows progress instead, then the outcome.
 */
export async function withinBudget<T>(
  work: Promise<T>,
  budgetMs: number,
): Promise<{ done: true; value: T } | { done: false }> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<{ done: false }>((resolve) => {
    timer = setTimeout(() => resolve({ done: false }), budgetMs);
  });
  try {
    // A rejection that comes in time is the caller's to handle when it awaits `work` again.
    return await Promise.race([
      work.then(
        (value) => ({ done: true as const, value }),
        () => ({ done: false as const }),
      ),
      late,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** Slack closes the door on a view submission after 3 s; answer before, keep working after. */
export const SUBMIT_ACK_BUDGET_MS = 2_000;
