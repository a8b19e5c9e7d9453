/**
 * One line of the benchmark report. Every figure is printed with the peer measured in the same run
 * and the ratio to it, so numbers from different machines stay comparable.
 */
export interface BenchRow {
  /** What was measured, e.g. `parse+analyze 1 GB Lightning CSV`. */
  name: string;
  value: number;
  unit: string;
  /** The peer measured in the same run (e.g. `Buffer.indexOf(10) newline scan`). */
  peer?: { name: string; value: number; unit: string };
  /** value/peer (or peer/value for times), stated in words by `ratioLabel`. */
  ratio?: number;
  ratioLabel?: string;
  /** The target from DESIGN.md / the issue, in words, and whether it was met. */
  target?: string;
  pass?: boolean;
}

/** A benchmark module: `bench/<name>.ts` exports `bench` returning its rows. */
export type Bench = (opts: { quick: boolean }) => Promise<BenchRow[]>;

export function formatRows(rows: readonly BenchRow[]): string {
  const lines: string[] = [];
  for (const r of rows) {
    const v = `${fmt(r.value)} ${r.unit}`;
    const peer = r.peer ? ` | peer: ${r.peer.name} ${fmt(r.peer.value)} ${r.peer.unit}` : '';
    const ratio = r.ratio !== undefined ? ` | ratio ${fmt(r.ratio)}${r.ratioLabel ? ` (${r.ratioLabel})` : ''}` : '';
    const target = r.target ? ` | target ${r.target}: ${r.pass === undefined ? '—' : r.pass ? 'MET' : 'NOT MET'}` : '';
    lines.push(`${r.name}: ${v}${peer}${ratio}${target}`);
  }
  return lines.join('\n');
}

function fmt(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  const a = Math.abs(n);
  return a >= 100 ? n.toFixed(0) : a >= 1 ? n.toFixed(2) : n.toPrecision(3);
}
