import type { Scenario } from './scenario';

export const searchStrategy: Scenario = {
  id: 'search-strategy',
  title: 'Hyperparameter search: random sampling instead of a full grid',
  summary:
    'A full grid multiplies the runs with every extra hyperparameter and tries few values of each; random sampling covers more for the same budget.',
  symptoms:
    'The sweep configuration lists a few values for each of several hyperparameters and asks for every combination, ' +
    'so the number of runs is the product of the list lengths (5 × 4 × 4 = 80, and 400 with a fifth value list of 5). ' +
    'The sweep takes days, the learning rate is tried at only a handful of values, often spaced linearly, and the best ' +
    'result sits at the edge of the grid.',
  why:
    'Usually only one or two hyperparameters matter much for a given problem (Bergstra & Bengio). A grid of n values per ' +
    'axis in d dimensions costs n^d runs but tests just n distinct values of the important one; the rest of the budget ' +
    'repeats those values with unimportant settings. Random search draws every coordinate afresh for each trial, so N trials ' +
    'test N distinct values of every hyperparameter. On the same budget it found models as good or better than the grid ' +
    'in a fraction of the time. There is also a budget-free guarantee: if a trial lands in the best 5 % of the space with ' +
    'probability 0.05, then N trials miss it with probability 0.95^N, so 60 trials hit it at least once with probability ' +
    '1 − 0.95^60 ≈ 95 %, whatever the number of dimensions.',
  fixes: [
    'Replace the grid with random sampling of about 60 trials (W&B `method: random`, Optuna, Ray Tune, `RandomizedSearchCV`).',
    'Sample scale-type hyperparameters log-uniformly: learning rate 10^U(−5, −1), weight decay 10^U(−6, −2); sample dropout uniformly in [0, 0.5]; pick batch size from a short list such as {32, 64, 128, 256}.',
    'Go coarse to fine: a first round of short runs (1 to 5 epochs), then narrow the ranges around the best trials; if the best value lies on the border of a range, widen it.',
    'Stop bad trials early with successive halving or Hyperband, or use a model-based sampler (TPE) once the ranges are sensible.',
  ],
  example: {
    situation:
      'A team is choosing a learning rate from {1e-4, 3e-4, 1e-3, 3e-3, 1e-2}, batch size {32, 64, 128, 256} and dropout ' +
      '{0.1, 0.2, 0.3, 0.5} for a CNN. Each run takes about an hour, and the full grid would need 5 × 4 × 4 = 80 runs.',
    question: 'What should they run instead, and what do they gain?',
    answer:
      '60 random trials (learning rate log-uniform in [1e-4, 1e-2], dropout uniform in [0.1, 0.5], batch size from the ' +
      'list) take 60 hours instead of 80, yet try 60 different learning rates instead of 5, and hit the best 5 % of the ' +
      'space at least once with probability 1 − 0.95^60 ≈ 0.954. Running the first round for 2 epochs each and keeping ' +
      'only the best quarter for full training cuts the cost further.',
  },
  references: [
    {
      title: 'Random Search for Hyper-Parameter Optimization',
      authors: 'J. Bergstra, Y. Bengio',
      year: 2012,
      where: 'Journal of Machine Learning Research 13:281–305',
    },
    {
      title: 'CS231n notes, Neural Networks Part 3: hyperparameter optimization (prefer random search, log-scale sampling, coarse to fine)',
      where: 'https://cs231n.github.io/neural-networks-3/',
    },
    {
      title: 'Hyperband: A Novel Bandit-Based Approach to Hyperparameter Optimization',
      authors: 'L. Li, K. Jamieson, G. DeSalvo, A. Rostamizadeh, A. Talwalkar',
      year: 2018,
      where: 'Journal of Machine Learning Research 18',
    },
  ],
  quiz: [
    {
      id: 'review-3',
      scenario: 'search-strategy',
      statement:
        'When many hyperparameters are tuned at once, trying every combination on a grid uses the budget better than sampling them at random.',
      answer: false,
      explanation:
        'A grid spends most runs repeating the same few values of the hyperparameters that matter. Random sampling tests ' +
        'a new value of each one in every trial, so it reaches good settings with fewer runs; 60 trials already give a ' +
        '95 % chance of landing in the top 5 %.',
    },
  ],
};
