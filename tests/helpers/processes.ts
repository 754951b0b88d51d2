// Atalaya's own entry points (server, CLI scripts) as child processes, as a user runs them: their
// output to wait on, their exit, and a way to kill every one a test started.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));

export function processes() {
  const children: ChildProcess[] = [];

  function run(file: string, args: string[], env: Record<string, string>): ChildProcess {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, file), ...args], {
      cwd: root,
      env: { ...process.env, DATABASE_URL: '', LOG_LEVEL: 'info', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    return child;
  }

  function waitForOutput(child: ChildProcess, pattern: RegExp, timeoutMs = 90_000): Promise<RegExpMatchArray> {
    return new Promise((resolve, reject) => {
      let seen = '';
      const timer = setTimeout(() => reject(new Error(`timed out waiting for ${pattern}; output so far:\n${seen.slice(-2000)}`)), timeoutMs);
      const onData = (chunk: Buffer) => {
        seen += chunk.toString();
        const m = seen.match(pattern);
        if (m) {
          clearTimeout(timer);
          resolve(m);
        }
      };
      child.stdout!.on('data', onData);
      child.stderr!.on('data', onData);
      child.once('exit', (code) => {
        if (!seen.match(pattern)) {
          clearTimeout(timer);
          reject(new Error(`exited with ${code} before ${pattern}; output:\n${seen.slice(-2000)}`));
        }
      });
    });
  }

  function exitOf(child: ChildProcess): Promise<{ code: number | null; output: string }> {
    let output = '';
    child.stdout!.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
    return new Promise((resolve) => child.once('exit', (code) => resolve({ code, output })));
  }

  return { run, waitForOutput, exitOf, killAll: () => children.forEach((c) => c.exitCode === null && c.kill('SIGKILL')) };
}
