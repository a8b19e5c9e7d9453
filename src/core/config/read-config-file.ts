import * as fs from 'fs';

/**
 * Largest config read (bytes). The biggest training configs (a Detectron2 or mmdet dump, a Hydra
 * composed config) are tens of KB; a file named config.yaml that is megabytes is data, or an attack.
 */
export const MAX_CONFIG_BYTES = 4 * 1024 * 1024;

/** Why a config-named file was not read. */
export class ConfigFileRefused extends Error {}

/**
 * The text of a config-named file, when it is a regular file of at most `maxBytes`. Opened without
 * blocking and checked on the open handle, so a FIFO (an open that waits for a writer, holding one of
 * libuv's four pool threads), a device (`config.yaml -> /dev/zero`, endless) or a file swapped for
 * one of them after a stat is refused, never read. Throws ConfigFileRefused for those, the system's
 * error when the file cannot be opened (gone, no permission).
 */
export async function readConfigFile(file: string, maxBytes = MAX_CONFIG_BYTES): Promise<string> {
  const handle = await fs.promises.open(file, fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0));
  try {
    const st = await handle.stat();
    if (!st.isFile()) throw new ConfigFileRefused('not a regular file, not read');
    if (st.size > maxBytes) throw new ConfigFileRefused(`${st.size} bytes, more than a config holds (${maxBytes}), not read`);
    // Read to the cap, not to the size: the file may grow between the stat and the read.
    const buf = Buffer.alloc(Math.min(maxBytes + 1, st.size + 1));
    let n = 0;
    while (n < buf.length) {
      const { bytesRead } = await handle.read(buf, n, buf.length - n, n);
      if (bytesRead === 0) break;
      n += bytesRead;
    }
    if (n > maxBytes) throw new ConfigFileRefused(`more than a config holds (${maxBytes} bytes), not read`);
    return buf.toString('utf8', 0, n);
  } finally {
    await handle.close();
  }
}
