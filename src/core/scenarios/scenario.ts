/**
 * The knowledge base as data. One `Scenario` per `ScenarioId`: the eight scenarios of the course notes
 * (../shared/course/week8-applied-scenarios.md), written in our own words with numbers and references,
 * plus `divergence`, which is ours.
 *
 * Texts are plain text with light Markdown (`**bold**`, `code`): they are rendered in hovers through a
 * MarkdownString and in the webview through `textContent`, so no HTML and no LaTeX; math is written as
 * plain text (η·B/B₀, ‖Δw‖/‖w‖).
 */
import type { ScenarioId } from '../types';

/** A published source for a claim. */
export interface Reference {
  title: string;
  authors?: string;
  year?: number;
  /** Venue, URL or repository path. */
  where: string;
}

/** A true/false statement with its answer and the reason. */
export interface QuizItem {
  /** Unique across the knowledge base. `review-1` … `review-6` are the course's six review items. */
  id: string;
  scenario: ScenarioId;
  statement: string;
  answer: boolean;
  explanation: string;
}

export interface Scenario {
  id: ScenarioId;
  title: string;
  /** One line for hovers and the SARIF shortDescription. */
  summary: string;
  /** What the user sees in their run: symptoms, in plain words. */
  symptoms: string;
  /** Why it happens (mechanism), with numbers. */
  why: string;
  /** What to do, as concrete steps with default values. */
  fixes: string[];
  /** A worked example with numbers: situation, question and answer. */
  example: { situation: string; question: string; answer: string };
  references: Reference[];
  /** At least one per scenario. */
  quiz: QuizItem[];
}

/** One row of the overview table: the problem, the remedy and what the remedy buys. */
export interface SummaryRow {
  scenario: ScenarioId;
  problem: string;
  remedy: string;
  goal: string;
}
