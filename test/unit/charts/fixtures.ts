// CSVs for chart tests: one per kind of chart the automatic choice makes.
export const day = (i: number) =>
  new Date(Date.UTC(2024, 10, 1) + i * 86_400_000).toISOString().slice(0, 10);

/** Revenue by day, 1–30 Nov 2024, max 12,400 on 14 Nov. */
export const REVENUE_BY_DAY = `day,revenue\n${Array.from(
  { length: 30 },
  (_, i) => `${day(i)},${i === 13 ? 12400 : 8000 + ((i * 37) % 23) * 100}`,
).join('\n')}\n`;

export const AMOUNT_BY_REGION = `region,amount\n${[
  ['EMEA', 4300],
  ['APAC', 3100],
  ['North America', 5200],
  ['LATAM', 900],
]
  .map((r) => r.join(','))
  .join('\n')}\n`;

export const TOTAL = 'total_revenue\n12400\n';

export const TEAMS_BY_HOUR = `at,team,tickets\n${Array.from({ length: 72 }, (_, i) => {
  const hour = Math.floor(i / 3);
  const at = new Date(Date.UTC(2024, 10, 14, hour)).toISOString();
  return `${at},${['support', 'sales', 'ops'][i % 3]},${(i * 7) % 40}`;
}).join('\n')}\n`;

export const TEXT_ONLY = 'name,comment\nAda,"likes, commas"\nGrace,"""quoted"""\n';
