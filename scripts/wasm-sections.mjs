// The pieces of the wasm binary format that the build's scripts read and write when they edit
// the tags' module (short-imports.mjs, name-module.mjs): LEB128 numbers, names and sections.
// https://webassembly.github.io/spec/core/binary/modules.html

/** Reads the unsigned LEB128 in `bytes` at `at`: [value, next offset]. */
export function readLeb(bytes, at) {
    let value = 0;
    for (let shift = 0; ; shift += 7) {
        const byte = bytes[at++];
        value += (byte & 0x7f) * 2 ** shift;
        if (byte < 0x80) return [value, at];
    }
}

/** The unsigned LEB128 of `value`. */
export function encodeLeb(value) {
    const out = [];
    do {
        let byte = value % 128;
        value = Math.floor(value / 128);
        if (value > 0) byte |= 0x80;
        out.push(byte);
    } while (value > 0);
    return Buffer.from(out);
}

/** Reads the name in `bytes` at `at` (its length, then UTF-8): [text, next offset]. */
export function readName(bytes, at) {
    const [length, start] = readLeb(bytes, at);
    return [bytes.toString("utf8", start, start + length), start + length];
}

/** A name as the binary format writes it: its length, then its UTF-8 bytes. */
export function encodeName(text) {
    const utf8 = Buffer.from(text, "utf8");
    return Buffer.concat([encodeLeb(utf8.length), utf8]);
}

/** The sections after the module's 8-byte header, in order: each one's id, where its content
 * starts and ends, and its whole bytes. */
export function* sections(wasm) {
    for (let at = 8; at < wasm.length;) {
        const id = wasm[at];
        const [size, start] = readLeb(wasm, at + 1);
        yield { id, start, end: start + size, bytes: wasm.subarray(at, start + size) };
        at = start + size;
    }
}

/** A section (or a custom section's subsection): its id, its content's size, its content. */
export function encodeSection(id, content) {
    return Buffer.concat([Buffer.from([id]), encodeLeb(content.length), content]);
}
