/** `npm run bench -- <name>`: runs bench/<name>.ts; with no name, lists what there is. */
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const available = (await readdir(here))
  .filter((f) => f.endsWith('.ts') && !['run.ts'].includes(f) && !f.endsWith('-server.ts'))
  .map((f) => f.replace(/\.ts$/, ''));
const name = process.argv[2];
if (!name || !available.includes(name)) {
  console.error(`usage: npm run bench -- <${available.join('|')}> [options]`);
  process.exit(name ? 1 : 0);
}
process.argv.splice(2, 1);
await import(path.join(here, `${name}.ts`));
