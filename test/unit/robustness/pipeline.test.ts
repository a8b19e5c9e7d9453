/**
 * The whole pipeline (walk → LogFile → run model → rules → CLI output) on bad input: fuzzed folders,
 * NaN/±Infinity in every format, mutated real logs, and paths that cannot be read the ordinary way
 * (a FIFO, a folder where a log is expected, dangling symlinks, a chmod 000 file). No throw, no hang,
 * and `traindx check` prints a clear message with the documented exit code, never a stack trace.
 * Per-parser fuzzing lives in test/unit/formats/robustness.test.ts; this file does not repeat it.
 * Runs from FUZZ_RUNS (default 200; each pipeline run writes a folder, so it uses a tenth, at least 20).
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import fc from 'fast-check';
import { fcParams, fuzzRuns } from '../../helpers/fc';
import { analyzePaths, type AnalysisResult } from '../../../src/core/analyze';
import { formatSarif } from '../../../src/cli/format-sarif';
import { formatText } from '../../../src/cli/format-text';
import { LogFile } from '../../../src/core/logfile';
import { AnalysisWorkspace } from '../../../src/core/workspace';
import { realLog, REPO_ROOT, skipBecause, skipWithoutRealLogs } from '../../helpers/paths';

const PIPELINE_RUNS = fuzzRuns(200, 0.1, 20);
const CLI = path.join(REPO_ROOT, 'dist', 'cli.js');

const NAMES = ['train.log', 'output.log', 'metrics.csv', 'history.csv', 'results.csv', 'trainer_state.json', 'metrics.json', 'log.jsonl', 'scalars.json', 'events.out.tfevents.1.host', 'mlruns/0/abc/metrics/loss', 'config.yaml', 'hparams.yaml', 'sweep.yaml', 'training_args.json', 'args.yaml'];

const WEIRD = ['nan', 'NaN', '-nan', 'inf', '-inf', 'Infinity', '-Infinity', '1e309', '-1e309', '1e-320', '-0', '0x1p3', '', 'null', 'None', '\0', '\ud800', '1'.repeat(400)];

function tmp(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'traindx-pipe-'));
}

function checkResult(r: AnalysisResult): void {
  assert.equal(r.version, 1);
  for (const f of r.findings) {
    assert.ok(Number.isInteger(f.line) && f.line >= 1, `line ${f.line}`);
    assert.equal(typeof f.message, 'string');
  }
  assert.deepEqual(r.ruleErrors, [], 'a rule threw');
  // Every output format is produced and JSON stays JSON.
  formatText(r, true);
  JSON.parse(JSON.stringify(formatSarif(r)));
}

/** One file of each format, with every metric value replaced by `v` (NaN, ±inf, overflow, …). */
function weirdLogs(dir: string, v: string): void {
  const w = (rel: string, s: string): void => {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), s);
  };
  const rows = (n: number, f: (e: number) => string): string => Array.from({ length: n }, (_, e) => f(e)).join('\n') + '\n';
  w('plain/train.log', rows(12, (e) => `Epoch ${e}: loss: ${v} val_loss: ${v} lr: ${v} grad_norm: ${v} acc=${v}`));
  w('lightning/version_0/metrics.csv', 'epoch,step,train_loss,val_loss,lr-Adam\n' + rows(12, (e) => `${e},${e * 10},${v},${v},${v}`));
  w('keras/training.log', 'epoch,loss,val_loss,lr\n' + rows(12, (e) => `${e},${v},${v},${v}`));
  w('yolo/results.csv', '  epoch, train/box_loss, metrics/mAP50(B), val/box_loss, lr/pg0\n' + rows(12, (e) => `${e},${v},${v},${v},${v}`));
  w('jsonl/log.jsonl', rows(12, (e) => `{"epoch": ${e}, "loss": ${v || '""'}, "eval_loss": "${v}", "learning_rate": ${JSON.stringify(v)}}`));
  w('hf/trainer_state.json', `{"log_history": [${Array.from({ length: 12 }, (_, e) => `{"epoch": ${e}, "step": ${e}, "loss": ${v || 'null'}, "learning_rate": "${v}"}`).join(',')}]}`);
  w('d2/metrics.json', rows(12, (e) => `{"iteration": ${e}, "total_loss": ${v || 'NaN'}, "lr": ${v || 'Infinity'}}`));
  w('mlruns/0/r1/metrics/loss', rows(12, (e) => `${1700000000000 + e} ${v} ${e}`));
  w('hf/config.yaml', `learning_rate: ${v}\nper_device_train_batch_size: ${v}\nnum_train_epochs: ${v}\nwarmup_ratio: ${v}\n`);
}

