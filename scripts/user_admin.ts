// npm run user:admin -- --email you@example.org --name "Your Name" [--agency SERFOR ...]
// Creates an admin account (the first one, or another), or resets an existing account's password and
// makes it admin. The password comes from ATALAYA_ADMIN_PASSWORD or is asked for on the terminal,
// never from the command line (shell history). Runs on the database directly: stop a server that
// holds the embedded database first.
import { commandLine } from './cli_args';
import { createInterface } from 'node:readline/promises';
import { passwordSchema, userCreateSchema } from '../server/api';
import { findUserByEmail } from '../server/db/repositories/users.repository';
import { migrateToLatest } from '../server/db/migrate';
import { runWithContext } from '../server/request_context';
import { createUser, updateUser } from '../server/services/auth.service';
import { runWithDatabase } from './cli';

const { values } = commandLine({ options: { email: { type: 'string' }, name: { type: 'string' }, agency: { type: 'string', multiple: true } } });

async function askPassword(): Promise<string> {
  if (process.env.ATALAYA_ADMIN_PASSWORD) return process.env.ATALAYA_ADMIN_PASSWORD;
  if (!process.stdin.isTTY) throw new Error('set ATALAYA_ADMIN_PASSWORD, or run this in a terminal to be asked for the password');
  const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: true });
  // Do not echo the password.
  (rl as unknown as { _writeToOutput: (s: string) => void })._writeToOutput = (s: string) => {
    if (s.includes('Password')) process.stdout.write(s);
  };
  const answer = await rl.question('Password (12+ characters): ');
  rl.close();
  process.stdout.write('\n');
  return answer;
}

await runWithDatabase('user:admin', async (database) => {
  await migrateToLatest(database.db);
  const email = values.email?.trim().toLowerCase();
  if (!email || !values.name) throw new Error('give --email and --name');
  const password = await askPassword();
  const checked = passwordSchema.safeParse(password);
  if (!checked.success) throw new Error(checked.error.issues[0]!.message);
  await runWithContext({ actorName: `cli:user:admin (${process.env.USER ?? 'unknown'})`, statementTimeoutMs: 0 }, async () => {
    const existing = await findUserByEmail(database.db, email);
    if (existing) {
      await updateUser(database.db, existing.id, { role: 'admin', password, disabled: false, ...(values.agency ? { agencies: values.agency } : {}) });
      console.log(`${email} is now an admin, with the new password; their old sessions are ended.`);
    } else {
      const input = userCreateSchema.parse({ email, name: values.name, role: 'admin', agencies: values.agency ?? [], password });
      const user = await createUser(database.db, input);
      console.log(`admin ${user.email} created (id ${user.id}). Sign in at the app, or POST /api/auth/login.`);
    }
  });
});
