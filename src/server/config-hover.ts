/**
 * Hovers on the keys of a training config: the explanation core/explain/config-topics.ts works out with
 * the config's own numbers and the rules' own judgement, as Markdown with an Explain link.
 *
 * Every piece of text is escaped with escapeMarkdown (the explanation quotes keys and values from the
 * config); only the bold headings and the link are Markdown of ours.
 */
import type { TrainingConfig } from '../core/config/training-config';
import { explainConfigKey, type TopicLine } from '../core/explain/config-topics';
import type { ThresholdOverrides } from '../core/rules/registry';
import { getScenario } from '../core/scenarios';
import { commandLink, escapeMarkdown } from './markdown';

const e = escapeMarkdown;

function markdownOf(l: TopicLine): string {
  if (l.kind === 'heading') return `**${e(l.title)}**${l.detail ? ` ${e(l.detail)}` : ''}`;
  if (l.kind === 'bullet') return `- ${e(l.text)}`;
  return e(l.text);
}

/** Markdown explaining the training key under the cursor with this config's numbers, or undefined. */
export function configKeyHover(cfg: TrainingConfig, line: number, character: number, uri: string, overrides?: ThresholdOverrides): string | undefined {
  const x = explainConfigKey(cfg, line, character, overrides);
  if (!x) return undefined;
  const title = getScenario(x.scenario).title;
  return [
    `*traindx · ${e(x.key)}*`,
    '',
    // A heading starts a new paragraph (Markdown would run it into the previous line).
    ...x.lines.flatMap((l, i) => (i > 0 && l.kind === 'heading' ? ['', markdownOf(l)] : [markdownOf(l)])),
    '',
    `${commandLink(`Explain: ${title}`, 'traindx.explain', { scenario: x.scenario, uri, line: x.range.startLine })} · scenario \`${x.scenario}\``,
  ].join('\n');
}
