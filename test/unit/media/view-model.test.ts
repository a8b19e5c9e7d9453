import { strict as assert } from 'node:assert';
import { initialView, reduce, tabOf, withTab, type ViewModel } from '../../../media/src/view-model';
import { SCENARIOS } from '../../../src/core/scenarios';
import type { ExplainResult, RunData } from '../../../src/shared/protocol';
import type { ToWebview } from '../../../src/shared/webview-messages';

function run(runKey: string, points: number): RunData {
  const x = Array.from({ length: points }, (_, i) => i);
  return { runKey, label: runKey, files: [`${runKey}/metrics.csv`], series: [{ name: 'train_loss', rawNames: [], xKind: 'step', x, y: x.map((i) => 1 / (i + 1)) }], findings: [], markers: [] };
}

const learn: ToWebview = { type: 'learn', result: [{ scenario: SCENARIOS['lr-schedule'] }] };

function replay(view: ViewModel, messages: ToWebview[]): ViewModel {
  return messages.reduce((v, m) => reduce(v, m).view, view);
}

describe('run view model (media/src/view-model.ts)', () => {
  it('"Show Run View" shows the run whichever of learn and show arrives first', () => {
    const show: ToWebview = { type: 'show', state: { uri: 'file:///r/metrics.csv', tab: 'explain' }, explain: null, run: run('/r', 5) };
    for (const order of [[learn, show], [show, learn]]) {
      const v = replay(initialView(undefined), order);
      assert.equal(tabOf(v), 'explain');
      assert.equal(v.run?.runKey, '/r');
    }
  });

  it('a new subject replaces a Learn tab left open and the previous explanation', () => {
    const explained: ExplainResult = { scenario: SCENARIOS.divergence, run: run('/a', 3) };
    let v = replay(initialView({ tab: 'learn' }), [{ type: 'show', state: { explain: { scenario: 'divergence' } }, explain: explained, run: null }]);
    assert.equal(v.run?.runKey, '/a', 'the explanation\'s run is drawn');
    v = withTab(v, 'learn');
    v = { ...v, state: { ...v.state, quiz: { 'q-1': true } } };
    v = replay(v, [{ type: 'show', state: { runKey: '/b', tab: 'explain' }, explain: null, run: run('/b', 4) }]);
    assert.equal(tabOf(v), 'explain');
    assert.equal(v.explain, undefined, 'no explanation of another run');
    assert.equal(v.run?.runKey, '/b');
    assert.deepEqual(v.state.quiz, { 'q-1': true }, 'the review\'s answers are kept');
  });

  it('a refresh redraws the charts of the run shown only, and never switches tab', () => {
    const v = replay(initialView(undefined), [{ type: 'show', state: { runKey: '/b' }, explain: null, run: run('/b', 4) }]);
    const grown = reduce(v, { type: 'run', run: run('/b', 6) });
    assert.equal(grown.redraw, 'charts');
    assert.equal(grown.view.run?.series[0].x.length, 6);
    assert.equal(reduce(v, { type: 'run', run: run('/other', 6) }).redraw, 'none');
    const onLearn = reduce(withTab(v, 'learn'), { type: 'run', run: run('/b', 7) });
    assert.equal(onLearn.redraw, 'none');
    assert.equal(tabOf(onLearn.view), 'learn');
    assert.equal(onLearn.view.run?.series[0].x.length, 7, 'kept for when the user goes back');
  });

  it('the Learn command opens on Learn even when the learn items arrive after', () => {
    const v = replay(initialView(undefined), [{ type: 'show', state: { tab: 'learn' }, explain: null, run: null }]);
    assert.equal(tabOf(v), 'learn');
    const r = reduce(v, learn);
    assert.equal(r.redraw, 'all');
    assert.equal(r.view.learn.length, 1);
  });
});
