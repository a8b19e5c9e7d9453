import type { Scenario } from './scenario';

export const largeBatch: Scenario = {
  id: 'large-batch',
  title: 'Large batches: scale the learning rate and warm it up',
  summary:
    'A bigger batch with an unchanged (or abruptly scaled) learning rate trains erratically and generalizes worse; scale η with the batch and ramp it up.',
  symptoms:
    'After raising the batch size (more GPUs, gradient accumulation) the loss is noisy or blows up in the first epochs, ' +
    'or it decreases far more slowly per epoch than before, and the final validation accuracy is several points below the ' +
    'small-batch run with the same architecture and epoch count.',
  why:
    'An epoch over N samples makes N/B updates, so going from B = 128 to 1024 leaves 8× fewer steps; if η is unchanged ' +
    'the model travels much less distance in the same epochs and underfits. The linear scaling rule (Goyal et al.) keeps ' +
    'the per-epoch progress of SGD: multiply η by k when B is multiplied by k, i.e. η = η₀·B/B₀, with the common reference ' +
    '0.1 at B₀ = 256 (so 0.4 at 1024 and 3.2 at 8192, where they report no loss of ImageNet accuracy). A large η is ' +
    'unstable while the weights are still random and the gradients large, so they ramp η linearly from the small-batch ' +
    'value to the target over the first 5 epochs; jumping straight to the target makes the training error spike. For ' +
    'Adam-type optimizers the matching rule is square-root scaling, η·√(B/B₀) (Malladi et al.; timm does this for ' +
    '"ada"/"lamb" optimizers; Hoffer et al. argue for √ scaling too). Even with good scaling, large batches tend to settle ' +
    'in sharper minima that generalize worse (Keskar et al.), and the gap shrinks when the number of updates is restored ' +
    '(Hoffer et al.: train longer).',
  fixes: [
    'Compute the effective batch B = per-device batch × devices × gradient-accumulation steps, and set η = 0.1·B/256 for SGD (or η_ref·B/B_ref from your own small-batch run); for Adam/AdamW/LAMB use η_ref·√(B/B_ref).',
    'Warm up linearly over 5 epochs (timm `--warmup-epochs 5`; torchvision `--lr-warmup-epochs 5 --lr-warmup-method linear`) or 6–10 % of the steps for transformer fine-tunes (`warmup_ratio=0.06` to `0.1`; the Hugging Face default is 0).',
    'Clip the global gradient norm (for example `clip_grad_norm_(params, 1.0)`) as a safety net against early spikes.',
    'Above a few thousand samples per batch, consider a layer-wise adaptive optimizer (LARS for SGD, LAMB for Adam) and give the run enough updates: more epochs or a smaller batch if accuracy still lags.',
  ],
  example: {
    situation:
      'A ResNet trains well with batch 128 and SGD η = 0.05 for 90 epochs. Moved to 8 GPUs with batch 128 each (B = 1024) ' +
      'and the same η = 0.05, it reaches 4 points lower accuracy; a second attempt with η = 0.4 from step 0 produces a loss ' +
      'that jumps around and briefly goes to NaN in epoch 1.',
    question: 'What learning-rate setup should the 1024 run use?',
    answer:
      'The batch grew 8×, so by the linear rule η = 0.05 × 8 = 0.4 (the same as 0.1·1024/256). Reach it gradually: start ' +
      'at 0.05 and raise η linearly over the first 5 epochs, then follow the usual decay. With 50,000 training images that ' +
      'is 49 steps per epoch instead of 391, so the warmup covers about 245 steps. If the optimizer were AdamW, the target ' +
      'would be √8 ≈ 2.83 times the small-batch rate instead of 8 times.',
  },
  references: [
    {
      title: 'Accurate, Large Minibatch SGD: Training ImageNet in 1 Hour',
      authors: 'P. Goyal, P. Dollár, R. Girshick, P. Noordhuis, L. Wesolowski, A. Kyrola, A. Tulloch, Y. Jia, K. He',
      year: 2017,
      where: 'arXiv:1706.02677',
    },
    {
      title: 'On Large-Batch Training for Deep Learning: Generalization Gap and Sharp Minima',
      authors: 'N. S. Keskar, D. Mudigere, J. Nocedal, M. Smelyanskiy, P. T. P. Tang',
      year: 2017,
      where: 'ICLR 2017, arXiv:1609.04836',
    },
    {
      title: 'Train longer, generalize better: closing the generalization gap in large batch training of neural networks',
      authors: 'E. Hoffer, I. Hubara, D. Soudry',
      year: 2017,
      where: 'NeurIPS 2017, arXiv:1705.08741',
    },
    {
      title: 'On the SDEs and Scaling Rules for Adaptive Gradient Algorithms',
      authors: 'S. Malladi, K. Lyu, A. Panigrahi, S. Arora',
      year: 2022,
      where: 'NeurIPS 2022',
    },
    {
      title: 'timm train.py (lr = lr_base·global_batch/256, sqrt scaling for ada/lamb, 5 warmup epochs)',
      where: 'huggingface/pytorch-image-models: train.py',
    },
  ],
  quiz: [
    {
      id: 'review-4',
      scenario: 'large-batch',
      statement: 'Raising the batch size is guaranteed to give a model that generalizes better.',
      answer: false,
      explanation:
        'Larger batches mean fewer updates per epoch and a drift toward sharper minima; without scaling the learning rate ' +
        '(linearly for SGD, by the square root for Adam) and warming it up, accuracy usually drops.',
    },
  ],
};
