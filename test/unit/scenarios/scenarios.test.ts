import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { QUIZ, SCENARIOS, SUMMARY_TABLE, getScenario } from '../../../src/core/scenarios';
import type { Scenario } from '../../../src/core/scenarios';
import { SCENARIO_IDS, type ScenarioId } from '../../../src/core/types';
import { REPO_ROOT, skipBecause } from '../../helpers/paths';

const COURSE = path.resolve(REPO_ROOT, '..', 'shared', 'course', 'week8-applied-scenarios.md');

/** The course's six true/false review items: which scenario each belongs to and its answer. */
const COURSE_REVIEW: ReadonlyArray<{ id: string; scenario: ScenarioId; answer: boolean }> = [
  { id: 'review-1', scenario: 'lr-schedule', answer: false },
  { id: 'review-2', scenario: 'early-stopping', answer: true },
  { id: 'review-3', scenario: 'search-strategy', answer: false },
  { id: 'review-4', scenario: 'large-batch', answer: false },
  { id: 'review-5', scenario: 'weight-averaging', answer: true },
  { id: 'review-6', scenario: 'fine-tuning', answer: false },
];

/** Every user-visible string of a scenario, labelled with where it is. */
function texts(s: Scenario): Array<[string, string]> {
  const out: Array<[string, string]> = [
    ['title', s.title],
    ['summary', s.summary],
    ['symptoms', s.symptoms],
    ['why', s.why],
    ['example.situation', s.example.situation],
    ['example.question', s.example.question],
    ['example.answer', s.example.answer],
  ];
  s.fixes.forEach((f, i) => out.push([`fixes[${i}]`, f]));
  s.references.forEach((r, i) => out.push([`references[${i}].title`, r.title]));
  s.quiz.forEach((q) => {
    out.push([`quiz ${q.id} statement`, q.statement]);
    out.push([`quiz ${q.id} explanation`, q.explanation]);
  });
  return out;
}

function words(text: string): string[] {
  return text
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .split(' ')
    .filter((w) => w.length > 0);
}

function ngrams(ws: readonly string[], n: number): Set<string> {
  const out = new Set<string>();
  for (let i = 0; i + n <= ws.length; i++) out.add(ws.slice(i, i + n).join(' '));
  return out;
}

/** The 8-word sequences of `text` that also occur in `forbidden`. */
function copied(text: string, forbidden: ReadonlySet<string>, n = 8): string[] {
  return [...ngrams(words(text), n)].filter((g) => forbidden.has(g));
}

