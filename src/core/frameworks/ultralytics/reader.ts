/**
 * Ultralytics YOLO `args.yaml` (`vars(self.args)` in `ultralytics/cfg/default.yaml` order) and YOLOv5
 * `opt.yaml` (ultralytics/yolov5 `train.py`, hyperparameters nested under `hyp`, or `hyp` a path).
 * Keys: `lr0` (initial LR; final = lr0·lrf), `batch` (v5 `batch_size`; -1 = AutoBatch), `epochs`,
 * `patience` (epochs without fitness improvement before stopping, default 100), `warmup_epochs`,
 * `model: yolov8n.pt` (weights → pretrained; a `.yaml` model starts from scratch unless `pretrained`),
 * v5 `weights`, `pretrained` (bool or path), `freeze` (int = first N layers, list = layer indices;
 * YOLOv5's `[0]` default freezes nothing), `optimizer` (`auto` ignores lr0 and momentum), `cos_lr`
 * (cosine instead of linear decay), `seed`, `device`. Both always keep a ModelEMA and clip gradients at
 * norm 10 (`trainer.py` `optimizer_step`), and save the best-fitness weights as `weights/best.pt`
 * (`save_model`), without any key.
 */
import type { TrainingConfig } from '../../config/training-config';
import type { CMap } from '../../config/tree';
import { childOf } from '../../config/tree';
import { at, bool, countKeys, first, isNull, mk, num, numberOf, stringOf } from '../../config/extract';
import type { Ctx, StyleReader } from '../../config/extract';
import { freezeValue, pretrainedValue } from '../plain/reader';
import { readUltralyticsSemantics } from './semantics';

const V8_KEYS = ['lrf', 'imgsz', 'mosaic', 'close_mosaic', 'warmup_bias_lr', 'nbs', 'cos_lr', 'box', 'cls', 'dfl', 'hsv_h', 'task', 'mode'];
/**
 * Options of YOLOv5's own `train.py` argparse that its `opt.yaml` dumps (v3–v7 spellings: `img_size`,
 * `notest`/`noval`, `cache_images`…), for an opt.yaml whose `hyp` is a path, not the nested values.
 */
const V5_OPT_KEYS = ['img_size', 'notest', 'noval', 'nosave', 'cache_images', 'multi_scale', 'single_cls', 'sync_bn', 'image_weights', 'linear_lr', 'save_period', 'bbox_interval', 'artifact_alias', 'upload_dataset', 'quad'];

export const ultralyticsReader: StyleReader = {
  style: 'ultralytics',
  rank: 4,
  detect(root: CMap): number {
    const hyp = childOf(root, 'hyp');
    const lr0 = countKeys(root, ['lr0']) > 0 || (hyp?.kind === 'map' && hyp.entries.some((e) => e.key === 'lr0'));
    const n = countKeys(root, V8_KEYS) + countKeys(root, ['weights', 'imgsz', 'noautoanchor', 'evolve']) + countKeys(root, V5_OPT_KEYS);
    if (lr0 && n >= 1) return 5 + n / 10;
    if (n >= 5) return 3 + n / 10;
    return 0;
  },
  extract(ctx: Ctx, out: TrainingConfig): void {
    out.lr = first(num(ctx, 'lr0'), num(ctx, 'hyp.lr0'));
    const batch = first(num(ctx, 'batch'), num(ctx, 'batch_size'));
    if (batch && batch.value > 0) out.batchSize = batch; // -1 = AutoBatch picks it at run time
    out.epochs = num(ctx, 'epochs');
    const patience = num(ctx, 'patience');
    if (patience) out.earlyStopping = patience;
    out.warmup = first(num(ctx, 'warmup_epochs'), num(ctx, 'hyp.warmup_epochs'));
    if (out.warmup) out.warmupUnit = 'epochs';
    const opt = at(ctx, 'optimizer');
    if (opt && stringOf(opt.node)) out.optimizer = mk(ctx, opt, stringOf(opt.node) as string);
    const cos = bool(ctx, 'cos_lr');
    if (cos) out.scheduler = { ...cos, value: cos.value ? 'cosine' : 'linear' };
    out.seed = num(ctx, 'seed');

    // Pretrained: `model: x.pt` / v5 `weights: x.pt` loads weights; `pretrained: false` says scratch.
    const pre = at(ctx, 'pretrained');
    const preValue = pre && pretrainedValue(pre.node);
    for (const key of ['model', 'weights']) {
      const l = at(ctx, key);
      const s = l && !isNull(l.node) ? stringOf(l.node) : undefined;
      if (l && s && /\.(pt|pth|ckpt|weights)$/i.test(s) && preValue !== false) {
        out.pretrained = mk(ctx, l, s);
        break;
      }
      if (l && key === 'weights' && l.node.kind === 'scalar' && (l.node.value === '' || isNull(l.node))) out.pretrained = mk(ctx, l, false);
    }
    if (!out.pretrained && pre && preValue !== undefined) out.pretrained = mk(ctx, pre, preValue);

    const fr = at(ctx, 'freeze');
    if (fr) {
      let v = freezeValue(fr.node);
      // YOLOv5 reads a single-item list [N] as "the first N layers" ([0], its default, freezes nothing).
      if (Array.isArray(v) && v.length === 1 && at(ctx, 'hyp') && numberOf(fr.node.kind === 'seq' ? fr.node.items[0] : undefined) !== undefined) v = Number(v[0]);
      if (v !== undefined) out.freeze = mk(ctx, fr, v);
    }

    const dev = at(ctx, 'device');
    if (dev) {
      const n = numberOf(dev.node);
      const s = stringOf(dev.node);
      if (n !== undefined && n >= 0) out.devices = mk(ctx, dev, 1);
      else if (s && /^\d+(\s*,\s*\d+)*$/.test(s)) out.devices = mk(ctx, dev, s.split(',').length);
    }
    readUltralyticsSemantics(ctx, out);
  },
};
