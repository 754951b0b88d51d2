// Imported first by every command, so `--help` answers before anything heavy loads (the server
// modules, the database): it prints the comment block at the head of the command's file, which is
// where each command documents its usage. Also parses the options, turning a wrong one into one
// line that says how to get the usage instead of a stack trace.
import fs from 'node:fs';
import { parseArgs, type ParseArgsConfig } from 'node:util';

function usageOf(file: string): string {
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  const head: string[] = [];
  for (const line of lines) {
    if (!line.startsWith('//')) break;
    head.push(line.replace(/^\/\/ ?/, ''));
  }
  return head.join('\n');
}

const script = process.argv[1] ?? '';
if (process.argv.slice(2).some((a) => a === '--help' || a === '-h')) {
  console.log(usageOf(script));
  process.exit(0);
}

/** parseArgs with the command's own usage on a wrong option (exit 2). */
export function commandLine<T extends ParseArgsConfig>(config: T): ReturnType<typeof parseArgs<T>> {
  try {
    return parseArgs(config);
  } catch (e) {
    console.error(`atalaya: ${(e as Error).message.replace(/\.$/, '')}. Run with --help for the usage.`);
    process.exit(2);
  }
}
