import { promisify } from 'node:util';
import { crc32, deflateRaw } from 'node:zlib';

/**
 * The EPUB's zip container, written with Node's zlib: the packager's zip library deflates and checksums in
 * JavaScript on the main thread, which was a fifth of an EPUB's own time; zlib deflates on its thread pool, all
 * entries at once (decision 090). The layout is the library's: entries in the order given, each a local header
 * and its data, then the central directory; no data descriptors, no extra fields, DOS times in UTC.
 */
export interface ZipEntry {
  /** Its path in the container; a folder's ends in `/`. */
  name: string;
  /** The entry's bytes; none for a folder. */
  bytes?: Uint8Array;
  /** Stored as it is (the `mimetype` file, which must be), else deflated. */
  store?: boolean;
  date: Date;
}

const deflate = promisify(deflateRaw);

/** Deflate level: zlib's default, as the packager was set to use (decision 086). */
const level = 6;

export async function zipContainer(entries: readonly ZipEntry[]): Promise<Uint8Array> {
  const packed = await Promise.all(
    entries.map(async (entry) => {
      const bytes = entry.bytes ?? new Uint8Array();
      const stored = entry.store === true || entry.bytes === undefined;
      return {
        entry,
        name: Buffer.from(entry.name, 'utf8'),
        crc: crc32(bytes),
        size: bytes.byteLength,
        data: stored ? bytes : new Uint8Array(await deflate(bytes, { level })),
        method: stored ? 0 : 8,
      };
    }),
  );
  const parts: Uint8Array[] = [];
  const directory: Uint8Array[] = [];
  let offset = 0;
  for (const file of packed) {
    const { time, date } = dosDateTime(file.entry.date);
    // Bit 11: the name is UTF-8 (set only when it is not plain ASCII, as the library does).
    const flags = file.name.length === file.entry.name.length ? 0 : 0x0800;
    const common = Buffer.alloc(26);
    common.writeUInt16LE(10, 0); // version needed to extract: 1.0
    common.writeUInt16LE(flags, 2);
    common.writeUInt16LE(file.method, 4);
    common.writeUInt16LE(time, 6);
    common.writeUInt16LE(date, 8);
    common.writeUInt32LE(file.crc, 10);
    common.writeUInt32LE(file.data.byteLength, 14);
    common.writeUInt32LE(file.size, 18);
    common.writeUInt16LE(file.name.length, 22);
    common.writeUInt16LE(0, 24); // extra field length
    const local = Buffer.alloc(4);
    local.writeUInt32LE(0x04034b50, 0);
    parts.push(local, common, file.name, file.data);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(0x0014, 4); // made by: DOS, version 2.0
    common.copy(central, 6);
    central.writeUInt16LE(0, 32); // comment length
    central.writeUInt16LE(0, 34); // disk number
    central.writeUInt16LE(0, 36); // internal attributes
    central.writeUInt32LE(file.entry.bytes === undefined ? 0x10 : 0, 38); // external: the DOS folder flag
    central.writeUInt32LE(offset, 42);
    directory.push(central, file.name);
    offset += local.length + common.length + file.name.length + file.data.byteLength;
  }
  const directorySize = directory.reduce((sum, part) => sum + part.byteLength, 0);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(0, 4); // this disk
  end.writeUInt16LE(0, 6); // the directory's disk
  end.writeUInt16LE(packed.length, 8);
  end.writeUInt16LE(packed.length, 10);
  end.writeUInt32LE(directorySize, 12);
  end.writeUInt32LE(offset, 16);
  end.writeUInt16LE(0, 20); // comment length
  return Buffer.concat([...parts, ...directory, end]);
}

/** A date as MS-DOS time and date fields, in UTC (so the same inputs give the same bytes on any machine). */
function dosDateTime(when: Date): { time: number; date: number } {
  const time = (when.getUTCHours() << 11) | (when.getUTCMinutes() << 5) | Math.floor(when.getUTCSeconds() / 2);
  const date = ((when.getUTCFullYear() - 1980) << 9) | ((when.getUTCMonth() + 1) << 5) | when.getUTCDate();
  return { time, date };
}
