/** Line and column (1-based) of a character offset. */
export function positionOf(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

/**
 * Finds where JSON text first goes wrong. JSON.parse's messages differ between engines and often
 * give no position; this scanner always does. Returns undefined for valid JSON.
 */
export function findJsonError(text: string): { offset: number; message: string } | undefined {
  let i = 0;
  const fail = (message: string): never => {
    throw { offset: i, message };
  };
  const ws = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i]!)) i++;
  };
  const literal = (word: string) => {
    if (text.startsWith(word, i)) i += word.length;
    else fail(`unexpected ${describe(text, i)}`);
  };
  const string = () => {
    i++;
    while (i < text.length) {
      const c = text[i]!;
      if (c === '"') return void i++;
      if (c === '\\') {
        const e = text[i + 1];
        if (e === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) fail('bad \\u escape in a string');
          i += 6;
        } else if (e !== undefined && '"\\/bfnrt'.includes(e)) i += 2;
        else fail('bad escape in a string');
        continue;
      }
      if (c.charCodeAt(0) < 0x20) fail('a line break or control character inside a string');
      i++;
    }
    fail('a string that is never closed');
  };
  const number = () => {
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i));
    if (!m) fail(`unexpected ${describe(text, i)}`);
    i += m![0].length;
  };
  const value = (): void => {
    ws();
    const c = text[i];
    if (c === undefined) fail('the text ends where a value should be');
    if (c === '{') {
      i++;
      ws();
      if (text[i] === '}') return void i++;
      for (;;) {
        ws();
        if (text[i] !== '"') fail(`expected a "quoted" key, found ${describe(text, i)}`);
        string();
        ws();
        if (text[i] !== ':') fail(`expected ":" after the key, found ${describe(text, i)}`);
        i++;
        value();
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === '}') return void i++;
        fail(`expected "," or "}", found ${describe(text, i)}`);
      }
    }
    if (c === '[') {
      i++;
      ws();
      if (text[i] === ']') return void i++;
      for (;;) {
        value();
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === ']') return void i++;
        fail(`expected "," or "]", found ${describe(text, i)}`);
      }
    }
    if (c === '"') return string();
    if (c === 't') return literal('true');
    if (c === 'f') return literal('false');
    if (c === 'n') return literal('null');
    return number();
  };
  try {
    value();
    ws();
    if (i < text.length) fail(`unexpected ${describe(text, i)} after the end of the JSON value`);
    return undefined;
  } catch (err) {
    return err as { offset: number; message: string };
  }
}

function describe(text: string, i: number): string {
  if (i >= text.length) return 'the end of the text';
  const word = /^[^\s,:{}[\]"]+/.exec(text.slice(i))?.[0];
  return word ? `"${word.slice(0, 20)}"` : `"${text[i]}"`;
}

/** "unexpected "person" at line 1, column 23" — for any JSON text that does not parse. */
export function describeJsonError(text: string): string {
  const error = findJsonError(text);
  if (!error) return 'it is valid JSON';
  const { line, column } = positionOf(text, error.offset);
  return `${error.message} at line ${line}, column ${column}`;
}
