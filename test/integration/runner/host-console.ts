/**
 * For integration suite entry points (suite/index.ts): call `formatMochaOutput(Mocha)` before `mocha.run()`.
 *
 * Why: in the web workbench (route A) the extension host's console reaches the runner through VS Code's
 * log service, which joins the arguments with spaces WITHOUT applying printf-style placeholders, so
 * mocha's `console.log('  ✔ %s (%dms)', title, ms)` would print as `✔ %s (%dms) title 12`. VS Code makes
 * console.log a non-configurable getter in the extension host, so console itself cannot be wrapped;
 * mocha's reporters all print through `Base.consoleLog`, which can. Harmless under Electron.
 *
 *   import * as Mocha from 'mocha';            // or however the suite imports it
 *   import { formatMochaOutput } from '../runner/host-console';
 *   formatMochaOutput(Mocha);                  // the Mocha class or the module namespace
 */
import { format } from 'util';

interface MochaLike {
  reporters?: { Base?: { consoleLog?: (...args: unknown[]) => void } };
  Mocha?: MochaLike;
  default?: MochaLike;
}

export function formatMochaOutput(mocha: unknown): void {
  const m = mocha as MochaLike;
  const base = m.reporters?.Base ?? m.Mocha?.reporters?.Base ?? m.default?.reporters?.Base;
  if (!base) throw new Error('formatMochaOutput: pass the mocha module or the Mocha class');
  base.consoleLog = (...args: unknown[]): void => console.log(format(...args));
}

/** printf-style console.log that survives the web workbench's log relay (for the suite's own output). */
export function hostLog(...args: unknown[]): void {
  console.log(format(...args));
}
