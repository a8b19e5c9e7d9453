/**
 * Runs whose logged loss is not expected to go down, so "the loss did not fall" says nothing about
 * the learning rate there:
 * - reinforcement learning: the value and policy losses follow the returns the agent collects, which
 *   grow as it improves (Stable-Baselines3 logs `train/value_loss` beside `rollout/ep_rew_mean`);
 * - adversarial training: the generator's and the discriminator's losses trade off against each
 *   other and oscillate by design (`loss_G` / `loss_D`, `g_loss` / `d_loss`).
 * Recognised by the names of the run's series.
 */
import type { Run } from '../run/run';

const RL_SERIES = /(^|[^a-z])(ep_?rew|reward|episode_?return|ep_?return|returns?)([^a-z]|$)/i;
const GENERATOR = /(^|[^a-z])(g|gen|generator)[_/.]?loss|loss[_/.]?(g|gen|generator)([^a-z]|$)/i;
const DISCRIMINATOR = /(^|[^a-z])(d|disc|discriminator|critic)[_/.]?loss|loss[_/.]?(d|disc|discriminator|critic)([^a-z]|$)/i;

/** Whether the run's loss is an RL or adversarial objective (see the file comment). */
export function lossNotMeantToFall(run: Run): boolean {
  const names = run.names();
  if (names.some((n) => RL_SERIES.test(n))) return true;
  return names.some((n) => GENERATOR.test(n)) && names.some((n) => DISCRIMINATOR.test(n));
}
