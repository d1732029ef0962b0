/**
 * Kubernetes `$(VAR)` expansion of a container's command, args and env
 * values, exactly as the kubelet does it (k8s.io/kubernetes
 * third_party/forked/golang/expansion, Expand and tryReadVariableName):
 * byte-wise over the UTF-8 text, `$(NAME)` becomes NAME's value when
 * `lookup` knows it and stays `$(NAME)` when not, `$$` becomes `$`, an
 * unterminated `$(` and a `$` before any other byte stay as they are.
 *
 * One corner differs in bytes only: Go copies the byte after a lone `$` as
 * `string(byte)`, which turns a non-ASCII byte into another character and
 * leaves invalid UTF-8; that text is refused here rather than mangled.
 */
export function expand(input: string, lookup: (name: string) => string | undefined): string {
  const bytes = Buffer.from(input, 'utf8');
  const out: Buffer[] = [];
  const DOLLAR = 0x24;
  const OPEN = 0x28;
  const CLOSE = 0x29;
  let checkpoint = 0;
  for (let cursor = 0; cursor < bytes.length; cursor++) {
    if (bytes[cursor] !== DOLLAR || cursor + 1 >= bytes.length) continue;
    out.push(bytes.subarray(checkpoint, cursor));
    const next = bytes[cursor + 1]!;
    let advance = 1;
    if (next === DOLLAR) {
      out.push(Buffer.from('$'));
    } else if (next === OPEN) {
      const close = bytes.indexOf(CLOSE, cursor + 2);
      if (close === -1) {
        out.push(Buffer.from('$('));
      } else {
        const name = bytes.subarray(cursor + 2, close).toString('utf8');
        out.push(Buffer.from(lookup(name) ?? `$(${name})`, 'utf8'));
        advance = close - cursor;
      }
    } else {
      if (next >= 0x80)
        throw new Error(`${JSON.stringify(input)}: a "$" before a non-ASCII character, which Kubernetes's expansion turns into different bytes`);
      out.push(Buffer.from([DOLLAR, next]));
    }
    cursor += advance;
    checkpoint = cursor + 1;
  }
  out.push(bytes.subarray(checkpoint));
  return Buffer.concat(out).toString('utf8');
}
