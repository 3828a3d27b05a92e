// The layering rule of src/ as a test: a folder imports only from folders in its own layer or
// below, and folders never import each other in a circle. Type-only imports are left out (they
// vanish at run time and only describe shapes).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../src');

/**
 * Top to bottom. `(root)` is the composition root (main.ts, run.ts, app.ts, features.ts, …),
 * which wires everything and may import anything.
 */
const LAYERS: readonly (readonly string[])[] = [
  ['(root)'],
  ['commands', 'events', 'http'],
  ['digests', 'results', 'charts', 'home', 'queue', 'auth', 'alerts', 'flag-requests', 'audience'],
  ['slack', 'middleware'],
  ['views'],
  ['client', 'store', 'cpu'],
];

const layerOf = new Map(LAYERS.flatMap((folders, i) => folders.map((f) => [f, i] as const)));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return sourceFiles(full);
    return name.endsWith('.ts') ? [full] : [];
  });
}

const IMPORT = /^(?:import|export)\s+(type\s+)?([^;]*?)\s+from\s+'(\.[^']+)';/gms;

/** The folder under src/ a file belongs to. */
const folderOf = (file: string) => {
  const parts = path.relative(SRC, file).split(path.sep);
  return parts.length > 1 ? (parts[0] as string) : '(root)';
};

interface ImportEdge {
  from: string;
  to: string;
  file: string;
  specifier: string;
}

/** Value imports between different folders of src/. */
function folderImports(files = sourceFiles(SRC)): ImportEdge[] {
  return files.flatMap((file) =>
    [...readFileSync(file, 'utf8').matchAll(IMPORT)].flatMap((m) => {
      const [, typeKeyword, names = '', specifier = ''] = m;
      if (typeKeyword) return [];
      const braces = /^\{([^}]*)\}$/s.exec(names.trim());
      const parts =
        braces?.[1]
          ?.split(',')
          .map((p) => p.trim())
          .filter(Boolean) ?? [];
      if (braces && parts.length > 0 && parts.every((p) => p.startsWith('type '))) return [];
      const from = folderOf(file);
      const to = folderOf(path.resolve(path.dirname(file), specifier));
      return from === to ? [] : [{ from, to, file: path.relative(SRC, file), specifier }];
    }),
  );
}

/** Folder circles, each as the list of folders around it. */
function folderCycles(edges: ImportEdge[]): string[][] {
  const next = new Map<string, Set<string>>();
  for (const e of edges) {
    if (!next.has(e.from)) next.set(e.from, new Set());
    next.get(e.from)?.add(e.to);
  }
  const cycles: string[][] = [];
  const seen = new Set<string>();
  const walk = (node: string, trail: string[]) => {
    const at = trail.indexOf(node);
    if (at >= 0) {
      const cycle = trail.slice(at);
      const key = [...cycle].sort().join(' ');
      if (!seen.has(key)) {
        seen.add(key);
        cycles.push([...cycle, node]);
      }
      return;
    }
    for (const to of next.get(node) ?? []) walk(to, [...trail, node]);
  };
  for (const start of next.keys()) walk(start, []);
  return cycles;
}

describe('layers of src/', () => {
  const edges = folderImports();

  it('knows every folder of src/', () => {
    const folders = new Set(sourceFiles(SRC).map(folderOf));
    expect([...folders].filter((f) => !layerOf.has(f))).toEqual([]);
  });

  it('has no folder importing a folder in a higher layer', () => {
    const upward = edges
      .filter((e) => (layerOf.get(e.to) ?? 0) < (layerOf.get(e.from) ?? 0))
      .map((e) => `${e.file} → ${e.specifier}`);
    expect(upward).toEqual([]);
  });

  it('has no circle of value imports between folders', () => {
    expect(folderCycles(edges).map((c) => c.join(' → '))).toEqual([]);
  });

  it('catches what it is meant to catch', () => {
    const edge = (from: string, to: string): ImportEdge => ({
      from,
      to,
      file: `${from}/x.ts`,
      specifier: '',
    });
    expect(folderCycles([edge('commands', 'events'), edge('events', 'commands')])).toEqual([
      ['commands', 'events', 'commands'],
    ]);
    const views = sourceFiles(SRC).filter((f) => folderOf(f) === 'views');
    expect(views.length).toBeGreaterThan(0);
    // A view importing a command, as views/mode-runs.ts once did, is an upward import.
    expect((layerOf.get('commands') ?? 0) < (layerOf.get('views') ?? 0)).toBe(true);
  });
});
