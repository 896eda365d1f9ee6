// Hamming distances in WebAssembly: `i64.popcnt` compiles to the CPU's popcount instruction, several times faster
// than any popcount JavaScript can express. The module is 120-odd bytes written out here (no toolchain needed);
// its text form:
//
//   (module
//     (memory (export "mem") 1)
//     (func (export "hamming") (param $q i32) (param $base i32) (param $n i32) (param $words i32) (param $out i32)
//       (local $r i32) (local $w i32) (local $p i32) (local $d i64) (local $qp i32)
//       ;; for each of n rows of `words` 64-bit words from $base: out[r] (u16) = popcount(row XOR q);
//       ;; the inner loop takes 4 words a turn, so `words` must be a multiple of 4 (rows are zero-padded)
//       ...))

const body = [
  0x03, 0x03, 0x7f, 0x01, 0x7e, 0x01, 0x7f, // locals: r w p (i32), d (i64), qp (i32)
  0x20, 0x01, 0x21, 0x07, //                     p = base
  0x02, 0x40, //                                 block $exit
  0x03, 0x40, //                                   loop $rows
  0x20, 0x05, 0x20, 0x02, 0x4f, 0x0d, 0x01, //      br_if $exit (r >= n)
  0x42, 0x00, 0x21, 0x08, //                         d = 0
  0x41, 0x00, 0x21, 0x06, //                         w = 0
  0x20, 0x00, 0x21, 0x09, //                         qp = q
  0x02, 0x40, //                                     block $wexit
  0x03, 0x40, //                                       loop $words
  0x20, 0x06, 0x20, 0x03, 0x4f, 0x0d, 0x01, //          br_if $wexit (w >= words)
  0x20, 0x08, //                                         d, then for offsets 0, 8, 16, 24 (unrolled ×4):
  ...[0x00, 0x08, 0x10, 0x18].flatMap((offset) => [
    0x20, 0x07, 0x29, 0x03, offset, //                     i64.load p+offset
    0x20, 0x09, 0x29, 0x03, offset, //                     i64.load qp+offset
    0x85, 0x7b, 0x7c, //                                   xor, popcnt, add
  ]),
  0x21, 0x08, //                                         → d
  0x20, 0x07, 0x41, 0x20, 0x6a, 0x21, 0x07, //          p += 32
  0x20, 0x09, 0x41, 0x20, 0x6a, 0x21, 0x09, //          qp += 32
  0x20, 0x06, 0x41, 0x04, 0x6a, 0x21, 0x06, //          w += 4
  0x0c, 0x00, //                                         br $words
  0x0b, 0x0b, //                                       end loop, end block
  0x20, 0x04, 0x20, 0x05, 0x41, 0x01, 0x74, 0x6a, //  out + r*2
  0x20, 0x08, 0xa7, 0x3b, 0x01, 0x00, //             i32.store16 (wrap d)
  0x20, 0x05, 0x41, 0x01, 0x6a, 0x21, 0x05, //       r += 1
  0x0c, 0x00, //                                     br $rows
  0x0b, 0x0b, //                                   end loop, end block
  0x0b, //                                       end func
];

const section = (id: number, content: number[]) => [id, ...leb(content.length), ...content];
function leb(n: number): number[] {
  const out: number[] = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n) byte |= 0x80;
    out.push(byte);
  } while (n);
  return out;
}
const name = (s: string) => [s.length, ...[...s].map((c) => c.charCodeAt(0))];

const MODULE = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
  ...section(1, [0x01, 0x60, 0x05, 0x7f, 0x7f, 0x7f, 0x7f, 0x7f, 0x00]), // type: (i32 ×5) → ()
  ...section(3, [0x01, 0x00]), //                                            func 0 has type 0
  ...section(5, [0x01, 0x00, 0x01]), //                                       memory: min 1 page
  ...section(7, [0x02, ...name("mem"), 0x02, 0x00, ...name("hamming"), 0x00, 0x00]),
  ...section(10, [0x01, ...leb(body.length), ...body]),
]);

export interface HammingKernel {
  memory: WebAssembly.Memory;
  /** Writes, for `n` rows of `words` u64 (a multiple of 4) at byte `base`, popcount(row XOR query at byte `q`) as u16 at byte `out`. */
  hamming(q: number, base: number, n: number, words: number, out: number): void;
}

/** A fresh instance (each with its own memory). */
export function hammingKernel(): HammingKernel {
  const instance = new WebAssembly.Instance(new WebAssembly.Module(MODULE));
  const exports = instance.exports as unknown as { mem: WebAssembly.Memory; hamming: HammingKernel["hamming"] };
  return { memory: exports.mem, hamming: exports.hamming };
}
