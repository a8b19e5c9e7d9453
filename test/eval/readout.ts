import * as fs from 'fs';
import * as path from 'path';
import { isConfigCandidate } from '../../src/core/config/config-candidates';
import { readConfig } from '../../src/core/config/read-config';
import type { TrainingConfig } from '../../src/core/config/training-config';
import type { CaseLabel } from './expectations';

function filesUnder(p: string): string[] {
  if (!fs.existsSync(p)) return [];
  if (!fs.statSync(p).isDirectory()) return [p];
  return fs.readdirSync(p, { withFileTypes: true }).flatMap((d) => filesUnder(path.join(p, d.name)));
}

const FIELDS = ['lr', 'batchSize', 'devices', 'gradAccumulation', 'pretrained', 'freeze', 'adapter', 'layerDecay', 'weightDecay', 'scheduler', 'warmup'] as const;

function summary(c: TrainingConfig): string {
  const parts = FIELDS.flatMap((k) => {
    const s = c[k];
    return s === undefined ? [] : [`${k}=${JSON.stringify(s.value)}`];
  });
  return `${c.style}: ${parts.join(' ') || 'nothing'}`;
}

/**
 * `npm run eval -- --read`: what traindx understood of each case's configs. A recipe that is "clean"
 * because its reader saw no LR or no pretrained weights is a blind spot, not a success.
 */
export function formatReadout(cases: CaseLabel[]): string {
  const lines: string[] = [];
  for (const c of cases) {
    const configs = c.paths
      .flatMap(filesUnder)
      .filter((f) => isConfigCandidate(f) && path.basename(f) !== 'labels.json')
      .flatMap((f) => readConfig(f, fs.readFileSync(f, 'utf8')) ?? []);
    lines.push(`READ   ${c.id}  ${configs.length ? configs.map(summary).join(' | ') : 'no training config read'}`);
  }
  return lines.join('\n');
}
