import type { Scenario } from './scenario';

export const lrSchedule: Scenario = {
  id: 'lr-schedule',
  title: 'Learning-rate schedule: step decay versus cosine annealing',
  summary:
    'Step decay changes the learning rate in sudden cliffs that show up as kinks in the curves; a cosine schedule lowers it continuously.',
  symptoms:
    'The loss and accuracy curves look like a staircase: flat stretches, then an abrupt change at the same epochs each time ' +
    '(for example 30 and 60). Right after a cliff the training loss usually falls sharply and accuracy jumps; later the ' +
    'validation loss may start to climb again, or, when the scheduler is stepped per batch instead of per epoch or the ' +
    'optimizer state is reset on resume, the training loss itself spikes. With a cosine schedule the same run gives a curve ' +
    'without kinks. A reduce-on-plateau scheduler gives the same cliffs, but by one factor each time and only after a few ' +
    'evaluations without improvement: one schedule reacting to the metric, not a set of milestones. The logged rate also shows ' +
    'schedules that do not fit the run: a smooth decay that reaches its floor with a quarter of the run or more still to go and ' +
    'then stays there (a `T_max` or decay length shorter than the run) or climbs back up (CosineAnnealingLR is periodic past ' +
    '`T_max`), or a whole schedule spent within the first epochs (an epoch scheduler stepped every batch).',
  why:
    '`StepLR(step_size=30, gamma=0.1)` keeps η constant and then multiplies it by 0.1 in one step: from 0.1 to 0.01 between ' +
    'two consecutive epochs, a 90 % change with no transition. The optimizer suddenly takes ten times smaller steps, so the ' +
    'noise level of SGD and the region it explores change at once, and every metric that depends on them moves abruptly. ' +
    'Cosine annealing (Loshchilov & Hutter, SGDR) sets η_t = η_min + ½·(η_max − η_min)·(1 + cos(π·t/T)). Its slope is ' +
    'bounded: the largest change between two epochs is about η_max·π/(2T), i.e. 0.0017 for η_max = 0.1 over T = 90 epochs ' +
    '(under 2 % of the peak), instead of 0.09 at a step. It also stays near the peak at the start (zero slope at t = 0) and ' +
    'flattens out near η_min at the end, so the run spends its last epochs fine-tuning at a small rate. Both schedules reduce ' +
    'η overall; cosine simply spreads the reduction over the whole run. Note that `CosineAnnealingWarmRestarts` (SGDR) jumps ' +
    'back to the peak on purpose at each restart: those jumps are expected, not a bug.',
  fixes: [
    'Replace the step schedule with `CosineAnnealingLR(optimizer, T_max, eta_min=0)`, where `T_max` is the number of scheduler steps in the whole run (epochs, or batches if stepped per batch); set it to the real length of the run, or the rate stops decaying (too long) or rises again (too short).',
    'Add a short linear warmup before the cosine (for example `LinearLR(start_factor=0.1, total_iters=5)` for 5 epochs, chained with `SequentialLR`), especially with large batches.',
    'If you keep step decay, expect kinks at each milestone; use milder drops (gamma 0.5 every 5 epochs or 0.1 every 20 to 30, the CS231n rules of thumb) and keep early stopping or best-checkpoint restore so that a post-drop rise of the validation loss does not cost the final model.',
    'Call `scheduler.step()` at the cadence it was designed for (per epoch for StepLR with epoch milestones, per batch for OneCycleLR and CyclicLR) and after `optimizer.step()`.',
    'When resuming, restore the optimizer and scheduler state dicts as well as the weights, so the rate does not jump back to its initial value.',
  ],
  example: {
    situation:
      'ResNet-18 on CIFAR-10, SGD with momentum 0.9, η = 0.1, 90 epochs. With StepLR(step_size=30, gamma=0.1) the rate is ' +
      '0.1, then 0.01 from epoch 30 and 0.001 from epoch 60; top-1 accuracy leaps by several points at epoch 30 and again ' +
      'at epoch 60, with a flat stretch in between. A second run with CosineAnnealingLR(T_max=90) has a smooth curve.',
    question: 'What does the cosine run do differently, in numbers, and why is its curve smooth?',
    answer:
      'Under cosine the rate is 0.075 at epoch 30, 0.05 at epoch 45, 0.025 at epoch 60 and close to 0 at epoch 90; it ' +
      'never changes by more than about 0.0017 between two epochs, whereas StepLR changes it by 0.09 in a single epoch. ' +
      'Because the step size of the optimizer shrinks a little every epoch instead of tenfold at two milestones, the loss ' +
      'and the accuracy change gradually too. The final accuracy of the two schedules is often similar; the benefit is a ' +
      'predictable curve and one fewer pair of milestones to tune.',
  },
  references: [
    {
      title: 'SGDR: Stochastic Gradient Descent with Warm Restarts',
      authors: 'I. Loshchilov, F. Hutter',
      year: 2017,
      where: 'ICLR 2017, arXiv:1608.03983',
    },
    {
      title: 'torch.optim.lr_scheduler (StepLR, CosineAnnealingLR, CosineAnnealingWarmRestarts, SequentialLR)',
      where: 'pytorch/pytorch: torch/optim/lr_scheduler.py',
    },
    {
      title: 'CS231n notes, Neural Networks Part 3: annealing the learning rate',
      where: 'https://cs231n.github.io/neural-networks-3/',
    },
    {
      title: 'Overfitting in adversarially robust deep learning (the validation metric degrades after the first learning-rate decay)',
      authors: 'L. Rice, E. Wong, J. Z. Kolter',
      year: 2020,
      where: 'ICML 2020, arXiv:2002.11569',
    },
  ],
  quiz: [
    {
      id: 'review-1',
      scenario: 'lr-schedule',
      statement: 'A cosine annealing schedule cuts the learning rate in a few sudden steps spaced several epochs apart.',
      answer: false,
      explanation:
        'That describes step decay. Cosine annealing follows half a cosine wave from the peak down to η_min, so the rate ' +
        'falls a little at every epoch (at most about η_max·π/(2T) per epoch) and never jumps, except at the deliberate ' +
        'restarts of the SGDR variant.',
    },
  ],
};
