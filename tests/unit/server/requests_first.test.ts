import { describe, expect, it } from 'vitest';
import { RequestsFirst } from '../../../server/db/requests_first';

/** One connection handed out first come, first served, like the embedded database's driver. */
function oneConnection() {
  let tail = Promise.resolve();
  return () => {
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const turn = tail.then(() => release);
    tail = tail.then(() => held);
    return turn;
  };
}

const tick = () => new Promise((r) => setTimeout(r, 5));

describe('requests first on one connection', () => {
  it('lets requests go before a background statement that asked while one waited', async () => {
    let request = false;
    const order = new RequestsFirst(() => request);
    const connection = oneConnection();
    const ran: string[] = [];
    const use = async (name: string, isRequest: boolean) => {
      request = isRequest;
      const release = await order.acquire(connection);
      ran.push(name);
      await tick();
      release();
    };
    const first = use('import batch 1', false); // holds the connection
    await Promise.resolve();
    const readA = use('read A', true); // waits for batch 1 only
    const next = use('import batch 2', false); // a request waits: batch 2 waits until none does
    const readB = use('read B', true); // asked after batch 2, served before it (first come would not)
    await Promise.all([first, readA, next, readB]);
    expect(ran).toEqual(['import batch 1', 'read A', 'read B', 'import batch 2']);
  });

  it('keeps background work going when no request waits', async () => {
    const order = new RequestsFirst(() => false);
    const connection = oneConnection();
    let done = 0;
    await Promise.all([1, 2, 3].map(async () => {
      const release = await order.acquire(connection);
      done++;
      release();
    }));
    expect(done).toBe(3);
  });
});
