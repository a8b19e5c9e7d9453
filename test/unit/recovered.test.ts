import * as assert from 'node:assert/strict';
import { onRecovered, recovered, recoveredCounts } from '../../src/core/recovered';

describe('errors core recovers from', () => {
  afterEach(() => onRecovered(undefined));

  it('reach the listener once per place, with the ones from before it listened, and are all counted', () => {
    const place = `test place ${Math.random()}`;
    recovered(place, new Error('first'));
    const heard: string[] = [];
    onRecovered((where, message) => {
      if (where === place) heard.push(message);
    });
    recovered(place, new Error('second'));
    recovered(place, 'third');
    assert.equal(heard.length, 1, 'the first error only');
    assert.match(heard[0], /first/);
    assert.equal(recoveredCounts().get(place), 3);
  });
});
