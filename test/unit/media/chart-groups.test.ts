import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { chartGroups, colourIndex } from '../../../media/src/chart-groups';
import { RunQueries } from '../../../src/core/query/run-queries';
import { AnalysisWorkspace } from '../../../src/core/workspace';
import { EXAMPLES, realLog, skipWithoutRealLogs } from '../../helpers/paths';

async function runDataOf(files: string[]): Promise<ReturnType<RunQueries['runData']>> {
  const ws = new AnalysisWorkspace();
  for (const f of files) await ws.updateLog(f);
  const key = ws.runKeys()[0];
  return new RunQueries(ws).runData(key, key);
}

describe('chart groups (media/src/chart-groups.ts)', () => {
  it('a YOLOv5 results.csv charts its losses, mAP and every LR group, not only the LR', async function () {
    skipWithoutRealLogs(this);
    const run = await runDataOf([realLog('yolov5_driving_healthy', 'results.csv')]);
    assert.ok(run);
    const groups = chartGroups(run.series);
    const titles = groups.map((g) => g.title);
    assert.deepEqual(titles.slice(0, 3), ['Learning rate', 'Loss', 'Accuracy and metrics']);
    assert.equal(groups[0].series.length, 3, 'x/lr0, x/lr1 and x/lr2');
    assert.equal(groups[1].series.length, 6, 'train and val box/obj/cls losses');
    const charted = new Set(groups.flatMap((g) => g.series.map((s) => s.name)));
    for (const s of run.series) if (s.name !== 'epoch') assert.ok(charted.has(s.name), `${s.name} is not charted`);
    assert.equal(new Set(titles).size, titles.length, 'no two charts share a caption');
  });

  it('an MLflow YOLOv8-seg run charts its val losses and mAP', async function () {
    skipWithoutRealLogs(this);
    const dir = realLog('mlflow_yolov8seg_tooth', 'mlflow_run', 'metrics');
    const files = (fs.readdirSync(dir, { recursive: true }) as string[]).map((f) => path.join(dir, f)).filter((f) => fs.statSync(f).isFile());
    const run = await runDataOf(files);
    assert.ok(run);
    const groups = chartGroups(run.series);
    const of = (t: string): string[] => groups.find((g) => g.title === t)?.series.map((s) => s.name) ?? [];
    assert.ok(of('Loss').some((n) => /val/.test(n)), of('Loss').join(', '));
    assert.ok(of('Accuracy and metrics').some((n) => /mAP/i.test(n)), of('Accuracy and metrics').join(', '));
  });

  it('an example run: lr, losses and accuracy each on their chart; x axes are not curves', async () => {
    const dir = path.join(EXAMPLES, 'runs', 'step-decay');
    const run = await runDataOf([path.join(dir, 'output.log')]);
    assert.ok(run);
    const groups = chartGroups(run.series);
    const of = (t: string): string[] => groups.find((g) => g.title === t)?.series.map((s) => s.name) ?? [];
    assert.deepEqual(of('Learning rate'), ['lr']);
    assert.ok(of('Loss').includes('train_loss') && of('Loss').includes('val_loss'), of('Loss').join(', '));
    assert.ok(!groups.some((g) => g.series.some((s) => s.name === 'epoch' || s.name === 'step')));
  });

  it('names: LR groups but not momentum; losses; metrics; the rest alone; one colour per name', () => {
    const s = (name: string, xKind: 'epoch' | 'step' = 'epoch') => ({ name, rawNames: [], xKind, x: [0, 1], y: [1, 2] });
    const all = [s('lr'), s('lr-AdamW/pg2'), s('lr-AdamW-momentum'), s('train_loss'), s('val/box_loss'), s('metrics/mAP50(B)'), s('train_samples_per_second'), s('grad_norm', 'step')];
    const groups = chartGroups(all);
    const of = (t: string): string[] => groups.find((g) => g.title === t)?.series.map((x) => x.name) ?? [];
    assert.deepEqual(of('Learning rate'), ['lr', 'lr-AdamW/pg2']);
    assert.deepEqual(of('Loss'), ['train_loss', 'val/box_loss']);
    assert.deepEqual(of('Accuracy and metrics'), ['metrics/mAP50(B)']);
    assert.deepEqual(of('Norms'), ['grad_norm']);
    assert.deepEqual(of('lr-AdamW-momentum'), ['lr-AdamW-momentum']);
    assert.deepEqual(of('train_samples_per_second'), ['train_samples_per_second']);
    const colours = colourIndex(groups);
    assert.equal(new Set(colours.values()).size, all.length, 'one colour per series');
    assert.equal(colours.get('lr'), 0, 'the first chart\'s first curve has the first colour');
  });
});
