/**
 * The Python type a config value arrives as, for validators that compare it with a framework default's
 * type. YAML is read as PyYAML reads it (YAML 1.1 `SafeLoader` resolvers: `1` is an int, `1.0` a float,
 * `1e-4` — no dot — a string, `yes`/`off` booleans); JSON as `json.load` does (`1` int, `1.0` float).
 */
import type { CNode } from '../../config/tree';

export type PyType = 'int' | 'float' | 'bool' | 'str' | 'none' | 'list' | 'dict';

const YAML11_BOOL = /^(?:y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$/;
const YAML11_NULL = /^(?:~|null|Null|NULL|)$/;
const YAML11_INT = /^[-+]?(?:0|[1-9][0-9_]*)$/;
const YAML11_FLOAT = /^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9_]+(?:[eE][-+][0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/;

/** The type of a value written as `raw` (its text in the file). */
export function pyTypeOf(node: CNode, raw: string, format: 'yaml' | 'json'): PyType {
  if (node.kind === 'seq') return 'list';
  if (node.kind === 'map') return 'dict';
  if (format === 'json') {
    if (node.value === null) return 'none';
    if (typeof node.value === 'boolean') return 'bool';
    if (typeof node.value === 'number') return /[.eE]/.test(raw) ? 'float' : 'int';
    return 'str';
  }
  if (node.quoted) return 'str';
  const s = raw.trim();
  if (YAML11_BOOL.test(s)) return 'bool';
  if (YAML11_NULL.test(s)) return 'none';
  if (YAML11_INT.test(s)) return 'int';
  if (YAML11_FLOAT.test(s)) return 'float';
  return 'str';
}

/**
 * yacs `CfgNode._decode_cfg_value`: a string value goes through `ast.literal_eval`, so `'1e-4'` becomes
 * a float, `'(60000, 80000)'` a tuple (listed as `list`: yacs casts between tuple and list), `'1'` an int.
 */
export function yacsTypeOf(node: CNode, raw: string, format: 'yaml' | 'json'): PyType {
  const t = pyTypeOf(node, raw, format);
  if (t !== 'str' || node.kind !== 'scalar' || typeof node.value !== 'string') return t;
  const s = node.value.trim();
  if (/^[-+]?\d[\d_]*$/.test(s)) return 'int';
  if (/^[-+]?(?:\d[\d_]*\.?[\d_]*|\.\d[\d_]*)(?:[eE][-+]?\d+)?$/.test(s)) return 'float';
  if (/^[([].*[)\]]$/s.test(s)) return 'list';
  if (s === 'True' || s === 'False') return 'bool';
  if (s === 'None') return 'none';
  return 'str';
}
