import { allCases, evaluateCases } from './corpus';
import { formatDetails, formatSources, formatTable, scoreByScenario } from './report';
import { formatReadout } from './readout';

/**
 * `npm run eval`: precision and recall per scenario over the labelled example runs, the canonical
 * recipes (test/fixtures/recipes), short public training outputs (../shared/real-outputs, labelled in test/eval/real-outputs) and the real
 * logs (../shared/real-logs, when present). Exits 1 on any
 * false warning: a finding shown in the Problems panel (error, warning or information) that a label says
 * is wrong. Misses and wrong hints (editor-only tips) are listed but do not fail the gate.
 * `--read` also prints what traindx understood of each recipe's config (to tell a blind spot from a pass).
 */
async function main(): Promise<void> {
  const cases = allCases();
  const outcomes = await evaluateCases(cases);
  const rows = scoreByScenario(outcomes);
  console.log(formatTable(rows));
  console.log('');
  console.log(formatSources(outcomes));
  const details = formatDetails(outcomes);
  if (details) console.log(`\n${details}`);
  if (process.argv.includes('--read')) console.log(`\n${formatReadout(cases.filter((c) => c.source === 'recipes'))}`);
  const falseCount = outcomes.reduce((n, o) => n + o.falseWarnings.length, 0);
  const missCount = outcomes.reduce((n, o) => n + o.missed.length, 0);
  const hintCount = outcomes.reduce((n, o) => n + o.wrongHints.length, 0);
  console.log(`\n${outcomes.length} labelled cases: ${falseCount} false warnings, ${missCount} misses, ${hintCount} wrong hints.`);
  process.exitCode = falseCount ? 1 : 0;
}

void main();
