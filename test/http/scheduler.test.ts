import assert from 'node:assert/strict';
import cron from 'node-cron';
import { pino } from 'pino';
import request from 'supertest';
import { startScheduler } from '../../src/jobs/scheduler.js';
import { startTestService, type TestService } from '../support/service.js';

const EVERY_SECOND = '* * * * * *';

async function passesDone(service: TestService): Promise<number> {
  const text = (await request(service.app).get('/metrics').expect(200)).text;
  const line = text
    .split('\n')
    .find((candidate) => candidate.startsWith('feed_normalise_pass_seconds_count{outcome="ok"}'));
  return line === undefined ? 0 : Number(line.slice(line.lastIndexOf(' ') + 1));
}

/** Resolves after `count` ticks of an independent cron task on `expression`: ticks the scheduler would also have had. */
function ticksOf(expression: string, count: number): Promise<void> {
  let seen = 0;
  return new Promise((resolve) => {
    const witness = cron.schedule(expression, async () => {
      seen += 1;
      if (seen < count) return;
      await witness.stop();
      resolve();
    });
  });
}

describe('the scheduler', function () {
  this.timeout(30_000);
  let service: TestService;
  beforeEach(async () => {
    service = await startTestService();
    service.write('a.txt', 'Спорт\n\nВест\n\nУвод\n\nПасус.\n');
  });
  afterEach(() => service.close());

  it('runs a pass at start-up and on every tick, and none after stop', async () => {
    const scheduler = startScheduler(service.job, EVERY_SECOND, pino({ level: 'silent' }));
    // The start-up pass and at least one scheduled one.
    while ((await passesDone(service)) < 2) await ticksOf(EVERY_SECOND, 1);
    await scheduler.stop();
    const atStop = await passesDone(service);
    await ticksOf(EVERY_SECOND, 3);
    assert.equal(service.job.isRunning, false, 'a pass started after stop');
    // Lets a pass that a tick might have started finish, so it would be counted.
    await service.job.stop();
    assert.equal(await passesDone(service), atStop, 'a pass ran after stop');
  });
});
