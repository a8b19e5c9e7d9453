import type { Framework } from '../framework';
import { hydraOptunaFixes } from './fixes';
import { hydraSweepReader } from './hydra-reader';
import { optunaRayReader } from './optuna-ray-reader';
import { validatePlain } from '../plain/validate';

/**
 * Search spaces written as data: Hydra multirun sweepers, Optuna and Ray Tune. The settings around the
 * search space are the user's own keys, validated as plain configs (values changed, no key added).
 */
export const hydraOptuna: Framework = { id: 'hydra-optuna', readers: [hydraSweepReader, optunaRayReader], fixes: hydraOptunaFixes, validate: validatePlain };
