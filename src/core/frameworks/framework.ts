/**
 * What traindx knows about one training framework, in one folder: how its configs are recognised and
 * read (`readers`), how each kind of quick fix is written in its convention (`fixes`), and whether an
 * edited config is still one the framework accepts (`validate`). The registry (index.ts) lists them.
 */
import type { Change } from '../config/changes';
import type { TextEdit } from '../config/edits';
import type { StyleReader } from '../config/extract';
import type { ConfigStyle, TrainingConfig } from '../config/training-config';
import type { CNode } from '../config/tree';

/** What a rule suggests for warmup; a framework writes it in its own unit. */
export interface WarmupHint {
  /** Warmup length in epochs. */
  epochs?: number;
  /** Warmup as a fraction of training. */
  ratio?: number;
}

export interface WarmupWriter {
  /** The amount written for a hint, in this framework's unit (its default when the hint has none). */
  amount(hint: WarmupHint): number;
  edits(cfg: TrainingConfig, text: string, amount: number): TextEdit[];
  title(cfg: TrainingConfig, amount: number): string;
}

export interface GradClipWriter {
  /** The key the fix writes, named in its title (`text`: the config's, for a writer whose key depends on it). */
  key(cfg: TrainingConfig, text?: string): string;
  edits(cfg: TrainingConfig, text: string, maxNorm: number): TextEdit[];
}

/** A fix as a framework writes it: the edits, and the title that says what they do. */
export interface FixDraft {
  title: string;
  edits: TextEdit[];
}

export interface EarlyStoppingWriter {
  /**
   * Undefined when early stopping cannot be written coherently in this config. `patienceFromRun` says
   * whether `patience` was read from the run (else it is the policy's fallback, which a writer that can
   * find a patience in the config itself may prefer).
   */
  write(cfg: TrainingConfig, text: string, patience: number, patienceFromRun?: boolean): FixDraft | undefined;
}

export interface RandomSearchWriter {
  /** How the switch is written, named in the title (`method: random, run_cap`). */
  where: string;
  edits(cfg: TrainingConfig, text: string, trials: number): TextEdit[];
}

/**
 * How a framework writes each kind of fix. A kind the framework cannot express (or already does by
 * itself) is absent; an edit builder that finds nothing safe to write returns no edit.
 */
export interface FixWriters {
  /** Replaces a step-like LR schedule by cosine annealing. */
  cosine?(cfg: TrainingConfig, text: string): TextEdit[];
  warmup?: WarmupWriter;
  gradClip?: GradClipWriter;
  earlyStopping?: EarlyStoppingWriter;
  /** Keeps an exponential moving average of the weights. */
  ema?(cfg: TrainingConfig, text: string, decay: number): TextEdit[];
  randomSearch?: RandomSearchWriter;
  freezeBackbone?(cfg: TrainingConfig, text: string): TextEdit[];
}

/** A config as the validator sees it: what traindx read, the text and its tree. */
export interface ConfigDoc {
  cfg: TrainingConfig;
  text: string;
  root: CNode | undefined;
}

export interface Framework {
  /** The folder name. */
  readonly id: string;
  /** Readers of the config conventions of this framework (one style each). */
  readonly readers: readonly StyleReader[];
  /** Styles read outside the readers' `detect` (Python scripts are recognised by file name). */
  readonly styles?: readonly ConfigStyle[];
  readonly fixes: FixWriters;
  /**
   * What would make the framework refuse the config or not do what it says: each changed key must be
   * one the framework has, of the type its default has; cross-field constraints must hold. `changes`
   * are what an edit wrote (empty when the config is checked as it is). [] = valid.
   */
  validate(doc: ConfigDoc, changes: readonly Change[]): string[];
}
