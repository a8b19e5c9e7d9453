/**
 * Which of a run's scalars share a chart: every scalar is drawn (issue 12: YOLO and MLflow runs drew
 * only their LR), grouped by what it measures, one chart per group and x axis. Pure, so it is
 * unit-tested in Node.
 */
import type { SeriesData } from '../../src/shared/protocol';

export interface ChartGroup {
  /** The chart's caption, unique within a run. */
  title: string;
  series: SeriesData[];
  /** Drawn on a log axis whatever the user picked (ratios spanning decades). */
  log?: boolean;
  /** A horizontal reference line (the healthy update ratio 1e-3). */
  reference?: { y: number; label: string };
}

interface Kind {
  title: string;
  matches: (name: string) => boolean;
  log?: boolean;
  reference?: { y: number; label: string };
}

/** In the order charts are drawn; a series goes to the first kind that matches its name. */
const KINDS: Kind[] = [
  // `lr`, Ultralytics `lr/pg1`, Lightning `lr-AdamW/pg2`; not the momentum Lightning logs beside it.
  { title: 'Learning rate', matches: (n) => /(^|[_/-])(lr|learning_rate)($|[_/-]|\d)/i.test(n) && !/momentum|beta/i.test(n) },
  { title: 'Loss', matches: (n) => /loss|perplexity|(^|[_/])ppl($|[_/])/i.test(n) },
  { title: 'Accuracy and metrics', matches: (n) => /acc|top-?[15]|map|precision|recall|f1|auc|iou|bleu|rouge|dice|wer|cer|score/i.test(n) },
  { title: 'Update ratio ‖Δw‖/‖w‖', matches: (n) => n === 'update_ratio', log: true, reference: { y: 1e-3, label: 'healthy ratio 1e-3' } },
  { title: 'Norms', matches: (n) => /norm/i.test(n) },
];

/** The x axes themselves are not curves. */
const AXES = new Set(['epoch', 'step', 'global_step']);

export function chartGroups(all: readonly SeriesData[]): ChartGroup[] {
  const series = all.filter((s) => !AXES.has(s.name) && s.y.some((v) => v !== null));
  const groups: ChartGroup[] = [];
  const taken = new Set<SeriesData>();
  for (const kind of KINDS) {
    const mine = series.filter((s) => !taken.has(s) && kind.matches(s.name));
    mine.forEach((s) => taken.add(s));
    for (const [i, sameX] of byXKind(mine).entries()) {
      groups.push({ title: i === 0 ? kind.title : `${kind.title} (by ${sameX[0].xKind})`, series: sameX, log: kind.log, reference: kind.reference });
    }
  }
  // Anything else (throughput, memory, momentum…) on a chart of its own: scales would not mix.
  for (const s of series.filter((x) => !taken.has(x))) groups.push({ title: s.name, series: [s] });
  return groups;
}

/** Series on one chart must share their x axis: one list per xKind, in order of appearance. */
function byXKind(series: SeriesData[]): SeriesData[][] {
  const m = new Map<string, SeriesData[]>();
  for (const s of series) m.set(s.xKind, [...(m.get(s.xKind) ?? []), s]);
  return [...m.values()];
}

/**
 * A colour index per series name, the same on every chart of the run (and across redraws): its order
 * of appearance over the charts, so the first chart's first curve has the first colour.
 */
export function colourIndex(groups: readonly ChartGroup[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const g of groups) for (const s of g.series) if (!m.has(s.name)) m.set(s.name, m.size);
  return m;
}
