/**
 * Gradient clipping added to a plain PyTorch loop: `torch.nn.utils.clip_grad_norm_(<the optimizer's
 * parameters>, max_norm)` on the line before each `optimizer.step()`, where the gradients are final.
 * The parameters are taken from the optimizer itself (`param_groups`), the one name certainly in scope
 * at the step. Not offered under AMP (`scaler.step(optimizer)`): the gradients there are still scaled
 * until `scaler.unscale_(optimizer)`, and clipping them as they are would clip at the wrong norm.
 */
import type { TextEdit } from '../config/edits';
import type { TrainingConfig } from '../config/training-config';
import { editableScript, isEditableScript, ensureImport } from './edit-call';
import { loopSteps } from './loop-steps';
import { rangeOf } from './syntax';

export const LOOP_CLIP_CALL = 'clip_grad_norm_';

export function loopGradClip(cfg: TrainingConfig, text: string, maxNorm: number): TextEdit[] {
  if (!isEditableScript(cfg)) return [];
  const s = editableScript(text);
  const steps = loopSteps(s.src);
  if (steps.length === 0 || steps.some((st) => st.scaled)) return [];
  const torch = [...s.bindings.imports].find(([, target]) => target === 'torch')?.[0];
  const imp = torch ? [] : ensureImport(s, 'clip_grad_norm_', (b) => b === 'torch.nn.utils.clip_grad_norm_', 'from torch.nn.utils import clip_grad_norm_');
  if (!imp) return [];
  const fn = torch ? `${torch}.nn.utils.clip_grad_norm_` : 'clip_grad_norm_';
  const eol = s.src.text.includes('\r\n') ? '\r\n' : '\n';
  const value = Number.isInteger(maxNorm) ? `${maxNorm}.0` : String(maxNorm);
  const edits: TextEdit[] = steps.map((st) => {
    const lineStart = s.src.text.lastIndexOf('\n', st.statement.from - 1) + 1;
    const indent = s.src.text.slice(lineStart, st.statement.from);
    const params = `[p for g in ${st.optimizer}.param_groups for p in g["params"]]`;
    return { range: rangeOf(s.src, lineStart, lineStart), newText: `${indent}${fn}(${params}, max_norm=${value})${eol}` };
  });
  return [...imp, ...edits];
}
