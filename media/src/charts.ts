import uPlot from 'uplot';
import type { Marker, RunData, SeriesData } from '../../src/shared/protocol';
import { chartGroups, colourIndex, type ChartGroup } from './chart-groups';
import { el } from './dom';
import { formatTicks } from './ticks';

export interface ChartOptions {
  logScale: boolean;
  /** EMA smoothing weight in [0, 1); 0 = raw. */
  smoothing: number;
}

function cssVar(name: string, fallback: string): string {
  const v = getComputedStyle(document.body).getPropertyValue(name).trim();
  return v || fallback;
}

function palette(): string[] {
  return [
    cssVar('--vscode-charts-blue', '#3794ff'),
    cssVar('--vscode-charts-orange', '#d18616'),
    cssVar('--vscode-charts-purple', '#b180d7'),
    cssVar('--vscode-charts-yellow', '#cca700'),
    cssVar('--vscode-charts-foreground', '#cccccc'),
    '#4ec9b0',
    '#c586c0',
    '#9cdcfe',
  ];
}

/** The raw curve behind a smoothed one: the same colour, faint (TensorBoard's convention). */
const RAW_SHADOW_ALPHA = 0.25;

/** Marker lines, as drawn and as the legend shows them. */
export const MARKER_STYLE = {
  finding: { color: () => cssVar('--vscode-charts-red', '#f14c4c'), dash: [4, 3], label: 'finding' },
  best: { color: () => cssVar('--vscode-charts-green', '#89d185'), dash: [2, 2], label: 'best val_loss' },
  reference: { color: () => cssVar('--vscode-charts-green', '#89d185'), dash: [6, 4], label: 'reference' },
} as const;

/** Tick labels that stay readable for a learning rate of 5e-5 (see ticks.ts). */
const tickValues = (_u: uPlot, splits: number[]): string[] => formatTicks(splits);

export function smooth(y: readonly (number | null)[], weight: number): (number | null)[] {
  if (weight <= 0) return [...y];
  let acc: number | null = null;
  return y.map((v) => {
    if (v === null) return null;
    acc = acc === null ? v : acc * weight + v * (1 - weight);
    return acc;
  });
}

/** Draws one chart per group of the run's scalars; returns the charts so the caller can resize/destroy them. */
export function drawCharts(host: HTMLElement, run: RunData, opts: ChartOptions): uPlot[] {
  host.replaceChildren();
  const groups = chartGroups(run.series);
  const colourOf = colourIndex(groups);
  const charts: uPlot[] = [];
  const colors = palette();
  const fg = cssVar('--vscode-editor-foreground', '#ccc');
  const grid = cssVar('--vscode-editorWidget-border', 'rgba(128,128,128,0.25)');
  const best = bestValLoss(run);
  for (const p of groups) {
    const box = el('figure', { className: 'chart', dataset: { panel: p.title } }, el('figcaption', {}, p.title));
    host.append(box);
    const smoothed = opts.smoothing > 0;
    // Per series: its raw curve, then (when smoothing) the smoothed one drawn over it.
    const columns = p.series.flatMap((s) => (smoothed ? [s.y, smooth(s.y, opts.smoothing)] : [s.y]));
    const xs = p.series.flatMap((s) => (smoothed ? [s.x, s.x] : [s.x]));
    const aligned = uPlot.join(columns.map((y, i) => [xs[i], y] as uPlot.AlignedData) as uPlot.AlignedData[]);
    const xKind = p.series[0].xKind;
    const useLog = (opts.logScale || p.log === true) && allPositive(p.series);
    const uSeries = p.series.flatMap((s): uPlot.Series[] => {
      const stroke = colors[(colourOf.get(s.name) ?? 0) % colors.length];
      const label = s.rawNames.length && !(s.rawNames.length === 1 && s.rawNames[0] === s.name) ? `${s.name} (${s.rawNames.join(', ')})` : s.name;
      const raw: uPlot.Series = { label: smoothed ? `${label} raw` : label, stroke, width: smoothed ? 1 : 1.5, spanGaps: true, points: { show: !smoothed && s.x.length < 80 } };
      if (!smoothed) return [raw];
      return [{ ...raw, alpha: RAW_SHADOW_ALPHA }, { label: `${label} smoothed`, stroke, width: 1.5, spanGaps: true, points: { show: false } }];
    });
    const chart = new uPlot(
      {
        width: Math.max(280, host.clientWidth - 8),
        height: 190,
        scales: { x: { time: false }, y: useLog ? { distr: 3 } : {} },
        axes: [
          { stroke: fg, grid: { stroke: grid }, ticks: { stroke: grid }, label: xKind, values: tickValues },
          { stroke: fg, grid: { stroke: grid }, ticks: { stroke: grid }, size: 60, values: tickValues },
        ],
        legend: { live: true },
        cursor: { drag: { x: true, y: false } },
        series: [{ label: xKind }, ...uSeries],
        plugins: [markerPlugin(run.markers.filter((m) => m.xKind === xKind), best && best.xKind === xKind ? best : undefined, p.reference)],
      },
      aligned,
      box,
    );
    charts.push(chart);
  }
  return charts;
}

