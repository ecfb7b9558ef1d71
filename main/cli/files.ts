// Files the CLI reads or writes for the user (`apply -f`, `export -o`, `debugger export -o`,
// `diagnostics -o`): a failure is one readable line naming the file, never a stack trace.
import fs from 'node:fs';
import { isUtf8 } from 'node:buffer';
import { CliFailure } from './cli-context';
import { firstNotUtf8, notUtf8Error } from '../sources/utf8-check';

const firstLine = (text: string) => text.split('\n')[0]!.trim();

function fileProblem(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such file or folder';
  if (code === 'EISDIR') return 'it is a folder';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  return err instanceof Error ? firstLine(err.message) : String(err);
}

/**
 * The file's text: UTF-8, or UTF-16 when it starts with UTF-16's byte order mark (what Windows PowerShell 5.1's
 * `>` and Notepad's "Unicode" write), which read as UTF-8 was one string of NULs and letters. Other bytes that
 * are not UTF-8 (a file saved as Latin-1) are refused naming the line and the byte: decoded, each became U+FFFD
 * (`café.csv` a path to no file), and was applied so.
 */
export function readFileOrExplain(file: string): string {
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
    if (bytes[0] === 0xff && bytes[1] === 0xfe) return bytes.subarray(2).toString('utf16le');
    if (bytes[0] === 0xfe && bytes[1] === 0xff)
      return Buffer.from(bytes.subarray(2, bytes.length - (bytes.length % 2)))
        .swap16()
        .toString('utf16le');
  } catch (err) {
    throw new CliFailure(`Cannot read ${file}: ${fileProblem(err)}`);
  }
  if (isUtf8(bytes)) return bytes.toString('utf8');
  const bad = firstNotUtf8(bytes);
  throw new CliFailure(notUtf8Error(file, bad, bytes[bad]).message);
}

export function writeFileOrExplain(file: string, text: string): void {
  try {
    fs.writeFileSync(file, text);
  } catch (err) {
    throw new CliFailure(`Cannot write ${file}: ${fileProblem(err)}`);
  }
}

/** `-o FILE` writes the file; without it the text goes to standard output. */
export function writeOutput(file: string | undefined, text: string): void {
  if (file) writeFileOrExplain(file, text);
  else process.stdout.write(text);
}
