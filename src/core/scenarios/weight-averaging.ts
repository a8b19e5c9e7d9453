import type { Scenario } from './scenario';

export const weightAveraging: Scenario = {
  id: 'weight-averaging',
  title: 'Weight averaging (Polyak, EMA, SWA) for a steadier model',
  summary:
    'Validation scores bounce from one evaluation to the next; evaluating a running average of the weights gives a steadier and usually better model.',
  symptoms:
    'Validation accuracy goes up and down by a few tenths of a point or more between consecutive evaluations even though ' +
    'the training loss is still decreasing slowly; the best checkpoint is a lucky peak, and the final one can be noticeably ' +
    'below it.',
  why:
    'With a non-zero learning rate, SGD does not settle at a point: the iterates keep moving around a low-loss region, so ' +
    'each evaluation sees a slightly different model. Averaging the iterates removes much of that movement. Polyak & ' +
    'Juditsky proved that the plain running average of stochastic-approximation iterates converges at the best possible ' +
    'rate. In deep learning the usual form is an exponential moving average, θ_ema ← α·θ_ema + (1 − α)·θ_t, which ' +
    'remembers roughly the last 1/(1 − α) updates: 1,000 for α = 0.999, 5,000 for 0.9998, 10,000 for 0.9999. Stochastic ' +
    'Weight Averaging (Izmailov et al.) averages checkpoints taken along the trajectory under a constant or cyclical ' +
    'learning rate and lands in wider optima that generalize better. The training weights keep moving; only the evaluated ' +
    'or exported copy is averaged, so it costs one extra copy of the parameters and no extra gradient computation.',
  fixes: [
    'Keep an EMA copy of the weights updated after every optimizer step (timm `--model-ema --model-ema-decay 0.9998`; `torch.optim.swa_utils.AveragedModel` with an EMA averaging function; TensorFlow `ExponentialMovingAverage`), and evaluate, select and export that copy.',
    'Pick α so that 1/(1 − α) is at most about a tenth of the total updates: 0.999 for runs of about 10k steps, 0.9999 only for runs of 100k steps or more; otherwise the average is dominated by early weights (or use a decay warmup such as min(α, (1 + n)/(10 + n))).',
    'For SWA: after about 75 % of the schedule, switch to a constant or cyclical rate (`SWALR`), average once per epoch, then recompute BatchNorm statistics with `torch.optim.swa_utils.update_bn(loader, swa_model)`.',
    'If the oscillation is large, also look at the cause: a learning rate that is too high or a small batch makes the evaluations noisier.',
  ],
  example: {
    situation:
      'A fine-tuning run of 3 epochs × 500 steps evaluates after each half epoch; validation accuracy reads 88.4, 89.3, ' +
      '88.1, 89.4, 88.6, 89.0 %. The team adds an EMA of the weights with α = 0.9999.',
    question: 'Is α = 0.9999 a good choice here, and what should the EMA curve look like?',
    answer:
      'No: 0.9999 averages over about 10,000 updates but the run has only 1,500, so the EMA would still be mostly the ' +
      'pretrained weights. α = 0.998 (a window of about 500 steps, one epoch) fits. Evaluated on the EMA copy, the ' +
      'accuracy should change much less between evaluations than the raw swings of about one point, and it usually ' +
      'ends at or slightly above the best raw checkpoint, so selecting the final model no longer depends on a lucky peak.',
  },
  references: [
    {
      title: 'Acceleration of Stochastic Approximation by Averaging',
      authors: 'B. T. Polyak, A. B. Juditsky',
      year: 1992,
      where: 'SIAM Journal on Control and Optimization 30(4):838–855',
    },
    {
      title: 'Averaging Weights Leads to Wider Optima and Better Generalization',
      authors: 'P. Izmailov, D. Podoprikhin, T. Garipov, D. Vetrov, A. G. Wilson',
      year: 2018,
      where: 'UAI 2018, arXiv:1803.05407',
    },
    {
      title: 'torch.optim.swa_utils (AveragedModel, SWALR, update_bn)',
      where: 'pytorch/pytorch: torch/optim/swa_utils.py',
    },
    {
      title: 'tf.train.ExponentialMovingAverage (decay typically 0.999, 0.9999)',
      where: 'https://www.tensorflow.org/api_docs/python/tf/train/ExponentialMovingAverage',
    },
    {
      title: 'timm ModelEma (CLI default decay 0.9998)',
      where: 'huggingface/pytorch-image-models: timm/utils/model_ema.py, train.py',
    },
  ],
  quiz: [
    {
      id: 'review-5',
      scenario: 'weight-averaging',
      statement:
        'Evaluating a running (Polyak or exponential) average of the weights damps step-to-step jitter and makes validation scores steadier.',
      answer: true,
      explanation:
        'The averaged copy follows the slow trend of the parameters and filters out the noise of individual SGD steps, so ' +
        'scores measured on it vary less from one evaluation to the next and are usually a little better.',
    },
  ],
};
