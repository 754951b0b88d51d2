// The real server for load benchmarks, as `npm start` runs it (demo data on the first start): an
// admin made with the CLI, the server started and waited for until its start-up statistics are
// done, and a personal API token for signed-in requests.
import { spawn, type ChildProcess } from 'node:child_process';
import { root } from '../helpers/e2e_app';

export interface BenchServer {
  base: string;
  token: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

function runScript(file: string, args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', file, ...args], { cwd: root, env, stdio: 'inherit' });
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${file} exited with ${code}`))));
  });
}

export async function startBenchServer(env: NodeJS.ProcessEnv, port: number, admin: { email: string; password: string; name: string }): Promise<BenchServer> {
  await runScript('scripts/user_admin.ts', ['--email', admin.email, '--name', admin.name], { ...env, ATALAYA_ADMIN_PASSWORD: admin.password });
  const server = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], { cwd: root, env: { ...env, PORT: String(port) }, stdio: ['ignore', 'inherit', 'inherit'] });
  const base = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (server.exitCode !== null) return;
    server.kill('SIGTERM');
    await new Promise((r) => server.once('exit', r));
  };
  try {
    console.log('starting the server (the first start loads the demo data and computes its statistics)');
    for (let i = 0; ; i++) {
      const job = await fetch(`${base}/api/jobs/1`).then((r) => (r.ok ? (r.json() as Promise<{ status: string }>) : undefined)).catch(() => undefined);
      if (job?.status === 'done') break;
      if (i > 900) throw new Error('the server did not finish starting in 15 minutes');
      await new Promise((r) => setTimeout(r, 1000));
    }
    const login = await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: admin.email, password: admin.password }) });
    const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
    const { csrfToken } = (await login.json()) as { csrfToken: string };
    const { token } = (await (await fetch(`${base}/api/auth/tokens`, { method: 'POST', headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': csrfToken }, body: JSON.stringify({ name: 'bench' }) })).json()) as { token: string };
    return { base, token, process: server, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}
