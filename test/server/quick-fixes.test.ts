import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { Diagnostic } from 'vscode-languageserver-protocol/node';
import { ServerUnderTest } from './lsp-harness';
import { applyLspEdits, assertParses, codeActions, CONFIGS, messageOf, OpenDoc, pick, PY_FIXTURES, ruleOf, RUNS, uriOf } from './fix-helpers';

/**
 * Quick fixes over stdio: open a config (real fixtures and example configs, read in place; a few
 * tests change one value in the text to reach a rule the files do not trigger), take the diagnostic,
 * ask for code actions, apply the chosen WorkspaceEdit to the text, send it back as an edit, and check
 * that the finding goes away and the file still parses.
 */
/**
 * A config's text without its LR schedule (a planned schedule trains to its end by design, so the
 * no-early-stopping tip needs a config without one): Lightning CLI `lr_scheduler:` block → null, HF
 * `lr_scheduler_type` → constant, a plain `"scheduler"` → constant.
 */
function withoutSchedule(text: string): string {
  return text
    .replace(/^lr_scheduler:\n(?:[ ]+.*\n)*/m, 'lr_scheduler: null\n')
    .replace(/"lr_scheduler_type": "[^"]*"/, '"lr_scheduler_type": "constant"')
    .replace(/"scheduler": "[^"]*"/, '"scheduler": "constant"');
}

