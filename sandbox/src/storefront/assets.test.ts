import type { ServerResponse } from 'node:http';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { GLB_MAGIC, glbHead, streamAsset } from './assets.js';

/** A response whose socket takes bytes only when the test says so. */
function slowResponse() {
  const pending: (() => void)[] = [];
  let received = 0;
  const stream = new Writable({
    highWaterMark: 64 * 1024,
    write(chunk: Buffer, _encoding, callback) {
      pending.push(() => {
        received += chunk.length;
        callback();
      });
    },
  });
  const res = Object.assign(stream, { writeHead: () => res }) as unknown as ServerResponse;
  return {
    res,
    stream,
    received: () => received,
    /** let the socket take everything written so far */
    flush: () => pending.splice(0).forEach((take) => take()),
  };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('streamAsset', () => {
  it('waits for the socket to drain instead of buffering the file', async () => {
    // Given a socket that takes nothing until released
    const socket = slowResponse();
    const size = 10 * 1024 * 1024;
    const done = streamAsset(socket.res, 'model/gltf-binary', glbHead(size, 'm-1', 0), size);
    await tick();
    // Then no more than about a buffer's worth is queued
    expect(socket.stream.writableLength).toBeLessThanOrEqual(128 * 1024);
    // And when the socket takes bytes, the whole file arrives, exactly
    while (socket.received() < size) {
      socket.flush();
      await tick();
    }
    await expect(done).resolves.toBe(size);
    expect(socket.received()).toBe(size);
  });

  it('stops when the client goes away, counting only what left', async () => {
    const socket = slowResponse();
    const size = 10 * 1024 * 1024;
    const done = streamAsset(socket.res, 'model/gltf-binary', glbHead(size, 'm-1', 0), size);
    for (let i = 0; i < 3; i++) {
      socket.flush();
      await tick();
    }
    socket.stream.destroy();
    const sent = await done;
    expect(sent).toBeGreaterThan(0);
    expect(sent).toBeLessThan(size / 10);
  });
});

describe('glbHead', () => {
  it.each([4096, 1_000_000, 25_500_000])('fits a valid header into %i bytes', (size) => {
    const head = glbHead(size, 'm-0123456789', 1);
    expect(head.readUInt32LE(0)).toBe(GLB_MAGIC);
    expect(head.readUInt32LE(8)).toBe(size);
    const jsonLength = head.readUInt32LE(12);
    expect(jsonLength % 4).toBe(0);
    const json = JSON.parse(head.toString('utf8', 20, 20 + jsonLength)) as {
      buffers: [{ byteLength: number }];
    };
    expect(json.buffers[0].byteLength).toBe(head.readUInt32LE(20 + jsonLength));
    expect(head.length + json.buffers[0].byteLength).toBe(size);
  });
});
