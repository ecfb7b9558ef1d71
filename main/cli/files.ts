// Files the CLI reads or writes for the user (`apply -f`, `export -o`, `debugger export -o`,
// `diagnostics -o`): a failure is one readable line naming the file, never a stack trace.
import fs from 'node:fs';
import { CliFailure } from './cli-context';

const firstLine = (text: string) => text.split('\n')[0]!.trim();

function fileProblem(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such file or folder';
  if (code === 'EISDIR') return 'it is a folder';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  return err instanceof Error ? firstLine(err.message) : String(err);
}

export function readFileOrExplain(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new CliFailure(`Cannot read ${file}: ${fileProblem(err)}`);
  }
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
