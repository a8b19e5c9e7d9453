import * as assert from 'node:assert/strict';
import { knowledgeMarkdown } from '../../../src/server/markdown';
import { SCENARIOS } from '../../../src/core/scenarios';

describe('knowledge-base Markdown in hovers', () => {
  it('keeps code spans and bold, escapes everything else', () => {
    assert.equal(knowledgeMarkdown('use `StepLR(step_size=30)` and **cosine** (η·B/B₀)'), 'use `StepLR(step_size=30)` and **cosine** \\(η·B/B₀\\)');
  });
  it('never lets a link or HTML through outside code spans', () => {
    const out = knowledgeMarkdown('[x](javascript:alert(1)) <img src=x onerror=alert(1)> **[y](command:evil)**');
    assert.doesNotMatch(out.replace(/\\./g, ''), /\]\(|<img/);
  });
  it('renders every scenario text with balanced code spans (no raw backtick left escaped)', () => {
    for (const s of Object.values(SCENARIOS)) {
      for (const text of [s.why, ...s.fixes]) assert.doesNotMatch(knowledgeMarkdown(text), /\\`/, `${s.id}: a backtick was escaped`);
    }
  });
});
