import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeEnvelope, encodeEnvelope, receiveData } from '../src/data.js';

/** @param {string} hex bytes as hex, spaces ignored */
const bytes = (hex) => Uint8Array.from(hex.replace(/\s+/g, '').match(/../g) ?? [], (b) => parseInt(b, 16));

// docs/signaling.md "The envelope": p1a2b3c4d sends the text "hi" to p5e6f7a8b alone.
const ENCODE_TABLE = [
  { name: 'the doc example: text to one target', payload: 'hi', to: ['p5e6f7a8b'],
    want: '01 01 09 703565366637613862 6869' },
  { name: 'text to everyone else', payload: 'hi', to: [], want: '01 00 6869' },
  { name: 'binary to everyone else', payload: bytes('00ff'), to: [], want: '00 00 00ff' },
  { name: 'binary to two targets', payload: bytes('2a'), to: ['a', 'bc'], want: '00 02 01 61 02 6263 2a' },
  { name: 'empty text', payload: '', to: [], want: '01 00' },
  { name: 'UTF-8 text', payload: 'é', to: [], want: '01 00 c3a9' },
];

const DECODE_TABLE = [
  { name: 'the doc example: text from the sender', message: '01 01 09 703161326233633464 6869',
    want: { text: true, ids: ['p1a2b3c4d'], payload: '6869' } },
  { name: 'binary from the sender', message: '00 01 02 7031 0102', want: { text: false, ids: ['p1'], payload: '0102' } },
  { name: 'no ids, empty payload', message: '00 00', want: { text: false, ids: [], payload: '' } },
  { name: 'too short', message: '01', want: null },
  { name: 'unknown flag bits', message: '02 00 68', want: null },
  { name: 'id length 0', message: '00 01 00 68', want: null },
  { name: 'id length over 64', message: `00 01 41 ${'61'.repeat(65)}`, want: null },
  { name: 'id runs past the end', message: '00 01 05 6162', want: null },
  { name: 'fewer ids than counted', message: '00 02 01 61', want: null },
];

/** @param {Uint8Array} b */
const hex = (b) => Buffer.from(b).toString('hex');

describe('the data-channel envelope', () => {
  for (const { name, payload, to, want } of ENCODE_TABLE) {
    it(`encodes ${name}`, () => assert.equal(hex(encodeEnvelope(payload, to)), want.replace(/\s+/g, '')));
  }

  for (const { name, message, want } of DECODE_TABLE) {
    it(`decodes ${name}`, () => {
      const envelope = decodeEnvelope(bytes(message));
      assert.deepEqual(envelope && { ...envelope, payload: hex(envelope.payload) }, want);
    });
  }

  it('refuses ids that do not fit one length byte of 1-64', () => {
    assert.throws(() => encodeEnvelope('x', ['']), RangeError);
    assert.throws(() => encodeEnvelope('x', ['a'.repeat(65)]), RangeError);
  });

  it('round-trips what it encodes', () => {
    const message = encodeEnvelope(bytes('0001020304'), ['p5e6f7a8b', 'p0b1c2d3e']);
    const envelope = decodeEnvelope(message);
    assert.deepEqual(envelope?.ids, ['p5e6f7a8b', 'p0b1c2d3e']);
    assert.equal(hex(/** @type {Uint8Array} */ (envelope?.payload)), '0001020304');
  });

  it('reads a delivered message as a DataMessage, from an ArrayBuffer or a view', () => {
    const delivered = bytes('01 01 09 703161326233633464 6869');
    for (const data of [delivered.buffer, delivered, Buffer.from(delivered)]) {
      const message = receiveData('chat', data);
      assert.equal(message?.from, 'p1a2b3c4d');
      assert.equal(message?.text, 'hi');
    }
    assert.equal(receiveData('chat', 'a string'), null, 'the SFU sends only envelopes');
    assert.equal(receiveData('chat', bytes('01 00 6869').buffer), null, 'a delivered envelope names its sender');
  });
});
