// The chart path as a CPU-pool stream task: the result's bytes arrive on a pool thread as they
// stream to Slack, and a PNG (or nothing) comes back. Vega, resvg and csv-parse load there,
// never on the event loop's thread.
import { defineStreamTask } from '../cpu/task.ts';
import { type ChartRequest, createChartFeed } from './chart.ts';

export default defineStreamTask((request: ChartRequest) => createChartFeed(request));
