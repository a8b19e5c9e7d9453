/**
 * Route B, step 1: get a .vsix (package one with vsce, offline) and install it into a temp extensions
 * folder with code-server's own CLI (`entry.js --install-extension`), exactly what a user's install does.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { makeTempDir, repoRoot, runCodeServerCli } from '../integration/runner/code-server';

export interface ContributedCommand {
  command: string;
  title: string;
  category?: string;
}

export interface InstalledExtension {
  /** publisher.name */
  id: string;
  version: string;
  displayName: string;
  /** Installed folder inside the extensions dir. */
  dir: string;
  commands: ContributedCommand[];
  packageJson: Record<string, unknown>;
}

/** Packages `extDir` (default: the repo root) into `outFile` with `vsce package` (runs vscode:prepublish). */
export function packageVsix(outFile: string, extDir: string = repoRoot(), extraArgs: string[] = []): string {
  const vsce = require.resolve('@vscode/vsce/vsce', { paths: [repoRoot()] });
  fs.mkdirSync(path.dirname(outFile), { recursive: true });
  const r = spawnSync(process.execPath, [vsce, 'package', '--out', outFile, ...extraArgs], {
    cwd: extDir,
    stdio: ['ignore', 'inherit', 'inherit'], // no stdin: vsce's yes/no prompts fail instead of hanging
  });
  if (r.status !== 0 || !fs.existsSync(outFile)) {
    throw new Error(`vsce package failed in ${extDir} (exit ${r.status ?? r.signal})`);
  }
  return outFile;
}

function readInstalled(dir: string): InstalledExtension | undefined {
  const pj = path.join(dir, 'package.json');
  if (!fs.existsSync(pj)) return undefined;
  const p = JSON.parse(fs.readFileSync(pj, 'utf8')) as Record<string, unknown>;
  const contributes = (p.contributes ?? {}) as { commands?: ContributedCommand[] | ContributedCommand };
  const raw = Array.isArray(contributes.commands) ? contributes.commands : contributes.commands ? [contributes.commands] : [];
  // Manifest strings may be localised (`%command.explain%`): the workbench shows the package.nls.json text.
  const nlsFile = path.join(dir, 'package.nls.json');
  const nls = fs.existsSync(nlsFile) ? (JSON.parse(fs.readFileSync(nlsFile, 'utf8')) as Record<string, string>) : {};
  const localise = (s: string): string => s.replace(/^%(.+)%$/, (m, key: string) => nls[key] ?? m);
  const commands = raw.map((c) => ({ ...c, title: localise(c.title) }));
  return {
    id: `${p.publisher}.${p.name}`,
    version: String(p.version),
    displayName: String(p.displayName ?? p.name),
    dir,
    commands,
    packageJson: p,
  };
}

/** Extensions currently installed in an extensions folder (one per sub-folder with a package.json). */
export function listInstalled(extensionsDir: string): InstalledExtension[] {
  if (!fs.existsSync(extensionsDir)) return [];
  return fs.readdirSync(extensionsDir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && !d.name.startsWith('.'))
    .map((d) => readInstalled(path.join(extensionsDir, d.name)))
    .filter((e): e is InstalledExtension => e !== undefined);
}

/**
 * Installs `vsix` into `extensionsDir` (default: a fresh temp folder removed on exit) and returns what
 * got installed. Throws with code-server's output when the install fails.
 */
export function installVsix(vsix: string, extensionsDir: string = makeTempDir('traindx-exts-')):
  { extensionsDir: string; extension: InstalledExtension } {
  const abs = path.resolve(vsix);
  if (!fs.existsSync(abs)) throw new Error(`.vsix not found: ${abs}`);
  fs.mkdirSync(extensionsDir, { recursive: true });
  const before = new Set(listInstalled(extensionsDir).map((e) => e.dir));
  const r = runCodeServerCli(['--install-extension', abs, '--force'], extensionsDir);
  const added = listInstalled(extensionsDir).filter((e) => !before.has(e.dir));
  if (r.status !== 0 || added.length === 0) {
    throw new Error(`installing ${abs} failed (exit ${r.status}):\n${r.output}`);
  }
  return { extensionsDir, extension: added[0] };
}
