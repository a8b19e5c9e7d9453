import type { Scenario } from './scenario';

export const ensemble: Scenario = {
  id: 'ensemble',
  title: 'Seed variance: average several independently trained models',
  summary:
    'Runs that differ only in the random seed end at noticeably different scores; averaging their predictions cancels much of that noise.',
  symptoms:
    'Several runs with the same configuration but different seeds finish with validation scores spread over a point or more, ' +
    'sometimes with one seed clearly worse or diverging; a difference between two configurations is smaller than the ' +
    'spread between seeds of one of them.',
  why:
    'Random initialization, data order, augmentation and dropout send each run to a different solution, and each one makes ' +
    'its own partly independent mistakes. Averaging M predictors whose errors have variance σ² and pairwise correlation ρ ' +
    'leaves a variance of ρ·σ² + (1 − ρ)·σ²/M: with ρ = 0.5 and M = 5 that is 0.6·σ², a 40 % cut, and no number of members ' +
    'goes below ρ·σ², which is why the gains shrink after a handful of models. Dietterich gives three reasons ensembles ' +
    'work: statistical (many hypotheses fit the data equally well), computational (each training run stops in a different ' +
    'local optimum) and representational (the average can express functions no single member can). Deep ensembles of 5 ' +
    'randomly initialized networks also give better-calibrated probabilities (Lakshminarayanan et al.). The price is M ' +
    'times the training and inference cost.',
  fixes: [
    'Report mean ± standard deviation over at least 3 to 5 seeds before comparing configurations.',
    'Ensemble the seeds by averaging their predicted probabilities (softmax outputs), not their weights; weights of independently trained networks cannot be averaged.',
    'Vary only the seed (initialization and data order) to keep members equally good; 5 members capture most of the gain.',
    'To cut the cost, use snapshot ensembles (checkpoints of one cyclic-learning-rate run) or weight averaging within one run, and distill the ensemble into a single model for deployment.',
  ],
  example: {
    situation:
      'Five CNNs trained with seeds 0 to 4 reach 91.2, 91.6, 91.0, 91.9 and 91.8 % validation accuracy (mean 91.5 %, ' +
      'spread 0.9 points). Averaging their softmax outputs gives 93.0 %.',
    question: 'Where do the extra 1.5 points come from, and is one seed enough to compare configurations here?',
    answer:
      'The five models misclassify partly different images, so averaging their probabilities cancels errors that only one ' +
      'or two members make; the accuracy rises by 1.5 points over the mean member at 5× the inference cost. One seed is not ' +
      'enough: the 0.9-point spread between seeds is larger than many of the effects people report, so compare means over ' +
      'seeds.',
  },
  references: [
    {
      title: 'Ensemble Methods in Machine Learning',
      authors: 'T. G. Dietterich',
      year: 2000,
      where: 'Multiple Classifier Systems (MCS 2000), Springer LNCS 1857, pp. 1–15',
    },
    {
      title: 'Simple and Scalable Predictive Uncertainty Estimation using Deep Ensembles',
      authors: 'B. Lakshminarayanan, A. Pritzel, C. Blundell',
      year: 2017,
      where: 'NeurIPS 2017, arXiv:1612.01474',
    },
    {
      title: 'Snapshot Ensembles: Train 1, get M for free',
      authors: 'G. Huang, Y. Li, G. Pleiss, Z. Liu, J. E. Hopcroft, K. Q. Weinberger',
      year: 2017,
      where: 'ICLR 2017',
    },
    {
      title: 'Fine-Tuning Pretrained Language Models: Weight Initializations, Data Orders, and Early Stopping',
      authors: 'J. Dodge, G. Ilharco, R. Schwartz, A. Farhadi, H. Hajishirzi, N. Smith',
      year: 2020,
      where: 'arXiv:2002.06305',
    },
    {
      title: 'CS231n notes, Neural Networks Part 3: model ensembles',
      where: 'https://cs231n.github.io/neural-networks-3/',
    },
  ],
  quiz: [
    {
      id: 'ensemble-1',
      scenario: 'ensemble',
      statement:
        'Averaging the predictions of five networks trained with different seeds mainly helps by reducing the variance that comes from each single run.',
      answer: true,
      explanation:
        'Each member errs partly on different examples; the average keeps what they agree on. With error correlation ρ the ' +
        'variance falls from σ² to ρ·σ² + (1 − ρ)·σ²/M, so the gain is large when members disagree and shrinks as M grows.',
    },
  ],
};
