/**
 * The built language server (dist/server.js) over stdio, talked to by a real LSP client connection.
 * Shared by the server tests and the benchmarks (bench/latency.ts, bench/workspace-scale.ts): every
 * diagnostics publication and status notification is time-stamped on arrival (ms, the benchmarks'
 * `now()`), for the latency measurements.
 */
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
import { now } from '../../bench/lib/stats';
import { StatusNotification, type StatusParams } from '../../src/shared/protocol';
import { REPO_ROOT } from '../helpers/paths';

/** The `traindx/status` notification's payload. */
export type Status = StatusParams;

type Waiter = { check: () => boolean; resolve: () => void };

export class ServerUnderTest {
  /** Latest diagnostics by URI, and when they arrived (ms, `now()`). */
  readonly diagnostics = new Map<string, Diagnostic[]>();
  readonly arrived = new Map<string, number>();
  readonly statuses: { at: number; status: Status }[] = [];
  /** `window/showMessage` and `window/showMessageRequest` (answered with no choice). */
  readonly messages: { type: number; message: string }[] = [];
  readonly logs: string[] = [];
  readonly stderr: string[] = [];
  /** URIs whose latest publication is non-empty. */
  nonEmpty = 0;
  private readonly waiters: Waiter[] = [];

  private constructor(
    readonly process: ChildProcess,
    readonly connection: ProtocolConnection,
  ) {}

  static async start(folder: string, settings: object = {}): Promise<ServerUnderTest> {
    const child = spawn(process.execPath, [path.join(REPO_ROOT, 'dist', 'server.js'), '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
    const connection = createProtocolConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
    const s = new ServerUnderTest(child, connection);
    child.stderr?.on('data', (d: Buffer) => s.stderr.push(d.toString()));
    connection.onNotification(PublishDiagnosticsNotification.type, (p) => {
      const at = now();
      const had = (s.diagnostics.get(p.uri)?.length ?? 0) > 0;
      s.diagnostics.set(p.uri, p.diagnostics);
      s.arrived.set(p.uri, at);
      s.nonEmpty += (p.diagnostics.length > 0 ? 1 : 0) - (had ? 1 : 0);
      s.wake();
    });
    connection.onNotification(StatusNotification, (p) => {
      s.statuses.push({ at: now(), status: p });
      s.wake();
    });
    // The server asks for settings (workspace/configuration) and logs to the console; answer plainly.
    connection.onRequest('workspace/configuration', (p: { items: unknown[] }) => p.items.map(() => settings));
    connection.onRequest('client/registerCapability', () => null);
    connection.onRequest('window/showMessageRequest', (p: { type: number; message: string }) => {
      s.messages.push(p);
      s.wake();
      return null;
    });
    connection.onNotification('window/showMessage', (p: { type: number; message: string }) => {
      s.messages.push(p);
      s.wake();
    });
    connection.onNotification('window/logMessage', (p: { message: string }) => {
      s.logs.push(p.message);
    });
    connection.listen();
    const uri = pathToFileURL(folder).href;
    await connection.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      rootUri: uri,
      workspaceFolders: [{ uri, name: path.basename(folder) }],
      capabilities: { workspace: { configuration: true } },
    });
    await connection.sendNotification(InitializedNotification.type, {});
    return s;
  }

  get lastStatus(): Status | undefined {
    return this.statuses[this.statuses.length - 1]?.status;
  }

  /** Resolves when `check` holds (checked on every notification), or rejects after `ms`. */
  waitFor(check: () => boolean, what: string, ms = 15000): Promise<void> {
    if (check()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const w: Waiter = { check, resolve: () => undefined };
      const timer = setTimeout(() => {
        this.waiters.splice(this.waiters.indexOf(w), 1);
        const diagnostics = JSON.stringify([...this.diagnostics]);
        reject(
          new Error(
            `timed out after ${ms} ms waiting for ${what}; last status ${JSON.stringify(this.lastStatus)}; ` +
              `diagnostics: ${diagnostics.length > 8000 ? `${diagnostics.slice(0, 8000)}…` : diagnostics}\nstderr: ${this.stderr.join('').slice(-8000)}`,
          ),
        );
      }, ms);
      w.resolve = () => {
        clearTimeout(timer);
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
      void this.connection.sendNotification('exit');
    } catch {
      // already gone
    }
    await new Promise((r) => setTimeout(r, 50));
    this.connection.dispose();
    this.process.kill();
  }

  private wake(): void {
    for (const w of [...this.waiters]) {
      if (w.check()) {
        this.waiters.splice(this.waiters.indexOf(w), 1);
        w.resolve();
      }
    }
  }
}
