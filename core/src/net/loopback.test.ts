import { describe, expect, it } from 'vitest';
import { hostOfHostHeader, isLoopbackHost, loopbackRequestRefusal } from './loopback.js';

describe('isLoopbackHost', () => {
  it.each([
    ['127.0.0.1', true],
    ['127.255.255.254', true],
    ['127.1', true], // inet_aton shorthand for 127.0.0.1
    ['0x7f.1', true], // hex, as browsers and inet_aton read it
    ['0177.0.0.1', true], // octal
    ['2130706433', true], // one 32-bit number
    ['127.0.0.1.', true], // trailing dot
    ['localhost', true],
    ['LOCALHOST', true],
    ['localhost.', true],
    ['app.localhost', true], // RFC 6761: names under .localhost are loopback
    ['::1', true],
    ['[::1]', true],
    ['0:0:0:0:0:0:0:1', true],
    ['::ffff:127.0.0.1', true], // IPv4-mapped loopback
    ['[::ffff:7f00:1]', true],
    ['127.evil.com', false],
    ['127.0.0.1.evil.com', false],
    ['localhost.evil.com', false],
    ['evil-localhost', false],
    ['128.0.0.1', false],
    ['0.0.0.0', false],
    ['0', false],
    ['::', false],
    ['::ffff:10.0.0.1', false],
    ['::127.0.0.1', false], // IPv4-compatible form: not loopback
    ['10.0.0.5', false],
    ['example.com', false],
    ['', false],
    [' 127.0.0.1', false],
    ['127.0.0.1:80', false], // a host with a port is not a bare host
    ['user@127.0.0.1', false],
    ['local%68ost', false], // no percent-decoding into "localhost"
    ['fe80::1%lo', false],
    ['127.0.0.256', false],
  ])('%s → %s', (host, expected) => {
    expect(isLoopbackHost(host)).toBe(expected);
  });
});

describe('hostOfHostHeader', () => {
  it.each([
    ['127.0.0.1:7300', '127.0.0.1'],
    ['[::1]:4566', '[::1]'],
    ['localhost', 'localhost'],
    ['Example.COM:80', 'example.com'],
    ['127.0.0.1:4566@evil.com', undefined],
    ['evil.com/127.0.0.1', undefined],
    ['127.0.0.1:99999', undefined],
    ['', undefined],
  ])('%s → %s', (header, expected) => {
    expect(hostOfHostHeader(header)).toBe(expected);
  });
});

describe('loopbackRequestRefusal', () => {
  it.each([
    { host: '127.0.0.1:4566', method: 'GET' },
    { host: 'localhost:7300', method: 'POST' },
    { host: '[::1]:4566', method: 'DELETE', origin: 'http://[::1]:4566' },
    { host: '127.0.0.1:4566', method: 'POST', origin: 'http://localhost:7300' },
    // A read from any page is answered: the browser does not let that page read the answer.
    { host: '127.0.0.1:4566', method: 'GET', origin: 'https://evil.com' },
  ])('answers $method with Host $host and Origin $origin', (request) => {
    expect(loopbackRequestRefusal(request)).toBeUndefined();
  });

  it.each([
    { host: 'evil.com:4566', method: 'GET' }, // DNS rebinding
    { host: '127.evil.com', method: 'GET' },
    { host: undefined, method: 'GET' },
    { host: '127.0.0.1:4566', method: 'POST', origin: 'https://evil.com' }, // cross-site form
    { host: '127.0.0.1:4566', method: 'DELETE', origin: 'null' }, // sandboxed frame, file://
    { host: '127.0.0.1:4566', method: 'POST', origin: 'http://127.evil.com' },
    { host: '127.0.0.1:4566', method: 'put', origin: 'http://localhost/path' },
  ])('refuses $method with Host $host and Origin $origin', (request) => {
    expect(loopbackRequestRefusal(request)).toMatch(/Host header|not from this machine/);
  });
});
