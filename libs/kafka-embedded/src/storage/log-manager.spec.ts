import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SILENT_LOGGER } from '../broker/broker-logger';
import { LogManager } from './log-manager';

describe('LogManager topic deletion', () => {
  let dir: string;
  let logs: LogManager;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'log-manager-'));
    logs = new LogManager({ dataDir: dir, fsync: 'never', logger: SILENT_LOGGER });
    logs.open();
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  // Seen in the wire fuzz suite: delete, re-create and delete the same name while the first
  // delete was still closing its partitions; the first delete then renamed the new topic's
  // directory away and the second failed with ENOENT.
  it('keeps a topic re-created while an earlier delete of the same name is still closing', async () => {
    logs.createTopic('orders', 2, {});
    const firstDelete = logs.deleteTopic('orders');
    logs.createTopic('orders', 1, {});
    await firstDelete;

    expect(fs.existsSync(path.join(dir, 'topics', 'orders', 'topic.json'))).toBe(true);
    expect(logs.get('orders')?.partitions).toHaveLength(1);

    const secondDelete = logs.deleteTopic('orders');
    logs.createTopic('orders', 3, {});
    await expect(secondDelete).resolves.toBeUndefined();
    await expect(logs.deleteTopic('orders')).resolves.toBeUndefined();
    expect(fs.readdirSync(path.join(dir, 'topics'))).toEqual([]);
  });
});
