import uPlot from 'uplot';
import type { Marker, RunData, SeriesData } from '../../src/shared/protocol';
import { el } from './dom';

interface Panel {
  title: string;
  names: string[];
  log?: boolean;
  /** A horizontal reference line (e.g. the healthy update ratio 1e-3). */
  reference?: { y: number; label: string };
}

/** Which curves go together; only panels with data are drawn. */
const PANELS: Panel[] = [
  { title: 'Learning rate', names: ['lr'] },
  { title: 'Loss', names: ['train_loss', 'val_loss'] },
  { title: 'Accuracy', names: ['val_acc', 'train_acc'] },
  { title: 'Update ratio ‖Δw‖/‖w‖', names: ['update_ratio'], log: true, reference: { y: 1e-3, label: '1e-3' } },
  { title: 'Gradient norm', names: ['grad_norm'] },
];

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
    cssVar('--vscode-charts-green', '#89d185'),
    cssVar('--vscode-charts-purple', '#b180d7'),
    cssVar('--vscode-charts-red', '#f14c4c'),
  ];
}

export function smooth(y: readonly (number | null)[], weight: number): (number | null)[] {
  if (weight <= 0) return [...y];
  let acc: number | null = null;
  return y.map((v) => {
    if (v === null) return null;
    acc = acc === null ? v : acc * weight + v * (1 - weight);
    return acc;
  });
}

/** Draws one chart per panel that has data; returns the charts so the caller can resize/destroy them. */
export function drawCharts(host: HTMLElement, run: RunData, opts: ChartOptions): uPlot[] {
  host.replaceChildren();
  const byName = new Map(run.series.map((s) => [s.name, s]));
  const panels = PANELS.map((p) => ({ ...p, series: p.names.map((n) => byName.get(n)).filter((s): s is SeriesData => s !== undefined) })).filter(
    (p) => p.series.length > 0,
  );
  if (panels.length === 0) {
    // No canonical metric: show what there is, a few at a time.
    const rest = run.series.filter((s) => s.name !== 'epoch' && s.name !== 'step').slice(0, 4);
    for (const s of rest) panels.push({ title: s.name, names: [s.name], series: [s] });
  }
  const charts: uPlot[] = [];
  const colors = palette();
  const fg = cssVar('--vscode-editor-foreground', '#ccc');
  const grid = cssVar('--vscode-editorWidget-border', 'rgba(128,128,128,0.25)');
  const best = bestValLoss(run);
  for (const p of panels) {
    const box = el('figure', { className: 'chart', dataset: { panel: p.title } }, el('figcaption', {}, p.title));
    host.append(box);
    const aligned = uPlot.join(
      p.series.map((s) => {
        const y = p.title === 'Loss' ? smooth(s.y, opts.smoothing) : s.y;
        return [s.x, y.map((v) => (v === null ? null : v))] as uPlot.AlignedData;
      }) as uPlot.AlignedData[],
    );
    const xKind = p.series[0].xKind;
    const useLog = (opts.logScale || p.log === true) && allPositive(p.series);
    const chart = new uPlot(
      {
        width: Math.max(280, host.clientWidth - 8),
        height: 190,
        scales: { x: { time: false }, y: useLog ? { distr: 3 } : {} },
        axes: [
          { stroke: fg, grid: { stroke: grid }, ticks: { stroke: grid }, label: xKind },
          { stroke: fg, grid: { stroke: grid }, ticks: { stroke: grid }, size: 60 },
        ],
        legend: { live: true },
        cursor: { drag: { x: true, y: false } },
        series: [
          { label: xKind },
          ...p.series.map((s, i) => ({
            label: s.rawNames.length ? `${s.name} (${s.rawNames.join(', ')})` : s.name,
            stroke: colors[i % colors.length],
            width: 1.5,
            spanGaps: true,
            points: { show: s.x.length < 80 },
          })),
        ],
        plugins: [markerPlugin(run.markers.filter((m) => m.xKind === xKind), best && best.xKind === xKind ? best : undefined, p.reference)],
      },
      aligned,
      box,
    );
    charts.push(chart);
  }
  return charts;
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
function markerPlugin(markers: Marker[], best: { x: number } | undefined, reference: Panel['reference']): uPlot.Plugin {
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
          for (const m of markers) vline(m.x, cssVar('--vscode-charts-red', '#f14c4c'), [4, 3]);
          if (best) vline(best.x, cssVar('--vscode-charts-green', '#89d185'), [2, 2]);
          if (reference) {
            const py = u.valToPos(reference.y, 'y', true);
            if (py >= top && py <= top + height) {
              ctx.strokeStyle = cssVar('--vscode-charts-green', '#89d185');
              ctx.setLineDash([6, 4]);
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
        { stroke: fg, grid: { stroke: grid }, ticks: { stroke: grid }, label: series[0].xKind },
        { stroke: fg, grid: { stroke: grid }, ticks: { stroke: grid }, size: 60 },
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

