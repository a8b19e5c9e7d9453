/**
 * How many classes (or vocabulary entries) a script's cross-entropy spreads over, when the script writes
 * it: a `num_classes=` / `num_labels=` keyword (timm `create_model`, torchvision models, Hugging Face
 * `from_pretrained(…, num_labels=4)`), the units of the last Keras `Dense(C, activation='softmax')`, and
 * a model config's `vocab_size=` (`GPT2Config(vocab_size=…)`). Rules use it for the loss of a uniform
 * guess, ln C, so a count that is not a single-label cross-entropy's must not be read:
 * - scripts that train a detector are skipped whole (their class count feeds box and objectness terms
 *   summed into one loss);
 * - HF `problem_type="multi_label_classification"` (binary cross-entropy per label) or `"regression"`
 *   (MSE) disqualifies a `num_labels=` (huggingface/transformers src/transformers/models/bert/
 *   modeling_bert.py, `BertForSequenceClassification.forward`: CrossEntropyLoss only for
 *   `single_label_classification`);
 * - fewer than 2 classes is a regression head, not a classifier.
 */
import { num, str } from '../config/extract';
import type { Setting } from '../config/training-config';
import type { PyCall } from './calls';
import { asKeyword, keywordsOf } from './context';
import type { Reading } from './context';

/** A script that mentions one of these trains a detector (or uses a library that does). */
const DETECTION = /\b(detection|detectron2|ultralytics|mmdet|yolo\w*|\w*rcnn\w*|retinanet|fcos|detr)\b/i;

const CLASS_KEYWORDS = ['num_classes', 'num_labels', 'n_classes', 'nb_classes'];

export function readClassCount(r: Reading): void {
  if (DETECTION.test(r.src.text)) return;
  for (const call of r.calls) {
    const count = classKeyword(r, call);
    if (count) {
      r.out.numClasses ??= count;
      break;
    }
  }
  r.out.numClasses ??= softmaxUnits(r);
  for (const call of r.calls) {
    const v = num(keywordsOf(r, call), 'vocab_size');
    if (v && Number.isInteger(v.value) && v.value >= 2) {
      r.out.vocabSize ??= v;
      break;
    }
  }
}

function classKeyword(r: Reading, call: PyCall): Setting<number> | undefined {
  if (!call.args.some((a) => a.name !== undefined && CLASS_KEYWORDS.includes(a.name))) return undefined;
  const ctx = keywordsOf(r, call);
  const problem = str(ctx, 'problem_type')?.value;
  if (problem !== undefined && problem !== 'single_label_classification') return undefined;
  for (const key of CLASS_KEYWORDS) {
    const s = num(ctx, key);
    if (s && Number.isInteger(s.value) && s.value >= 2) return s;
  }
  return undefined;
}

/** The units of the last `Dense(…, activation='softmax')`: the output layer of a Keras classifier. */
function softmaxUnits(r: Reading): Setting<number> | undefined {
  let found: Setting<number> | undefined;
  for (const call of r.calls) {
    if (call.name !== 'Dense') continue;
    const ctx = keywordsOf(r, call, asKeyword(call.args[0], 'units'));
    if (str(ctx, 'activation')?.value !== 'softmax') continue;
    const units = num(ctx, 'units');
    if (units && Number.isInteger(units.value) && units.value >= 2) found = units;
  }
  return found;
}
