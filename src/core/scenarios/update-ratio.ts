import type { Scenario } from './scenario';

export const updateRatio: Scenario = {
  id: 'update-ratio',
  title: 'Update-to-weight ratio: how big each step is compared with the weights',
  summary:
    'The relative size of each update, r = ‖Δw‖/‖w‖, should sit near 1e-3; around 1e-2 or more the learning rate is too high, below 1e-4 too low.',
  symptoms:
    'A logged per-layer ratio r = ‖Δw‖/‖w‖ (update norm over weight norm) stays around 1e-2 or higher for many steps, ' +
    'usually together with a noisy or jumpy loss, growing weight norms and sometimes NaN later on. The opposite case, r ' +
    'below 1e-4 while the loss is flat, means the weights hardly move.',
  why:
    'Δw is the step the optimizer actually applies (η·g for plain SGD, η·m̂/(√v̂ + ε) for Adam), not the raw gradient, so r ' +
    'grows in proportion to η. The CS231n heuristic is that r should be roughly 1e-3: each step changes a weight tensor by ' +
    'about a thousandth of its size. At r = 1e-2 every step moves it by 1 %, so a hundred steps pointing roughly the same way ' +
    'change it by the order of its whole norm; the optimizer overshoots, the loss oscillates and it can diverge. Existing ' +
    'tools use wider alarm bands: DeepDiagnosis flags lr·‖dW‖/‖W‖ outside [1e-5, 1e-1], and the SageMaker WeightUpdateRatio ' +
    'rule only fires outside [1e-8, 10]. Near the end of a decayed schedule r legitimately falls with η (by 100× after two ' +
    '×0.1 drops), so judge it against η/η_peak.',
  fixes: [
    'Log r per parameter tensor every N steps: save a copy of each weight before `optimizer.step()` and compute ‖w_new − w_old‖/‖w_old‖ (skip biases and normalization parameters, whose norms are tiny); compare the median over layers with 1e-3.',
    'If r is near 1e-2 or higher early in training, divide η by about r/1e-3 (10× for r = 1e-2), or add warmup so the first steps are small.',
    'If r stays above 1e-1 or keeps growing, treat it as imminent divergence: lower η and clip the gradient norm (for example to 1.0).',
    'If r is below 1e-4 while the loss is flat, raise η, and check for frozen parameters or vanishing gradients.',
  ],
  example: {
    situation:
      'In the first two epochs of training, a convolution layer with weight norm ‖w‖ ≈ 12 receives updates of norm ' +
      '‖Δw‖ ≈ 0.12 per step with SGD at η = 0.1, so r ≈ 1e-2; the training loss zig-zags between 1.9 and 2.6.',
    question: 'What does the ratio say about the learning rate, and what value should be tried next?',
    answer:
      'r is ten times the usual 1e-3, so every step rewrites about 1 % of the layer: the learning rate is too high. Since r ' +
      'scales with η, lowering η to 0.01 brings r to about 1.2e-3; check that the loss stops zig-zagging and that r then ' +
      'decays with the schedule.',
  },
  references: [
    {
      title: 'CS231n notes, Neural Networks Part 3: ratio of weights to updates (should be around 1e-3)',
      where: 'https://cs231n.github.io/neural-networks-3/ (cs231n/cs231n.github.io: neural-networks-3.md)',
    },
    {
      title: 'DeepDiagnosis: Automatically Diagnosing Faults and Recommending Actionable Fixes in Deep Learning Programs',
      authors: 'M. Wardat, B. D. Cruz, W. Le, H. Rajan',
      year: 2022,
      where: 'ICSE 2022 (DeepDiagnosis/ICSE2022: callback/callbacks.py)',
    },
    {
      title: 'Amazon SageMaker Debugger built-in rules: WeightUpdateRatio (large_threshold 10, small_threshold 1e-8)',
      where: 'https://docs.aws.amazon.com/sagemaker/latest/dg/debugger-built-in-rules.html',
    },
  ],
  quiz: [
    {
      id: 'update-ratio-1',
      scenario: 'update-ratio',
      statement:
        'An update-to-weight ratio ‖Δw‖/‖w‖ of about 1e-2 in the first epochs is a healthy sign that the network is learning quickly.',
      answer: false,
      explanation:
        'The usual target is about 1e-3. A ratio ten times larger means each step changes the weights by about 1 %, which ' +
        'points to a learning rate that is too high and risks oscillation or divergence; lower η by roughly 10×.',
    },
  ],
};
