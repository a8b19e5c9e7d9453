import type { Scenario } from './scenario';

export const fineTuning: Scenario = {
  id: 'fine-tuning',
  title: 'Fine-tuning a pretrained model: small learning rate, freeze first',
  summary:
    'Fine-tuning every layer at a from-scratch learning rate wipes out what the pretrained weights knew; use about a tenth of it and unfreeze gradually.',
  symptoms:
    'The configuration loads pretrained weights but uses the learning rate of training from scratch (SGD 0.01 to 0.1, or ' +
    'Adam 1e-3) for all layers at once. In the first epochs the loss rises or stays high instead of dropping quickly, and ' +
    'the final validation score is no better, or worse, than training from scratch or than a linear classifier on frozen ' +
    'features.',
  why:
    'Pretrained weights sit in a good region for the source task, and early layers hold generic features ' +
    '(first-layer filters resemble Gabor edges and colour blobs) that transfer well, while the last layers are task-specific (Yosinski et al.). The new head starts random, so its ' +
    'first gradients are large and noisy; at a from-scratch η they flow back into the backbone and move it far from the ' +
    'pretrained solution in a few hundred steps, after which the model has to relearn features from a small dataset. ' +
    'Published recipes therefore use about 0.1× the scratch rate: Caffe fine-tunes with base_lr 0.001 against 0.01 from ' +
    'scratch; BERT uses Adam 2e-5 to 5e-5; the Keras guide trains the head on a frozen base first and then unfreezes with ' +
    'Adam 1e-5. ULMFiT adds discriminative rates (each lower layer gets the rate of the layer above divided by 2.6) and ' +
    'gradual unfreezing from the top. Better ImageNet models tend to transfer better (Kornblith et al.), but only if ' +
    'fine-tuning does not erase them.',
  fixes: [
    'Stage 1: freeze the backbone (`requires_grad = False`, or `trainable = False` in Keras) and train only the new head for a few epochs at the normal rate (for example SGD 0.01 or Adam 1e-3).',
    'Stage 2: unfreeze the top blocks, then more if the data allow, with about 0.1× the scratch rate (SGD 0.001 at batch 256; Adam/AdamW 1e-5 to 5e-5) and a short warmup.',
    'Use parameter groups so the head learns faster than the backbone (for example head 1e-3, backbone 1e-4), or layer-wise decay (timm `--layer-decay 0.75`, ULMFiT factor 2.6 per layer).',
    'Keep BatchNorm layers of a frozen backbone in inference mode (`model.eval()` for those modules; Keras `training=False`), so their running statistics are not overwritten by small batches.',
    'With few labelled examples (a few thousand or less) keep more layers frozen; with a target domain far from the source (medical scans versus ImageNet photos) expect to unfreeze more, but still at a low rate.',
  ],
  example: {
    situation:
      'A team fine-tunes an ImageNet-pretrained VGG-16 on 4,000 chest X-ray images. They replace the classifier and train ' +
      'all layers with SGD η = 0.01 (the rate used from scratch). Training loss rises during the first epoch, and the ' +
      'final validation accuracy is 6 points below a logistic regression on frozen VGG features.',
    question: 'Why did the transfer fail, and what schedule would keep the pretrained benefit?',
    answer:
      'η = 0.01 applied to every layer let the random new classifier drag the convolution weights away from their ' +
      'pretrained values. Instead: freeze conv1 to conv5 and train the classifier alone for 3 to 5 epochs at 0.01; then ' +
      'unfreeze the last convolution block with η = 0.001 (0.1× the scratch rate), keeping the first blocks frozen; ' +
      'unfreeze further only if the validation score keeps improving.',
  },
  references: [
    {
      title: 'How transferable are features in deep neural networks?',
      authors: 'J. Yosinski, J. Clune, Y. Bengio, H. Lipson',
      year: 2014,
      where: 'NeurIPS 2014, arXiv:1411.1792',
    },
    {
      title: 'Universal Language Model Fine-tuning for Text Classification (ULMFiT)',
      authors: 'J. Howard, S. Ruder',
      year: 2018,
      where: 'ACL 2018, arXiv:1801.06146',
    },
    {
      title: 'Do Better ImageNet Models Transfer Better?',
      authors: 'S. Kornblith, J. Shlens, Q. V. Le',
      year: 2019,
      where: 'CVPR 2019, arXiv:1805.08974',
    },
    {
      title: 'BERT: Pre-training of Deep Bidirectional Transformers for Language Understanding (fine-tuning: Adam 5e-5, 3e-5, 2e-5)',
      authors: 'J. Devlin, M.-W. Chang, K. Lee, K. Toutanova',
      year: 2019,
      where: 'NAACL 2019, arXiv:1810.04805',
    },
    {
      title: 'Caffe fine-tuning example (base_lr 0.001 versus 0.01 from scratch)',
      where: 'BVLC/caffe: models/finetune_flickr_style/solver.prototxt, models/bvlc_reference_caffenet/solver.prototxt',
    },
    {
      title: 'Keras guide: Transfer learning & fine-tuning',
      where: 'keras-team/keras-io: guides/transfer_learning.py',
    },
  ],
  quiz: [
    {
      id: 'review-6',
      scenario: 'fine-tuning',
      statement:
        'Using a large learning rate when fine-tuning a pretrained network is a good way to make it adjust to the new data quickly.',
      answer: false,
      explanation:
        'Large steps overwrite the pretrained features before the new head has learned anything useful. A rate around a ' +
        'tenth of the scratch value (or Adam 1e-5 to 5e-5), with the early layers frozen at first, keeps what was learned.',
    },
  ],
};
