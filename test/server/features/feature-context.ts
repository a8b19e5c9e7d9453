/**
 * In-process fixtures for the feature handlers: an AnalysisWorkspace that has read real example runs
 * from disk (as the server's ingest does), and a FeatureContext over it with no connection.
 */
import * as fs from 'fs';
import * as path from 'path';
import { pathToFileURL } from 'url';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { RunQueries } from '../../../src/core/query/run-queries';
import { AnalysisWorkspace } from '../../../src/core/workspace';
import type { FeatureContext } from '../../../src/server/context';
import { displayPath } from '../../../src/server/paths';
import { OnceLog } from '../../../src/shared/log-once';

/** Every log and config under `dirs`, read into a fresh workspace. */
/**
 * A workspace of the files under `dirs`. `leaveOut` drops files, e.g. step-decay's Lightning CSV: with it,
 * each LR drop is one finding on metrics.csv with output.log as a related location (one finding per
 * event), and the feature tests below are about findings on the printed log.
 */
export async function workspaceOf(dirs: readonly string[], leaveOut: (file: string) => boolean = () => false): Promise<AnalysisWorkspace> {
  const ws = new AnalysisWorkspace();
  for (const file of dirs.flatMap(filesUnder).filter((f) => !leaveOut(f))) {
    if (AnalysisWorkspace.isConfig(file)) ws.setConfigText(file, fs.readFileSync(file, 'utf8'));
    else if (AnalysisWorkspace.isLog(file)) await ws.updateLog(file);
  }
  return ws;
}

export interface TestContext extends FeatureContext {
  /** Opens `file` in the fake editor (its text from disk unless given). */
  open(file: string, text?: string): TextDocument;
  readonly logged: string[];
}

export function contextOf(workspace: AnalysisWorkspace, roots: readonly string[]): TestContext {
  const docs = new Map<string, TextDocument>();
  const logged: string[] = [];
  return {
    workspace,
    queries: new RunQueries(workspace),
    document: (uri) => docs.get(uri),
    displayPath: (file) => displayPath(roots, file),
    thresholds: () => ({}),
    errors: new OnceLog((m) => logged.push(m)),
    logged,
    open(file, text) {
      const uri = pathToFileURL(file).href;
      const doc = TextDocument.create(uri, file.endsWith('.log') ? 'log' : 'yaml', 1, text ?? fs.readFileSync(file, 'utf8'));
      docs.set(uri, doc);
      return doc;
    },
  };
}

export function uri(file: string): string {
  return pathToFileURL(file).href;
}

function filesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? filesUnder(p) : e.isFile() ? [p] : [];
  });
}

/** The printed log of a run and its config only (see `workspaceOf`). */
export const withoutLightningCsv = (file: string): boolean => file.endsWith('metrics.csv');
