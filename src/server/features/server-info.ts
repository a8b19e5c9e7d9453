import type { ServerInfo } from '../../shared/protocol';
import type { FeatureContext } from '../context';

export const SERVER_VERSION = '0.1.0';

/** Which process analyses and how much it follows (`traindx: Show Server Info`). */
export function serverInfo(ctx: FeatureContext, watchedFiles: number): ServerInfo {
  return {
    pid: process.pid,
    version: SERVER_VERSION,
    node: process.version,
    watchedFiles,
    runs: ctx.workspace.runKeys().length,
    ruleErrors: [...ctx.workspace.ruleErrors()],
  };
}
