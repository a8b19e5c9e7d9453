import * as assert from 'node:assert/strict';
import * as path from 'path';
import { ESLint } from 'eslint';
import { REPO_ROOT } from '../../helpers/paths';

/**
 * The layer zones of eslint.config.mjs, run through ESLint's Node API on in-memory files: each case
 * is a file that would sit at `file` with one import, and whether the zones rule must flag it.
 */
const CASES: { file: string; code: string; flagged: boolean }[] = [
  // Three folders deep in core, the server is still out of reach (the old path patterns missed this).
  { file: 'src/core/a/b/c/x.ts', code: "import { x } from '../../../../server/server';\nexport const y = x;\n", flagged: true },
  { file: 'src/core/a/b/c/x.ts', code: "import { Run } from '../../../run/run';\nexport const y = Run;\n", flagged: false },
  { file: 'src/core/x.ts', code: "import * as vscode from 'vscode';\nexport const y = vscode;\n", flagged: true },
  { file: 'src/core/x.ts', code: "export type Y = import('../client/connection').ServerConnection;\n", flagged: true },
  { file: 'src/shared/x.ts', code: "import { AnalysisWorkspace } from '../core/workspace';\nexport const y = AnalysisWorkspace;\n", flagged: true },
  { file: 'src/shared/x.ts', code: "import type { Finding } from '../core/types';\nexport type Y = Finding;\n", flagged: false },
  { file: 'media/src/x.ts', code: "import { RunPanel } from '../../src/client/run-panel';\nexport const y = RunPanel;\n", flagged: true },
  { file: 'media/src/x.ts', code: "import type { RunData } from '../../src/shared/protocol';\nexport type Y = RunData;\n", flagged: false },
  { file: 'src/server/x.ts', code: "import * as vscode from 'vscode';\nexport const y = vscode;\n", flagged: true },
  { file: 'src/cli/x.ts', code: "import { Ingest } from '../server/ingest';\nexport const y = Ingest;\n", flagged: true },
  { file: 'src/client/x.ts', code: "import { RunDataRequest } from '../shared/protocol';\nexport const y = RunDataRequest;\n", flagged: false },
];

describe('lint zones (eslint.config.mjs layers/zones)', function () {
  this.timeout(60_000);
  const eslint = new ESLint({ cwd: REPO_ROOT });

  for (const c of CASES) {
    it(`${c.flagged ? 'flags' : 'allows'} ${c.code.split('\n')[0]} in ${c.file}`, async () => {
      const [result] = await eslint.lintText(c.code, { filePath: path.join(REPO_ROOT, c.file) });
      const zones = result.messages.filter((m) => m.ruleId === 'layers/zones');
      assert.equal(zones.length, c.flagged ? 1 : 0, JSON.stringify(result.messages));
      // Nothing else may fail on these snippets, so an "allowed" case proves the rule let it through.
      assert.deepEqual(result.messages.filter((m) => m.ruleId !== 'layers/zones'), []);
    });
  }
});
