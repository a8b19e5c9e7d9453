import { strict as assert } from 'node:assert';
import { pick, score, scoreText } from '../../../media/src/quiz';
import { SCENARIOS } from '../../../src/core/scenarios';

describe('Learn tab review (media/src/quiz.ts)', () => {
  const items = Object.values(SCENARIOS).flatMap((s) => s.quiz);

  it('scores the knowledge base\'s own items: right answers count, wrong ones do not', () => {
    assert.ok(items.length >= 2, 'the scenarios have a review');
    let picks = pick({}, items[0].id, items[0].answer);
    picks = pick(picks, items[1].id, !items[1].answer);
    assert.deepEqual(score(items, picks), { right: 1, answered: 2, total: items.length });
    assert.equal(scoreText(score(items, picks)), `Score: 1 of 2 right (${items.length - 2} left)`);
  });

  it('the first pick of a statement is the one that counts', () => {
    const once = pick({}, items[0].id, !items[0].answer);
    assert.equal(pick(once, items[0].id, items[0].answer), once);
    assert.equal(score(items, once).right, 0);
  });
});
