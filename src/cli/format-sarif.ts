import type { AnalysisResult } from '../core/analyze';
import { SCENARIOS } from '../core/scenarios';
import { SCENARIO_IDS, type Severity } from '../core/types';

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', information: 'note', hint: 'note' };

/** SARIF 2.1.0 (OASIS), one rule per scenario id, rule texts from the knowledge base. */
export function formatSarif(r: AnalysisResult): object {
  const version = '0.1.0';
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'traindx',
            version,
            informationUri: 'https://github.com/traindx/traindx',
            rules: SCENARIO_IDS.map((id) => {
              const s = SCENARIOS[id];
              return {
                id,
                name: s.title,
                shortDescription: { text: s.summary },
                fullDescription: { text: s.why },
                help: { text: s.fixes.join('\n'), markdown: s.fixes.map((f) => `- ${f}`).join('\n') },
              };
            }),
          },
        },
        results: r.findings.map((f) => ({
          ruleId: f.scenario,
          ruleIndex: SCENARIO_IDS.indexOf(f.scenario),
          level: LEVEL[f.severity],
          message: { text: f.message },
          locations: [
            {
              physicalLocation: {
                artifactLocation: { uri: sarifUri(f.file) },
                region: f.range
                  ? { startLine: f.range.startLine + 1, startColumn: f.range.startChar + 1, endLine: f.range.endLine + 1, endColumn: f.range.endChar + 1 }
                  : { startLine: f.line },
              },
            },
          ],
          properties: { rule: f.rule, evidence: f.evidence },
        })),
      },
    ],
  };
}

/**
 * A path as a SARIF relative URI reference: encodeURI leaves `#` and `?`, which would end the path
 * (`run#1/train.log` read as `run` with a fragment), so they are escaped too.
 */
export function sarifUri(file: string): string {
  return encodeURI(file).replace(/[#?]/g, (c) => encodeURIComponent(c));
}
