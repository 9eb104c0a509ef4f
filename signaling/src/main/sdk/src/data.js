// Data channels through the SFU and the envelope of docs/signaling.md "The envelope":
//
//  flags (1 byte, bit 0 = UTF-8 text) | N (1 byte) | N x (length L 1-64, L bytes of id) | payload

const TEXT_FLAG = 0x01;
const MAX_ID_BYTES = 64;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * The binary message a client sends: the payload for the participants named in `to`
 * (none: everyone else in the room).
 * @param {string | Uint8Array} payload text is sent with the text flag
 * @param {readonly string[]} [to] target participant ids, at most 255
 * @returns {Uint8Array}
 */
export function encodeEnvelope(payload, to = []) {
  if (to.length > 255) throw new RangeError(`at most 255 targets, got ${to.length}`);
  const ids = to.map((id) => {
    const bytes = encoder.encode(id);
    if (bytes.length < 1 || bytes.length > MAX_ID_BYTES) {
      throw new RangeError(`participant id of ${bytes.length} bytes: must be 1-${MAX_ID_BYTES}`);
    }
    return bytes;
  });
  const text = typeof payload === 'string';
  const body = text ? encoder.encode(payload) : payload;
  const size = 2 + ids.reduce((sum, id) => sum + 1 + id.length, 0) + body.length;
  const out = new Uint8Array(size);
  out[0] = text ? TEXT_FLAG : 0;
  out[1] = ids.length;
  let at = 2;
  for (const id of ids) {
    out[at++] = id.length;
    out.set(id, at);
    at += id.length;
  }
  out.set(body, at);
  return out;
}

/**
 * @typedef {object} Envelope
 * @property {boolean} text the payload is UTF-8 text
 * @property {string[]} ids the sender (from the SFU) or the targets (from a client)
 * @property {Uint8Array} payload a view into the message, not a copy
 */

/**
 * Reads an envelope; null when the message is not one (too short, a length out of range).
 * @param {Uint8Array} message
 * @returns {Envelope | null}
 */
export function decodeEnvelope(message) {
  if (message.length < 2) return null;
  const flags = message[0];
  const count = message[1];
  if ((flags & ~TEXT_FLAG) !== 0) return null;
  /** @type {string[]} */
  const ids = [];
  let at = 2;
  for (let i = 0; i < count; i++) {
    if (at >= message.length) return null;
    const length = message[at++];
    if (length < 1 || length > MAX_ID_BYTES || at + length > message.length) return null;
    ids.push(decoder.decode(message.subarray(at, at + length)));
    at += length;
  }
  return { text: (flags & TEXT_FLAG) !== 0, ids, payload: message.subarray(at) };
}

/**
 * One data channel kind (label and options) of the client. The SDK opens it again on
 * the new peer connection after a rejoin, so it outlives any one RTCDataChannel.
 */
export class AtriumDataChannel {
  /** @type {RTCDataChannel | null} */
  #channel = null;

  /**
   * @param {string} label
   * @param {RTCDataChannelInit} init
   */
  constructor(label, init) {
    this.label = label;
    this.init = init;
  }

  /** Whether a message can be sent now. */
  get open() {
    return this.#channel?.readyState === 'open';
  }

  /** @param {RTCDataChannel | null} channel */
  bind(channel) {
    this.#channel = channel;
  }

  /** Sends on the channel `other` is bound to from now on (a session taken over by a move). @param {AtriumDataChannel} other */
  takeOver(other) {
    this.#channel = other.#channel;
  }

  /**
   * Sends to the whole room, or only to the participants in `to`. Text for the whole
   * room goes as a string (it needs no envelope); everything else as an envelope.
   * @param {string | Uint8Array} payload
   * @param {{ to?: readonly string[] }} [options]
   */
  send(payload, { to = [] } = {}) {
    const channel = this.#channel;
    if (!channel || channel.readyState !== 'open') {
      throw new Error(`data channel '${this.label}' is not open`);
    }
    if (typeof payload === 'string' && to.length === 0) {
      channel.send(payload);
    } else {
      const bytes = encodeEnvelope(payload, to);
      channel.send(/** @type {Uint8Array<ArrayBuffer>} */ (bytes));
    }
  }

  close() {
    this.#channel?.close();
    this.#channel = null;
  }
}

/**
 * Turns one message the SFU delivered on a channel into a DataMessage; null when it is
 * not an envelope with one sender.
 * @param {string} label
 * @param {unknown} data the RTCDataChannel message's data (ArrayBuffer with binaryType "arraybuffer")
 * @returns {import('./types.js').DataMessage | null}
 */
export function receiveData(label, data) {
  /** @type {Uint8Array} */
  let bytes;
  if (data instanceof ArrayBuffer) {
    bytes = new Uint8Array(data);
  } else if (ArrayBuffer.isView(data)) {
    bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  } else {
    return null;
  }
  const envelope = decodeEnvelope(bytes);
  if (!envelope || envelope.ids.length !== 1) return null;
  return {
    label,
    from: envelope.ids[0],
    text: envelope.text ? decoder.decode(envelope.payload) : null,
    bytes: envelope.payload,
  };
}
