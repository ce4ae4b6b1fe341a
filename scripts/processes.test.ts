import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { freePort, portFree } from './processes.js';

describe('freePort', () => {
  it('hands out distinct free ports below the range the kernel gives outgoing connections', async () => {
    const range = await readFile('/proc/sys/net/ipv4/ip_local_port_range', 'utf8');
    const low = Number(range.trim().split(/\s+/)[0]);
    const ports = await Promise.all(Array.from({ length: 50 }, () => freePort()));
    expect(new Set(ports).size).toBe(50);
    for (const port of ports) expect(port).toBeLessThan(low);
    expect(await portFree(ports[0]!)).toBe(true);
  });
});
