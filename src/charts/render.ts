// Spec → SVG (Vega, no browser) → PNG (resvg, with DejaVu Sans from its npm package and no
// system fonts, so every machine draws the same picture). Vega and resvg are imported on first
// use: loading them costs the event loop ~0.5 s, which start-up must not pay (issue 15).
import { createRequire } from 'node:module';
import path from 'node:path';
import { FONT } from './palette.ts';
import type { VegaLiteSpec } from './spec.ts';

/** PNG width in px; Slack shows it scaled to the message, sharp on high-density screens. */
export const PNG_WIDTH = 1_200;

export interface Rendered {
  png: Buffer;
  width: number;
  height: number;
}

type Libraries = {
  vega: typeof import('vega');
  compile: typeof import('vega-lite')['compile'];
  Resvg: typeof import('@resvg/resvg-js')['Resvg'];
  fontDir: string;
};

let loading: Promise<Libraries> | undefined;

/**
 * The libraries, loaded once per thread. (The one cache here holds code, not state: every call
 * gets the same modules whoever asks.)
 */
function libraries(): Promise<Libraries> {
  loading ??= (async () => {
    const [vega, vegaLite, resvg] = await Promise.all([
      import('vega'),
      import('vega-lite'),
      import('@resvg/resvg-js'),
    ]);
    const require = createRequire(import.meta.url);
    const fontDir = path.join(
      path.dirname(require.resolve('dejavu-fonts-ttf/package.json')),
      'ttf',
    );
    return { vega, compile: vegaLite.compile, Resvg: resvg.Resvg, fontDir };
  })();
  return loading;
}

/** Loads the renderer's libraries on this thread now, so the first chart does not wait for them. */
export async function warmRenderer(): Promise<void> {
  await libraries();
}

export async function renderSvg(spec: VegaLiteSpec): Promise<string> {
  const { vega, compile } = await libraries();
  const compiled = compile(spec as never).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

export async function renderPng(spec: VegaLiteSpec, width = PNG_WIDTH): Promise<Rendered> {
  const svg = await renderSvg(spec);
  const { Resvg, fontDir } = await libraries();
  const image = new Resvg(svg, {
    background: 'white',
    font: { fontDirs: [fontDir], loadSystemFonts: false, defaultFontFamily: FONT },
    fitTo: { mode: 'width', value: width },
  }).render();
  return { png: image.asPng(), width: image.width, height: image.height };
}
