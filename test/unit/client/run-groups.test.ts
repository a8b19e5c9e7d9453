import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { findingsOf, groupRuns, naturalCompare, uniqueSuffixes } from '../../../src/client/run-groups';
import { RunQueries } from '../../../src/core/query/run-queries';
import { AnalysisWorkspace } from '../../../src/core/workspace';
import type { RunSummary } from '../../../src/shared/protocol';
import { EXAMPLES } from '../../helpers/paths';

function filesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? filesUnder(p) : [p];
  });
}

const summary = (runKey: string, points = 10): RunSummary => ({ runKey, files: [runKey], points, findings: [] });

describe('Training Runs view nodes (src/client/run-groups.ts)', () => {
  it('natural order: version_2 before version_10, seed-9 before seed-10', () => {
    const keys = ['/p/lightning_logs/version_10/metrics.csv', '/p/lightning_logs/version_2/metrics.csv', '/p/lightning_logs/version_1/metrics.csv'];
    assert.deepEqual(groupRuns(keys.map((k) => summary(k))).map((g) => g.label), ['lightning_logs/version_1', 'lightning_logs/version_2', 'lightning_logs/version_10']);
    assert.ok(naturalCompare('seed-9', 'seed-10') < 0);
  });

  it('labels are unique: as many folders as tell two runs apart', () => {
    const a = '/w/exp-a/lightning_logs/version_0';
    const b = '/w/exp-b/lightning_logs/version_0';
    const labels = uniqueSuffixes([a, b, '/w/exp-c']);
    assert.deepEqual([labels.get(a), labels.get(b), labels.get('/w/exp-c')], ['exp-a/lightning_logs/version_0', 'exp-b/lightning_logs/version_0', 'w/exp-c']);
  });

  it('the example runs: one node per run folder, no duplicate labels, each log of a folder in its node', async () => {
    const ws = new AnalysisWorkspace();
    for (const f of filesUnder(path.join(EXAMPLES, 'runs'))) {
      if (AnalysisWorkspace.isConfig(f)) ws.setConfigText(f, fs.readFileSync(f, 'utf8'));
      else if (AnalysisWorkspace.isLog(f)) await ws.updateLog(f);
    }
    const runs = new RunQueries(ws).listRuns();
    const groups = groupRuns(runs);
    const labels = groups.map((g) => g.label);
    assert.equal(new Set(labels).size, labels.length, `duplicate labels: ${labels.join(', ')}`);
    const ema = groups.find((g) => g.label === 'runs/ema');
    assert.ok(ema, labels.join(', '));
    assert.deepEqual(ema.runs.map((r) => path.basename(r.runKey)).sort(), ['output.log', 'summary.csv'], 'the console log and its CSV summary are one run');
    assert.equal(groups.reduce((n, g) => n + g.runs.length, 0), runs.length, 'every run is in a node');
    const noWarmup = groups.find((g) => g.label === 'runs/large-batch-no-warmup');
    assert.ok(noWarmup);
    const fs2 = findingsOf(noWarmup);
    assert.equal(fs2.length, new Set(fs2.map((f) => `${f.file}:${f.line}:${f.rule}`)).size);
    assert.equal(fs2.length, noWarmup.runs.reduce((n, r) => n + r.findings.length, 0), 'its two logs\' findings, each once');
  });
});
