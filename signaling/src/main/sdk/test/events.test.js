import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Emitter } from '../src/events.js';

/** @extends {Emitter<{ ping: number, error: { code: string, message: string } }>} */
class Pinger extends Emitter {}

describe('Emitter', () => {
  it('calls listeners in order until they are removed', () => {
    const emitter = new Pinger();
    /** @type {string[]} */
    const seen = [];
    const off = emitter.on('ping', (n) => seen.push(`a${n}`));
    emitter.once('ping', (n) => seen.push(`b${n}`));
    emitter.emit('ping', 1);
    off();
    emitter.emit('ping', 2);
    assert.deepEqual(seen, ['a1', 'b1']);
  });

  it('reports a throwing listener as an error event and still calls the others', () => {
    const emitter = new Pinger();
    /** @type {string[]} */
    const seen = [];
    emitter.on('ping', () => { throw new Error('boom'); });
    emitter.on('ping', (n) => seen.push(`ping ${n}`));
    emitter.on('error', (e) => seen.push(`${e.code}: ${e.message}`));
    emitter.emit('ping', 7);
    assert.deepEqual(seen, ["listener: a 'ping' listener threw: boom", 'ping 7']);
  });
});
