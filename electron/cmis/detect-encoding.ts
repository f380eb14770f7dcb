/**
 * What a file that is not valid UTF-8 is (contract section 1: detection needs positive evidence).
 * One pass over its bytes answers two questions:
 * - Is it UTF-8 with a few bad bytes? Then most of its non-ASCII bytes form valid UTF-8 sequences
 *   (every Vietnamese letter is two or three of them) and only a few do not (a Windows-1252 quote
 *   pasted into a name). Decoding such a file as Windows-1258 turns every name into mojibake.
 * - Is it Windows-1258? Then its non-ASCII bytes are Vietnamese letters of that code page, or its
 *   combining tone marks right after a letter, and none is a byte the code page leaves undefined.
 * Anything else is not guessed: the caller refuses it naming the lines, or an operator chooses.
 */

/** Vietnamese letters of Windows-1258: À Á Â Ă È É Ê Í Đ Ó Ô Ơ Ù Ú Ư and their lower case. */
const LETTERS_1258 = new Set([
  0xc0, 0xc1, 0xc2, 0xc3, 0xc8, 0xc9, 0xca, 0xcd, 0xd0, 0xd3, 0xd4, 0xd5, 0xd9, 0xda, 0xdd,
  0xe0, 0xe1, 0xe2, 0xe3, 0xe8, 0xe9, 0xea, 0xed, 0xf0, 0xf3, 0xf4, 0xf5, 0xf9, 0xfa, 0xfd,
]);
/** Combining grave, hook above, tilde, acute, dot below. */
const TONES_1258 = new Set([0xcc, 0xd2, 0xde, 0xec, 0xf2]);
const UNDEFINED_1258 = new Set([0x81, 0x8a, 0x8d, 0x8e, 0x8f, 0x90, 0x9a, 0x9d, 0x9e]);
/** Share of the non-ASCII bytes that must be Vietnamese for Windows-1258 ("overwhelmingly"). */
const VIETNAMESE_SHARE = 0.9;
/** Lines with bad bytes kept for the report (all are counted), and bad bytes shown per line. */
const MAX_LINES = 100;
const MAX_BYTES_SHOWN = 8;

export interface BadLine {
  line: number;
  /** The line's first bad bytes, e.g. "0x92 0x93". */
  bytes: string;
}

export interface ByteVerdict {
  /** windows1258 on positive evidence, else null (not guessed). */
  detected: 'windows1258' | null;
  /** Most non-ASCII bytes are valid UTF-8: a UTF-8 file damaged in a few places. */
  damagedUtf8: boolean;
  /** Lines holding bytes that are not valid UTF-8 (first MAX_LINES). */
  lines: BadLine[];
  lineCount: number;
}

const isAsciiLetter = (b: number): boolean => (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a);

/**
 * Length of the valid UTF-8 sequence starting at `i` (2-4), 0 when the bytes there are not one,
 * -1 when `end` cuts it short (more bytes needed to tell).
 */
function sequenceLength(bytes: Buffer, i: number, end: number): number {
  const c = bytes[i] ?? 0;
  let n: number;
  let lo = 0x80;
  let hi = 0xbf;
  if (c >= 0xc2 && c <= 0xdf) n = 2;
  else if (c >= 0xe0 && c <= 0xef) {
    n = 3;
    if (c === 0xe0) lo = 0xa0; // no overlong forms
    if (c === 0xed) hi = 0x9f; // no surrogates
  } else if (c >= 0xf0 && c <= 0xf4) {
    n = 4;
    if (c === 0xf0) lo = 0x90;
    if (c === 0xf4) hi = 0x8f; // nothing past U+10FFFF
  } else return 0;
  for (let k = 1; k < n; k++) {
    if (i + k >= end) return -1;
    const d = bytes[i + k] ?? 0;
    if (k === 1 ? d < lo || d > hi : d < 0x80 || d > 0xbf) return 0;
  }
  return n;
}

/** Streams the bytes of a file (chunks in order) and gives the verdict at the end. */
export class ByteCensus {
  private line = 1;
  private previous = 0;
  private carry: Buffer = Buffer.alloc(0);
  private nonAscii = 0;
  private inSequences = 0;
  private bad = 0;
  private vietnamese = 0;
  private undefined1258 = 0;
  private afterLetter = false;
  private lineBad: string[] = [];
  private readonly lines: BadLine[] = [];
  private lineCount = 0;

  write(chunk: Buffer): void {
    this.scan(this.carry.length === 0 ? chunk : Buffer.concat([this.carry, chunk]), false);
  }

  end(): ByteVerdict {
    this.scan(this.carry, true);
    this.closeLine();
    const damagedUtf8 = this.inSequences > 0 && this.inSequences >= this.bad;
    const windows1258 = !damagedUtf8 && this.undefined1258 === 0 && this.nonAscii > 0 && this.vietnamese >= VIETNAMESE_SHARE * this.nonAscii;
    return { detected: windows1258 ? 'windows1258' : null, damagedUtf8, lines: this.lines, lineCount: this.lineCount };
  }

  private scan(bytes: Buffer, final: boolean): void {
    const end = bytes.length;
    let i = 0;
    while (i < end) {
      const b = bytes[i] ?? 0;
      if (b < 0x80) {
        // A line ends at LF, CR, or CRLF (counted once).
        if (b === 0x0a || b === 0x0d) {
          if (!(b === 0x0a && this.previous === 0x0d)) {
            this.closeLine();
            this.line++;
          }
        }
        this.afterLetter = isAsciiLetter(b);
        this.previous = b;
        i++;
        continue;
      }
      const n = sequenceLength(bytes, i, end);
      if (n === -1 && !final) break; // finish it with the next chunk
      if (n > 0) {
        this.inSequences += n;
        for (let k = i; k < i + n; k++) this.codePage(bytes[k] ?? 0);
        i += n;
      } else {
        this.bad++;
        if (this.lineBad.length < MAX_BYTES_SHOWN) this.lineBad.push(`0x${b.toString(16)}`);
        this.codePage(b);
        i++;
      }
      this.previous = b;
    }
    this.carry = Buffer.from(bytes.subarray(i));
  }

  /** One non-ASCII byte read as Windows-1258: a Vietnamese letter, a tone mark after a letter, or not. */
  private codePage(b: number): void {
    this.nonAscii++;
    if (UNDEFINED_1258.has(b)) this.undefined1258++;
    const letter = LETTERS_1258.has(b);
    if (letter || (TONES_1258.has(b) && this.afterLetter)) this.vietnamese++;
    this.afterLetter = letter;
  }

  private closeLine(): void {
    if (this.lineBad.length === 0) return;
    this.lineCount++;
    if (this.lines.length < MAX_LINES) this.lines.push({ line: this.line, bytes: this.lineBad.join(' ') });
    this.lineBad = [];
  }
}