function cli(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 30_000, env: { ...process.env, NO_COLOR: '1' } });
  assert.notEqual(r.signal, 'SIGTERM', `traindx ${args.join(' ')} hung`);
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function assertNoStack(s: string): void {
  assert.doesNotMatch(s, /^\s+at .+\(.*:\d+:\d+\)$|^\s+at .+:\d+:\d+$|internal error/m, `a stack trace was printed:\n${s}`);
}

describe('robustness: the whole pipeline on bad input', function () {
  this.timeout(600_000);

  it(`fuzzed folders (random bytes and weird numbers under every name) through analyzePaths (${PIPELINE_RUNS} runs)`, async () => {
    const root = tmp();
    let n = 0;
    const content = fc.oneof(
      fc.uint8Array({ maxLength: 2000 }).map((b) => Buffer.from(b)),
      fc.array(fc.oneof(fc.constantFrom(...WEIRD), fc.constantFrom('epoch', 'loss', 'val_loss', 'lr', ':', ',', '=', ' ', '\n', '{', '}', '"', '[', ']', 'Epoch 3/20', '\r\n')), { maxLength: 300 }).map((a) => Buffer.from(a.join(''))),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(fc.constantFrom(...NAMES), fc.nat({ max: 3 }), content), { minLength: 1, maxLength: 6 }), async (files) => {
        const dir = path.join(root, String(n++));
        for (const [name, sub, bytes] of files) {
          const f = path.join(dir, `run${sub}`, name);
          fs.mkdirSync(path.dirname(f), { recursive: true });
          fs.writeFileSync(f, bytes);
        }
        checkResult(await analyzePaths([dir]));
        fs.rmSync(dir, { recursive: true, force: true });
      }),
      fcParams(200, { fuzz: true, share: 0.1, minRuns: 20 }),
    );
  });

  it('NaN, ±Infinity, overflow and empty values in every format: no throw, JSON output stays valid', async () => {
    for (const v of WEIRD) {
      const dir = tmp();
      weirdLogs(dir, v);
      const r = await analyzePaths([dir]);
      checkResult(r);
      assert.ok(r.files.length >= 9, `${v}: ${r.files.length} files`);
      fs.rmSync(dir, { recursive: true, force: true });
    }
    const dir = tmp();
    weirdLogs(dir, 'nan');
    for (const format of ['json', 'sarif']) {
      const r = cli(['check', dir, '--format', format, '--fail-on', 'never']);
      assert.equal(r.status, 0, r.stderr);
      assertNoStack(r.stderr);
      JSON.parse(r.stdout);
    }
  });

  describe('on real logs', function () {
    before(function () {
      skipWithoutRealLogs(this);
    });

    it(`mutated real log folders through analyzePaths (${PIPELINE_RUNS} runs)`, async () => {
      const srcs = [
        ['pl_csv_resnet18_onecycle', 'metrics.csv'],
        ['keras_brats_unet_plateau', 'training.log'],
        ['hf_tinyllama_lora_sft', 'trainer_state.json'],
        ['detectron2_maskrcnn_appended_restarts', 'metrics.json'],
        ['text_paddle_hdrunet_initloss', 'HDRUNet_v1.log'],
      ]
        .map((p) => realLog(...p))
        .map((f) => ({ name: path.basename(f), bytes: fs.readFileSync(f).subarray(0, 200_000) }));
      const root = tmp();
      let n = 0;
      await fc.assert(
        fc.asyncProperty(
          fc.nat({ max: srcs.length - 1 }),
          fc.array(fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.constantFrom(...WEIRD, '\n', ',', '"'), fc.nat({ max: 8 })), { maxLength: 12 }),
          async (i, edits) => {
            let b = srcs[i].bytes;
            for (const [at, insert, del] of edits) {
              const k = Math.floor(at * b.length);
              b = Buffer.concat([b.subarray(0, k), Buffer.from(insert), b.subarray(Math.min(b.length, k + del))]);
            }
            const dir = path.join(root, String(n++));
            fs.mkdirSync(dir);
            fs.writeFileSync(path.join(dir, srcs[i].name), b);
            checkResult(await analyzePaths([dir]));
            fs.rmSync(dir, { recursive: true, force: true });
          },
        ),
        fcParams(200, { fuzz: true, share: 0.1, minRuns: 20 }),
      );
    });
  });

  describe('paths that cannot be read as a log: traindx check says so, never a stack trace', () => {
    let dir: string;
    before(function () {
      if (!fs.existsSync(CLI)) {
        skipBecause(this, `${CLI} is absent; run node esbuild.mjs`);
      }
      dir = tmp();
      fs.writeFileSync(path.join(dir, 'ok.log'), 'epoch: 0 loss: 1.0\nepoch: 1 loss: 0.5\n');
    });

    it('a FIFO named on the command line: a clear message, exit 2, no hang', function () {
      const fifo = path.join(dir, 'pipe.log');
      spawnSync('mkfifo', [fifo]);
      if (!fs.existsSync(fifo)) skipBecause(this, 'mkfifo is unavailable, so there is no FIFO to name');
      const r = cli(['check', fifo]);
      assertNoStack(r.stderr);
      assert.equal(r.status, 2, `stdout: ${r.stdout}\nstderr: ${r.stderr}`);
      assert.match(r.stderr, /pipe\.log: not a regular file or folder/);
      // Inside a folder a FIFO is skipped (only regular files are read), so the rest is analysed.
      const inFolder = cli(['check', dir, '--fail-on', 'never']);
      assert.equal(inFolder.status, 0, inFolder.stderr);
      assert.match(inFolder.stdout, /in 1 log \(2 points\)/);
      fs.unlinkSync(fifo);
    });

    it('a folder where a log file is expected is searched as a folder', () => {
      const d = path.join(dir, 'nested', 'train.log');
      fs.mkdirSync(d, { recursive: true });
      const r = cli(['check', d]);
      assertNoStack(r.stderr);
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.stdout, /0 findings in 0 logs/);
    });

    it('a dangling symlink: named, "no such file" and exit 2; inside a folder, "could not read" and the rest is read', () => {
      const link = path.join(dir, 'gone.log');
      fs.symlinkSync(path.join(dir, 'does-not-exist.log'), link);
      const named = cli(['check', link]);
      assertNoStack(named.stderr);
      assert.equal(named.status, 2);
      assert.match(named.stderr, /gone\.log: no such file or folder/);
      const folder = cli(['check', dir, '--fail-on', 'never']);
      assertNoStack(folder.stderr);
      assert.equal(folder.status, 0);
      assert.match(folder.stdout, /could not read .*gone\.log: ENOENT/);
      fs.unlinkSync(link);
    });

    it('a file without read permission (chmod 000): a "could not read" note, no stack trace', function () {
      if (process.getuid?.() === 0) {
        skipBecause(this, 'running as root, which reads a chmod 000 file anyway; the FIFO, folder and symlink cases above cover unreadable paths');
      }
      const f = path.join(dir, 'secret.log');
      fs.writeFileSync(f, 'epoch: 0 loss: 1\n');
      fs.chmodSync(f, 0);
      const r = cli(['check', f, '--fail-on', 'never']);
      fs.chmodSync(f, 0o644);
      assertNoStack(r.stderr);
      assert.match(r.stdout + r.stderr, /secret\.log.*(EACCES|permission)/i);
    });

    // A blocking open() of a FIFO never returns without a writer and holds a libuv pool thread (4 such
    // files stall every fs call of the process, and process.exit waits for it): the tail stats first.
    it('LogFile on a FIFO answers (a message or missing) instead of blocking for ever', async () => {
      const fifo = path.join(dir, 'core-pipe.log');
      spawnSync('mkfifo', [fifo]);
      const ws = new AnalysisWorkspace();
      const lf = new LogFile(fifo);
      const t = await Promise.race([lf.poll().then(() => 'answered'), new Promise((r) => setTimeout(() => r('blocked'), 2000))]);
      assert.equal(t, 'answered');
      await ws.updateLog(fifo);
    });
  });
});
