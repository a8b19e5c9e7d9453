import type { Scenario } from './scenario';

export const divergence: Scenario = {
  id: 'divergence',
  title: 'Divergence: NaN/Inf values, exploding loss and loss spikes',
  summary:
    'The loss or gradient norm became NaN/Inf, shot up by orders of magnitude, or spiked suddenly: the run is broken or about to be.',
  symptoms:
    'A logged loss, gradient norm or metric reads `nan` or `inf`; or the loss jumps from its usual range to 10 to 1000 ' +
    'times higher and does not come back; or it spikes for a few steps and then slowly recovers. A gradient-norm spike ' +
    'often appears a few steps before the loss one. In Hugging Face logs the NaN may be hidden: with the default ' +
    '`logging_nan_inf_filter=True` a NaN/Inf training loss is replaced by the average of recent losses, so the train loss ' +
    'looks normal while `eval_loss` is NaN or accuracy drops to chance. Divergence need not produce a NaN at all: a run can ' +
    'learn for a while and then climb back to where it started and stay there, or a loss with no lower bound (a negative ' +
    'log-likelihood whose predicted variance can shrink forever) can run down through −10⁴, −10⁶, −10⁸ without ever ' +
    'becoming non-finite.',
  why:
    'Once one update is too large, the next gradients are larger still and the weights run away; a single NaN then spreads ' +
    'to every weight it touches and never leaves. Common triggers: a learning rate too high for the current curvature ' +
    '(often no warmup, or a scaled-up batch); exploding gradients in deep or recurrent networks, where the gradient is a ' +
    'product of many Jacobians (Pascanu et al.); float16 overflow, since its largest finite value is 65,504; log(0), ' +
    'division by zero or sqrt of a negative number in a custom loss; and bad inputs (NaN in the data, corrupt samples). ' +
    'Loss spikes also happen in healthy large runs: PaLM saw about 20 despite gradient clipping, traced to particular ' +
    'batches meeting a particular parameter state. A cross-entropy loss far above ln(C) at step 0 (2.30 for C = 10 ' +
    'classes) points to an initialization or label problem rather than to the learning rate. A loss falling without bound ' +
    'is a modelling bug, not an optimisation one: the objective rewards pushing a parameter to infinity (a Gaussian ' +
    'likelihood whose σ goes to 0 on points it fits exactly, a sign flipped in the loss), so a smaller LR only slows the run.',
  fixes: [
    'Clip the global gradient norm: `torch.nn.utils.clip_grad_norm_(model.parameters(), max_norm=1.0)` before `optimizer.step()` (Hugging Face `max_grad_norm=1.0` is the default; timm `--clip-grad 1.0`; Lightning `gradient_clip_val=1.0`). Pascanu et al. rescale g to threshold·g/‖g‖ whenever ‖g‖ exceeds the threshold.',
    'Lower the learning rate by 2 to 10× and add or lengthen warmup (for example 5 epochs, or 6–10 % of the steps).',
    'With mixed precision use bf16 where the hardware supports it, or keep a dynamic loss scaler (`torch.cuda.amp.GradScaler`), which skips steps with Inf gradients and lowers the scale.',
    'Find the first non-finite value: check inputs and labels with `torch.isfinite`, enable `torch.autograd.set_detect_anomaly(True)` for a few steps, add epsilons inside log and division (for example log(p + 1e-8)).',
    'For Hugging Face runs set `logging_nan_inf_filter=False` so NaN losses are written to the log, and read `grad_norm` next to `loss`.',
    'For a spike in a long run, resume from a checkpoint about 100 steps before it and skip the next 200–500 batches (the PaLM recipe); stop early if the loss never recovers.',
  ],
  example: {
    situation:
      'A transformer fine-tune in fp32 logs loss 2.1 at step 0 falling to 1.4 by step 800, with grad_norm near 0.9. At ' +
      'step 812 grad_norm is 35, at step 813 the loss is 9.7, and from step 815 the logged loss sits at 1.52 on every line ' +
      'while eval_loss at step 1000 is NaN. The config has `max_grad_norm=0` and `learning_rate=1e-3`.',
    question: 'What happened, and what should change?',
    answer:
      'The gradient norm grew about 40× in one step, the unclipped update blew up the loss, and two steps later the ' +
      'weights held NaN; the flat 1.52 is Hugging Face replacing each NaN loss with a recent average. With clipping disabled ' +
      '(max_grad_norm=0) nothing capped that step, and 1e-3 is far above the usual fine-tuning range (2e-5 to 5e-5 for ' +
      'Adam). Restore clipping at 1.0, lower the rate to 5e-5 with 6 % warmup, set logging_nan_inf_filter=False, and ' +
      'restart from the last finite checkpoint.',
  },
  references: [
    {
      title: 'On the difficulty of training recurrent neural networks',
      authors: 'R. Pascanu, T. Mikolov, Y. Bengio',
      year: 2013,
      where: 'ICML 2013, arXiv:1211.5063',
    },
    {
      title: 'Hugging Face TrainingArguments: logging_nan_inf_filter, max_grad_norm',
      where: 'huggingface/transformers: src/transformers/training_args.py',
    },
    {
      title: 'PaLM: Scaling Language Modeling with Pathways (section 5.1, training instability)',
      authors: 'A. Chowdhery et al.',
      year: 2022,
      where: 'arXiv:2204.02311',
    },
    {
      title: 'AUTOTRAINER: An Automatic DNN Training Problem Detection and Repair System (NaN or loss ≥ 1e3 flags)',
      authors: 'X. Zhang, J. Zhai, S. Ma, C. Shen',
      year: 2021,
      where: 'ICSE 2021 (shiningrain/AUTOTRAINER)',
    },
    {
      title: 'Amazon SageMaker Debugger built-in rules: ExplodingTensor',
      where: 'https://docs.aws.amazon.com/sagemaker/latest/dg/debugger-built-in-rules.html',
    },
  ],
  quiz: [
    {
      id: 'divergence-1',
      scenario: 'divergence',
      statement:
        'If a Hugging Face Trainer log shows no NaN in the training loss, the run cannot have produced NaN losses.',
      answer: false,
      explanation:
        'With the default logging_nan_inf_filter=True, NaN and Inf training losses are replaced by the average of recent ' +
        'losses before logging. Look at grad_norm and eval_loss, or set logging_nan_inf_filter=False.',
    },
  ],
};
