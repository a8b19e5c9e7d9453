import type uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import '../main.css';
import type { QuizItem } from '../../src/core/scenarios/scenario';
import type { FromWebview, PanelState, ToWebview } from '../../src/shared/webview-messages';
import { drawCharts, drawGroupOverlay, MARKER_STYLE, markerKinds, type ChartOptions } from './charts';
import { el, richText } from './dom';
import { pick, score, scoreText } from './quiz';
import { initialView, reduce, tabOf, withTab, type Tab, type ViewModel } from './view-model';

interface VsCodeApi {
  postMessage(m: FromWebview): void;
  getState(): PanelState | undefined;
  setState(s: PanelState): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const app = document.getElementById('app') as HTMLElement;

let view: ViewModel = initialView(vscode.getState());
let charts: uPlot[] = [];
const chartOpts: ChartOptions = { logScale: false, smoothing: 0 };

window.addEventListener('message', (e: MessageEvent<ToWebview>) => {
  const next = reduce(view, e.data);
  view = next.view;
  if (e.data.type === 'show') saveState(view.state);
  if (next.redraw === 'all') render();
  else if (next.redraw === 'charts') redrawCharts();
});

/** Kept by the webview across reloads, and told to the host so it replays the same view. */
function saveState(s: PanelState): void {
  vscode.setState(s);
  vscode.postMessage({ type: 'state', state: s });
}

function render(): void {
  const tab = tabOf(view);
  const tabs = el('nav', { className: 'tabs', role: 'tablist' }, tabButton('explain', 'Run & explanation', tab), tabButton('learn', 'Learn', tab));
  const body = tab === 'learn' ? renderLearn() : renderExplain();
  app.replaceChildren(tabs, body);
  if (tab !== 'learn') redrawCharts();
}

function tabButton(id: Tab, label: string, current: Tab): HTMLButtonElement {
  const b = el('button', { className: id === current ? 'tab active' : 'tab', role: 'tab', dataset: { tab: id } }, label);
  b.setAttribute('aria-selected', String(id === current));
  b.addEventListener('click', () => {
    view = withTab(view, id);
    saveState(view.state);
    render();
  });
  return b;
}

function renderExplain(): HTMLElement {
  const { explain } = view;
  const root = el('main', { className: 'explain' });
  if (!explain) {
    root.append(renderRunFindings());
  } else {
    const s = explain.scenario;
    root.append(el('h1', {}, s.title), el('p', { className: 'summary' }, richText(s.summary)));
    const f = explain.finding;
    if (f) {
      const loc = el('a', { className: 'location', title: 'Show in the log' }, `${explain.findingLabel ?? f.file}:${f.line}`);
      loc.href = '#';
      loc.addEventListener('click', (ev) => {
        ev.preventDefault();
        vscode.postMessage({ type: 'reveal', file: f.file, line: f.line });
      });
      root.append(el('div', { className: `finding ${f.severity}`, role: 'note' }, el('strong', {}, `In this run (${f.severity}): `), f.message, ' ', loc));
    }
  }
  root.append(renderRunSection());
  if (explain) {
    const s = explain.scenario;
    root.append(
      section('What you see', el('p', {}, richText(s.symptoms))),
      section('Why it happens', el('p', {}, richText(s.why))),
      section('What to do', el('ul', {}, ...s.fixes.map((x) => el('li', {}, richText(x))))),
      section(
        'Worked example',
        el('p', {}, richText(s.example.situation)),
        el('p', {}, el('em', {}, richText(s.example.question))),
        el('details', {}, el('summary', {}, 'Answer'), el('p', {}, richText(s.example.answer))),
      ),
      section(
        'References',
        el('ul', { className: 'refs' }, ...s.references.map((r) => el('li', {}, [r.authors, r.year ? `(${r.year})` : undefined, r.title, '—', r.where].filter(Boolean).join(' ')))),
      ),
    );
  }
  return root;
}

/** Opened on a run, not a finding: the run's findings, each with its explanation one click away. */
function renderRunFindings(): HTMLElement {
  const findings = view.run?.findings ?? [];
  if (findings.length === 0) return el('p', { className: 'muted' }, view.run ? 'No findings in this run.' : 'Open a finding (hover → Explain) to see its explanation here.');
  const list = el('ul', { className: 'run-findings' });
  for (const f of findings) {
    const explainIt = el('button', { className: 'explain-finding', dataset: { scenario: f.scenario } }, 'Explain');
    explainIt.addEventListener('click', () => vscode.postMessage({ type: 'explain', scenario: f.scenario, file: f.file, line: f.line }));
    list.append(el('li', { className: `finding ${f.severity}` }, el('strong', {}, `${f.severity}: `), f.message, ' ', explainIt));
  }
  return el('section', {}, el('h2', {}, `Findings in this run (${findings.length})`), list);
}

function renderRunSection(): HTMLElement {
  const { run } = view;
  const controls = el('div', { className: 'controls' });
  const log = el('input', { ariaLabel: 'Logarithmic y axis' });
  log.type = 'checkbox';
  log.checked = chartOpts.logScale;
  log.addEventListener('change', () => {
    chartOpts.logScale = log.checked;
    redrawCharts();
  });
  const sm = el('input', { ariaLabel: 'Smoothing' });
  sm.type = 'range';
  sm.min = '0';
  sm.max = '0.95';
  sm.step = '0.05';
  sm.value = String(chartOpts.smoothing);
  sm.addEventListener('input', () => {
    chartOpts.smoothing = Number(sm.value);
    redrawCharts();
  });
  controls.append(el('label', {}, log, ' log scale'), el('label', {}, 'smoothing ', sm));
  const title = run ? `Run: ${run.label}` : 'Run';
  const kinds = run ? markerKinds(run) : [];
  const legend = el(
    'div',
    { className: 'marker-legend', dataset: { role: 'marker-legend' } },
    ...kinds.map((k) => {
      const swatch = el('span', { className: `swatch swatch-${k}` });
      swatch.style.borderColor = MARKER_STYLE[k].color(); // a CSS colour of the theme, not data
      return el('span', { className: 'marker-key' }, swatch, MARKER_STYLE[k].label);
    }),
  );
  legend.hidden = kinds.length === 0;
  return section(title, controls, legend, el('div', { className: 'charts', dataset: { role: 'charts' } }, run ? '' : 'No metrics read for this run yet.'));
}

function redrawCharts(): void {
  for (const c of charts) c.destroy();
  charts = [];
  const host = app.querySelector<HTMLElement>('[data-role="charts"]');
  const { run, explain } = view;
  if (!host || !run) return;
  charts = drawCharts(host, run, chartOpts);
  const overlay = explain?.group ? drawGroupOverlay(host, explain.group, chartOpts) : undefined;
  if (overlay) charts.unshift(overlay);
}

function renderLearn(): HTMLElement {
  const items = view.learn.flatMap((r) => r.scenario.quiz);
  const scoreLine = el('p', { className: 'score', role: 'status', dataset: { role: 'score' } }, scoreText(score(items, view.state.quiz ?? {})));
  const root = el('main', { className: 'learn' }, el('h1', {}, 'Learn: the scenarios'), scoreLine);
  for (const r of view.learn) {
    const s = r.scenario;
    const quiz = el('ol', { className: 'quiz' });
    for (const q of s.quiz) quiz.append(quizItem(q, () => (scoreLine.textContent = scoreText(score(items, view.state.quiz ?? {})))));
    root.append(section(s.title, el('p', {}, richText(s.summary)), quiz));
  }
  return root;
}

/** A statement with True / False buttons; once picked, whether it was right and why. */
function quizItem(q: QuizItem, scored: () => void): HTMLElement {
  const answer = el('p', { className: 'answer', dataset: { quiz: q.id } });
  const buttons = [true, false].map((value) => {
    const b = el('button', { className: 'pick', dataset: { quiz: q.id, pick: String(value) } }, value ? 'True' : 'False');
    b.addEventListener('click', () => {
      view = { ...view, state: { ...view.state, quiz: pick(view.state.quiz ?? {}, q.id, value) } };
      saveState(view.state);
      show();
      scored();
    });
    return b;
  });
  const show = (): void => {
    const picked = view.state.quiz?.[q.id];
    answer.hidden = picked === undefined;
    for (const b of buttons) {
      b.disabled = picked !== undefined;
      b.classList.toggle('picked', picked !== undefined && String(picked) === b.dataset.pick);
    }
    if (picked === undefined) return;
    const verdict = picked === q.answer ? 'Right: ' : 'Not quite: ';
    answer.className = picked === q.answer ? 'answer right' : 'answer wrong';
    answer.replaceChildren(el('strong', {}, `${verdict}${q.answer ? 'true' : 'false'}. `), richText(q.explanation));
  };
  show();
  return el('li', {}, el('p', {}, richText(q.statement)), el('div', { className: 'picks' }, ...buttons), answer);
}

function section(title: string, ...children: (Node | string)[]): HTMLElement {
  return el('section', {}, el('h2', {}, title), ...children);
}

new ResizeObserver(() => {
  const host = app.querySelector<HTMLElement>('[data-role="charts"]');
  if (host) for (const c of charts) c.setSize({ width: Math.max(280, host.clientWidth - 8), height: 190 });
}).observe(app);

render();
vscode.postMessage({ type: 'ready' });
