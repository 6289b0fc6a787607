'use strict';
// A small JSON-RPC 2.0 client over LSP framing (`Content-Length: N\r\n\r\n` + N bytes of UTF-8 JSON),
// for talking to `fixpoint serve` without npm packages. No dependency on the vscode module, so it is
// unit-tested under plain node (test/jsonrpc.test.js).

/** Frames one message. Content-Length counts bytes, not characters. */
function encode(message) {
  const body = Buffer.from(JSON.stringify(message), 'utf8');
  return Buffer.concat([Buffer.from(`Content-Length: ${body.length}\r\n\r\n`, 'ascii'), body]);
}

/** Splits a byte stream into messages; feed it chunks as they arrive, in any sizes. */
class Decoder {
  constructor() {
    this.buffer = Buffer.alloc(0);
  }

  /** Returns the messages completed by `chunk`. Throws on a header without Content-Length or bad JSON. */
  push(chunk) {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    const messages = [];
    for (;;) {
      const end = this.buffer.indexOf('\r\n\r\n');
      if (end < 0) {
        if (this.buffer.length > 8192) throw new Error('header longer than 8 KiB');
        return messages;
      }
      const header = this.buffer.subarray(0, end).toString('ascii');
      let length = -1;
      for (const line of header.split('\r\n')) {
        const colon = line.indexOf(':');
        if (colon < 0) throw new Error(`malformed header line: ${JSON.stringify(line)}`);
        if (line.slice(0, colon).trim().toLowerCase() === 'content-length') {
          const value = line.slice(colon + 1).trim();
          if (!/^\d+$/.test(value)) throw new Error(`bad Content-Length: ${JSON.stringify(value)}`);
          length = Number(value);
        }
      }
      if (length < 0) throw new Error('header without Content-Length');
      if (this.buffer.length < end + 4 + length) return messages;
      const body = this.buffer.subarray(end + 4, end + 4 + length).toString('utf8');
      this.buffer = this.buffer.subarray(end + 4 + length);
      messages.push(JSON.parse(body));
    }
  }
}

/** A request answered with an error: `code` is the JSON-RPC code (-32800 for a cancelled request). */
class ResponseError extends Error {
  constructor(error) {
    super(error.message);
    this.code = error.code;
    this.data = error.data;
  }
}

/**
 * One connection over a readable (the server's stdout) and a writable (its stdin).
 * `onRequest(method, params)` answers server requests (its return value or promise is the result);
 * `onNotification(method, params)` sees server notifications; `onError(error)` sees framing errors.
 */
class Connection {
  constructor(readable, writable, { onRequest, onNotification, onError } = {}) {
    this.writable = writable;
    this.nextId = 1;
    this.pending = new Map();
    this.onRequest = onRequest || (() => null);
    this.onNotification = onNotification || (() => {});
    this.onError = onError || (() => {});
    const decoder = new Decoder();
    readable.on('data', (chunk) => {
      let messages;
      try {
        messages = decoder.push(chunk);
      } catch (error) {
        this.onError(error);
        return;
      }
      for (const message of messages) this.dispatch(message);
    });
    readable.on('close', () => this.closeAll(new Error('the server closed its output')));
  }

  request(method, params) {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.send({ jsonrpc: '2.0', id, method, params });
    });
  }

  notify(method, params) {
    this.send({ jsonrpc: '2.0', method, params });
  }

  send(message) {
    this.writable.write(encode(message));
  }

  dispatch(message) {
    if (message.method !== undefined && message.id !== undefined) {
      Promise.resolve()
        .then(() => this.onRequest(message.method, message.params))
        .then(
          (result) => this.send({ jsonrpc: '2.0', id: message.id, result: result === undefined ? null : result }),
          (error) => this.send({ jsonrpc: '2.0', id: message.id, error: { code: -32603, message: String(error && error.message) } }),
        );
    } else if (message.method !== undefined) {
      this.onNotification(message.method, message.params);
    } else {
      const waiter = this.pending.get(message.id);
      if (!waiter) return;
      this.pending.delete(message.id);
      if (message.error) waiter.reject(new ResponseError(message.error));
      else waiter.resolve(message.result);
    }
  }

  closeAll(error) {
    for (const waiter of this.pending.values()) waiter.reject(error);
    this.pending.clear();
  }
}

module.exports = { encode, Decoder, Connection, ResponseError };
