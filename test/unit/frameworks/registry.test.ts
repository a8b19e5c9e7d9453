import * as assert from 'node:assert/strict';
import { readConfig } from '../../../src/core/config/read-config';
import { DETECTING_READERS, FALLBACK_READER, FRAMEWORKS, frameworkOf } from '../../../src/core/frameworks';
import { readFixture } from '../config/helpers';

describe('frameworks registry', () => {
  it('each style has one reader, and detection order is a strict ranking', () => {
    const styles = FRAMEWORKS.flatMap((f) => f.readers.map((r) => r.style));
    assert.equal(new Set(styles).size, styles.length);
    const ranks = DETECTING_READERS.map((r) => r.rank);
    assert.deepEqual(ranks, [...ranks].sort((a, b) => a - b));
    assert.equal(new Set(ranks).size, ranks.length);
    assert.ok(!DETECTING_READERS.includes(FALLBACK_READER));
  });

  it('a config is served by the framework whose reader read it', () => {
    const cases: [string, string][] = [
      ['hf/training_args.json', 'hf'],
      ['lightning-cli/config.yaml', 'lightning'],
      ['ultralytics/args.yaml', 'ultralytics'],
      ['detectron2/config.yaml', 'detectron2'],
      ['timm/args.yaml', 'timm'],
      ['wandb/sweep.yaml', 'wandb'],
      ['hydra/optuna_sweep.yaml', 'hydra-optuna'],
      ['optuna-ray/tune.yaml', 'hydra-optuna'],
      ['plain/config.yaml', 'plain'],
    ];
    for (const [rel, id] of cases) assert.equal(frameworkOf(readFixture(rel).cfg).id, id, rel);
  });

  it('the fallback reader keeps only files that name training settings', () => {
    assert.equal(readConfig('c.yaml', 'name: x\ncolor: blue\n'), undefined);
    assert.equal(readConfig('c.yaml', 'lr: 0.1\n')?.style, 'plain');
  });
});
