import type { Framework } from '../framework';
import { hydraOptunaFixes } from './fixes';
import { hydraSweepReader } from './hydra-reader';
import { optunaRayReader } from './optuna-ray-reader';

/** Search spaces written as data: Hydra multirun sweepers, Optuna and Ray Tune. */
export const hydraOptuna: Framework = { id: 'hydra-optuna', readers: [hydraSweepReader, optunaRayReader], fixes: hydraOptunaFixes };
