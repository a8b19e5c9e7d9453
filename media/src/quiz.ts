/**
 * The Learn tab's review: each statement is answered True or False, then its explanation shows and
 * the score counts it. Pure, so it is unit-tested in Node; the picks are kept in the panel's state.
 */
import type { QuizItem } from '../../src/core/scenarios/scenario';

/** The user's pick per quiz item id. */
export type QuizPicks = Readonly<Record<string, boolean>>;

export interface Score {
  right: number;
  answered: number;
  total: number;
}

/** Records a pick; the first one counts (the explanation is shown once answered). */
export function pick(picks: QuizPicks, id: string, value: boolean): QuizPicks {
  return id in picks ? picks : { ...picks, [id]: value };
}

export function score(items: readonly QuizItem[], picks: QuizPicks): Score {
  let right = 0;
  let answered = 0;
  for (const q of items) {
    if (!(q.id in picks)) continue;
    answered++;
    if (picks[q.id] === q.answer) right++;
  }
  return { right, answered, total: items.length };
}

export function scoreText(s: Score): string {
  return s.answered === 0 ? `${s.total} statements: true or false?` : `Score: ${s.right} of ${s.answered} right (${s.total - s.answered} left)`;
}
