import type { Severity } from '../core/types';

export type OutputFormat = 'text' | 'json' | 'sarif';

export interface CheckArgs {
  paths: string[];
  format: OutputFormat;
  failOn: 'warning' | 'error' | 'never';
  thresholds: Record<string, number>;
  disabled: string[];
  severity: Record<string, Severity>;
  color: boolean;
}

export class UsageError extends Error {}

export const USAGE = `Usage: traindx check PATH... [options]

Reads training logs and configs (files, or folders searched recursively) and reports
learning-rate and optimisation mistakes.

Options:
  --format text|json|sarif   output format (default: text)
  --fail-on warning|error|never
                             lowest severity that makes the exit code 1 (default: warning)
  --threshold KEY=VALUE      override a rule threshold (repeatable), e.g. --threshold patience=8
  --disable ID               switch off a rule or scenario id (repeatable)
  --severity ID=LEVEL        set the severity of a rule or scenario (error|warning|information|hint)
  --no-color                 plain text output
  -h, --help                 this help

Exit codes: 0 no finding at the --fail-on level or above, 1 findings at that level, 2 usage or I/O error.`;

const SEVERITIES: readonly Severity[] = ['error', 'warning', 'information', 'hint'];

export function parseArgs(argv: readonly string[], isTTY: boolean): CheckArgs | 'help' {
  if (argv.length === 0 || argv.includes('-h') || argv.includes('--help')) return 'help';
  const [command, ...rest] = argv;
  if (command !== 'check') throw new UsageError(`unknown command '${command}' (expected 'check')`);
  const args: CheckArgs = {
    paths: [],
    format: 'text',
    failOn: 'warning',
    thresholds: {},
    disabled: [],
    severity: {},
    color: isTTY && !process.env.NO_COLOR,
  };
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i];
    const eq = a.indexOf('=');
    const [flag, inline] = a.startsWith('--') && eq > 0 ? [a.slice(0, eq), a.slice(eq + 1)] : [a, undefined];
    const value = (): string => {
      if (inline !== undefined) return inline;
      const v = rest[++i];
      if (v === undefined) throw new UsageError(`${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case '--format': {
        const v = value();
        if (v !== 'text' && v !== 'json' && v !== 'sarif') throw new UsageError(`--format must be text, json or sarif, not '${v}'`);
        args.format = v;
        break;
      }
      case '--fail-on': {
        const v = value();
        if (v !== 'warning' && v !== 'error' && v !== 'never') throw new UsageError(`--fail-on must be warning, error or never, not '${v}'`);
        args.failOn = v;
        break;
      }
      case '--threshold': {
        const [k, v] = splitPair(value(), '--threshold');
        const n = Number(v);
        if (!Number.isFinite(n)) throw new UsageError(`--threshold ${k}: '${v}' is not a number`);
        args.thresholds[k] = n;
        break;
      }
      case '--disable':
        args.disabled.push(value());
        break;
      case '--severity': {
        const [k, v] = splitPair(value(), '--severity');
        if (!(SEVERITIES as readonly string[]).includes(v)) throw new UsageError(`--severity ${k}: '${v}' is not one of ${SEVERITIES.join(', ')}`);
        args.severity[k] = v as Severity;
        break;
      }
      case '--no-color':
        args.color = false;
        break;
      default:
        if (a.startsWith('-')) throw new UsageError(`unknown option '${a}'`);
        args.paths.push(a);
    }
  }
  if (args.paths.length === 0) throw new UsageError('no PATH given');
  return args;
}

function splitPair(s: string, flag: string): [string, string] {
  const i = s.indexOf('=');
  if (i <= 0) throw new UsageError(`${flag} expects KEY=VALUE, got '${s}'`);
  return [s.slice(0, i), s.slice(i + 1)];
}