describe('quick fixes over stdio', function () {
  this.timeout(60_000);
  let dir: string;
  let server: ServerUnderTest;

  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'traindx-fix-'));
    server = await ServerUnderTest.start(dir);
  });
  afterEach(async () => {
    await server.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  interface Case {
    file: string;
    rule: string;
    title: RegExp;
    /** Text to open instead of the file's own (a variant of it). */
    text?: (own: string) => string;
    /** What must hold once the edit is in; default: no diagnostic of `rule` left. */
    gone?: (ds: Diagnostic[]) => boolean;
    /** What the edited text must contain. */
    contains?: RegExp[];
  }

  async function roundTrip(c: Case): Promise<OpenDoc> {
    const own = fs.readFileSync(c.file, 'utf8');
    const doc = await OpenDoc.open(server, c.file, c.text ? c.text(own) : own);
    const d = await doc.waitForRule(c.rule);
    const actions = await codeActions(server, doc.uri, d);
    assert.ok(
      actions.some((a) => a.title.startsWith('Explain')),
      'the Explain action is still offered',
    );
    const { action, edits } = pick(actions, c.title, doc.uri);
    const next = applyLspEdits(doc.text, edits);
    assert.notEqual(next, doc.text);
    assertParses(c.file, next);
    for (const re of c.contains ?? []) assert.match(next, re);
    await doc.change(next);
    await doc.waitUntil(c.gone ?? ((ds) => !ds.some((x) => ruleOf(x) === c.rule)), `${c.rule} fixed by "${action.title}"`);
    return doc;
  }

  describe('replace a step schedule with cosine annealing', () => {
    it('Lightning class_path StepLR (examples/runs/step-decay)', async () => {
      await roundTrip({
        file: path.join(RUNS, 'step-decay', 'config.yaml'),
        rule: 'lr-step-scheduler',
        title: /^Replace StepLR with cosine annealing$/,
        contains: [/class_path: torch\.optim\.lr_scheduler\.CosineAnnealingLR/, /T_max: 45/],
      });
    });
    it('Lightning class_path MultiStepLR, and it is the preferred fix', async () => {
      const file = path.join(CONFIGS, 'lightning-cli', 'config.yaml');
      const doc = await OpenDoc.open(server, file, fs.readFileSync(file, 'utf8'));
      const d = await doc.waitForRule('lr-step-scheduler');
      const actions = await codeActions(server, doc.uri, d);
      const { action } = pick(actions, /^Replace MultiStepLR with cosine annealing$/, doc.uri);
      assert.equal(action.isPreferred, true);
      assert.equal(actions.filter((a) => a.isPreferred).length, 1, 'one preferred fix per diagnostic');
      await roundTrip({ file, rule: 'lr-step-scheduler', title: /MultiStepLR with cosine/, contains: [/CosineAnnealingLR/] });
    });
    it('timm sched: step', async () => {
      await roundTrip({ file: path.join(CONFIGS, 'timm', 'args.yaml'), rule: 'lr-step-scheduler', title: /cosine annealing/, contains: [/^sched: cosine$/m] });
    });
    it('detectron2 SOLVER.LR_SCHEDULER_NAME WarmupMultiStepLR', async () => {
      // The fixture config/detectron2 is the balloon tutorial (STEPS: [], no drop: no tip); this run's config steps at 1000 and 1300.
      await roundTrip({ file: path.join(RUNS, 'warmup-multistep', 'output', 'config.yaml'), rule: 'lr-step-scheduler', title: /WarmupMultiStepLR with cosine/, contains: [/LR_SCHEDULER_NAME: WarmupCosineLR/] });
    });
    it('plain train.scheduler: step', async () => {
      await roundTrip({ file: path.join(CONFIGS, 'plain', 'config.yaml'), rule: 'lr-step-scheduler', title: /cosine annealing/, contains: [/scheduler: cosine/] });
    });
    it('HF lr_scheduler_type (training_args.json with the type set to a step schedule)', async () => {
      await roundTrip({
        file: path.join(CONFIGS, 'hf', 'training_args.json'),
        text: (t) => t.replace('"lr_scheduler_type": "linear"', '"lr_scheduler_type": "step"'),
        rule: 'lr-step-scheduler',
        title: /cosine annealing/,
        contains: [/"lr_scheduler_type": "cosine"/],
      });
    });
  });

  describe('large batch', () => {
    it('adds warmup (timm warmup_epochs 0 → 5)', async () => {
      await roundTrip({ file: path.join(CONFIGS, 'timm', 'args.yaml'), rule: 'large-batch-no-warmup', title: /^Add LR warmup: warmup_epochs 5/, contains: [/^warmup_epochs: 5$/m] });
    });
    it('adds warmup (Lightning CLI: lr_scheduler MultiStepLR wrapped in SequentialLR after a LinearLR)', async () => {
      await roundTrip({
        file: path.join(CONFIGS, 'lightning-cli', 'config.yaml'),
        rule: 'large-batch-no-warmup',
        title: /^Add LR warmup: LinearLR over 5 epochs, then MultiStepLR \(SequentialLR\)$/,
        contains: [/^ {2}class_path: torch\.optim\.lr_scheduler\.SequentialLR$/m, /class_path: torch\.optim\.lr_scheduler\.LinearLR/, /total_iters: 5/, /milestones: \[5\]/, /class_path: torch\.optim\.lr_scheduler\.MultiStepLR/],
      });
    });
    it('adds warmup (Lightning CLI with lr_scheduler: null: a LinearLR scheduler)', async () => {
      await roundTrip({
        file: path.join(CONFIGS, 'lightning-cli', 'config.yaml'),
        text: (t) => t.replace(/^lr_scheduler:\n(?: {2}.*\n)+/m, 'lr_scheduler: null\n'),
        rule: 'large-batch-no-warmup',
        title: /^Add LR warmup: lr_scheduler LinearLR over 5 epochs/,
        contains: [/^lr_scheduler:\n {2}class_path: torch\.optim\.lr_scheduler\.LinearLR\n {2}init_args:\n {4}start_factor: 0\.1\n {4}total_iters: 5\n/m],
      });
    });
    it('adds gradient clipping (timm clip_grad): the finding no longer says clipping is missing', async () => {
      await roundTrip({
        file: path.join(CONFIGS, 'timm', 'args.yaml'),
        rule: 'large-batch-no-warmup',
        title: /^Add gradient clipping: clip_grad/,
        contains: [/^clip_grad: 1(\.0)?$/m],
        gone: (ds) => ds.some((d) => ruleOf(d) === 'large-batch-no-warmup' && (d.data as { evidence: { gradClip: boolean } }).evidence.gradClip === true),
      });
    });
    it('adds gradient clipping (Lightning trainer.gradient_clip_val)', async () => {
      await roundTrip({
        file: path.join(CONFIGS, 'lightning-cli', 'config.yaml'),
        rule: 'large-batch-no-warmup',
        title: /trainer\.gradient_clip_val/,
        contains: [/^ {2}gradient_clip_val: 1(\.0)?$/m],
        gone: (ds) => ds.some((d) => ruleOf(d) === 'large-batch-no-warmup' && !/No gradient clipping|clip gradients/i.test(messageOf(d))),
      });
    });
    it('scales the LR by the config\'s own reference (timm lr_base 0.1 at 256, effective batch 1024, lr lowered to 0.1 in the text)', async () => {
      // Issue 10: only a reference written in the config is scaled (a Lightning config has none: no LR fix).
      const file = path.join(CONFIGS, 'timm', 'args.yaml');
      const doc = await roundTrip({
        file,
        text: (t) => t.replace(/^lr: 0\.5$/m, 'lr: 0.1'),
        rule: 'large-batch-lr-scaling',
        title: /^Set lr to 0\.4 \(linear scaling rule for effective batch 1024\)$/,
        contains: [/^lr: 0\.4$/m],
      });
      assert.ok(doc.diagnostics().every((d) => ruleOf(d) !== 'large-batch-lr-scaling'));
    });
  });

  describe('early stopping', () => {
    it('Lightning: an EarlyStopping callback (examples/runs/cosine, its scheduler removed)', async () => {
      // Without its cosine schedule (a planned schedule trains to its end by design: no tip), 45 epochs get the tip.
      await roundTrip({ file: path.join(RUNS, 'cosine', 'config.yaml'), text: withoutSchedule, rule: 'no-early-stopping', title: /EarlyStopping callback on val_loss \(patience 5\)/, contains: [/lightning\.pytorch\.callbacks\.EarlyStopping/] });
    });
    it('HF training_args.json: load_best_model_at_end, with save_strategy made to match eval_strategy (examples/runs/overfit)', async () => {
      // The run evaluates every epoch and saves nothing: TrainingArguments raises unless both strategies match.
      await roundTrip({
        file: path.join(RUNS, 'overfit', 'training_args.json'),
        text: withoutSchedule,
        rule: 'no-early-stopping',
        title: /^Set load_best_model_at_end: true and save_strategy: epoch \(keep the best checkpoint\)$/,
        contains: [/"load_best_model_at_end": true/, /"save_strategy": "epoch"/],
      });
    });
    it('plain JSONC: no key added to a hand-written config (the script may never read it)', async () => {
      const file = path.join(CONFIGS, 'plain', 'config.jsonc');
      const doc = await OpenDoc.open(server, file, withoutSchedule(fs.readFileSync(file, 'utf8')));
      const d = await doc.waitForRule('no-early-stopping');
      const titles = (await codeActions(server, doc.uri, d)).map((a) => a.title);
      assert.ok(titles.some((t) => t.startsWith('Explain')), JSON.stringify(titles));
      assert.ok(!titles.some((t) => /early.stopping/i.test(t) && !/^(Explain|Disable)/.test(t)), JSON.stringify(titles));
    });
  });

  describe('fine-tuning', () => {
    it('lowers the LR (HF axolotl YAML made a full fine-tune at 2e-3 → 1e-4)', async () => {
      // The LoRA recipe itself is in range at 2e-4 (issue 10): without the adapter and at 10× the LR it is not.
      const full = (t: string) => t.replace(/^(adapter|lora_\w+|load_in_8bit):.*\n/gm, '').replace(/^learning_rate: 0\.0002$/m, 'learning_rate: 0.002');
      await roundTrip({ file: path.join(CONFIGS, 'hf', 'axolotl_lora.yml'), text: full, rule: 'finetune-lr-high', title: /^Set learning_rate to 0\.0001 \(fine-tuning range\)$/, contains: [/^learning_rate: 0\.0001$/m] });
    });
    it('lowers the LR (plain JSONC, Adam-family limit 1e-4)', async () => {
      await roundTrip({ file: path.join(CONFIGS, 'plain', 'config.jsonc'), rule: 'finetune-lr-high', title: /^Set optim\.learning_rate to 0\.0001/ });
    });
    // The stock recipe (0.02 at 16 images, FREEZE_AT 2 by default) is in range (issue 10); unfrozen at 10× the zoo LR it is not.
    const d2Unfrozen = (t: string) => t.replace('  MASK_ON: True\n', '  MASK_ON: True\n  BACKBONE:\n    FREEZE_AT: 0\n').replace('BASE_LR: 0.02', 'BASE_LR: 0.2');
    it('lowers the LR (detectron2 SOLVER.BASE_LR 0.2 with FREEZE_AT 0 → 0.01)', async () => {
      await roundTrip({ file: path.join(CONFIGS, 'detectron2', 'mask_rcnn_R_50_FPN_3x.yaml'), text: d2Unfrozen, rule: 'finetune-lr-high', title: /^Set SOLVER\.BASE_LR to 0\.01/, contains: [/BASE_LR: 0\.01/] });
    });
    it('freezes the backbone (detectron2 MODEL.BACKBONE.FREEZE_AT 0 → 2): a frozen backbone is in range', async () => {
      await roundTrip({
        file: path.join(CONFIGS, 'detectron2', 'mask_rcnn_R_50_FPN_3x.yaml'),
        text: d2Unfrozen,
        rule: 'finetune-lr-high',
        title: /^Freeze the pretrained backbone$/,
        contains: [/FREEZE_AT: 2/],
      });
    });
    it('freezes the backbone (plain freeze_backbone)', async () => {
      await roundTrip({
        file: path.join(CONFIGS, 'plain', 'config.yaml'),
        rule: 'finetune-lr-high',
        title: /^Freeze the pretrained backbone$/,
        contains: [/freeze_backbone: true/],
      });
    });
  });

  it('switches a W&B grid sweep to random search with a trial budget', async () => {
    await roundTrip({
      file: path.join(CONFIGS, 'wandb', 'sweep.yaml'),
      rule: 'grid-search',
      title: /^Switch the grid to random search with 59 trials \(method: random, run_cap 59: 95\.1% chance of a top-5% configuration\)$/,
      contains: [/^method: random$/m, /^run_cap: 59$/m],
    });
  });

  it('enables EMA in the config beside a log whose validation accuracy oscillates', async () => {
    // A small Lightning CSV log written here: val_acc climbs, then zigzags by 0.05 every other epoch.
    const run = path.join(dir, 'run-a');
    fs.mkdirSync(run);
    const rows = ['epoch,step,val_acc,train_loss'];
    for (let e = 0; e < 21; e++) rows.push([e, (e + 1) * 100, (e < 6 ? 0.5 + e * 0.02 : 0.8 + (e % 2 === 0 ? 0.05 : 0)).toFixed(4), (2 - e * 0.05).toFixed(4)].join(','));
    const log = path.join(run, 'metrics.csv');
    fs.writeFileSync(log, rows.join('\n') + '\n');
    const cfgFile = path.join(run, 'config.yaml');
    const cfgText = fs.readFileSync(path.join(CONFIGS, 'plain', 'config.yaml'), 'utf8');
    fs.writeFileSync(cfgFile, cfgText);
    await server.stop();
    server = await ServerUnderTest.start(dir);
    const s = server;
    const cfg = await OpenDoc.open(s, cfgFile, cfgText);
    await s.waitFor(() => s.diagnosticsOf(log).some((d) => ruleOf(d) === 'val-oscillation'), 'val-oscillation on the log');
    const d = s.diagnosticsOf(log).find((x) => ruleOf(x) === 'val-oscillation') as Diagnostic;
    const actions = await codeActions(s, uriOf(log), d);
    const { action, edits } = pick(actions, /^Enable an EMA of the weights \(decay 0\.99\) in config\.yaml$/, cfg.uri);
    assert.equal(action.isPreferred, true);
    assert.deepEqual(Object.keys(action.edit?.changes ?? {}), [cfg.uri], 'the edit goes to the config, never the log');
    const next = applyLspEdits(cfg.text, edits);
    assertParses(cfgFile, next);
    assert.match(next, /^ {2}ema: true$/m);
    await cfg.change(next);
    await s.waitFor(() => !s.diagnosticsOf(log).some((x) => ruleOf(x) === 'val-oscillation'), 'val-oscillation gone once EMA is on');
  });

  describe('training scripts (.py): fixes that edit the Python call', () => {
    it('pytorch/examples imagenet: StepLR → CosineAnnealingLR(optimizer, T_max=args.epochs)', async () => {
      await roundTrip({
        file: path.join(PY_FIXTURES, 'pytorch-examples-imagenet.py'),
        rule: 'lr-step-scheduler',
        title: /^Replace StepLR with cosine annealing$/,
        contains: [/scheduler = torch\.optim\.lr_scheduler\.CosineAnnealingLR\(optimizer, T_max=args\.epochs\)/],
      });
    });
    it('Lightning without its callback, with a ReduceLROnPlateau(patience=5): EarlyStopping on val_loss, patience 10', async () => {
      await roundTrip({
        file: path.join(PY_FIXTURES, 'lightning-early-stopping.py'),
        text: (own) =>
          own
            .replace('    callbacks=[EarlyStopping(monitor="val_loss", mode="min", patience=3)],\n', '')
            .replace('return torch.optim.Adam(self.parameters(), lr=self.learning_rate)', 'opt = torch.optim.Adam(self.parameters(), lr=self.learning_rate)\n        return [opt], [torch.optim.lr_scheduler.ReduceLROnPlateau(opt, patience=5)]'),
        rule: 'no-early-stopping',
        title: /^Add an EarlyStopping callback on val_loss \(patience 10\) to the Trainer$/,
        contains: [/callbacks=\[EarlyStopping\(monitor="val_loss", mode="min", patience=10\)\]/],
      });
    });
  });

  describe('suppression comments', () => {
    it('"Disable <scenario> for this line" in YAML writes the comment at the key\'s indentation', async () => {
      const file = path.join(CONFIGS, 'plain', 'config.yaml');
      const own = fs.readFileSync(file, 'utf8');
      await roundTrip({ file, rule: 'lr-step-scheduler', title: /^Disable lr-schedule for this line$/, contains: [/^ {2}# traindx-disable-next-line lr-schedule\n {2}scheduler: step$/m] });
      assert.match(own, /^ {2}scheduler: step$/m, 'the fixture has the key indented');
    });
    it('"Disable <scenario> for this line" in JSONC writes a // comment', async () => {
      await roundTrip({ file: path.join(CONFIGS, 'plain', 'config.jsonc'), rule: 'finetune-lr-high', title: /^Disable fine-tuning for this line$/, contains: [/\/\/ traindx-disable-next-line fine-tuning\n/] });
    });
    it('"Disable <rule> for this file" keeps the other findings', async () => {
      const doc = await roundTrip({ file: path.join(CONFIGS, 'timm', 'args.yaml'), rule: 'lr-step-scheduler', title: /^Disable lr-step-scheduler for this file$/, contains: [/^# traindx-disable lr-step-scheduler\n/] });
      assert.ok(doc.diagnostics().some((d) => ruleOf(d) === 'large-batch-no-warmup'));
    });
    it('is not offered in strict JSON, where a comment would break json.load', async () => {
      const file = path.join(RUNS, 'overfit', 'training_args.json');
      const doc = await OpenDoc.open(server, file, withoutSchedule(fs.readFileSync(file, 'utf8')));
      const d = await doc.waitForRule('no-early-stopping');
      const titles = (await codeActions(server, doc.uri, d)).map((a) => a.title);
      assert.ok(!titles.some((t) => /^Disable/.test(t)), JSON.stringify(titles));
    });
    it('a comment typed by hand suppresses the finding on the next line', async () => {
      const file = path.join(RUNS, 'step-decay', 'config.yaml');
      const own = fs.readFileSync(file, 'utf8');
      const doc = await OpenDoc.open(server, file, own);
      await doc.waitForRule('lr-step-scheduler');
      // The StepLR tip is on the scheduler's class_path line; the max_epochs line has nothing to suppress.
      await doc.change(own.replace(/^( *)class_path: torch\.optim\.lr_scheduler\.StepLR/m, '$1# traindx-disable-next-line lr-schedule -- the paper\'s schedule, kept on purpose\n$&'));
      await doc.waitUntil((ds) => !ds.some((d) => ruleOf(d) === 'lr-step-scheduler'), 'the StepLR tip suppressed');
      // A comment naming another scenario suppresses nothing.
      await doc.change(own.replace(/^( *)class_path: torch\.optim\.lr_scheduler\.StepLR/m, '$1# traindx-disable-next-line early-stopping\n$&'));
      await doc.waitForRule('lr-step-scheduler');
    });
  });
});
