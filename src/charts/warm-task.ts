// Loads Vega, Vega-Lite and resvg on a CPU-pool thread ahead of the first chart: on a loaded
// 2-core machine that load took ~15 s, which the first share after start-up would wait for.
import { defineTask } from '../cpu/task.ts';
import { warmRenderer } from './render.ts';

export default defineTask(async (_: Record<string, never>) => {
  await warmRenderer();
  return true;
});
