/**
 * Folders no training run of the user lives in, and which can hold 100k files: the CLI walk and the
 * server's watcher do not enter them. One list for both, so `traindx check` and the editor read the
 * same files.
 * - version control and tool caches: .git, .hg, .svn, __pycache__, .mypy_cache, .tox, .ipynb_checkpoints
 *   (Jupyter's autosaved copies would double every config);
 * - Python environments and installed packages: .venv, venv, site-packages;
 * - dependency and test-editor folders: node_modules, .vscode-test;
 * - copies of files a tracker stores beside a run: MLflow's run `artifacts/` and deleted runs `.trash/`,
 *   W&B's downloaded `wandb-artifacts/` (the run's own logs are read where they were written).
 */
const SKIPPED_FOLDERS: ReadonlySet<string> = new Set([
  '.git',
  '.hg',
  '.svn',
  '__pycache__',
  '.mypy_cache',
  '.tox',
  '.ipynb_checkpoints',
  '.venv',
  'venv',
  'site-packages',
  'node_modules',
  '.vscode-test',
  'artifacts',
  '.trash',
  'wandb-artifacts',
]);

/** Whether a folder of this name is left out of the walk and the watch (its name, not its path). */
export function isSkippedFolder(name: string): boolean {
  return SKIPPED_FOLDERS.has(name);
}
