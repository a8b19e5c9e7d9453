/**
 * Scenario `lr-range`, rule `transformer-no-warmup`: a transformer trained with Adam/AdamW and no LR
 * warmup (none in the config, none built into its framework), whose logged start is unstable.
 *
 * Adam's second-moment estimate v̂ rests on a handful of gradients in the first steps, so the effective
 * step η/√v̂ is erratic exactly when the weights are furthest from any basin; transformers are the
 * architecture where this shows (L. Liu et al., "On the Variance of the Adaptive Learning Rate and
 * Beyond", ICLR 2020, arXiv:1908.03265; R. Xiong et al., "On Layer Normalization in the Transformer
 * Architecture", ICML 2020, arXiv:2002.04745: post-LN transformers diverge without warmup), at any batch.
 *
 * The config alone is not enough to say it: the canonical Hugging Face run_glue recipe fine-tunes BERT
 * with AdamW and `warmup_steps` 0 (the TrainingArguments default) and trains well. So the rule speaks
 * only when a run that read the config shows the trouble: in its first `earlyShare` = 10 % of train-loss
 * points a spike (the divergence rule's R13 test), a value above `ratio` = 1.5 × the opening median, or
 * a non-finite loss (`early-start.ts`); a start that merely fails to fall is not enough. That run must
 * log its LR, and the LR must confirm "no warmup" (first value ≥ 90 % of the peak). Large-batch setups are left to
 * `large-batch-no-warmup`, which says the same with the batch as the reason.
 * - transformer: the model name (`model_name_or_path`, `from_pretrained(...)`) reads as one (BERT, GPT,
 *   T5, LLaMA, ViT, Swin, Whisper, …); a Hugging Face Trainer alone is not enough (it trains MLPs too).
 * → warning on the warmup key when it is written (as 0), else the optimizer, LR or model key.
 */
import type { Setting, TrainingConfig } from '../config/training-config';
import { fmt, fmtEpoch } from '../run/stats';
import type { Finding } from '../types';
import { trainLossSeries, SPIKE_DEFAULTS } from './divergence';
import { earlyStartDetail, type RoughStart } from './early-start';
import { configOptimizerFamily, isLargeBatch, largeBatchNoWarmupRule, warmupState } from './large-batch';
import type { Rule, RunContext, Thresholds } from './rule';
import { configFinding } from './util';

export type TransformerNoWarmupEvidence = {
  key: string;
  model: string;
  optimizer: string | null;
  /** What the log showed: a spike, a blow-up above 1.5× the opening median, or a non-finite loss. */
  trouble: 'spike' | 'blow-up' | 'non-finite';
  ratio: number | null;
  logFile: string;
  logLine: number;
};

const TRANSFORMER_NAME =
  /bert|gpt|(^|[^a-z])t5|llama|mistral|mixtral|qwen|(^|[^a-z])vit|deit|swin|beit|bart|bloom|falcon|(^|[^a-z])opt-|(^|[^a-z])phi-?\d|gemma|whisper|wav2vec|hubert|electra|albert|deberta|xlm|chatglm|baichuan|pythia|codegen|starcoder|(^|[^a-z])mpt-|transformer|(^|[^a-z])clip|(^|[^a-z])mae/i;

/** The model name when the config names a transformer. */
export function transformerModel(c: TrainingConfig): string | undefined {
  const v = c.pretrained?.value;
  return typeof v === 'string' && TRANSFORMER_NAME.test(v) ? v : undefined;
}

/**
 * The LR logged by a run confirms the config's "no warmup": its first value is ≥ 90 % of its peak. A run
 * that does not log its LR cannot confirm it, and the config may name its warmup in a key the reader does
 * not know (`warmup_proportion` in older Hugging Face example scripts, beside a `warmup_steps: 0`).
 */
function noWarmupInLog(ctx: RunContext): boolean {
  const lr = ctx.run.series('lr');
  if (!lr || lr.length < 2) return false;
  let peak = -Infinity;
  for (let i = 0; i < lr.length; i++) if (lr.value(i) > peak) peak = lr.value(i);
  return !(peak > 0) || lr.value(0) >= 0.9 * peak;
}

type Trouble = { ctx: RunContext; rough: Extract<RoughStart, { index: number }> };

function troubleOf(runs: readonly RunContext[], t: Thresholds): Trouble | undefined {
  for (const ctx of runs) {
    if (!noWarmupInLog(ctx)) continue;
    const d = earlyStartDetail(ctx, t);
    if (d.start === 'rough' && d.rough.why !== 'no-fall') return { ctx, rough: d.rough };
  }
  return undefined;
}

function troubleText(tr: Trouble, t: Thresholds): { text: string; line: number; file: string } {
  const s = trainLossSeries(tr.ctx)!;
  const i = tr.rough.index;
  const st = s.step(i);
  const where = Number.isFinite(st) ? `step ${st}` : Number.isFinite(s.epoch(i)) ? `epoch ${fmtEpoch(s.epoch(i))}` : `line ${s.line(i)}`;
  const file = tr.ctx.run.files[s.fileIndex(i)] ?? tr.ctx.logFile;
  const share = `${Math.round(t.earlyShare * 100)}%`;
  const text =
    tr.rough.why === 'non-finite'
      ? `${s.name} is ${fmt(tr.rough.value)} at ${where}, in the first ${share} of training`
      : tr.rough.why === 'spike'
        ? `${s.name} spiked ×${fmt(tr.rough.ratio)} at ${where}, in the first ${share} of training`
        : `${s.name} climbed to ${fmt(tr.rough.value)} (×${fmt(tr.rough.ratio)} its opening level) at ${where}, in the first ${share} of training`;
  return { text, line: s.line(i), file };
}

export const transformerNoWarmupRule: Rule = {
  id: 'transformer-no-warmup',
  scenario: 'lr-range',
  defaultSeverity: 'warning',
  defaults: { earlyShare: 0.1, warmupRatio: 0.06, ...SPIKE_DEFAULTS },
  checkConfig(config: TrainingConfig, t: Thresholds, runs?: readonly RunContext[]): Finding[] {
    const model = transformerModel(config);
    if (!model || configOptimizerFamily(config) !== 'adam' || warmupState(config).kind !== 'off') return [];
    if (isLargeBatch(config, largeBatchNoWarmupRule.defaults)) return [];
    const tr = troubleOf(runs ?? [], t);
    if (!tr) return [];
    const at: Setting<unknown> | undefined = config.warmup ?? config.optimizer ?? config.lr ?? config.pretrained;
    if (!at) return [];
    const seen = troubleText(tr, t);
    const opt = config.optimizer?.value ?? config.builtIn?.optimizer ?? 'Adam';
    const msg =
      `${model} trained with ${opt} and no LR warmup, and ${seen.text}: Adam's step size is erratic while its second-moment estimate rests on a few gradients, and transformers are the models that break on it. ` +
      `Warm up linearly over the first ~${Math.round(t.warmupRatio * 100)}% of the steps (Hugging Face: warmup_ratio=${t.warmupRatio}) or a few hundred steps.`;
    return [
      configFinding(config, 'lr-range', 'transformer-no-warmup', 'warning', msg, at, {
        model,
        optimizer: config.optimizer?.value ?? config.builtIn?.optimizer ?? null,
        trouble: tr.rough.why,
        ratio: Number.isFinite(tr.rough.ratio) ? tr.rough.ratio : null,
        logFile: seen.file,
        logLine: seen.line,
      }),
    ];
  },
};
