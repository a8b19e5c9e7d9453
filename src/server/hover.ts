import { getScenario } from '../core/scenarios';
import type { Run } from '../core/run/run';
import type { Finding } from '../core/types';
import { commandLink, escapeMarkdown, knowledgeMarkdown } from './markdown';

/**
 * The hover of a flagged line, short: VS Code already shows the diagnostic's message (this run's
 * numbers) above it, so repeating it showed it twice (issue 12). It names the scenario, says the first
 * thing to do, and links to the run view, where the textbook explanation is.
 */
export function findingHover(findings: readonly Finding[], uri: string): string {
  const parts: string[] = [];
  for (const f of findings) {
    const s = getScenario(f.scenario);
    parts.push(
      [
        `**traindx ${f.severity}: ${escapeMarkdown(s.title)}**`,
        '',
        s.fixes.length > 0 ? `*What to do:* ${knowledgeMarkdown(s.fixes[0])}` : undefined,
        '',
        `${commandLink('Explain', 'traindx.explain', { scenario: f.scenario, uri, line: f.line - 1 })} · scenario \`${f.scenario}\``,
      ]
        .filter((x) => x !== undefined)
        .join('\n'),
    );
  }
  return parts.join('\n\n---\n\n');
}

/** The hover of a metric name in a log: the series' summary in this run. */
export function seriesHover(run: Run, name: string): string | undefined {
  const s = run.series(name);
  if (!s) return undefined;
  let min = Infinity;
  let max = -Infinity;
  let iMin = -1;
  let nonFinite = 0;
  for (let i = 0; i < s.length; i++) {
    const v = s.value(i);
    if (!Number.isFinite(v)) {
      nonFinite++;
      continue;
    }
    if (v < min) {
      min = v;
      iMin = i;
    }
    if (v > max) max = v;
  }
  const where = iMin >= 0 ? whereOf(s.epoch(iMin), s.step(iMin), s.line(iMin)) : '';
  const lines = [
    `**${escapeMarkdown(name)}** — ${s.length} points in this run`,
    '',
    iMin >= 0 ? `min ${fmt(min)} (${where}) · max ${fmt(max)} · last ${fmt(s.value(s.length - 1))}` : 'no finite value yet',
  ];
  if (nonFinite > 0) lines.push('', `${nonFinite} NaN/Inf values`);
  return lines.join('\n');
}

function whereOf(epoch: number, step: number, line: number): string {
  if (Number.isFinite(epoch)) return `epoch ${Number.isInteger(epoch) ? epoch : epoch.toFixed(2)}, line ${line}`;
  if (Number.isFinite(step)) return `step ${step}, line ${line}`;
  return `line ${line}`;
}

export function fmt(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  const a = Math.abs(v);
  return a !== 0 && (a < 1e-3 || a >= 1e5) ? v.toExponential(3) : Number(v.toPrecision(4)).toString();
}
