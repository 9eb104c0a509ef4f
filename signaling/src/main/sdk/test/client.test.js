import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { WebSocket } from 'ws';
import { AtriumClient } from '../src/atrium-client.js';
import { FakeServer, fakePeerConnections, sdpWithMids, sleep, tick } from './fakes.js';

const ICE_SERVERS = [{ urls: ['turn:sfu.example.org:3478?transport=udp'], username: '1767268800:p1',
  credential: 'Vd5h6o0m0S4D3Zk5G0e1fZ0yq2A=' }];
const BOB = { id: 'p0b1c2d3e', name: 'Bob', identity: 'bob@example.org' };

/** @param {string} id @param {Array<Record<string, unknown>>} [participants] */
function joinedMessage(id, participants = []) {
  return { type: 'joined', room: 'demo', participantId: id, name: 'Alice', resumeToken: `token-of-${id}`,
    participants, iceServers: ICE_SERVERS };
}

/**
 * @param {number} version
 * @param {Array<{ mid: string, kind: string, participantId: string }>} [subscribe]
 */
function offerMessage(version, subscribe = []) {
  return { type: 'offer', version, sdp: sdpWithMids(['0', '1', '2', ...subscribe.map((s) => s.mid)]),
    publish: [{ mid: '0', kind: 'audio' }, { mid: '1', kind: 'video' }], subscribe };
}

/** Records every event of the client, as [name, payload]. @param {AtriumClient} client */
function recordEvents(client) {
  /** @type {Array<[string, any]>} */
  const events = [];
  for (const name of /** @type {const} */ (['connection-state', 'joined', 'channel-open', 'channel-close', 'participant-joined', 'participant-left',
    'track-added', 'track-removed', 'active-speaker', 'video-paused', 'video-resumed', 'publish-layers', 'data',
    'data-dropped', 'error'])) {
    client.on(name, (payload) => events.push([name, payload]));
  }
  return events;
}

/** @param {() => boolean} condition */
async function until(condition, timeoutMs = 2000) {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(5);
  }
}

