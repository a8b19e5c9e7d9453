/**
 * The knowledge base: one `Scenario` per `ScenarioId`, the overview table and all quiz items.
 * Pure data, safe to import from core, server, client, CLI and webview builds.
 */
import { SCENARIO_IDS, type ScenarioId } from '../types';
import type { QuizItem, Scenario, SummaryRow } from './scenario';
import { divergence } from './divergence';
import { earlyStopping } from './early-stopping';
import { ensemble } from './ensemble';
import { fineTuning } from './fine-tuning';
import { largeBatch } from './large-batch';
import { lrRange } from './lr-range';
import { lrSchedule } from './lr-schedule';
import { searchStrategy } from './search-strategy';
import { updateRatio } from './update-ratio';
import { weightAveraging } from './weight-averaging';

export type { QuizItem, Reference, Scenario, SummaryRow } from './scenario';

export const SCENARIOS: Readonly<Record<ScenarioId, Scenario>> = {
  'lr-schedule': lrSchedule,
  'early-stopping': earlyStopping,
  'search-strategy': searchStrategy,
  'large-batch': largeBatch,
  ensemble,
  'update-ratio': updateRatio,
  'weight-averaging': weightAveraging,
  'fine-tuning': fineTuning,
  divergence,
  'lr-range': lrRange,
};

/** The scenario of an id; `undefined` for a string that is not a ScenarioId (e.g. from LSP diagnostic data). */
export function getScenario(id: ScenarioId): Scenario;
export function getScenario(id: string): Scenario | undefined;
export function getScenario(id: string): Scenario | undefined {
  return Object.prototype.hasOwnProperty.call(SCENARIOS, id) ? SCENARIOS[id as ScenarioId] : undefined;
}

/** Every quiz item of every scenario, in SCENARIO_IDS order. */
export const QUIZ: readonly QuizItem[] = SCENARIO_IDS.flatMap((id) => SCENARIOS[id].quiz);

/** Overview: what goes wrong, the remedy, and what the remedy is for (the course table, reworded, plus divergence). */
export const SUMMARY_TABLE: readonly SummaryRow[] = [
  { scenario: 'lr-schedule', problem: 'Abrupt learning-rate changes', remedy: 'Cosine annealing (or milder step decay)', goal: 'Steady, kink-free convergence' },
  { scenario: 'early-stopping', problem: 'Overfitting after the best epoch', remedy: 'Early stopping with best-weight restore', goal: 'End the run at the validation minimum' },
  { scenario: 'search-strategy', problem: 'Expensive hyperparameter sweeps', remedy: 'Random (log-uniform) search, about 60 trials', goal: 'More coverage for the same budget' },
  { scenario: 'large-batch', problem: 'Unstable or weak large-batch runs', remedy: 'Scale η with the batch, then warm up', goal: 'Keep update sizes in balance' },
  { scenario: 'ensemble', problem: 'Seed-to-seed variance', remedy: 'Average several independent models', goal: 'Less noise in predictions' },
  { scenario: 'update-ratio', problem: 'Steps too large for the weights', remedy: 'Track ‖Δw‖/‖w‖ against 1e-3', goal: 'Catch a bad learning rate early' },
  { scenario: 'weight-averaging', problem: 'Jittery validation scores', remedy: 'Polyak / EMA / SWA weight averaging', goal: 'Steadier evaluation and selection' },
  { scenario: 'fine-tuning', problem: 'Pretrained knowledge overwritten', remedy: 'About 0.1× learning rate, staged unfreezing', goal: 'Adapt without forgetting' },
  { scenario: 'divergence', problem: 'NaN/Inf or exploding loss', remedy: 'Gradient clipping, lower η, warmup, safe precision', goal: 'Keep the run finite and recoverable' },
  { scenario: 'lr-range', problem: 'Loss that does not go down', remedy: 'An LR range test around the current rate', goal: 'Train inside the usable window of rates' },
];
