/**
 * `npm run bench [-- --quick] [-- only-name]`: runs every `bench/*.ts` module that exports `bench`
 * (compiled to out/bench/*.js) and prints all rows with formatRows. `--quick` uses smaller inputs.
 */
import * as fs from 'fs';
import * as path from 'path';
import { formatRows, type Bench, type BenchRow } from './report';

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const quick = args.includes('--quick');
  const only = args.filter((a) => !a.startsWith('--'));
  const dir = __dirname;
  const modules = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.js') && f !== 'run.js' && f !== 'report.js')
    .filter((f) => only.length === 0 || only.includes(path.basename(f, '.js')))
    .sort();
  const all: BenchRow[] = [];
  let failed = false;
  for (const f of modules) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const mod = require(path.join(dir, f)) as { bench?: Bench };
    if (typeof mod.bench !== 'function') continue;
    console.log(`# ${path.basename(f, '.js')}${quick ? ' (quick)' : ''}`);
    try {
      const rows = await mod.bench({ quick });
      console.log(formatRows(rows));
      all.push(...rows);
    } catch (e) {
      failed = true;
      console.log(`  failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    }
  }
  const judged = all.filter((r) => r.pass !== undefined);
  const met = judged.filter((r) => r.pass).length;
  console.log(`\n${met}/${judged.length} targets met`);
  if (failed) process.exitCode = 1;
}

void main();
