// BullMQ side of Rivulet's Redis peer benchmark (benchmarks/.../harness/RedisPeers.java runs it).
// Phase 1 adds COUNT jobs of SIZE bytes with up to INFLIGHT adds outstanding; phase 2 drains them
// with a Worker at CONCURRENCY. Prints one JSON line: {"produce": jobs/s, "consume": jobs/s}.
//
//   node bench.js HOST PORT COUNT SIZE CONCURRENCY INFLIGHT
'use strict';
const { Queue, Worker } = require('bullmq');

async function main() {
  const [host, port, count, size, concurrency, inflight] = process.argv.slice(2);
  const connection = { host, port: Number(port), maxRetriesPerRequest: null };
  const n = Number(count);
  const name = 'rivulet-peer-' + process.pid + '-' + Date.now();
  const queue = new Queue(name, { connection });
  const data = { payload: 'x'.repeat(Math.max(0, Number(size) - 14)) };
  const opts = { removeOnComplete: true, removeOnFail: true };

  let started = process.hrtime.bigint();
  let next = 0;
  async function lane() {
    while (next < n) {
      next++;
      await queue.add('job', data, opts);
    }
  }
  await Promise.all(Array.from({ length: Number(inflight) }, lane));
  const produceSeconds = Number(process.hrtime.bigint() - started) / 1e9;

  let done = 0;
  let finish;
  const drained = new Promise((resolve) => { finish = resolve; });
  started = process.hrtime.bigint();
  const worker = new Worker(name, async () => {}, { connection, concurrency: Number(concurrency), autorun: true });
  worker.on('completed', () => { if (++done === n) finish(); });
  worker.on('failed', (job, err) => { console.error('job failed: ' + err.message); process.exit(1); });
  await drained;
  const consumeSeconds = Number(process.hrtime.bigint() - started) / 1e9;

  await worker.close();
  await queue.obliterate({ force: true });
  await queue.close();
  console.log(JSON.stringify({ produce: n / produceSeconds, consume: n / consumeSeconds }));
}

main().catch((err) => { console.error(err.message); process.exit(1); });
