import type { Scenario } from './scenario';

export const lrRange: Scenario = {
  id: 'lr-range',
  title: 'Learning rate too high or too low, read from the loss curve',
  summary:
    'The training loss stays flat, ends above its start, sits at ln C (the loss of a uniform guess over C classes), or climbs while a warmup raises the rate: the learning rate is outside the usable range.',
  symptoms:
    'Over a long stretch of the run the training loss stays where it began, or ends higher than its first values. With a ' +
    'rate far too small the curve is almost a straight line with a tiny slope; with a rate far too large it bounces around ' +
    'a high level (for a classifier often near ln C, the loss of a uniform guess over C classes: 2.30 for 10 classes, 6.91 ' +
    'for 1000) or drifts upwards. During a warmup the loss falls at first, then turns and rises once the rate passes what ' +
    'the network tolerates.',
  why:
    'Gradient descent only makes progress when each step is small enough for the local slope to stay informative and ' +
    'large enough to move the weights measurably. Below that window the weights barely change between logs; above it a ' +
    'step overshoots the valley it aimed at, lands on a steeper wall and the next step is larger still, so the loss ' +
    'oscillates or grows (without necessarily reaching NaN). The usable window is a property of the model, the data, the ' +
    'batch size and the optimizer together, so a value copied from another recipe can miss it by an order of magnitude. ' +
    'Adam-type optimizers add a second reason at the start: their second-moment estimate is based on very few gradients ' +
    'in the first steps, so without a warmup the effective step is erratic exactly when the weights are most fragile ' +
    '(this is why transformer recipes warm up). A warmup itself is a slow sweep over rates: if the loss turns upward ' +
    'while it climbs, the peak it climbs to is past the edge.',
  fixes: [
    'Run an LR range test (Smith, 2017): from the current weights, train a few hundred steps while raising the rate exponentially from about a tenth of the current value to ten times it, logging the loss at every step; in PyTorch Lightning `Tuner(trainer).lr_find(model, min_lr=…, max_lr=…)`, in fastai `learn.lr_find()`.',
    'Read the curve: the loss falls fastest somewhere in the middle and shoots up past some rate. Take a peak rate a little below the point where it shoots up (Smith uses the steepest-descent region; a common safe choice is 1/3 to 1/10 of the blow-up rate).',
    'If the loss rose while the warmup raised the rate, set the peak near the rate logged where the loss was lowest during the warmup, or lengthen the warmup.',
    'For Adam/AdamW on transformers keep a warmup (a few hundred steps, or 3–10 % of the run) before the peak rate, whatever the batch size.',
    'A flat loss with a sensible rate can also mean a bug: frozen parameters, labels shuffled apart from inputs, a loss on the wrong outputs. Check that the model can overfit a single small batch before tuning the rate.',
    'A loss at ln C (ln V for a language model over V tokens) means the model gives every class the same probability: it has learned nothing, not even the class frequencies. A fresh C-way head starts there, so a loss that stays there for a third of the run or more is stuck, whatever its slope. traindx says so only when the config states C (timm `num_classes`, a Lightning model\'s `num_classes`, a script\'s `num_classes=` / `num_labels=` or softmax `Dense(C)`) and the loss started within 10 % of ln C; a detector\'s class count is never used, its loss being a sum of other terms. Besides the rate, look at the inputs (unscaled pixels in 0–255 saturate the first layers) and at the labels (one-hot over the wrong number of classes, shuffled apart from the inputs).',
  ],
  example: {
    situation:
      'A 10-class image classifier trained from scratch with SGD at lr 0.5 logs a training loss of 2.31 at the first ' +
      'log, 2.29 after 2 epochs and 2.30 after 20 epochs; validation accuracy hovers around 10 %.',
    question: 'What is wrong, and how would you pick a new rate?',
    answer:
      'The loss never leaves ln 10 = 2.30, the value of predicting every class with equal probability, and accuracy is ' +
      'at chance: after twenty epochs nothing has been learned. The rate is most likely far too high (or far too low). ' +
      'Run a range test from 0.05 to 5 (a tenth to ten times 0.5) over a few hundred iterations, and restart with a peak ' +
      'rate below where the loss blows up, probably around 0.05 to 0.1 for SGD with momentum on this kind of network.',
  },
  references: [
    {
      title: 'Cyclical Learning Rates for Training Neural Networks (section 3.3, the LR range test)',
      authors: 'L. N. Smith',
      year: 2017,
      where: 'WACV 2017, arXiv:1506.01186',
    },
    {
      title: 'A disciplined approach to neural network hyper-parameters: Part 1',
      authors: 'L. N. Smith',
      year: 2018,
      where: 'arXiv:1803.09820',
    },
    {
      title: 'On the Variance of the Adaptive Learning Rate and Beyond (why Adam needs a warmup)',
      authors: 'L. Liu, H. Jiang, P. He, W. Chen, X. Liu, J. Gao, J. Han',
      year: 2020,
      where: 'ICLR 2020, arXiv:1908.03265',
    },
    {
      title: 'PyTorch Lightning Tuner.lr_find',
      where: 'Lightning-AI/pytorch-lightning: src/lightning/pytorch/tuner/lr_finder.py',
    },
  ],
  quiz: [
    {
      id: 'lr-range-2',
      scenario: 'lr-range',
      statement: 'A 10-class classifier whose training loss falls from 2.40 to 2.29 over the run has learned something.',
      answer: false,
      explanation:
        'ln 10 = 2.30 is the loss of predicting every class with probability 1/10. A fresh head starts near it (2.40 is within ' +
        '5 %), and ending at 2.29 is still the uniform guess: the drop is the head settling, not learning. Accuracy will be at ' +
        'chance (about 10 %). Check the rate with a range test around it, then the inputs and labels.',
    },
    {
      id: 'lr-range-1',
      scenario: 'lr-range',
      statement: 'A training loss that stays flat for many epochs always means the learning rate is too low.',
      answer: false,
      explanation:
        'A rate far above the usable window also gives a flat (bouncing) loss, often near the uniform-guess level ln C. ' +
        'A range test from a tenth to ten times the current rate tells the two apart: the loss falls somewhere in that ' +
        'sweep when the rate was too low, and only at the low end when it was too high.',
    },
  ],
};
