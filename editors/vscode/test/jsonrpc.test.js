'use strict';
// node --test editors/vscode/test
const test = require('node:test');
const assert = require('node:assert');
const { PassThrough } = require('node:stream');
const { encode, Decoder, Connection, ResponseError } = require('../jsonrpc');

test('a frame counts bytes, not characters', () => {
  const frame = encode({ text: 'héllo →' }).toString('utf8');
  const body = JSON.stringify({ text: 'héllo →' });
  assert.strictEqual(frame, `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
  assert.notStrictEqual(Buffer.byteLength(body), body.length);
});

test('messages split at every byte, and several in one chunk, decode the same', () => {
  const messages = [{ id: 1, result: 'é' }, { method: 'fixpoint/step', params: { step: 2 } }, { id: 3, result: null }];
  const bytes = Buffer.concat(messages.map(encode));
  const oneByOne = new Decoder();
  const got = [];
  for (let i = 0; i < bytes.length; i++) got.push(...oneByOne.push(bytes.subarray(i, i + 1)));
  assert.deepStrictEqual(got, messages);
  assert.deepStrictEqual(new Decoder().push(bytes), messages);
});

test('Content-Type is accepted; a header without Content-Length or with a bad one is an error', () => {
  const body = '{"id":1}';
  assert.deepStrictEqual(
    new Decoder().push(Buffer.from(`Content-Type: application/vscode-jsonrpc; charset=utf-8\r\nContent-Length: ${body.length}\r\n\r\n${body}`)),
    [{ id: 1 }],
  );
  assert.throws(() => new Decoder().push(Buffer.from('Content-Type: x\r\n\r\n{}')), /without Content-Length/);
  assert.throws(() => new Decoder().push(Buffer.from('Content-Length: 1x\r\n\r\n{}')), /bad Content-Length/);
  assert.throws(() => new Decoder().push(Buffer.from('nonsense\r\n\r\n')), /malformed header/);
});

function pair(handlers) {
  const toClient = new PassThrough();
  const toServer = new PassThrough();
  const client = new Connection(toClient, toServer, handlers);
  const server = new Decoder();
  const sent = [];
  toServer.on('data', (chunk) => sent.push(...server.push(chunk)));
  const reply = (message) => toClient.write(encode(message));
  return { client, sent, reply, toClient };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

test('requests are matched to their responses by id, in any order', async () => {
  const { client, sent, reply } = pair();
  const first = client.request('workspace/executeCommand', { command: 'fixpoint.fixIssue' });
  const second = client.request('workspace/executeCommand', { command: 'fixpoint.proposedDiff' });
  await tick();
  assert.deepStrictEqual(sent.map((m) => m.id), [1, 2]);
  reply({ jsonrpc: '2.0', id: 2, result: { patch: 'p' } });
  reply({ jsonrpc: '2.0', id: 1, error: { code: -32800, message: 'cancelled' } });
  assert.deepStrictEqual(await second, { patch: 'p' });
  await assert.rejects(first, (error) => error instanceof ResponseError && error.code === -32800);
});

test('server requests are answered, notifications delivered', async () => {
  const notes = [];
  const { sent, reply } = pair({
    onRequest: async (method) => (method === 'window/workDoneProgress/create' ? null : { applied: false }),
    onNotification: (method, params) => notes.push([method, params]),
  });
  reply({ jsonrpc: '2.0', id: 'a', method: 'window/workDoneProgress/create', params: { token: 't' } });
  reply({ jsonrpc: '2.0', method: '$/progress', params: { token: 't', value: { kind: 'begin' } } });
  await tick();
  await tick();
  assert.deepStrictEqual(notes, [['$/progress', { token: 't', value: { kind: 'begin' } }]]);
  assert.deepStrictEqual(sent, [{ jsonrpc: '2.0', id: 'a', result: null }]);
});

test('pending requests fail when the server goes away', async () => {
  const { client, toClient } = pair();
  const pending = client.request('shutdown');
  toClient.destroy();
  await assert.rejects(pending, /closed its output/);
});
