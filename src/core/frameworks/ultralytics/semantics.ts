/**
 * What an Ultralytics config means beyond its keys, from ultralytics/ultralytics
 * `ultralytics/engine/trainer.py` and `ultralytics/cfg/default.yaml`:
 * - `batch` is the total over GPUs (each DDP rank trains on batch / world size; YOLOv5 `batch_size`
 *   likewise), and gradients accumulate up to the nominal batch `nbs` (default 64):
 *   `accumulate = max(round(nbs / batch), 1)`, weight decay scaled by batch·accumulate/nbs;
 * - `optimizer: auto` ignores `lr0` and momentum: SGD at 0.01 beyond 10 000 iterations, else AdamW at
 *   `round(0.002 * 5 / (4 + nc), 6)` (`build_optimizer`);
 * - `warmup_epochs` default 3.0; best.pt is kept on fitness = 0.1·mAP50 + 0.9·mAP50-95, which
 *   `patience` also watches;
 * - a ModelEMA is always kept and gradients are clipped at norm 10 (`optimizer_step`).
 */
import { first, num } from '../../config/extract';
import type { Ctx } from '../../config/extract';
import type { TrainingConfig } from '../../config/training-config';

const NOMINAL_BATCH = 64;
const WARMUP_EPOCHS = 3;
const CLIP_NORM = 10;

export function readUltralyticsSemantics(ctx: Ctx, out: TrainingConfig): void {
  out.batchScope = 'total';
  out.weightDecay = first(num(ctx, 'weight_decay'), num(ctx, 'hyp.weight_decay'));
  if (out.optimizer && out.optimizer.value.toLowerCase() === 'auto') out.lrIgnored = true;
  out.builtIn = {
    ema: true,
    gradClip: CLIP_NORM,
    restoreBest: true,
    nominalBatch: first(num(ctx, 'nbs'), num(ctx, 'hyp.nbs'))?.value ?? NOMINAL_BATCH,
    monitor: 'fitness',
    // ultralytics/cfg/default.yaml: "lr0: 0.01 # initial learning rate (i.e. SGD=1E-2, Adam=1E-3)".
    recipeLr: { sgd: 1e-2, adam: 1e-3, source: "Ultralytics' own lr0" },
    ...(out.warmup ? {} : { warmup: { value: WARMUP_EPOCHS, unit: 'epochs' as const } }),
  };
}
