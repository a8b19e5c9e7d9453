/**
 * The effective batch of a config, the way its framework computes it: per-device batch × devices ×
 * gradient accumulation (ANALYZER_ANCHORS §3.6), except where the framework says otherwise:
 * - `batchScope: 'total'`: the batch written is already the total over devices (Ultralytics `batch`,
 *   detectron2 `SOLVER.IMS_PER_BATCH`), so devices do not multiply it;
 * - `builtIn.nominalBatch`: the framework accumulates gradients up to a nominal batch on its own
 *   (Ultralytics `accumulate = max(round(nbs / batch), 1)` with `nbs` 64, ultralytics/engine/trainer.py).
 */
import type { TrainingConfig } from '../config/training-config';

export interface BatchInfo {
  effective: number;
  perDevice: number;
  devices: number;
  accumulation: number;
  /** Whether the written batch is per device or already the total over devices. */
  scope: 'device' | 'total';
  /** The framework's nominal batch the accumulation comes from, when it does. */
  nominal?: number;
}

export function effectiveBatch(c: TrainingConfig): BatchInfo | undefined {
  const b = c.batchSize?.value;
  if (!(typeof b === 'number' && b > 0)) return undefined;
  const d = c.devices?.value && c.devices.value > 0 ? c.devices.value : 1;
  const scope = c.batchScope ?? 'device';
  const written = c.gradAccumulation?.value && c.gradAccumulation.value > 0 ? c.gradAccumulation.value : undefined;
  const nominal = c.builtIn?.nominalBatch;
  const total = scope === 'total' ? b : b * d;
  const a = written ?? (nominal && nominal > 0 ? Math.max(Math.round(nominal / total), 1) : 1);
  const fromNominal = written === undefined && nominal !== undefined && a > 1 ? nominal : undefined;
  return { effective: total * a, perDevice: b, devices: d, accumulation: a, scope, ...(fromNominal ? { nominal: fromNominal } : {}) };
}

/** `1024 (64 × 8 devices × 2 accumulation steps)`, or just `1024` when nothing multiplies it. */
export function batchText(b: BatchInfo): string {
  const parts = [b.scope === 'total' && b.devices > 1 ? `${b.perDevice} over ${b.devices} devices` : String(b.perDevice)];
  if (b.scope === 'device' && b.devices > 1) parts.push(`${b.devices} devices`);
  if (b.accumulation > 1) parts.push(`${b.accumulation} accumulation steps${b.nominal ? ` (to the nominal batch ${b.nominal})` : ''}`);
  return parts.length > 1 || b.scope === 'total' && b.devices > 1 ? `${b.effective} (${parts.join(' × ')})` : String(b.effective);
}
