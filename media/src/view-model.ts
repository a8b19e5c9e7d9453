/**
 * What the run view shows, as a pure function of the messages the host sent (no DOM here, so it is
 * unit-tested in Node). The tab is the one the panel was opened on (`state.tab`), the run view when
 * it names none: it never depends on which message arrived first (issue 12: `learn` arriving before
 * `run` left "Show Run View" on the Learn tab with no charts).
 */
import type { ExplainResult, RunData } from '../../src/shared/protocol';
import type { PanelState, ToWebview } from '../../src/shared/webview-messages';

export type Tab = 'explain' | 'learn';

export interface ViewModel {
  readonly state: PanelState;
  readonly explain?: ExplainResult;
  readonly run?: RunData;
  readonly learn: readonly ExplainResult[];
}

/** What the page must do after a message: draw everything, redraw the charts only, or nothing. */
export type Redraw = 'all' | 'charts' | 'none';

export function initialView(state: PanelState | undefined): ViewModel {
  return { state: state ?? {}, learn: [] };
}

export function tabOf(view: ViewModel): Tab {
  return view.state.tab ?? 'explain';
}

export function reduce(view: ViewModel, m: ToWebview): { view: ViewModel; redraw: Redraw } {
  switch (m.type) {
    case 'show':
      // A new subject replaces the whole view: no explanation or run of the previous one survives
      // (the Learn tab's answers do: they are the user's, not the subject's).
      return { view: { ...view, state: { ...m.state, quiz: m.state.quiz ?? view.state.quiz }, explain: m.explain ?? undefined, run: m.run ?? m.explain?.run ?? undefined }, redraw: 'all' };
    case 'run':
      // A refresh of the run shown: its curves only (the reader's scroll and answers stay).
      if (view.run && view.run.runKey !== m.run.runKey) return { view, redraw: 'none' };
      return { view: { ...view, run: m.run }, redraw: tabOf(view) === 'explain' ? (view.run ? 'charts' : 'all') : 'none' };
    case 'learn':
      return { view: { ...view, learn: m.result }, redraw: tabOf(view) === 'learn' ? 'all' : 'none' };
  }
}

/** The user picked a tab. */
export function withTab(view: ViewModel, tab: Tab): ViewModel {
  return { ...view, state: { ...view.state, tab } };
}
