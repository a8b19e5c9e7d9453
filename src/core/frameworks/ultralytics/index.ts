import type { Framework } from '../framework';
import { ultralyticsFixes } from './fixes';
import { ultralyticsReader } from './reader';
import { validateUltralytics } from './validate';

export const ultralytics: Framework = { id: 'ultralytics', readers: [ultralyticsReader], fixes: ultralyticsFixes, validate: validateUltralytics };
