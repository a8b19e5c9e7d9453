/**
 * Whether a training script evaluates on held-out data at all. Early stopping and restoring the best
 * checkpoint both watch a validation metric; a script with none (a GAN like pytorch/examples dcgan,
 * which trains a generator and a discriminator and only saves samples) has nothing to stop on, so
 * the early-stopping hint would be a wrong hint there.
 *
 * Seen as evaluating: `model.eval()`, `torch.no_grad()` / `torch.inference_mode()`, a call of a
 * function named like an evaluation (`test(…)`, `validate(…)`, `evaluate(…)`, `eval_epoch(…)`),
 * a Lightning `validation_step`, HF `eval_dataset=` / an eval strategy, Keras `validation_data` /
 * `validation_split`, a `val`/`test`/`valid` loader, a split named as a string (`for phase in
 * ['train', 'val']`, as the PyTorch transfer-learning tutorial loops). Evaluation done entirely in another module is not
 * seen (then nothing is said: a missed hint, never a wrong one).
 */
import type { Reading } from './context';
import { textOf } from './syntax';

const EVAL_CALL = /^(eval|no_grad|inference_mode|test|validate|validation|evaluate|evaluation|eval_\w+|evaluate_\w+|validate_\w+|val_\w+|test_\w+)$/;
/** A held-out split named as a string (`for phase in ['train', 'val']`, `split='validation'`). */
const SPLIT_NAME = /^(['"])(val|valid|validation|test|eval)\1$/;
const EVAL_KEYWORD = /^(eval_dataset|validation_data|validation_split|val_dataloaders|eval_strategy|evaluation_strategy|do_eval)$/;

export function readValidation(r: Reading): void {
  r.out.validates = evaluates(r);
}

function evaluates(r: Reading): boolean {
  for (const c of r.calls) {
    if (EVAL_CALL.test(c.name)) return true;
    if (c.args.some((a) => a.name !== undefined && EVAL_KEYWORD.test(a.name))) return true;
    if (c.name === 'DataLoader' && /val|test|eval/i.test(c.assignedTo ?? '')) return true;
    // trainer.fit(model, train_loader, val_loader): a third positional argument is validation data.
    if (c.name === 'fit' && c.args.filter((a) => a.name === undefined && a.spread === undefined).length >= 3) return true;
  }
  const cursor = r.src.top.cursor();
  do {
    if (cursor.name === 'String' && SPLIT_NAME.test(textOf(r.src, cursor.node))) return true;
    if (cursor.name !== 'FunctionDefinition') continue;
    const name = cursor.node.getChild('VariableName');
    if (name && /^(validation_step|validation_epoch_end|on_validation_epoch_end|test_step|evaluate|validate)$/.test(textOf(r.src, name))) return true;
  } while (cursor.next());
  return false;
}
