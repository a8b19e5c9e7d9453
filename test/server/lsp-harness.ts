import { spawn, type ChildProcess } from 'child_process';
import * as path from 'path';
import { pathToFileURL } from 'url';
import {
  createProtocolConnection,
  InitializeRequest,
  InitializedNotification,
  PublishDiagnosticsNotification,
  StreamMessageReader,
  StreamMessageWriter,
  type Diagnostic,
  type ProtocolConnection,
} from 'vscode-languageserver-protocol/node';
import { REPO_ROOT } from '../helpers/paths';

/** The built language server (dist/server.js) over stdio, talked to by a real LSP client connection. */
export class ServerUnderTest {
  readonly diagnostics = new Map<string, Diagnostic[]>();
  private readonly waiters: { check: () => boolean; resolve: () => void }[] = [];
  private constructor(
    readonly process: ChildProcess,
    readonly connection: ProtocolConnection,
    readonly stderr: string[],
  ) {}

  static async start(folder: string, settings: object = {}): Promise<ServerUnderTest> {
    const child = spawn(process.execPath, [path.join(REPO_ROOT, 'dist', 'server.js'), '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
    const stderr: string[] = [];
    child.stderr?.on('data', (d: Buffer) => stderr.push(d.toString()));
    const connection = createProtocolConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
    const s = new ServerUnderTest(child, connection, stderr);
    connection.onNotification(PublishDiagnosticsNotification.type, (p) => {
      s.diagnostics.set(p.uri, p.diagnostics);
      for (const w of [...s.waiters]) if (w.check()) w.resolve();
    });
    // The server asks for settings (workspace/configuration) and logs to the console; answer plainly.
    connection.onRequest('workspace/configuration', (p: { items: unknown[] }) => p.items.map(() => settings));
    connection.onRequest('client/registerCapability', () => null);
    connection.onRequest('window/showMessageRequest', () => null);
    connection.onNotification('window/logMessage', () => undefined);
    connection.onNotification('window/showMessage', () => undefined);
    connection.onNotification('traindx/status', () => undefined);
    connection.listen();
    const uri = pathToFileURL(folder).href;
    await connection.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      rootUri: uri,
      workspaceFolders: [{ uri, name: 'ws' }],
      capabilities: { workspace: { configuration: true } },
    });
    await connection.sendNotification(InitializedNotification.type, {});
    return s;
  }

  /** Resolves when `check` holds for the diagnostics received so far (or rejects after `ms`). */
  waitFor(check: () => boolean, what: string, ms = 15000): Promise<void> {
    if (check()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const w = { check, resolve: () => undefined as void };
      const timer = setTimeout(() => {
        this.waiters.splice(this.waiters.indexOf(w), 1);
        reject(new Error(`timed out waiting for ${what}; diagnostics: ${JSON.stringify([...this.diagnostics])}\nstderr: ${this.stderr.join('')}`));
      }, ms);
      w.resolve = () => {
        clearTimeout(timer);
        this.waiters.splice(this.waiters.indexOf(w), 1);
        resolve();
      };
      this.waiters.push(w);
    });
  }

  diagnosticsOf(file: string): Diagnostic[] {
    return this.diagnostics.get(pathToFileURL(file).href) ?? [];
  }

  async stop(): Promise<void> {
    try {
      await Promise.race([this.connection.sendRequest('shutdown'), new Promise((r) => setTimeout(r, 2000))]);
      this.connection.sendNotification('exit');
    } catch {
      // already gone
    }
    this.connection.dispose();
    this.process.kill();
  }
}
