import { EXAMPLES } from '../helpers/paths';
import { evaluate, formatScores } from './labels';

/** `npm run eval`: per-scenario recall and false warnings over the labelled example runs. */
async function main(): Promise<void> {
  const { outcomes, scores } = await evaluate(EXAMPLES);
  console.log(formatScores(scores));
  const bad = outcomes.filter((o) => o.missed.length || o.falseAlarms.length);
  for (const o of bad) {
    if (o.missed.length) console.log(`MISSED   ${o.label.run}: ${o.missed.join(', ')}`);
    if (o.falseAlarms.length) {
      const detail = o.findings.filter((f) => o.falseAlarms.includes(f.scenario)).map((f) => `${f.scenario} (${f.message})`);
      console.log(`FALSE    ${o.label.run}: ${detail.join('; ')}`);
    }
  }
  console.log(`\n${outcomes.length} labelled runs; ${bad.length} with a miss or a false warning.`);
  process.exitCode = bad.length ? 1 : 0;
}

void main();
