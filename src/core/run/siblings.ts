/**
 * Runs of one config that differ only in their seed are siblings (the `ensemble` scenario). Two
 * configs are the same but for the seed when their texts match once every line naming a seed is
 * removed and whitespace is normalised.
 */
const SEED_LINE = /^\s*["']?[\w.-]*seed["']?\s*[:=]/i;

export function seedlessFingerprint(configText: string): string {
  return configText
    .split(/\r?\n/)
    .filter((line) => !SEED_LINE.test(line))
    .map((line) => line.trim().replace(/,$/, ''))
    .filter((line) => line.length > 0)
    .join('\n');
}