describe('knowledge base (src/core/scenarios)', () => {
  it('has an entry for every ScenarioId, keyed by its own id', () => {
    assert.deepEqual(Object.keys(SCENARIOS).sort(), [...SCENARIO_IDS].sort());
    for (const id of SCENARIO_IDS) assert.equal(SCENARIOS[id].id, id);
  });

  for (const id of SCENARIO_IDS) {
    describe(id, () => {
      const s = SCENARIOS[id];

      it('has non-empty text fields and at least one fix', () => {
        for (const [where, t] of texts(s)) assert.ok(t.trim().length > 0, `${id}: ${where} is empty`);
        assert.ok(s.fixes.length >= 1, `${id}: no fixes`);
        assert.ok(s.summary.length <= 200, `${id}: summary is ${s.summary.length} chars, meant to be one line`);
        assert.ok(!s.summary.includes('\n'), `${id}: summary spans lines`);
      });

      it('has at least one reference, each with a title and a where', () => {
        assert.ok(s.references.length >= 1, `${id}: no references`);
        for (const r of s.references) {
          assert.ok(r.title.trim() && r.where.trim(), `${id}: incomplete reference ${JSON.stringify(r)}`);
          if (r.year !== undefined) assert.ok(r.year >= 1950 && r.year <= 2030, `${id}: odd year ${r.year}`);
        }
      });

      it('has at least one quiz item that belongs to it', () => {
        assert.ok(s.quiz.length >= 1, `${id}: no quiz item`);
        for (const q of s.quiz) {
          assert.equal(q.scenario, id, `${q.id} is listed under ${id} but says ${q.scenario}`);
          assert.equal(typeof q.answer, 'boolean');
          assert.ok(q.statement.trim() && q.explanation.trim(), `${q.id}: empty statement or explanation`);
        }
      });

      it('uses plain text only: no HTML tags, no LaTeX', () => {
        for (const [where, t] of texts(s)) {
          assert.ok(!/<\/?[a-z][^>]*>/i.test(t), `${id}: HTML in ${where}`);
          assert.ok(!t.includes('$') && !/\\(frac|eta|theta|alpha)\b/.test(t), `${id}: LaTeX in ${where}`);
        }
      });
    });
  }

  it('getScenario returns the entry for a known id and undefined for anything else', () => {
    for (const id of SCENARIO_IDS) assert.equal(getScenario(id), SCENARIOS[id]);
    assert.equal(getScenario('no-such-scenario'), undefined);
    assert.equal(getScenario('toString'), undefined);
  });

  it('QUIZ holds every scenario quiz item once, with unique ids', () => {
    const all = SCENARIO_IDS.flatMap((id) => SCENARIOS[id].quiz);
    assert.deepEqual(QUIZ, all);
    assert.equal(new Set(QUIZ.map((q) => q.id)).size, QUIZ.length, 'duplicate quiz ids');
  });

  it('represents all six course review items with the course answers (1, 3, 4, 6 false; 2, 5 true)', () => {
    for (const r of COURSE_REVIEW) {
      const q = QUIZ.find((x) => x.id === r.id);
      assert.ok(q, `${r.id} missing`);
      assert.equal(q.scenario, r.scenario, `${r.id} belongs to ${r.scenario}`);
      assert.equal(q.answer, r.answer, `${r.id} answer`);
    }
  });

  it('has a divergence quiz item of its own', () => {
    assert.ok(SCENARIOS.divergence.quiz.some((q) => !q.id.startsWith('review-')));
  });

  it('has one overview row per scenario (the course summary table plus divergence)', () => {
    assert.deepEqual(SUMMARY_TABLE.map((r) => r.scenario), [...SCENARIO_IDS]);
    for (const r of SUMMARY_TABLE) assert.ok(r.problem && r.remedy && r.goal, `row ${r.scenario} incomplete`);
  });

  describe('own words (no 8-word sequence of the course notes)', () => {
    let forbidden: Set<string> = new Set();

    before(function () {
      if (!fs.existsSync(COURSE)) {
        skipBecause(this, `${COURSE} is absent; the own-words check needs the course notes`);
      }
      forbidden = ngrams(words(fs.readFileSync(COURSE, 'utf8')), 8);
    });

    it('the checker itself catches a sentence lifted from the course', () => {
      const course = words(fs.readFileSync(COURSE, 'utf8'));
      assert.ok(course.length >= 20, 'course notes unexpectedly short');
      const lifted = `Prefix words. ${course.slice(10, 20).join(' ').toUpperCase()}! Suffix.`;
      assert.ok(copied(lifted, forbidden).length > 0);
    });

    for (const id of SCENARIO_IDS) {
      it(`${id} shares no 8-word sequence with the course`, () => {
        for (const [where, t] of texts(SCENARIOS[id])) {
          const hits = copied(t, forbidden);
          assert.deepEqual(hits, [], `${id}: ${where} repeats the course: "${hits.join('" / "')}"`);
        }
      });
    }

    it('the overview table shares no 8-word sequence with the course', () => {
      for (const r of SUMMARY_TABLE) {
        const hits = copied(`${r.problem} ${r.remedy} ${r.goal}`, forbidden);
        assert.deepEqual(hits, [], `${r.scenario}: ${hits.join(' / ')}`);
      }
    });
  });
});