/** Which marker lines the charts of `run` draw, for the legend. */
export function markerKinds(run: RunData): (keyof typeof MARKER_STYLE)[] {
  const kinds: (keyof typeof MARKER_STYLE)[] = [];
  if (run.markers.length > 0) kinds.push('finding');
  if (bestValLoss(run)) kinds.push('best');
  if (chartGroups(run.series).some((g) => g.reference)) kinds.push('reference');
  return kinds;
}

function allPositive(series: SeriesData[]): boolean {
  return series.every((s) => s.y.every((v) => v === null || v > 0));
}

function bestValLoss(run: RunData): { x: number; xKind: SeriesData['xKind'] } | undefined {
  const v = run.series.find((s) => s.name === 'val_loss');
  if (!v) return undefined;
  let bi = -1;
  v.y.forEach((y, i) => {
    if (y !== null && (bi < 0 || y < (v.y[bi] as number))) bi = i;
  });
  return bi >= 0 ? { x: v.x[bi], xKind: v.xKind } : undefined;
}

/** Vertical lines at each finding and at the best epoch, drawn on the canvas after the series. */
function markerPlugin(markers: Marker[], best: { x: number } | undefined, reference: ChartGroup['reference']): uPlot.Plugin {
  return {
    hooks: {
      draw: [
        (u: uPlot) => {
          const ctx = u.ctx;
          const { top, height, left, width } = u.bbox;
          ctx.save();
          ctx.lineWidth = 1 * devicePixelRatio;
          const vline = (x: number, color: string, dash: number[]): void => {
            const px = u.valToPos(x, 'x', true);
            if (px < left || px > left + width) return;
            ctx.strokeStyle = color;
            ctx.setLineDash(dash);
            ctx.beginPath();
            ctx.moveTo(px, top);
            ctx.lineTo(px, top + height);
            ctx.stroke();
          };
          for (const m of markers) vline(m.x, MARKER_STYLE.finding.color(), [...MARKER_STYLE.finding.dash]);
          if (best) vline(best.x, MARKER_STYLE.best.color(), [...MARKER_STYLE.best.dash]);
          if (reference) {
            const py = u.valToPos(reference.y, 'y', true);
            if (py >= top && py <= top + height) {
              ctx.strokeStyle = MARKER_STYLE.reference.color();
              ctx.setLineDash([...MARKER_STYLE.reference.dash]);
              ctx.beginPath();
              ctx.moveTo(left, py);
              ctx.lineTo(left + width, py);
              ctx.stroke();
            }
          }
          ctx.restore();
        },
      ],
    },
  };
}

/** The `ensemble` view: one metric of every sibling run on one chart (each seed a line). */
export function drawGroupOverlay(host: HTMLElement, group: RunData[], opts: ChartOptions): uPlot | undefined {
  const metric = group.every((r) => r.series.some((s) => s.name === 'val_acc')) ? 'val_acc' : 'val_loss';
  const series = group.map((r) => r.series.find((s) => s.name === metric)).filter((s): s is SeriesData => s !== undefined);
  if (series.length < 2) return undefined;
  const title = `${metric} of ${series.length} sibling runs (seeds)`;
  const box = el('figure', { className: 'chart', dataset: { panel: 'ensemble' } }, el('figcaption', {}, title));
  host.prepend(box);
  const colors = palette();
  const fg = cssVar('--vscode-editor-foreground', '#ccc');
  const grid = cssVar('--vscode-editorWidget-border', 'rgba(128,128,128,0.25)');
  const aligned = uPlot.join(series.map((s) => [s.x, smooth(s.y, opts.smoothing)] as uPlot.AlignedData) as uPlot.AlignedData[]);
  return new uPlot(
    {
      width: Math.max(280, host.clientWidth - 8),
      height: 220,
      scales: { x: { time: false } },
      axes: [
        { stroke: fg, grid: { stroke: grid }, ticks: { stroke: grid }, label: series[0].xKind, values: tickValues },
        { stroke: fg, grid: { stroke: grid }, ticks: { stroke: grid }, size: 60, values: tickValues },
      ],
      series: [
        { label: series[0].xKind },
        ...series.map((_, i) => ({ label: group[i].label, stroke: colors[i % colors.length], width: 1.5, spanGaps: true })),
      ],
    },
    aligned,
    box,
  );
}

