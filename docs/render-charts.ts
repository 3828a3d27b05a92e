// Renders the README's chart pictures (docs/chart-*.png) with the bot's own chart path:
// `node docs/render-charts.ts`. The data is made up; the drawing is exactly what Slack gets.
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type ChartRequest, createChartFeed } from '../src/charts/chart.ts';
import type { ChartChoice } from '../src/charts/choose.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const day = (i: number) =>
  new Date(Date.UTC(2026, 10, 1) + i * 86_400_000).toISOString().slice(0, 10);
const wave = (i: number, base: number, amp: number) =>
  Math.round(base + amp * Math.sin(i / 4) + ((i * 37) % 11) * (amp / 20));

const revenue = `day,revenue\n${Array.from({ length: 30 }, (_, i) => `${day(i)},${wave(i, 9000, 2500)}`).join('\n')}\n`;
const regions = `region,orders\n${[
  ['North America', 5210],
  ['EMEA', 4310],
  ['APAC', 3120],
  ['LATAM', 910],
  ['Middle East', 620],
  ['Africa', 410],
]
  .map((r) => r.join(','))
  .join('\n')}\n`;
const teams = `day,team,tickets\n${Array.from({ length: 30 }, (_, i) =>
  ['support', 'sales', 'ops'].map((team, k) => `${day(i)},${team},${wave(i + k * 5, 40 + k * 15, 12)}`),
)
  .flat()
  .join('\n')}\n`;
const spend = `month,marketing,engineering,sales\n${Array.from({ length: 12 }, (_, i) => `2026-${String(i + 1).padStart(2, '0')}-01,${wave(i, 120, 30)},${wave(i + 3, 300, 40)},${wave(i + 6, 180, 25)}`).join('\n')}\n`;
const deals = `days_open,amount\n${Array.from({ length: 300 }, (_, i) => `${(i * 7) % 90},${Math.round(((i * 7) % 90) * 180 + ((i * 7919) % 6000))}`).join('\n')}\n`;

const pictures: [string, string, string, ChartChoice | undefined][] = [
  ['line', 'Daily revenue', revenue, undefined],
  ['bar', 'Orders by region', regions, undefined],
  ['series', 'Tickets by team', teams, undefined],
  [
    'stacked-bar',
    'Spend by department',
    spend,
    { kind: 'stacked_bar', x: 'month', y: ['marketing', 'engineering', 'sales'], aggregation: 'sum' },
  ],
  [
    'area',
    'Spend by department',
    spend,
    { kind: 'area', x: 'month', y: ['marketing', 'engineering', 'sales'], aggregation: 'sum' },
  ],
  ['scatter', 'Deals', deals, { kind: 'scatter', x: 'days_open', y: ['amount'], aggregation: 'sum' }],
  ['big-number', 'Revenue this quarter', 'total_revenue\n1284500\n', undefined],
];

for (const [name, title, csv, choice] of pictures) {
  const request: ChartRequest = { title, zone: 'UTC', truncated: false, rowCount: undefined, choice };
  const feed = createChartFeed(request);
  feed.write(Buffer.from(csv));
  const chart = await feed.end();
  if (!chart) throw new Error(`no chart for ${name}`);
  await writeFile(path.join(here, `chart-${name}.png`), chart.png);
  console.log(`docs/chart-${name}.png ${chart.width}×${chart.height}: ${chart.altText}`);
}
