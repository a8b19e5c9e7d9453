import * as fs from 'fs';
import * as path from 'path';

/**
 * Largest config read (bytes). The biggest training configs (a Detectron2 or mmdet dump, a Hydra
 * composed config) are tens of KB; a file named config.yaml that is megabytes is data, or an attack.
 */
export const MAX_CONFIG_BYTES = 4 * 1024 * 1024;
/**
 * Largest JSON config read. Training JSONs (training_args.json, a DeepSpeed config, a Keras tuner
 * trial) are a few KB; a folder's other JSONs are datasets (COCO annotations.json: hundreds of MB)
 * and tokenizers (tokenizer.json: MBs), which are not read at all.
 */
export const MAX_JSON_CONFIG_BYTES = 1024 * 1024;
/** Bytes of a JSON's head looked at before deciding to read it. */
const HEAD_BYTES = 4096;

/**
 * The text of a config-named file, or undefined when it cannot be a config: not a regular file (a
 * FIFO's open waits for a writer, holding one of libuv's four pool threads; `config.yaml -> /dev/zero`
 * never ends), more than `maxBytes`, or a JSON whose head is not an object. The file is opened without
 * blocking and checked on the open handle, so one swapped for a FIFO or device after a stat is refused
 * too. Throws the system's error when the file cannot be opened (gone, no permission).
 */
export async function readConfigFile(file: string, maxBytes = MAX_CONFIG_BYTES): Promise<string | undefined> {
  const json = /\.jsonc?$/i.test(path.basename(file));
  const cap = json ? Math.min(maxBytes, MAX_JSON_CONFIG_BYTES) : maxBytes;
  const handle = await fs.promises.open(file, fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0));
  try {
    const st = await handle.stat();
    if (!st.isFile() || st.size > cap) return undefined;
    // Read to the cap, not to the size: the file may grow between the stat and the read.
    const buf = Buffer.alloc(Math.min(cap + 1, st.size + 1));
    let n = 0;
    while (n < buf.length) {
      const { bytesRead } = await handle.read(buf, n, buf.length - n, n);
      if (bytesRead === 0) break;
      n += bytesRead;
      if (json && n >= Math.min(HEAD_BYTES, buf.length) && !objectHead(buf.toString('utf8', 0, Math.min(n, HEAD_BYTES)))) return undefined;
    }
    if (n > cap || (json && !objectHead(buf.toString('utf8', 0, Math.min(n, HEAD_BYTES))))) return undefined;
    return buf.toString('utf8', 0, n);
  } finally {
    await handle.close();
  }
}

/** Whether a JSON(C) text starts as an object (after a BOM, blanks and comments): a list is data. */
function objectHead(head: string): boolean {
  const t = head.replace(/^\uFEFF/, '').replace(/^(?:\s+|\/\/[^\n]*(?:\n|$)|\/\*[\s\S]*?\*\/)*/, '');
  return t === '' || t.startsWith('{');
}