describe('AtriumClient', () => {
  /** @type {FakeServer} */ let server;
  /** @type {ReturnType<typeof fakePeerConnections>} */ let pcs;
  /** @type {AtriumClient} */ let client;

  beforeEach(async () => {
    server = await FakeServer.start();
    pcs = fakePeerConnections();
    client = new AtriumClient({
      room: 'demo', name: 'Alice', token: 'jwt', url: server.url,
      WebSocket: /** @type {any} */ (WebSocket), RTCPeerConnection: /** @type {any} */ (pcs.PeerConnection),
      reconnect: { minDelayMs: 10, maxDelayMs: 40, resumeGraceMs: 5000 }, renderSizeDebounceMs: 50,
    });
  });

  afterEach(async () => {
    client.leave();
    await server.close();
  });

  /** Joins as p1 with Bob in the room; returns the server's side of the connection. */
  async function joinAsAlice() {
    const joining = client.join();
    const { connection, first } = await server.accept('join');
    connection.send(joinedMessage('p1', [BOB]));
    await joining;
    return { connection, join: first };
  }

  it('joins with room, name and token, and gives joined\'s iceServers to setConfiguration', async () => {
    const events = recordEvents(client);
    const joining = client.join();
    const { connection, first } = await server.accept('join');
    assert.deepEqual(first, { type: 'join', room: 'demo', name: 'Alice', token: 'jwt' });
    connection.send(joinedMessage('p1', [BOB]));
    const joined = await joining;
    assert.equal(joined.participantId, 'p1');
    assert.equal(client.participantId, 'p1');
    assert.equal(client.state, 'connected');
    assert.equal(pcs.created.length, 1);
    const pc = pcs.created[0];
    assert.deepEqual(pc.configuration.bundlePolicy, 'max-bundle');
    assert.deepEqual(pc.calls, [`setConfiguration ${JSON.stringify(ICE_SERVERS)}`]);
    assert.deepEqual(events.map(([name]) => name),
      ['connection-state', 'connection-state', 'joined', 'participant-joined']);
    assert.deepEqual(events[3][1], BOB);
    assert.deepEqual([...client.participants.keys()], [BOB.id]);
  });

  it('answers each offer with its version, applying the next offer only after the answer', async () => {
    const { connection } = await joinAsAlice();
    connection.send(offerMessage(1));
    connection.send(offerMessage(2, [{ mid: '3', kind: 'audio', participantId: BOB.id }]));
    const first = await connection.next('answer');
    const second = await connection.next('answer');
    assert.equal(first.version, 1);
    assert.equal(second.version, 2);
    assert.match(first.sdp, /^answer /);
    assert.deepEqual(pcs.created[0].calls.slice(1), [
      'setRemoteDescription m=audio 9 UDP/TLS/RTP/SAVPF 111', 'createAnswer', 'setLocalDescription',
      'setRemoteDescription m=audio 9 UDP/TLS/RTP/SAVPF 111', 'createAnswer', 'setLocalDescription',
    ]);
  });

  it('sends published tracks on mids 0 and 1, the video with the simulcast encodings', async () => {
    const camera = /** @type {any} */ ({ kind: 'video', id: 'camera' });
    const microphone = /** @type {any} */ ({ kind: 'audio', id: 'microphone' });
    await client.publish(camera, { source: 'camera' });
    await client.publish(microphone);
    const { connection } = await joinAsAlice();
    connection.send(offerMessage(1));
    const answer = await connection.next('answer');
    assert.equal(answer.sdp, 'answer 0:sendonly 1:sendonly 2:recvonly');
    const [audio, video] = pcs.created[0].transceivers;
    assert.equal(audio.sender.track, microphone);
    assert.equal(video.sender.track, camera);
    assert.deepEqual(video.sender.encodings.map((e) => [e.rid, e.scaleResolutionDownBy, e.maxBitrate, e.scalabilityMode]), [
      ['q', 4, 150_000, 'L1T3'], ['h', 2, 500_000, 'L1T3'], ['f', 1, 1_700_000, 'L1T3']]);
  });

  it('refuses a track of the wrong kind for its source', async () => {
    await assert.rejects(client.publish(/** @type {any} */ ({ kind: 'audio' }), { source: 'camera' }), TypeError);
  });

  it('rolls back an offer that cannot be applied and reports it', async () => {
    const events = recordEvents(client);
    const { connection } = await joinAsAlice();
    pcs.created[0].failNextOffer = new Error('bad sdp');
    connection.send(offerMessage(1));
    connection.send(offerMessage(1)); // the SFU re-sends the offer after a bad answer
    const answer = await connection.next('answer');
    assert.equal(answer.version, 1);
    assert.deepEqual(events.filter(([name]) => name === 'error').map(([, e]) => e.code), ['bad-offer']);
  });

  it('emits participant-joined and participant-left, and the tracks of the participant', async () => {
    const events = recordEvents(client);
    const { connection } = await joinAsAlice();
    const carol = { id: 'pc4r01', name: 'Carol' };
    connection.send({ type: 'participant-joined', participant: carol });
    const subscribe = [{ mid: '3', kind: 'audio', participantId: carol.id },
      { mid: '4', kind: 'video', participantId: carol.id }];
    connection.send(offerMessage(1, subscribe));
    await connection.next('answer');
    pcs.created[0].fireTrack('3', 'audio', carol.id);
    pcs.created[0].fireTrack('4', 'video', carol.id);
    assert.deepEqual(client.remoteTracks(carol.id).map((t) => [t.mid, t.kind]), [['3', 'audio'], ['4', 'video']]);
    connection.send({ type: 'participant-left', participantId: carol.id, reason: 'left' });
    await until(() => events.some(([name]) => name === 'participant-left'));
    assert.deepEqual(events.filter(([name]) => name !== 'connection-state' && name !== 'joined').map(([name, p]) =>
      `${name} ${p.id ?? p.participantId}${p.mid ? ` ${p.mid}` : ''}`), [
      `participant-joined ${BOB.id}`, `participant-joined ${carol.id}`,
      `track-added ${carol.id} 3`, `track-added ${carol.id} 4`,
      `track-removed ${carol.id} 3`, `track-removed ${carol.id} 4`, `participant-left ${carol.id}`,
    ]);
    assert.deepEqual([...client.participants.keys()], [BOB.id]);
  });

  it('emits active-speaker, video-paused, video-resumed and data-dropped', async () => {
    const events = recordEvents(client);
    const { connection } = await joinAsAlice();
    connection.send({ type: 'active-speaker', participantId: BOB.id });
    connection.send({ type: 'video-paused', participantId: BOB.id, mid: '4', reason: 'bandwidth' });
    connection.send({ type: 'video-resumed', participantId: BOB.id, mid: '4' });
    connection.send({ type: 'data-dropped', label: 'chat', reason: 'unknown_target' });
    await until(() => events.some(([name]) => name === 'data-dropped'));
    assert.deepEqual(events.filter(([name]) => ['active-speaker', 'video-paused', 'video-resumed', 'data-dropped']
      .includes(name)), [
      ['active-speaker', { participantId: BOB.id }],
      ['video-paused', { participantId: BOB.id, mid: '4', reason: 'bandwidth' }],
      ['video-resumed', { participantId: BOB.id, mid: '4' }],
      ['data-dropped', { label: 'chat', reason: 'unknown_target' }],
    ]);
  });

  it('switches simulcast encodings as publish-layers says', async () => {
    const events = recordEvents(client);
    await client.publish(/** @type {any} */ ({ kind: 'video' }));
    const { connection } = await joinAsAlice();
    connection.send(offerMessage(1));
    await connection.next('answer');
    connection.send({ type: 'publish-layers', mid: '1', active: { q: true, h: true, f: false, x: false } });
    await until(() => events.some(([name]) => name === 'publish-layers'));
    const sender = pcs.created[0].transceivers[1].sender;
    assert.deepEqual(sender.encodings.map((e) => [e.rid, e.active]), [['q', true], ['h', true], ['f', false]]);
    assert.deepEqual(events.find(([name]) => name === 'publish-layers')?.[1],
      { mid: '1', active: { q: true, h: true, f: false } });
  });

  it('reports error messages as error events and keeps the session', async () => {
    const events = recordEvents(client);
    const { connection } = await joinAsAlice();
    connection.send({ type: 'error', code: 'bad-answer', message: 'The answer does not fit' });
    connection.send({ type: 'error', code: 'rate-limited', message: 'Too many messages' });
    await until(() => events.filter(([name]) => name === 'error').length === 2);
    assert.deepEqual(events.filter(([name]) => name === 'error').map(([, e]) => e),
      [{ code: 'bad-answer', message: 'The answer does not fit' }, { code: 'rate-limited', message: 'Too many messages' }]);
    assert.equal(client.state, 'connected');
  });

  it('rejects join() on a final refusal and stays disconnected', async () => {
    const events = recordEvents(client);
    const joining = client.join();
    const { connection } = await server.accept('join');
    connection.send({ type: 'error', code: 'unauthorized', message: 'a join token is required' });
    await assert.rejects(joining, /not joined: refused: unauthorized/);
    assert.equal(client.state, 'disconnected');
    assert.deepEqual(events.find(([name]) => name === 'error')?.[1],
      { code: 'unauthorized', message: 'a join token is required' });
    await sleep(60);
    assert.equal(server.connections.items.length, 0, 'no new connection');
  });

  it('tries the join again later when the server is busy', async () => {
    const events = recordEvents(client);
    const joining = client.join();
    const { connection } = await server.accept('join');
    connection.send({ type: 'error', code: 'server-busy', message: 'too many pending joins' });
    const { connection: second } = await server.accept('join');
    second.send(joinedMessage('p1'));
    assert.equal((await joining).participantId, 'p1');
    assert.deepEqual(events.filter(([name]) => name === 'connection-state').map(([, e]) => e.state),
      ['connecting', 'reconnecting', 'connected']);
  });

  it('sends its ICE candidates, then the end of candidates', async () => {
    const { connection } = await joinAsAlice();
    const candidate = 'candidate:1 1 udp 2122260223 127.0.0.1 50000 typ host';
    pcs.created[0].fireCandidate({ candidate, sdpMid: '0' });
    pcs.created[0].fireCandidate({ candidate: '', sdpMid: '0' });
    pcs.created[0].fireCandidate(null);
    assert.deepEqual(await connection.next('candidate'), { type: 'candidate', candidate, sdpMid: '0' });
    assert.deepEqual(await connection.next('candidate'), { type: 'candidate', candidate: null });
  });

  it('resumes with its token after the connection dropped, keeping the peer connection', async () => {
    const events = recordEvents(client);
    const { connection } = await joinAsAlice();
    connection.drop();
    const { connection: second, first } = await server.accept('resume');
    assert.deepEqual(first, { type: 'resume', token: 'token-of-p1' });
    second.send({ type: 'resumed', room: 'demo', participantId: 'p1' });
    second.send(offerMessage(1)); // held while the client was away
    assert.equal((await second.next('answer')).version, 1);
    assert.equal(pcs.created.length, 1, 'the same peer connection');
    assert.deepEqual(events.filter(([name]) => name === 'connection-state').map(([, e]) => e.state),
      ['connecting', 'connected', 'reconnecting', 'connected']);
    assert.equal(client.participants.size, 1, 'the participants stay');
  });

  it('sends its render sizes again after resumed', async () => {
    const { connection } = await joinAsAlice();
    connection.send(offerMessage(1, [{ mid: '4', kind: 'video', participantId: BOB.id }]));
    await connection.next('answer');
    client.setRenderSize('4', 640, 360);
    const sizes = await connection.next('render-size');
    connection.drop();
    const { connection: second } = await server.accept('resume');
    second.send({ type: 'resumed', room: 'demo', participantId: 'p1' });
    assert.deepEqual(await second.next('render-size'), sizes);
  });

  it('joins again when the grace has passed before the connection is back', async () => {
    client.leave();
    client = new AtriumClient({
      room: 'demo', url: server.url, WebSocket: /** @type {any} */ (WebSocket),
      RTCPeerConnection: /** @type {any} */ (pcs.PeerConnection),
      reconnect: { minDelayMs: 40, maxDelayMs: 40, resumeGraceMs: 1 },
    });
    const { connection } = await joinAsAlice();
    connection.drop();
    const { first } = await server.accept('join');
    assert.equal(first.room, 'demo');
  });

  it('joins again on the same connection when the resume is refused', async () => {
    const events = recordEvents(client);
    const { connection } = await joinAsAlice();
    connection.drop();
    const { connection: second } = await server.accept('resume');
    second.send({ type: 'error', code: 'unknown-session', message: 'no such session' });
    assert.deepEqual(await second.next('join'), { type: 'join', room: 'demo', name: 'Alice', token: 'jwt' });
    assert.equal(pcs.created.length, 2, 'a new peer connection');
    assert.equal(pcs.created[0].signalingState, 'closed');
    second.send(joinedMessage('p2'));
    await until(() => client.participantId === 'p2');
    assert.equal(client.state, 'connected');
    assert.ok(!events.some(([name]) => name === 'error'), 'the refusal is handled, not reported');
    assert.deepEqual(events.filter(([name]) => name === 'participant-left')[0][1],
      { participantId: BOB.id, reason: 'disconnected' });
  });

  it('follows a redirect: joins on the other node with noRedirect, and resumes there', async () => {
    const other = await FakeServer.start();
    try {
      const joining = client.join();
      const { connection } = await server.accept('join');
      connection.send({ type: 'redirect', url: other.url, node: 'node2', room: 'demo' });
      const { connection: there, first } = await other.accept('join');
      assert.deepEqual(first, { type: 'join', room: 'demo', name: 'Alice', token: 'jwt', noRedirect: true });
      there.send(joinedMessage('p1'));
      await joining;
      assert.equal(client.state, 'connected');
      there.drop();
      const { first: resume } = await other.accept('resume');
      assert.equal(resume.token, 'token-of-p1');
    } finally {
      await other.close();
    }
  });

  it('stops after three redirects in a row without a join', async () => {
    const joining = client.join();
    for (let i = 0; i < 3; i++) {
      const { connection } = await server.accept('join');
      connection.send({ type: 'redirect', url: server.url });
    }
    const { connection } = await server.accept('join');
    connection.send({ type: 'redirect', url: server.url });
    await assert.rejects(joining);
    assert.equal(client.state, 'disconnected');
  });

  it('joins again with backoff after the server closed the connection', async () => {
    const { connection } = await joinAsAlice();
    connection.socket.close(1000, 'shutdown');
    const { connection: second, first } = await server.accept('join');
    assert.equal(first.room, 'demo');
    second.send(joinedMessage('p2'));
    await until(() => client.participantId === 'p2');
    assert.equal(pcs.created.length, 2);
  });

  it('sends render-size at most once per debounce interval, only when the list changed', async () => {
    const { connection } = await joinAsAlice();
    connection.send(offerMessage(1, [{ mid: '3', kind: 'audio', participantId: BOB.id },
      { mid: '4', kind: 'video', participantId: BOB.id }]));
    await connection.next('answer');
    client.setRenderSize('4', 320, 180);
    client.setRenderSize('4', 640, 360);
    client.setRenderSize('9', 640, 360); // not a subscribed video mid: left out
    assert.deepEqual(await connection.next('render-size'), { type: 'render-size', sizes: [{ mid: '4', width: 640, height: 360 }] });
    client.setRenderSize('4', 640, 360);
    await sleep(120);
    assert.equal(connection.inbox.items.length, 0, 'an unchanged list is not sent again');
    client.setRenderSize('4', 0, 0);
    assert.deepEqual(await connection.next('render-size'), { type: 'render-size', sizes: [{ mid: '4', width: 0, height: 0 }] });
    assert.throws(() => client.setRenderSize('4', 0, 10), RangeError);
  });

  it('stops sending render-size when the server does not know it', async () => {
    const { connection } = await joinAsAlice();
    connection.send(offerMessage(1, [{ mid: '4', kind: 'video', participantId: BOB.id }]));
    await connection.next('answer');
    client.setRenderSize('4', 640, 360);
    await connection.next('render-size');
    connection.send({ type: 'error', code: 'unknown-type', message: "Unknown message type 'render-size'" });
    await tick();
    await sleep(20);
    client.setRenderSize('4', 320, 180);
    await sleep(120);
    assert.equal(connection.inbox.items.length, 0);
  });

  it('opens data channels, sends with the envelope and receives with the sender', async () => {
    const events = recordEvents(client);
    const chat = client.openDataChannel('chat', { ordered: true });
    await joinAsAlice();
    const [dc] = pcs.created[0].channels;
    assert.equal(dc.label, 'chat');
    assert.equal(dc.binaryType, 'arraybuffer');
    assert.throws(() => chat.send('too early'), /not open/);
    dc.open();
    assert.deepEqual(events.find(([name]) => name === 'channel-open')?.[1], { label: 'chat' });
    chat.send('hello, room');
    chat.send('hi', { to: ['p5e6f7a8b'] });
    assert.equal(dc.sent[0], 'hello, room');
    assert.deepEqual([.../** @type {Uint8Array} */ (dc.sent[1])], [0x01, 0x01, 0x09, ...Buffer.from('p5e6f7a8b'), 0x68, 0x69]);
    dc.receive(new Uint8Array([0x01, 0x01, 0x09, ...Buffer.from('p1a2b3c4d'), 0x68, 0x69]).buffer);
    const data = events.find(([name]) => name === 'data')?.[1];
    assert.equal(data.label, 'chat');
    assert.equal(data.from, 'p1a2b3c4d');
    assert.equal(data.text, 'hi');
  });

  it('mutes a source: tells the server and sends nothing of it until unmuted', async () => {
    const camera = /** @type {any} */ ({ kind: 'video', id: 'camera' });
    const microphone = /** @type {any} */ ({ kind: 'audio', id: 'microphone' });
    await client.publish(camera);
    await client.publish(microphone);
    await client.setMuted('microphone', true); // before join: sent once joined
    const { connection } = await joinAsAlice();
    assert.deepEqual(await connection.next('mute'), { type: 'mute', source: 'microphone', muted: true });
    connection.send(offerMessage(1));
    assert.equal((await connection.next('answer')).sdp, 'answer 0:sendonly 1:sendonly 2:recvonly');
    const [audio, video] = pcs.created[0].transceivers;
    assert.equal(audio.sender.track, null, 'a muted microphone sends nothing');
    assert.equal(video.sender.track, camera);
    await client.setMuted('camera', true);
    assert.deepEqual(await connection.next('mute'), { type: 'mute', source: 'camera', muted: true });
    assert.equal(video.sender.track, null);
    assert.ok(client.isMuted('camera'));
    // A new camera track while muted is kept, and sent on unmute: no renegotiation.
    const second = /** @type {any} */ ({ kind: 'video', id: 'camera-2' });
    await client.publish(second, { source: 'camera' });
    assert.equal(video.sender.track, null);
    await client.setMuted('camera', false);
    assert.deepEqual(await connection.next('mute'), { type: 'mute', source: 'camera', muted: false });
    assert.equal(video.sender.track, second);
    await client.setMuted('camera', false); // no change: nothing sent
    await client.setMuted('microphone', false);
    assert.deepEqual(await connection.next('mute'), { type: 'mute', source: 'microphone', muted: false });
    assert.equal(audio.sender.track, microphone);
  });

  it('shares a screen in a section of its own, asked for with add-track and withdrawn with remove-track', async () => {
    const { connection } = await joinAsAlice();
    connection.send(offerMessage(1));
    await connection.next('answer');
    const screen = /** @type {any} */ ({ kind: 'video', id: 'screen' });
    let attached = false;
    const sharing = client.publish(screen, { source: 'screen' }).then(() => { attached = true; });
    assert.deepEqual(await connection.next('add-track'), { type: 'add-track', source: 'screen' });
    await sleep(20);
    assert.ok(!attached, 'waits for the section');
    connection.send({ type: 'offer', version: 2, sdp: sdpWithMids(['0', '1', '2', '5']),
      publish: [{ mid: '0', kind: 'audio', source: 'microphone' }, { mid: '1', kind: 'video', source: 'camera' },
        { mid: '5', kind: 'video', source: 'screen' }], subscribe: [] });
    assert.equal((await connection.next('answer')).sdp, 'answer 0:recvonly 1:recvonly 2:recvonly 5:sendonly');
    await sharing;
    const section = pcs.created[0].transceivers.find((t) => t.mid === '5');
    assert.equal(section?.sender.track, screen);
    assert.equal(section?.sender.setParametersCalls.length, 0, 'no simulcast settings for a screen');
    await client.unpublish('screen');
    assert.deepEqual(await connection.next('remove-track'), { type: 'remove-track', source: 'screen' });
    assert.equal(section?.sender.track, null);
  });

  it('gives remote tracks their source and mute state, and emits track-muted and track-unmuted', async () => {
    const events = recordEvents(client);
    client.on('track-muted', (e) => events.push(['track-muted', e]));
    client.on('track-unmuted', (e) => events.push(['track-unmuted', e]));
    const { connection } = await joinAsAlice();
    connection.send({ ...offerMessage(1), sdp: sdpWithMids(['0', '1', '2', '3', '4', '5']), subscribe: [
      { mid: '3', kind: 'audio', participantId: BOB.id, source: 'microphone', muted: true },
      { mid: '4', kind: 'video', participantId: BOB.id, source: 'camera', muted: false },
      { mid: '5', kind: 'video', participantId: BOB.id, source: 'screen', muted: false }] });
    await connection.next('answer');
    for (const [mid, kind] of [['3', 'audio'], ['4', 'video'], ['5', 'video']]) pcs.created[0].fireTrack(mid, kind, BOB.id);
    assert.deepEqual(client.remoteTracks(BOB.id).map((t) => [t.mid, t.source, t.muted]),
      [['3', 'microphone', true], ['4', 'camera', false], ['5', 'screen', false]]);
    connection.send({ type: 'track-muted', participantId: BOB.id, source: 'camera', muted: true });
    connection.send({ type: 'track-muted', participantId: BOB.id, source: 'camera', muted: true });
    connection.send({ type: 'track-muted', participantId: BOB.id, source: 'microphone', muted: false });
    connection.send({ type: 'track-muted', participantId: BOB.id, source: 'nose', muted: true });
    await until(() => events.some(([name]) => name === 'track-unmuted'));
    assert.deepEqual(events.filter(([name]) => name.startsWith('track-') && name !== 'track-added')
      .map(([name, e]) => `${name} ${e.participantId} ${e.source}`),
    [`track-muted ${BOB.id} camera`, `track-unmuted ${BOB.id} microphone`]);
    assert.deepEqual(client.remoteTracks(BOB.id).map((t) => t.muted), [false, true, false]);
    // An offer without the screen removes its track; the others stay.
    connection.send({ ...offerMessage(2), sdp: sdpWithMids(['0', '1', '2', '3', '4', '5']), subscribe: [
      { mid: '3', kind: 'audio', participantId: BOB.id, source: 'microphone', muted: false },
      { mid: '4', kind: 'video', participantId: BOB.id, source: 'camera', muted: true }] });
    await connection.next('answer');
    assert.deepEqual(client.remoteTracks(BOB.id).map((t) => t.source), ['microphone', 'camera']);
  });

  it('asks for its screen section and sends its mute state again after a rejoin', async () => {
    const screen = /** @type {any} */ ({ kind: 'video', id: 'screen' });
    const { connection } = await joinAsAlice();
    void client.publish(screen, { source: 'screen' });
    await connection.next('add-track');
    await client.setMuted('microphone', true);
    await connection.next('mute');
    connection.send({ type: 'error', code: 'shutdown', message: 'stopping' });
    connection.socket.close(1000);
    const { connection: second } = await server.accept('join');
    second.send(joinedMessage('p2'));
    const resent = [await second.inbox.take(), await second.inbox.take()];
    assert.deepEqual(resent, [{ type: 'add-track', source: 'screen' }, { type: 'mute', source: 'microphone', muted: true }]);
  });

  it('tells when the SFU closes an open channel', async () => {
    const events = recordEvents(client);
    client.openDataChannel('chat');
    await joinAsAlice();
    const [dc] = pcs.created[0].channels;
    dc.open();
    dc.close();
    dc.dispatchEvent(new Event('close'));
    assert.deepEqual(events.filter(([name]) => name.startsWith('channel-')).map(([name, e]) => `${name} ${e.label}`),
      ['channel-open chat', 'channel-close chat']);
  });

  it('tells when an open channel closes with its session, and opens it again on the next', async () => {
    const events = recordEvents(client);
    client.openDataChannel('chat');
    client.openDataChannel('idle'); // never opened: nothing to tell
    const { connection } = await joinAsAlice();
    pcs.created[0].channels[0].open();
    connection.send({ type: 'error', code: 'shutdown', message: 'stopping' });
    connection.socket.close(1000);
    const { connection: second } = await server.accept('join');
    second.send(joinedMessage('p2'));
    await until(() => client.participantId === 'p2');
    pcs.created[1].channels[0].open();
    assert.deepEqual(events.filter(([name]) => name.startsWith('channel-')).map(([name, e]) => `${name} ${e.label}`),
      ['channel-open chat', 'channel-close chat', 'channel-open chat']);
  });
});
