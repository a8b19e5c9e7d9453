import type { Scenario } from './scenario';

export const earlyStopping: Scenario = {
  id: 'early-stopping',
  title: 'Overfitting: end the run at the validation minimum',
  summary:
    'The validation loss bottomed out many epochs ago while the training loss keeps falling: the extra epochs overfit and burn compute.',
  symptoms:
    'The training loss goes on decreasing, but the validation loss reached its minimum at some epoch and has been flat or ' +
    'rising since; validation accuracy stalls or slips, and the gap between training and validation metrics widens. The ' +
    'checkpoint saved at the end is worse than the one from the best epoch. Runs that log no validation loss show the same ' +
    'thing on the task metric itself: accuracy, F1 or mAP peaks and then slides down over many evaluations (an error rate ' +
    'such as WER climbs back up), while the training loss keeps falling. A metric that instead drops all at once at the ' +
    'last evaluation, far beyond its usual epoch-to-epoch change, is not overfitting but a run that broke in its last ' +
    'stretch; either way the checkpoint to keep is the one from the best evaluation.',
  why:
    'Past the best epoch the network keeps lowering the training loss by fitting details of the training set that do not ' +
    'carry over to new data, so validation error grows while training error shrinks. Every epoch after the minimum costs ' +
    'the same compute as a useful one and makes the last weights worse. Early stopping treats the number of epochs as a ' +
    'hyperparameter chosen on the validation set (Prechelt): track the best validation value, allow `patience` evaluations ' +
    'without an improvement larger than `min_delta`, then stop and go back to the best weights. Library defaults for ' +
    'patience range from 0 to 10 evaluations (Keras 0, Hugging Face 1, Lightning 3, ReduceLROnPlateau 10); note that ' +
    'Lightning and Hugging Face count evaluation calls, not epochs. Prechelt measures the damage as the generalization ' +
    'loss GL(t) = 100·(E_val(t)/E_best − 1) and stops once GL exceeds a threshold α.',
  fixes: [
    'Monitor `val_loss` (mode min) and add an early-stopping callback with patience 5 evaluations and min_delta 0: Keras `EarlyStopping(monitor="val_loss", patience=5, restore_best_weights=True)`; Lightning `EarlyStopping(monitor="val_loss", patience=5)`; Hugging Face `EarlyStoppingCallback(early_stopping_patience=5)`.',
    'Make sure the best weights are what you keep: Keras `restore_best_weights=True`; Lightning `ModelCheckpoint(monitor="val_loss", save_top_k=1)` then load `best_model_path` (its EarlyStopping does not restore); Hugging Face `load_best_model_at_end=True` with `metric_for_best_model="eval_loss"` and matching eval/save strategies.',
    'Evaluate often enough for patience to mean something: at least once per epoch, or every N steps for long epochs.',
    'If the validation loss turns up right after a learning-rate drop, stopping at the best epoch recovers most of the gain; also consider more regularization (weight decay, dropout, augmentation) or more data.',
  ],
  example: {
    situation:
      'A small CNN trains for 60 epochs. Validation loss is lowest at epoch 20 (0.412) and then climbs to 0.580 by ' +
      'epoch 60, while the training loss keeps sliding from 0.30 to 0.05. There is no early-stopping callback and the ' +
      'final weights are the ones exported.',
    question: 'How much was wasted, and what setup would have avoided it?',
    answer:
      '40 of the 60 epochs (two thirds of the compute) came after the best epoch, and the exported model is the worse one: ' +
      'its validation loss is 41 % above the best (GL = 100·(0.580/0.412 − 1) ≈ 40.8). With EarlyStopping(patience=5) ' +
      'and best-weight restore, training would have ended at epoch 25 with the epoch-20 weights, saving 35 epochs (58 %).',
  },
  references: [
    {
      title: 'Early Stopping — But When?',
      authors: 'L. Prechelt',
      year: 1998,
      where: 'Neural Networks: Tricks of the Trade, Springer LNCS 1524, pp. 55–69',
    },
    {
      title: 'Keras EarlyStopping callback',
      where: 'keras-team/keras: keras/src/callbacks/early_stopping.py',
    },
    {
      title: 'PyTorch Lightning EarlyStopping callback',
      where: 'Lightning-AI/pytorch-lightning: src/lightning/pytorch/callbacks/early_stopping.py',
    },
    {
      title: 'Hugging Face EarlyStoppingCallback and TrainingArguments.load_best_model_at_end',
      where: 'huggingface/transformers: src/transformers/trainer_callback.py, src/transformers/training_args.py',
    },
  ],
  quiz: [
    {
      id: 'review-2',
      scenario: 'early-stopping',
      statement:
        'Stopping training once the validation loss no longer improves is a way to limit overfitting.',
      answer: true,
      explanation:
        'After the validation minimum, further epochs mostly fit the training set more tightly; ending the run there ' +
        '(and restoring the best weights) avoids both the worse model and the wasted epochs.',
    },
  ],
};
