import type { AnalyzerOptions } from '../core/workspace';
import type { Severity } from '../core/types';

/** The `traindx.*` settings the server reads (see package.json contributes.configuration). */
export interface TraindxSettings {
  enable: boolean;
  thresholds: Record<string, number>;
  rules: Record<string, { enabled?: boolean; severity?: Severity }>;
  watch: { enabled: boolean; maxFiles: number; exclude: string[] };
}

export const DEFAULT_SETTINGS: TraindxSettings = {
  enable: true,
  thresholds: {},
  rules: {},
  watch: { enabled: true, maxFiles: 20_000, exclude: [] },
};

const SEVERITIES = new Set(['error', 'warning', 'information', 'hint']);

/** Settings come from the user's JSON: keep only well-typed values, fall back to defaults. */
export function normaliseSettings(raw: unknown): TraindxSettings {
  const o = isRecord(raw) ? raw : {};
  const watch = isRecord(o.watch) ? o.watch : {};
  const thresholds: Record<string, number> = {};
  if (isRecord(o.thresholds)) {
    for (const [k, v] of Object.entries(o.thresholds)) if (typeof v === 'number' && Number.isFinite(v)) thresholds[k] = v;
  }
  const rules: TraindxSettings['rules'] = {};
  if (isRecord(o.rules)) {
    for (const [k, v] of Object.entries(o.rules)) {
      if (!isRecord(v)) continue;
      rules[k] = {
        enabled: typeof v.enabled === 'boolean' ? v.enabled : undefined,
        severity: typeof v.severity === 'string' && SEVERITIES.has(v.severity) ? (v.severity as Severity) : undefined,
      };
    }
  }
  return {
    enable: typeof o.enable === 'boolean' ? o.enable : DEFAULT_SETTINGS.enable,
    thresholds,
    rules,
    watch: {
      enabled: typeof watch.enabled === 'boolean' ? watch.enabled : DEFAULT_SETTINGS.watch.enabled,
      maxFiles: typeof watch.maxFiles === 'number' && watch.maxFiles > 0 ? Math.floor(watch.maxFiles) : DEFAULT_SETTINGS.watch.maxFiles,
      exclude: Array.isArray(watch.exclude) ? watch.exclude.filter((x): x is string => typeof x === 'string') : [],
    },
  };
}

export function analyzerOptions(s: TraindxSettings): AnalyzerOptions {
  const disabled: string[] = [];
  const severity: Record<string, Severity> = {};
  for (const [id, r] of Object.entries(s.rules)) {
    if (r.enabled === false) disabled.push(id);
    if (r.severity) severity[id] = r.severity;
  }
  return { thresholds: s.thresholds, disabled, severity };
}

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}
