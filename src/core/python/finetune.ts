/**
 * Fine-tuning facts: pretrained weights loaded, parameters frozen, a PEFT adapter. These decide whether
 * a high LR overwrites pretrained features (fine-tuning rules), so each is read from what the script
 * does, not from names alone:
 * - pretrained: `X.from_pretrained(name)` on a model class (not a tokenizer, processor or config),
 *   `pretrained=True` on any constructor (timm `create_model`, old torchvision), torchvision
 *   `weights=` other than None, Keras applications (whose `weights` default is "imagenet",
 *   keras/src/applications/resnet.py).
 * - frozen: `p.requires_grad = False`, `m.requires_grad_(False)`, Keras `layer.trainable = False`.
 * - adapter: a PEFT config (`LoraConfig`, `IA3Config`…), `get_peft_model`, `PeftModel.from_pretrained`,
 *   or `peft_config=` handed to a TRL trainer.
 */
import { bool } from '../config/extract';
import { keywordsOf, settingAt } from './context';
import type { Reading } from './context';
import { evaluate, truthy } from './evaluate';
import { isDeadCode } from './calls';
import { argument, dottedName, textOf } from './syntax';

/** `from_pretrained` on these loads no trainable weights. */
const NOT_WEIGHTS = /(Tokenizer|TokenizerFast|Processor|FeatureExtractor|ImageProcessor|Config|GenerationConfig)$/;

export function readPretrained(r: Reading): void {
  for (const c of r.calls) {
    if (r.out.pretrained) return;
    if (c.name === 'from_pretrained') {
      const owner = c.path.split('.').slice(-2, -1)[0] ?? '';
      if (NOT_WEIGHTS.test(owner) || owner === 'PeftModel') continue;
      const arg = argument(c.args, 'pretrained_model_name_or_path', 0);
      const v = evaluate(r, arg?.value);
      const name = v?.kind === 'scalar' && typeof v.value === 'string' ? v.value : true;
      r.out.pretrained = settingAt(r, 'from_pretrained', name, c.node, arg?.value ?? c.node);
      continue;
    }
    const ctx = keywordsOf(r, c);
    const flag = bool(ctx, 'pretrained');
    if (flag?.value) {
      r.out.pretrained = flag;
      continue;
    }
    const weights = c.args.find((a) => a.name === 'weights');
    if (c.path.startsWith('torchvision.models') && weights) {
      const v = evaluate(r, weights.value);
      if (v?.kind === 'scalar' && v.value === null) continue;
      r.out.pretrained = settingAt(r, 'weights', textOf(r.src, weights.value), weights.value);
      continue;
    }
    if (/\.applications\./.test(c.path) && /^[A-Z]/.test(c.name)) {
      const v = weights ? evaluate(r, weights.value) : undefined;
      if (weights && !(v?.kind === 'scalar' && typeof v.value === 'string')) continue; // None or a file: not ImageNet weights we can name
      const value = v?.kind === 'scalar' && typeof v.value === 'string' ? v.value : 'imagenet';
      r.out.pretrained = settingAt(r, 'weights', value, c.node, weights?.value ?? c.node);
    }
  }
}

export function readFreezing(r: Reading): void {
  const cursor = r.src.top.cursor();
  do {
    if (r.out.freeze) return;
    if (cursor.name !== 'AssignStatement') continue;
    const node = cursor.node;
    const target = node.firstChild;
    const value = node.lastChild;
    if (!target || !value || target.name !== 'MemberExpression' || isDeadCode(r, node)) continue;
    const attr = dottedName(r.src, target)?.split('.').pop();
    if (attr !== 'requires_grad' && attr !== 'trainable') continue;
    if (truthy(evaluate(r, value)) === false) r.out.freeze = settingAt(r, attr, true, node, value);
  } while (cursor.next());
  if (r.out.freeze) return;
  const call = r.calls.find((c) => c.name === 'requires_grad_' && truthy(evaluate(r, argument(c.args, 'requires_grad', 0)?.value)) === false);
  if (call) r.out.freeze = settingAt(r, 'requires_grad_', true, call.node);
}

const PEFT_CONFIG = /^(Lora|AdaLora|LoHa|LoKr|IA3|Prefix|PrefixTuning|PromptTuning|PromptEncoder|P?Tuning|OFT|BOFT|VeRA|FourierFT|LNTuning|Bone)Config$/;

export function readAdapter(r: Reading): void {
  for (const c of r.calls) {
    const fromPeft = c.path.startsWith('peft.') || c.path === c.name;
    if (PEFT_CONFIG.test(c.name) && fromPeft) {
      r.out.adapter = settingAt(r, c.name, c.name.replace(/Config$/, '').toLowerCase(), c.node, c.node.firstChild ?? c.node);
      return;
    }
    if ((c.name === 'get_peft_model' && fromPeft) || (c.name === 'from_pretrained' && /(^|\.)Peft\w*Model\w*\.from_pretrained$/.test(c.path))) {
      r.out.adapter = settingAt(r, c.name, 'peft', c.node, c.node.firstChild ?? c.node);
      return;
    }
    const peftArg = c.args.find((a) => a.name === 'peft_config');
    if (peftArg && truthy(evaluate(r, peftArg.value)) !== false) {
      r.out.adapter = settingAt(r, 'peft_config', 'peft', peftArg.value);
      return;
    }
  }
}
