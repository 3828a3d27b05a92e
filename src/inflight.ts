/**
 * Counts work still running after Slack was acked, so shutdown can wait for it instead of
 * cutting a half-posted result off.
 */
export interface InFlight {
  track<T>(work: Promise<T>): Promise<T>;
  readonly count: number;
  /** Resolves true when nothing is running, false if `timeoutMs` passed first. */
  drain(timeoutMs: number): Promise<boolean>;
}

export function createInFlight(): InFlight {
  const running = new Set<Promise<unknown>>();
  return {
    track(work) {
      running.add(work);
      const forget = () => running.delete(work);
      work.then(forget, forget);
      return work;
    },
    get count() {
      return running.size;
    },
    async drain(timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      while (running.size > 0) {
        const left = deadline - Date.now();
        if (left <= 0) return false;
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([
          Promise.allSettled([...running]),
          new Promise((resolve) => {
            timer = setTimeout(resolve, left);
          }),
        ]);
        clearTimeout(timer);
      }
      return true;
    },
  };
}
