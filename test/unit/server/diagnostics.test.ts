/**
 * A finding's severity as the editor shows it. The numbers are the LSP specification's
 * DiagnosticSeverity (Error = 1, Warning = 2, Information = 3, Hint = 4), written out here rather than
 * taken from the library the server maps with.
 */
import * as assert from 'node:assert/strict';
import { toDiagnostic } from '../../../src/server/features/diagnostics';
import type { Finding, Severity } from '../../../src/core/types';

function finding(severity: Severity): Finding {
  return { scenario: 'lr-schedule', rule: 'lr-step-drop', severity, message: 'm', file: '/r/output.log', line: 3, evidence: {} };
}

describe('diagnostics: editor severity of a finding', () => {
  const expected: [Severity, number][] = [
    ['error', 1],
    ['warning', 2],
    ['information', 3],
    ['hint', 4],
  ];
  for (const [severity, lsp] of expected) {
    it(`${severity} → DiagnosticSeverity ${lsp}`, () => {
      assert.equal(toDiagnostic(finding(severity)).severity, lsp);
    });
  }

  it('the four severities stay distinct in the editor', () => {
    assert.equal(new Set(expected.map(([s]) => toDiagnostic(finding(s)).severity)).size, 4);
  });

  it('a finding without a range covers its 1-based line, as a 0-based editor line', () => {
    const d = toDiagnostic(finding('warning'));
    assert.equal(d.range.start.line, 2);
    assert.equal(d.range.end.line, 2);
    assert.equal(d.source, 'traindx');
    assert.equal(d.code, 'lr-schedule');
  });

  it('the same event seen by another writer becomes related information at that file and line', () => {
    const d = toDiagnostic({ ...finding('information'), related: [{ file: '/r/metrics.csv', line: 12 }] });
    assert.equal(d.relatedInformation?.length, 1);
    const r = d.relatedInformation![0];
    assert.ok(r.location.uri.endsWith('/r/metrics.csv'), r.location.uri);
    assert.equal(r.location.range.start.line, 11);
    assert.equal(r.message, 'the same, seen here');
    assert.equal(toDiagnostic(finding('information')).relatedInformation, undefined);
  });

  it('a related place with its own message (a plateau schedule\'s other cuts) keeps it', () => {
    const d = toDiagnostic({ ...finding('information'), related: [{ file: '/r/output.log', line: 40, message: 'cut 2 of 3: 0.05 → 0.025 at epoch 18' }] });
    assert.equal(d.relatedInformation?.[0].message, 'cut 2 of 3: 0.05 → 0.025 at epoch 18');
  });
});
